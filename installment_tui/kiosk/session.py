"""One debtor's visit to the kiosk, without any screen: identify, debt, situation, offers, accept.

The app keeps exactly one :class:`KioskSession` while a debtor is served and drops
it (after :meth:`KioskSession.clear`) when the visit ends, so nothing of one debtor
is reachable during the next visit.  Everything the debtor types is checked here;
a problem is a :class:`calc.errors.Problem` whose ``message`` is an English message id that the
screens translate with the kiosk catalog.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Sequence

from calc.affordability import Profile
from calc.dates import add_months, parse_date
from calc.debt import BUCKETS
from calc.errors import InstallmentError, InvalidInput, InvalidInputs, Problem, Problems
from calc.money import parse_amount
from calc.numerals import NumberFormatError, narrow, parse_whole
from plans.case import Case
from plans.offers import Offer, generate_offers
from plans.policy import Policy, authority_rank
from plans.store import Account, StoreApi
from plans.store.records import NotFound
from plans.summary import from_offer, mask_reference, render

from installment_tui.i18n import ui_translator
from plans.vocabulary import Authority, OfferStatus, Verdict

from .logmask import masked
from .offer_words import title

log = logging.getLogger("installment.kiosk")

AUTHORITY = Authority.KIOSK
MAX_OFFERS = 4
#: Reasons a debtor can pick, in the order shown (``calc.affordability.HARDSHIP_REASONS``).
REASONS = ("unemployment", "reduced_income", "illness", "business_failure", "family_change", "disaster", "other")
MAX_PEOPLE = 20


@dataclass(frozen=True, slots=True)
class IdentifyResult:
    ok: bool
    locked_minutes: int = 0
    tries_left: int = 0
    #: The kiosk itself is pausing identification (too many failures here): minutes left.
    paused_minutes: int = 0


@dataclass(frozen=True, slots=True)
class DebtLine:
    """One part of the debt: what is owed, and what the kiosk's plans for the account waive of it
    (the most any of them waives; ``same``: every plan waives exactly that)."""

    bucket: str
    owed: int
    waivable: int
    same: bool = True


#: Verdicts of the plans a kiosk offers: a plan the budget cannot carry is for an agent to discuss.
SHOWN_VERDICTS = frozenset({Verdict.AFFORDABLE, Verdict.TIGHT})


def only_within_kiosk(offers: Sequence[Offer], limit: int | None = MAX_OFFERS) -> list[Offer]:
    """The offers a kiosk may show: granted at kiosk authority, at most ``limit``."""
    out = []
    for offer in offers:
        if offer.violations or offer.authority is None:
            continue
        if authority_rank(offer.authority) > authority_rank(AUTHORITY):
            continue
        out.append(offer)
    return out[:limit]


def narrow_form(text: str) -> str:
    """``text`` with full-width letters, digits and signs made ASCII (NFKC) and trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def reference_key(text: str) -> str:
    """An account reference as the kiosk compares it: full-width forms folded, every space (an
    ideographic one too) and dash look-alike normalised, upper case."""
    folded = narrow_form(text).translate(_DASHES)
    return "".join(folded.split()).upper()


_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー－", "-"))


def parse_birth_date(text: str) -> date:
    """A birth date typed as 1985-03-12, 1985-3-12, 1985/03/12, 1985.03.12 or 19850312."""
    raw = narrow(text.strip())
    for sep in "/.":
        raw = raw.replace(sep, "-")
    if len(raw) == 8 and raw.isdigit() and raw.isascii():
        raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    parts = raw.split("-")
    if len(parts) == 3 and all(p.isdigit() and p.isascii() for p in parts) and len(parts[0]) == 4:
        raw = f"{parts[0]}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return parse_date(raw, "birth_date")


