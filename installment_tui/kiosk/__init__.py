"""Kiosk mode: a locked-down, full-screen Textual app where debtors serve themselves.

``installment kiosk`` (``installment_tui.commands.kiosk``) starts
:class:`~installment_tui.kiosk.app.KioskApp`.  The visit logic lives in
:mod:`~installment_tui.kiosk.session` (no Textual), the configuration in
:mod:`~installment_tui.kiosk.config`, receipt delivery in
:mod:`~installment_tui.kiosk.printing`, and one screen per step in
:mod:`installment_tui.kiosk.screens`.
"""
