"""One call, without Textual: the account on screen, its case, the ranked offers and the negotiated draft.

The screens read and change a :class:`CallSession`; it talks to the store and to
``plans.offers`` (the offer logic lives there, not here).  What is here is the
glue an agent console needs:

* :class:`TermsDraft` holds the negotiation fields exactly as typed (text), so a
  half-typed value is never lost; :func:`parse_draft` turns it into
  ``calc.terms.Terms`` and waivers, with one message per bad field;
* :meth:`CallSession.negotiate` computes the offer for the draft
  (``plans.offers.offer_for_terms``; "the debtor can pay X" is the payment-driven
  term), or says why no plan fits.

A blank field means "as the policy's standard offer": the policy's minimum down
payment, first due date, remainder placement and standard waivers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from datetime import date
from typing import Any

from calc.debt import BUCKETS, Waiver
from calc.errors import InstallmentError, InvalidInput, NoPlanFits, Problems
from calc.dates import parse_date
from calc.money import format_amount, is_percent, parse_amount, parse_percent
from calc.numerals import NumberFormatError, narrow, parse_whole
from calc.terms import ABSOLUTE_MAX_MONTHS, REMAINDERS, Remainder, Terms
from plans.case import Case, CaseAccount
from plans.negotiation import negotiate
from plans.offers import Offer, generate_offers, offer_document, offer_for_terms, pct_text
from plans.policy import Policy
from plans.servicing.agreements import (
    AgreementView,
    bring_up_to_date,
    latest_agreement,
    record_payment,
    schedule_of,
)
from plans.servicing.vocabulary import Channel
from plans.store import (
    TRANSITIONS,
    Account,
    AgreementRecord,
    Note,
    OfferRecord,
    PaymentRecord,
    ProfileVersion,
    StoreApi,
)
from plans.store.records import SUPERVISOR_STATUSES
from plans.vocabulary import Authority, OfferKind, OfferStatus

from .decisions import Decision, decisions

#: The draft's fields, in the order the form shows them (waivers follow, one per bucket).
DRAFT_FIELDS = ("pay", "months", "down", "first_due", "remainder", "tiers")
_TIER = re.compile(r"^\s*(\d{1,2})\s*[x×*]\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*$", re.IGNORECASE | re.ASCII)


@dataclass(frozen=True, slots=True)
class TermsDraft:
    """The negotiation fields as typed.  ``waivers`` maps a bucket to its text ("50%", "300.00")."""

    pay: str = ""
    months: str = ""
    down: str = ""
    first_due: str = ""
    remainder: str = ""
    tiers: str = ""
    waivers: tuple[tuple[str, str], ...] = ()

    def waiver(self, bucket: str) -> str:
        return dict(self.waivers).get(bucket, "")

    def field(self, name: str) -> str:
        """The text of field ``name`` ("pay", "waive.interest", ...), as :meth:`with_field` names it."""
        if name.startswith("waive."):
            return self.waiver(name.split(".", 1)[1])
        text: str = getattr(self, name)
        return text

    def with_field(self, name: str, value: str) -> "TermsDraft":
        if name.startswith("waive."):
            bucket = name.split(".", 1)[1]
            w = dict(self.waivers)
            w[bucket] = value
            return replace(self, waivers=tuple((b, w[b]) for b in BUCKETS if b in w))
        typed: dict[str, Any] = {name: value}  # one of the text fields above
        return replace(self, **typed)


@dataclass(frozen=True, slots=True)
class ParsedDraft:
    terms: Terms | None
    waivers: tuple[Waiver, ...]
    #: field name ("months", "waive.interest", ...) -> English message: the first problem of each field
    #: (collected by :class:`calc.errors.Problems`)
    errors: dict[str, str] = field(default_factory=dict)
    #: What plans.negotiation.negotiate needs for "the debtor can pay X": the payment and the down
    #: payment as typed (None: the policy's minimum).
    pay: int | None = None
    down: int | Decimal | None = None


def _amount(text: str, currency: str, name: str) -> int:
    return parse_amount(text.strip(), currency, name)


def parse_tiers(text: str, currency: str) -> tuple[tuple[int, int], ...]:
    """``"6x200, 3x500.00"`` -> ((6, 20000), (3, 50000)); raises InvalidInput(field="tiers").

    Tiers are separated by commas or semicolons (also full-width); ``x``, ``×`` or ``*``
    joins the months and the amount."""
    tiers = []
    text = narrow(text)
    # a comma before exactly three digits is a thousands separator ("6x1,000"), not a new tier
    for part in filter(None, (p.strip() for p in re.split(r"[;，；]|,(?!\d{3}(?:\D|$))", text))):
        m = _TIER.match(part)
        if not m:
            raise InvalidInput(f"{part!r} is not MONTHSxAMOUNT, e.g. 6x200", "tiers")
        count = int(m.group(1))
        if count < 1:
            raise InvalidInput("each tier needs at least one month", "tiers")
        tiers.append((count, _amount(m.group(2), currency, "tiers")))
    return tuple(tiers)


def parse_draft(draft: TermsDraft, case: Case, policy: Policy) -> ParsedDraft:
    """Terms and waivers from the draft; every bad field is reported, none raises."""
    cur = case.currency
    problems = Problems()
    attempt = problems.attempt
    pay = attempt("pay", lambda: _amount(draft.pay, cur, "pay")) if draft.pay.strip() else None
    if pay == 0:
        problems.add("pay", "must be more than zero")
        pay = None
    months = None
    if draft.months.strip():
        try:
            months = parse_whole(draft.months, "months", 1, ABSOLUTE_MAX_MONTHS)
        except NumberFormatError as exc:  # the rule's own advice ("'6_0' contains '_'...") after what is wanted
            problems.add("months", f"must be a whole number of months from 1 to {ABSOLUTE_MAX_MONTHS}: {exc.message}")
        except InvalidInput:
            problems.add("months", f"must be a whole number of months from 1 to {ABSOLUTE_MAX_MONTHS}")
    down_amount = down_fraction = None
    if draft.down.strip():
        text = draft.down.strip()
        if is_percent(text):
            down_fraction = attempt("down", lambda: parse_percent(text, "down"))
            if down_fraction is not None and not 0 <= down_fraction < 1:
                problems.add("down", "must be at least 0% and below 100%")
                down_fraction = None
        else:
            down_amount = attempt("down", lambda: _amount(text, cur, "down"))
    elif policy.min_down_fraction is not None:
        down_fraction = policy.min_down_fraction
    elif policy.min_down_amount:
        down_amount = policy.min_down_amount
    first_due = policy.first_due(case.start)
    if draft.first_due.strip():
        first_due = attempt("first_due", lambda: parse_date(draft.first_due.strip(), "first_due"))
        if first_due is not None and first_due <= case.start:
            problems.add("first_due", f"must be after the agreement date {case.start.isoformat()}")
            first_due = None
    remainder = draft.remainder.strip() or policy.remainder
    if remainder not in REMAINDERS:
        problems.add("remainder", f"must be one of {', '.join(REMAINDERS)}")
        remainder = policy.remainder
    if remainder == Remainder.SPREAD and policy.round_to != 1:
        problems.add("remainder", "spread needs the minor unit as the rounding unit")
        remainder = policy.remainder
    tiers = attempt("tiers", lambda: parse_tiers(draft.tiers, cur)) if draft.tiers.strip() else ()
    typed = dict(draft.waivers)
    waivers: list[Waiver] = []
    for bucket in BUCKETS:
        given = typed.get(bucket)
        if given is None:
            waivers.extend(w for w in policy.standard_waiver_list() if w.bucket == bucket)
            continue
        if not given.strip():
            continue
        w = attempt(f"waive.{bucket}", lambda: Waiver.parse(bucket, given.strip(), cur))  # noqa: B023 - called at once
        if w is None:
            continue
        whole = getattr(case.debt, bucket)
        if w.amount is not None and w.amount > whole:
            problems.add(f"waive.{bucket}", f"is more than the {format_amount(whole, cur)} owed")
            continue
        waivers.append(w)
    if months is None and pay is None:
        months = policy.standard_months
    terms = None
    if not problems:
        try:
            terms = Terms(
                start=case.start,
                months=None if pay is not None else months,
                payment=pay,
                max_months=policy.max_months,
                down_amount=down_amount,
                down_fraction=down_fraction,
                first_due=first_due,
                fee_rate=policy.fee_rate,
                fee_basis=policy.fee_basis,
                remainder=Remainder(remainder),
                round_to=policy.round_to,
                tiers=tiers or (),
                business_days=policy.business_days,
                calendar=policy.calendar,
            )
        except InvalidInput as exc:
            problems.add(_field_of(exc.field), exc.message)
    down = down_fraction if is_percent(draft.down) else (down_amount if draft.down.strip() else None)
    return ParsedDraft(terms, tuple(waivers), problems.by_field(), pay, down)


def _field_of(name: str | None) -> str:
    return {"tier": "tiers", "payment": "pay", "max_months": "months"}.get(name or "", name or "months")


def draft_from_offer(offer: Offer) -> TermsDraft:
    """The fields that reproduce ``offer``'s terms (for adjusting a generated offer)."""
    t = offer.terms
    cur = offer.currency
    down = ""
    if t.down_fraction is not None:
        down = pct_text(t.down_fraction)
    elif t.down_amount:
        down = format_amount(t.down_amount, cur)
    waivers = []
    for w in offer.waivers:
        text = w.match(lambda a: format_amount(a, cur), pct_text)
        waivers.append((w.bucket, text))
    listed = {b for b, _ in waivers}
    waivers += [(b, "") for b in BUCKETS if b not in listed]
    return TermsDraft(
        months=str(t.months or ""),
        down=down,
        first_due=t.first_due.isoformat() if t.first_due else "",
        remainder=t.remainder,
        tiers=", ".join(f"{c}x{format_amount(a, cur)}" for c, a in t.tiers),
        waivers=tuple(sorted(waivers, key=lambda bw: BUCKETS.index(bw[0]))),
    )


