"""Contact and complaints for the account on screen, without Textual: the glue the console's screens use.

A :class:`ContactDesk` answers for one account whether a call (or SMS, or letter) is
allowed now and why not, logs contacts through the store (which decides again
inside its write transaction, records refusals and checks an override's supervisor),
checks what an agent writes (:func:`plans.conduct.messages.check_message`, with the
account's real amounts as facts), "sends" an SMS by writing it to the console's
output folder after the checker and the contact rules allow it, and keeps the
account's complaints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from plans import files
from plans.conduct.complaints import Complaint
from plans.conduct.contact_rules import ContactDecision
from plans.conduct.messages import Finding, MessageFacts, check_message
from plans.conduct.vocabulary import Channel, Direction, Flag, Outcome, Party, Purpose
from plans.text.sanitize import safe_name
from plans.store.conduct import ContactRecord, ContactRefused, FlagRecord, Override


@dataclass(frozen=True, slots=True)
class SentSms:
    record: ContactRecord
    path: Path


class SmsBlocked(Exception):
    """The SMS text has findings: it is not sent."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        super().__init__(f"{len(findings)} finding(s)")
        self.findings = findings


class ContactDesk:
    """Conduct for one account of a :class:`~installment_tui.agent.session.CallSession`."""

    def __init__(self, session) -> None:
        self.session = session

    @property
    def store(self):
        return self.session.store

    @property
    def policy(self):
        return self.session.policy

    @property
    def ref(self) -> str:
        return self.session.account.ref

    # -- rules ---------------------------------------------------------------------------
    def decision(self, channel: Channel = Channel.CALL, party: Party = Party.DEBTOR) -> ContactDecision:
        return self.store.contact_decision(self.ref, self.policy, channel, party)

    def decisions(self) -> dict[Channel, ContactDecision]:
        return {ch: self.decision(ch) for ch in (Channel.CALL, Channel.SMS, Channel.LETTER)}

    def flags(self) -> frozenset[Flag]:
        return self.store.contact_flags(self.ref)

    def set_flag(self, flag: Flag, on: bool, reason: str) -> FlagRecord:
        return self.store.set_flag(self.ref, flag, on, reason)

    # -- the log -------------------------------------------------------------------------
    def contacts(self) -> list[ContactRecord]:
        return self.store.contacts(self.ref)

    def log(
        self,
        channel: Channel,
        outcome: Outcome,
        *,
        direction: Direction = Direction.OUTBOUND,
        party: Party = Party.DEBTOR,
        purpose: Purpose = Purpose.COLLECTION,
        note: str = "",
        override: Override | None = None,
    ) -> ContactRecord:
        """Record a contact; raises :class:`ContactRefused` (recorded as a refusal) when the rules refuse it."""
        return self.store.log_contact(
            self.ref,
            self.policy,
            channel,
            outcome,
            direction=direction,
            party=party,
            purpose=purpose,
            note=note,
            override=override,
        )

    def supervisor_override(self, name: str, password: str, reason: str) -> Override:
        """An override by the supervisor ``name``, who signs in with ``password`` here (audited)."""
        from plans.store import NotAllowed

        user = self.store.authenticate(name, password, where="console override")
        if user.role != "supervisor":
            raise NotAllowed(f"{user.name} is not a supervisor", "supervisor")
        return Override(user, reason)

    # -- words ---------------------------------------------------------------------------
    def facts(self) -> MessageFacts:
        """The amounts true of the account: its debt and buckets, and every figure of its offers."""
        s = self.session
        acc = s.account
        amounts = {acc.debt.total, *acc.debt.amounts().values()}
        for offer in s.offers:
            plan = offer.plan
            amounts.update(
                (
                    plan.plan_balance,
                    plan.down_payment,
                    plan.financed,
                    plan.total_fees,
                    plan.total_repayable,
                    *plan.amounts,
                    *plan.waived.values(),
                )
            )
        return MessageFacts(acc.currency, frozenset(a for a in amounts if isinstance(a, int) and a >= 0))

    def check(self, text: str, lang: str) -> tuple[Finding, ...]:
        return check_message(text, lang, self.policy, self.facts())

    def check_note(self, text: str, lang: str) -> tuple[Finding, ...]:
        """Call notes are warned about, never blocked; amounts in them are not compared."""
        return check_message(text, lang, self.policy)

    def send_sms(self, text: str, lang: str, out_dir: Path, override: Override | None = None) -> SentSms:
        """Check the text (blocked with findings), then the contact rules (refused unless overridden), then
        write the SMS to ``out_dir`` for the gateway, readable by its owner only."""
        text = text.strip()
        findings = self.check(text, lang)
        if findings:
            raise SmsBlocked(findings)
        if not text:
            from calc.errors import InvalidInput

            raise InvalidInput("is empty; write the message first", "sms")
        record = self.log(Channel.SMS, Outcome.SENT, note=text, override=override)
        files.make_dir(out_dir)
        stamp = datetime.fromisoformat(record.at).strftime("%Y%m%dT%H%M%S")
        path = files.write_atomic(out_dir / f"{safe_name(self.ref)}-{stamp}-{record.id}.sms.txt", text + "\n")
        return SentSms(record, path)

    # -- complaints ------------------------------------------------------------------------
    def complaints(self) -> list[Complaint]:
        return self.store.complaints(self.policy.conduct, self.ref)

    def complaint(self, complaint_id: int) -> Complaint:
        return self.store.complaint(complaint_id, self.policy.conduct)

    def add_complaint(self, channel, category, text: str, lang: str) -> Complaint:
        """A complaint taken on the call: received and acknowledged (the debtor hears it is recorded)."""
        return self.store.add_complaint(self.ref, self.policy.conduct, channel, category, text, lang, acknowledged=True)

    def today(self):
        from plans.conduct.complaints import local_day

        return local_day(self.store.clock(), self.policy.conduct)


__all__ = ["ContactDesk", "ContactRefused", "SentSms", "SmsBlocked"]
