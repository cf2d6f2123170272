"""The agent console (``installment agent``): negotiate a plan during a phone call.

:class:`~installment_tui.agent.app.AgentApp` is the Textual app; screens live in
:mod:`installment_tui.agent.screens`, one per module; the call's state, without
Textual, in :mod:`installment_tui.agent.session`.
"""
