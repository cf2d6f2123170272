"""What the agent typed and has not saved: call notes, hardship-profile drafts and negotiated terms.

The console asks before it quits when there is any (:class:`installment_tui.agent.screens.quit.QuitScreen`),
and "Save" saves each piece as the agent would have: the note as a call note, the profile as a
new version, the terms as a saved offer.  A piece that cannot be saved (a profile field still
wrong, terms no plan fits) stays a draft and says why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from calc.errors import InstallmentError, InvalidInput

from .profile_values import profile_from_values
from .session import CallSession, TermsDraft

#: The kinds of unsaved work, in the order they are listed.
KINDS = ("note", "profile", "terms")


@dataclass(frozen=True, slots=True)
class Unsaved:
    kind: str  # one of KINDS
    ref: str  # the account


def _terms_typed(session: CallSession, ref: str) -> bool:
    draft, base = session.drafts.get(ref), session.saved_terms.get(ref)
    if draft is None:
        return False
    default = session.policy.remainder  # the form shows the policy's remainder when none was chosen
    return replace(draft, remainder=draft.remainder or default) != replace(
        base or TermsDraft(), remainder=(base.remainder if base else "") or default
    )


def unsaved_work(session: CallSession | None) -> list[Unsaved]:
    """Every unsaved piece of work in the session, by account in the order they were opened."""
    if session is None:
        return []
    refs = dict.fromkeys([*session.drafts, *session.profile_drafts, *session.note_drafts])
    found = []
    for ref in refs:
        if session.note_drafts.get(ref, "").strip():
            found.append(Unsaved("note", ref))
        if ref in session.profile_drafts:
            found.append(Unsaved("profile", ref))
        if _terms_typed(session, ref):
            found.append(Unsaved("terms", ref))
    return found


def save_work(session: CallSession, work: list[Unsaved]) -> dict[Unsaved, InstallmentError]:
    """Save each piece (on an account of its own, so the account on screen stays as it is); returns
    the pieces that could not be saved, with why.  A saved piece's draft is dropped."""
    failed: dict[Unsaved, InstallmentError] = {}
    for ref in dict.fromkeys(w.ref for w in work):
        mine = [w for w in work if w.ref == ref]
        helper = CallSession(session.store, session.policy, session.role, session.today)
        try:
            helper.open(ref)
        except InstallmentError as exc:
            failed.update(dict.fromkeys(mine, exc))
            continue
        if ref in session.replanning:
            helper.replanning.add(ref)
        for w in mine:
            try:
                if w.kind == "note":
                    helper.add_note(session.note_drafts[ref])
                    session.note_drafts.pop(ref, None)
                elif w.kind == "profile":
                    assert helper.account is not None  # a draft belongs to an open account
                    helper.save_profile(profile_from_values(session.profile_drafts[ref], helper.account.currency))
                    session.profile_drafts.pop(ref, None)
                    helper.rebuild_case()
                else:
                    _save_terms(session, helper, ref)
            except InstallmentError as exc:
                failed[w] = exc
    return failed


def _save_terms(session: CallSession, helper: CallSession, ref: str) -> None:
    if not helper.may_save:
        raise InvalidInput("the account has an agreement: re-plan it (Ctrl+N) before saving new terms", "offer")
    negotiated = helper.negotiate(session.drafts[ref])
    if negotiated.offer is None:
        if negotiated.errors:
            field, message = next(iter(negotiated.errors.items()))
            raise InvalidInput(message, field)
        raise negotiated.problem or InvalidInput("no plan fits these terms", "offer")
    helper.drafts[ref] = session.drafts[ref]
    helper.save(negotiated.offer)
    session.saved_terms[ref] = session.drafts[ref]


__all__ = ["KINDS", "Unsaved", "save_work", "unsaved_work"]