@dataclass(frozen=True, slots=True)
class Negotiated:
    """The answer for a draft: an offer, or why none fits (``problem``), or bad fields (``errors``);
    ``options`` (``plans.negotiation.Option``) say what would make a payment fit."""

    offer: Offer | None = None
    errors: dict = field(default_factory=dict)
    problem: InstallmentError | None = None
    options: tuple = ()


class CallSession:
    """The account on screen and what the agent has done with it during the call."""

    def __init__(self, store: StoreApi, policy: Policy, role: str, today: date) -> None:
        self.store = store
        self.policy = policy
        self.role = role
        self.authority = Authority.SUPERVISOR if role == "supervisor" else Authority.AGENT
        self.today = today
        self.account: Account | None = None
        self.profile: ProfileVersion | None = None
        self.case: Case | None = None
        self.offers: list[Offer] = []
        #: Why no offer can be made for the account on screen (None when offers could be made).
        self.problem: InstallmentError | None = None
        self.saved: list[OfferRecord] = []
        #: Who approved, rejected or declined each saved offer, when and why (by offer id).
        self.decisions: dict[str, Decision] = {}
        self.agreements: list[AgreementRecord] = []
        #: The account's latest agreement as it stands today (None: it has none), or why it cannot be read.
        self.agreement: AgreementView | None = None
        self.agreement_problem: InstallmentError | None = None
        self.notes: list[Note] = []
        #: References opened during the session, the latest last (the first search screen lists them first).
        self.recent: list[str] = []
        #: Drafts kept per account, so moving between accounts loses nothing typed.
        self.drafts: dict[str, TermsDraft] = {}
        #: The terms last saved as an offer, or the blank terms: a draft unlike them is unsaved work.
        self.saved_terms: dict[str, TermsDraft] = {}
        self.note_drafts: dict[str, str] = {}
        self.sms_drafts: dict[str, str] = {}
        self.profile_drafts: dict[str, dict[str, str]] = {}
        #: Half-typed approval or rejection reasons, by (offer id, decision).
        self.reason_drafts: dict[tuple[str, str], str] = {}
        #: Accounts whose agreement the agent chose to re-plan: only then may an offer be saved for them.
        self.replanning: set[str] = set()

    @property
    def open_account(self) -> Account:
        """The account on screen: what works on an account (the workspace, its dialogs) runs once one is open."""
        if self.account is None:
            raise RuntimeError("no account is open")
        return self.account

    @property
    def open_case(self) -> Case:
        """The case of the account on screen (made when it is opened)."""
        if self.case is None:
            raise RuntimeError("no account is open")
        return self.case

    # -- loading ----------------------------------------------------------------
    def find(self, query: str, limit: int = 100) -> list[Account]:
        return self.store.find_accounts(query.strip(), limit)

    def open(self, ref: str) -> None:
        self.account = self.store.get_account(ref)
        self.recent = [r for r in self.recent if r != ref] + [ref]
        self.profile = self.store.latest_profile(ref)
        self.reload_history()
        self.rebuild_case()

    def reload_history(self) -> None:
        ref = self.open_account.ref
        self.saved = self.store.offers(ref)
        self.decisions = decisions(self.store, self.saved)
        self.agreements = self.store.agreements(ref)
        self.notes = self.store.notes(ref)
        self.agreement = None
        self.agreement_problem = None
        try:
            self.agreement = latest_agreement(self.store, ref, self.policy, self.today)
        except InstallmentError as exc:  # e.g. an old agreement whose schedule cannot be computed again
            self.agreement_problem = exc

    @property
    def replan(self):
        """What a new plan for the account starts from when it replaces the latest agreement
        (``plans.servicing.replan.ReplanBasis``); None when the account has no agreement to replace."""
        return self.agreement.replan if self.agreement is not None else None

    def rebuild_case(self) -> None:
        acc = self.open_account
        profile = self.profile.profile if self.profile is not None else None
        basis = self.replan
        debt = basis.debt if basis is not None else acc.debt
        self.case = Case(acc.currency, self.today, debt, CaseAccount(acc.ref, acc.name or None, acc.region), profile)
        self.offers = self.generate()

    def generate(self) -> list[Offer]:
        """The ranked offers; when the policy cannot make any (e.g. a JPY account under a CNY policy)
        none, and ``problem`` says why, so the account still opens with its debt, history and notes.
        With an agreement on the account, offers are re-plans of it (from what is still owed);
        none once it is paid off or replaced."""
        self.problem = None
        ag = self.agreement
        if self.agreement_problem is not None:
            self.problem = self.agreement_problem
            return []
        if ag is not None and ag.replan is None:
            self.problem = InvalidInput(
                f"agreement {ag.id} is {ag.status}: nothing is left to plan under it"
                if ag.successor is None
                else f"agreement {ag.id} was replaced by agreement {ag.successor}",
                "agreement",
            )
            return []
        try:
            return generate_offers(self.open_case, self.policy, self.authority, include_escalations=True)
        except NoPlanFits:
            return []
        except InstallmentError as exc:
            self.problem = exc
            return []

    # -- negotiation --------------------------------------------------------------
    def default_draft(self) -> TermsDraft:
        """Blank terms with the policy's standard waivers written out (so the agent sees them)."""
        cur = self.case.currency if self.case else self.policy.currency
        typed = []
        for w in self.policy.standard_waiver_list():
            typed.append(
                (
                    w.bucket,
                    w.match(lambda a: format_amount(a, cur), pct_text),
                )
            )
        listed = {b for b, _ in typed}
        typed += [(b, "") for b in BUCKETS if b not in listed]
        return TermsDraft(waivers=tuple(sorted(typed, key=lambda bw: BUCKETS.index(bw[0]))))

    @property
    def draft(self) -> TermsDraft:
        if self.account is None:
            return TermsDraft()
        if self.account.ref not in self.drafts:
            self.drafts[self.account.ref] = self.saved_terms[self.account.ref] = self.default_draft()
        return self.drafts[self.account.ref]

    @draft.setter
    def draft(self, value: TermsDraft) -> None:
        self.drafts[self.open_account.ref] = value

    def negotiate(self, draft: TermsDraft | None = None) -> Negotiated:
        if self.problem is not None:
            return Negotiated(problem=self.problem)
        parsed = parse_draft(draft or self.draft, self.open_case, self.policy)
        if parsed.errors or parsed.terms is None:  # no terms without errors (parse_draft)
            return Negotiated(errors=parsed.errors)
        try:
            offer = offer_for_terms(
                self.open_case, self.policy, OfferKind.NEGOTIATED, parsed.terms, parsed.waivers, self.authority
            )
        except NoPlanFits as exc:
            return Negotiated(problem=exc, options=self._options(parsed))
        except InvalidInput as exc:
            return Negotiated(errors={_field_of(exc.field): exc.message})
        except InstallmentError as exc:
            return Negotiated(problem=exc)
        options = self._options(parsed) if offer.escalation else ()
        return Negotiated(offer=offer, options=options)

    def _options(self, parsed: ParsedDraft) -> tuple:
        """What would make "the debtor can pay X" fit (plans.negotiation), for a payment only."""
        if parsed.pay is None:
            return ()
        try:
            answer = negotiate(
                self.open_case,
                self.policy,
                pay=parsed.pay,
                waivers=parsed.waivers,
                down=parsed.down,
                authority=self.authority,
            )
        except InstallmentError:
            return ()
        return answer.options

    # -- saving -------------------------------------------------------------------
    def record_of(self, offer: Offer) -> OfferRecord | None:
        for rec in self.saved:
            if rec.id == offer.id:
                return rec
        return None

    def needs_approval(self, offer: Offer) -> bool:
        """Beyond the role's authority: the offer itself, or a re-plan after a breach beyond the
        ``[servicing] replans_allowed`` an agent may grant."""
        basis = self.replan
        return offer.escalation or (basis is not None and basis.needs_supervisor and self.role != "supervisor")

    def next_statuses(self, offer: Offer) -> frozenset[str]:
        """What the agent may mark ``offer`` now (F7 offered, F8 accepted, F9 declined): the store's
        transitions from its status (an unsaved offer is saved as a draft first, and a draft is
        offered on its way to accepted); nothing while it needs a supervisor's approval."""
        rec = self.record_of(offer)
        if rec is None and self.needs_approval(offer):
            return frozenset()
        status = rec.status if rec is not None else OfferStatus.DRAFT
        nexts = set(TRANSITIONS[status]) - {OfferStatus.NEEDS_APPROVAL, OfferStatus.EXPIRED} - SUPERVISOR_STATUSES
        if status == OfferStatus.DRAFT:
            nexts.add(OfferStatus.ACCEPTED)
        return frozenset(nexts)

    def save(self, offer: Offer) -> OfferRecord:
        """Save the offer: as ``needs_approval`` when it is beyond the role's authority, else ``draft``;
        on an account with an agreement, as a re-plan of it."""
        status = OfferStatus.NEEDS_APPROVAL if self.needs_approval(offer) else OfferStatus.DRAFT
        if offer.escalation and offer.authority is None:
            raise InvalidInput("breaks a rule no authority may waive; change the terms first", "offer")
        doc = offer_document(offer)
        record = {
            "id": offer.id,
            "kind": offer.kind,
            "policy_version": offer.policy_version,
            "currency": offer.currency,
            "authority": offer.authority,
            "inputs": offer.inputs,
            "headline": doc,
        }
        basis = self.replan
        rec = self.store.save_offer(
            record, offer.case.ref, status, replan_of=basis.agreement_id if basis is not None else None
        )
        if offer.kind == OfferKind.NEGOTIATED and offer.case.ref in self.drafts:
            self.saved_terms[offer.case.ref] = self.drafts[offer.case.ref]
        self.reload_history()
        return rec

    def set_status(
        self, offer_id: str, status: str, reason: str | None = None, offer: Offer | None = None
    ) -> OfferRecord:
        """Change a saved offer's status; ``accepted`` makes the agreement (with ``offer``'s schedule).
        Accepting a re-plan of an agreement that broke records the breach first."""
        if status == OfferStatus.ACCEPTED:
            if self.store.get_offer(offer_id).status == OfferStatus.DRAFT:  # agreed on the call: offered, then accepted
                self.store.set_offer_status(offer_id, OfferStatus.OFFERED)
            ag = self.agreement
            if ag is not None and self.store.get_offer(offer_id).replan_of == ag.id:
                bring_up_to_date(self.store, ag, self.policy.version)
            self.store.create_agreement(offer_id, reason, schedule=schedule_of(offer) if offer is not None else None)
            rec = self.store.get_offer(offer_id)
            self.replanning.discard(rec.account_ref)
            if self.account is not None and rec.account_ref == self.account.ref:
                self.reload_history()
                self.rebuild_case()
                return rec
        else:
            rec = self.store.set_offer_status(offer_id, status, reason)
        if self.account is not None and rec.account_ref == self.account.ref:
            self.reload_history()
        return rec

    # -- the agreement ------------------------------------------------------------------
    def record_payment(self, amount: str, paid_on: str, channel: str, reference: str = "") -> PaymentRecord:
        """Record a payment to the account's latest agreement, from the fields as typed."""
        ag = self.agreement
        if ag is None:
            raise InvalidInput("the account has no agreement to pay", "agreement")
        cur = ag.currency
        value = parse_amount(amount.strip(), cur, "amount") if amount.strip() else None
        if not value:
            raise InvalidInput("must be more than zero", "amount")
        day = parse_date(paid_on.strip(), "paid_on") if paid_on.strip() else self.today
        if channel not in set(Channel):
            raise InvalidInput(f"choose one of {', '.join(Channel)}", "channel")
        payment = record_payment(self.store, ag.id, day, value, channel, reference)
        self.reload_history()
        self.rebuild_case()
        return payment

    @property
    def may_save(self) -> bool:
        """Whether offers may be saved for the account: always without an agreement; with one, only once
        the agent has chosen to re-plan it (:meth:`start_replan`)."""
        return self.account is not None and (self.agreement is None or self.account.ref in self.replanning)

    def start_replan(self) -> None:
        """Re-plan the account's agreement: the offers (from what is still owed) may now be saved and accepted."""
        if self.agreement is None or self.agreement.replan is None:
            raise InvalidInput("the account has no agreement to re-plan", "agreement")
        self.replanning.add(self.open_account.ref)

    def export_statement(self, out_dir, lang: str) -> list:
        """Write the agreement statement as PDF and as receipt text into ``out_dir`` (audited)."""
        from pathlib import Path

        from plans import files
        from plans.summary import SummaryAccount
        from plans.summary.statement import render_statement, statement_of

        ag = self.agreement
        if ag is None:
            raise InvalidInput("the account has no agreement", "agreement")
        statement = statement_of(ag, self.policy, SummaryAccount(self.open_account.ref, self.open_account.name or None))
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        stem = f"statement-{ag.id}-{self.today.isoformat()}-{lang}"
        paths = [
            files.write_atomic(out / f"{stem}.pdf", render_statement(statement, "pdf", lang)),
            files.write_atomic(out / f"{stem}.txt", render_statement(statement, "receipt", lang, width=42)),
        ]
        self.store.audit(
            "agreement.statement",
            "agreement",
            str(ag.id),
            None,
            {"files": [p.name for p in paths], "as_of": self.today.isoformat(), "lang": lang},
        )
        return paths

    def cancel_agreement(self, reason: str) -> AgreementRecord:
        """Cancel the account's agreement in force (the store checks that a supervisor is acting)."""
        ag = self.agreement
        if ag is None or not ag.status.in_force:
            raise InvalidInput("the account has no agreement in force", "agreement")
        record = self.store.cancel_agreement(ag.id, reason)
        self.reload_history()
        self.rebuild_case()
        return record

    def add_note(self, text: str) -> Note:
        note = self.store.add_note(self.open_account.ref, text)
        self.note_drafts.pop(self.open_account.ref, None)
        self.reload_history()
        return note

    def save_profile(self, profile) -> int:
        version = self.store.save_profile(self.open_account.ref, profile)
        self.profile = self.store.latest_profile(self.open_account.ref)
        self.rebuild_case()
        return version


__all__ = [
    "CallSession",
    "DRAFT_FIELDS",
    "Negotiated",
    "ParsedDraft",
    "TermsDraft",
    "draft_from_offer",
    "parse_draft",
    "parse_tiers",
]