class KioskSession:
    """The state of one visit.  ``today`` is the agreement date of any plan accepted."""

    def __init__(self, store: StoreApi, policy: Policy, lang: str, today: date) -> None:
        self.store = store
        self.policy = policy
        self.lang = lang
        self.today = today
        self.account: Account | None = None
        self.profile: Profile | None = None
        self.answers: dict[str, str] = {}
        self.offers: list[Offer] = []
        #: Plans within kiosk authority not offered because the budget rates them unaffordable.
        self.hidden: int = 0
        self.chosen: Offer | None = None
        #: Which of ``offers`` was chosen (to focus it again when the debtor goes back to the plans).
        self.chosen_index: int | None = None
        self.agreement_id: int | None = None
        self.receipt: str | None = None

    # -- step 2: identify ------------------------------------------------------------
    @staticmethod
    def check_identity_form(ref: str, last4: str, birth: str) -> tuple[Problem, ...]:
        """Problems of form only (empty field, not four characters, not a date): never of truth."""
        problems = Problems()
        if not reference_key(ref):
            problems.add("ref", "Please enter your account number.")
        elif len(reference_key(ref)) > 64:
            problems.add("ref", "An account number has at most 64 characters.")
        l4 = narrow_form(last4).upper()
        if len(l4) != 4 or not l4.isascii() or not l4[:3].isdigit() or not (l4[3].isdigit() or l4[3] == "X"):
            problems.add("last4", "Please enter the last 4 characters of your ID card, e.g. 1234 or 123X.")
        with problems.check("birth", "Please enter your birth date as year-month-day, e.g. 1990-01-31."):
            born = parse_birth_date(birth)
            if born >= date.today() or born.year < 1900:
                raise InvalidInput("out of range", "birth_date")
        return problems.as_tuple()

    def identify(self, ref: str, last4: str, birth: str) -> IdentifyResult:
        """Raises InvalidInputs (message ids by field) for answers of the wrong form."""
        problems = self.check_identity_form(ref, last4, birth)
        if problems:
            raise InvalidInputs(problems)
        ref = self.resolve_reference(ref)
        result = self.store.identify(ref, narrow_form(last4).upper(), parse_birth_date(birth))
        if result.ok:
            self.account = result.account
            log.info("identified %s", masked(ref))
            return IdentifyResult(True, tries_left=result.tries_left)
        if result.paused_until:
            log.warning("identification paused at this kiosk (too many failures)")
            return IdentifyResult(False, paused_minutes=self._minutes_until(result.paused_until))
        if result.locked_until:
            log.warning("identification locked for %s", masked(ref))
            return IdentifyResult(False, locked_minutes=self._minutes_until(result.locked_until))
        log.info("identification failed for %s", masked(ref))
        return IdentifyResult(False, tries_left=result.tries_left or 0)

    def resolve_reference(self, typed: str) -> str:
        """The reference the debtor means: :func:`reference_key` of what was typed (so ``demo-0005``,
        `` DEMO-0005 `` and ``ＤＥＭＯ－０００５`` are one reference, and the lockout counts them together);
        only when no account has that form, the reference as typed (width-folded and trimmed), for a
        portfolio whose references are not in upper case."""
        key = reference_key(typed)
        as_typed = narrow_form(typed)
        if as_typed != key and self._exists(as_typed) and not self._exists(key):
            return as_typed
        return key

    def _exists(self, ref: str) -> bool:
        try:
            self.store.get_account(ref)
        except NotFound:
            return False
        return True

    def _minutes_until(self, when: str) -> int:
        now = self.store.clock().astimezone(timezone.utc)
        return max(1, -(-int((datetime.fromisoformat(when) - now).total_seconds()) // 60))

    def has_agreement(self) -> bool:
        acc = self._account()
        return any(a.active for a in self.store.agreements(acc.ref))

    def agreement(self):
        """The debtor's latest agreement as it stands today (``plans.servicing.agreements.AgreementView``),
        or None; a plan that cannot be read is left to an agent (None too, and logged)."""
        from plans.servicing.agreements import latest_agreement

        try:
            return latest_agreement(self.store, self._account().ref, self.policy, self.today)
        except InstallmentError as exc:
            log.warning("agreement of %s cannot be read: %s", masked(self._account().ref), exc.__class__.__name__)
            return None

    def statement(self, receipt_width: int) -> tuple[int, str]:
        """The receipt-width statement of the debtor's agreement: ``(agreement id, text)``."""
        from plans.summary import SummaryAccount
        from plans.summary.statement import render_statement, statement_of

        view = self.agreement()
        if view is None:
            raise InvalidInput("there is no plan to print", "agreement")
        acc = self._account()
        text = render_statement(
            statement_of(view, self.policy, SummaryAccount(acc.ref, acc.name or None)),
            "receipt",
            self.lang,
            width=receipt_width,
        )
        return view.id, text

    def _account(self) -> Account:
        if self.account is None:
            raise InvalidInput("nobody is identified", "account")
        return self.account

    # -- step 3: what you owe --------------------------------------------------------------
    def serves_currency(self) -> bool:
        return self._account().currency == self.policy.currency

    def debt_lines(self) -> list[DebtLine]:
        """The debt by part, with what the kiosk's plans for the account (as it stands, before the
        situation questions) waive of each part: from the plans themselves, not the policy's limits."""
        debt = self._account().debt
        waived = [o.plan.waived for o in self._kiosk_offers()]
        lines = []
        for b in BUCKETS:
            if getattr(debt, b):
                amounts = [w.get(b, 0) for w in waived] or [0]
                lines.append(DebtLine(b, getattr(debt, b), max(amounts), len(set(amounts)) == 1))
        return lines

    def waived_totals(self) -> tuple[int, int]:
        """The least and the most any of the kiosk's plans for the account waives in all."""
        totals = [sum(o.plan.waived.values()) for o in self._kiosk_offers()] or [0]
        return min(totals), max(totals)

    # -- step 4: your situation ---------------------------------------------------------------
    def set_situation(self, answers: dict[str, str]) -> Profile:
        """Check the questionnaire; on success keep (and save) the profile as a new version."""
        acc = self._account()
        cur = acc.currency
        problems = Problems()

        def count(key: str, lo: int) -> int:
            try:
                return parse_whole(answers.get(key, ""), key, lo, MAX_PEOPLE)
            except InvalidInput:
                problems.add(
                    key,
                    "Please enter a whole number from 1 to 20." if lo else "Please enter a whole number from 0 to 20.",
                )
                return lo

        def amount(key: str, required: bool) -> int:
            text = answers.get(key, "").strip()
            if not text:
                if required:
                    problems.add(key, "Please enter an amount, e.g. 3500. Enter 0 if none.")
                return 0
            try:
                return parse_amount(text, cur, key)
            except NumberFormatError as exc:
                if exc.comma:
                    problems.add(
                        key, "Please use a point for decimals (3500.50); a comma may only separate thousands (3,500)."
                    )
                else:
                    problems.add(key, "Please enter an amount in numbers, e.g. 3500 or 3500.50.")
                return 0
            except InvalidInput:
                problems.add(key, "Please enter an amount in numbers, e.g. 3500 or 3500.50.")
                return 0

        adults = count("adults", 1)
        children = count("children", 0)
        income = amount("income", True)
        housing = amount("housing", True)
        food = amount("food", True)
        other = amount("other_spending", False)
        debts = amount("other_debts", False)
        savings = amount("savings", False)
        reason = answers.get("reason") or ""
        if reason not in REASONS:
            problems.add("reason", "Please choose what happened.")
        recovery = answers.get("recovery") or ""
        if recovery not in ("3", "6", "12", "unknown"):
            problems.add("recovery", "Please choose one answer.")
        after = amount("income_after", False) if answers.get("income_after", "").strip() else None
        if after is not None and recovery == "unknown":
            problems.add("income_after", "Leave this empty when you don't know when things get better.")
        problems.raise_if_any()
        spending = tuple((c, v) for c, v in (("housing", housing), ("food", food), ("other", other)) if v)
        profile = Profile(
            cur,
            adults=adults,
            children=children,
            region=acc.region,
            income=(("household_net", income),) if income else (),
            spending=spending,
            other_debt_payments=debts,
            savings=savings,
            hardship_reason=reason,
            recovery_date=None if recovery == "unknown" else add_months(self.today, int(recovery)),
            income_after_recovery=None if after is None else (("household_net", after),),
        )
        self.answers = dict(answers)
        self.profile = profile
        self.store.save_profile(acc.ref, profile)
        self.offers = []
        self.chosen = None
        self.chosen_index = None
        return profile

    # -- step 5: choose a plan ------------------------------------------------------------------
    def case(self) -> Case:
        return self._account().case(self.today, self.profile)

    def _kiosk_offers(self) -> list[Offer]:
        try:
            offers = generate_offers(self.case(), self.policy, authority=AUTHORITY)
        except InstallmentError as exc:
            log.warning("no offers for %s: %s", masked(self._account().ref), exc.__class__.__name__)
            offers = []
        return only_within_kiosk(offers, limit=None)

    def make_offers(self) -> list[Offer]:
        """At most four offers, all within kiosk authority (none that need more) and all that the budget
        rates affordable or tight; ``hidden`` counts the kiosk plans left out as beyond the budget."""
        offers = self._kiosk_offers()
        shown = [o for o in offers if o.verdict in SHOWN_VERDICTS or (o.verdict is None and self.profile is None)]
        self.hidden = len(offers) - len(shown)
        self.offers = shown[:MAX_OFFERS]
        return self.offers

    def choose(self, index: int) -> Offer:
        self.chosen = self.offers[index]
        self.chosen_index = index
        return self.chosen

    # -- steps 6 and 7: accept and print ------------------------------------------------------------
    def accept(self, receipt_width: int) -> str:
        """Save the chosen offer, record the agreement (both audited as the kiosk) and render the receipt."""
        offer = self.chosen
        if offer is None or offer not in self.offers:
            raise InvalidInput("no plan is chosen", "offer")
        acc = self._account()
        if self.agreement_id is None:
            rec = self.store.save_offer(offer, acc.ref, status=OfferStatus.OFFERED)
            agreement = self.store.create_agreement(rec.id, reason="accepted by the debtor at the kiosk")
            self.agreement_id = agreement.id
            log.info("agreement %s for %s", agreement.id, masked(acc.ref))
        # The receipt names the plan as its card did, and no approval line: the debtor agreed at the kiosk.
        label = title(offer, ui_translator("kiosk", self.lang))
        summary = replace(from_offer(offer, self.policy, summary_date=self.today, label=label), authority=None)
        self.receipt = render([summary], "receipt", self.lang, width=receipt_width)
        return self.receipt

    # -- a complaint ---------------------------------------------------------------------------
    def make_complaint(self, category: str, text: str):
        """Record a complaint made at the kiosk (acknowledged: the screen gives its number and reply date)."""
        from plans.conduct.vocabulary import ComplaintCategory

        problems = Problems()
        if category not in tuple(ComplaintCategory):
            problems.add("category", "Please choose what it is about.")
        if not text.strip():
            problems.add("text", "Please tell us what happened.")
        problems.raise_if_any()
        acc = self._account()
        complaint = self.store.add_complaint(
            acc.ref, self.policy.conduct, "kiosk", category, text.strip(), self.lang, acknowledged=True
        )
        log.info("complaint C-%s made by %s", complaint.id, masked(acc.ref))
        return complaint

    def referred(self, why: str) -> None:
        """The debtor asked for (or was sent to) an agent: recorded in the audit log."""
        if self.account is not None:
            self.store.audit("kiosk.referred", "account", self.account.ref, None, {"why": why})
            log.info("referred to an agent: %s (%s)", masked(self.account.ref), why)

    @property
    def masked_ref(self) -> str:
        return mask_reference(self.account.ref) if self.account else ""

    def clear(self) -> None:
        """Forget everything about the debtor."""
        self.account = None
        self.profile = None
        self.answers = {}
        self.offers = []
        self.chosen = None
        self.chosen_index = None
        self.agreement_id = None
        self.receipt = None
