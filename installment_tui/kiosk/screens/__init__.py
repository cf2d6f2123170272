"""The kiosk's screens, one module each, in the order a debtor meets them.

Every screen is built fresh each time it is shown and reads what it needs from the
app's current :class:`~installment_tui.kiosk.session.KioskSession`; none is
installed or cached, so a finished visit leaves no screen behind.
"""
