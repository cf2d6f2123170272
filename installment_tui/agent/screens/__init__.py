"""The agent console's screens, one per module."""

from __future__ import annotations


def _all():
    from .export import ExportScreen
    from .notes import NotesScreen
    from .profile import ProfileScreen
    from .queue import QueueScreen
    from .reason import ReasonScreen
    from .schedule import ScheduleScreen
    from .search import SearchScreen
    from .signin import SignInScreen
    from .workspace import WorkspaceScreen
    from .agreement import AgreementScreen
    from .payment import PaymentScreen
    from .complaints import ComplaintScreen, NewComplaintDialog, ResolveDialog
    from .contact import ContactScreen, FlagDialog, LogContactDialog
    from .contact_sms import SmsDialog
    from .supervisor import SupervisorDialog
    from .quit import QuitScreen

    return (
        SearchScreen,
        WorkspaceScreen,
        ScheduleScreen,
        QueueScreen,
        ExportScreen,
        NotesScreen,
        ProfileScreen,
        ReasonScreen,
        SignInScreen,
        AgreementScreen,
        PaymentScreen,
        ContactScreen,
        LogContactDialog,
        FlagDialog,
        SmsDialog,
        SupervisorDialog,
        NewComplaintDialog,
        ComplaintScreen,
        ResolveDialog,
        QuitScreen,
    )


class _Lazy:
    def __iter__(self):
        return iter(_all())


#: Every screen class (imported on first use).
ALL_SCREENS = _Lazy()
