"""A realistic, deterministic demo portfolio (``installment demo-data``).

The same ``seed`` and ``count`` always give the same accounts and profiles (no
clock, no global random state).  The first five accounts are fixed, documented
cases that exist for every seed, with known national-ID last four and birth
dates so that the kiosk can be tried (README "Store and demo data"):

=========  ================  ====  ==========  ==============================================
reference  name              ID    born        case
=========  ================  ====  ==========  ==============================================
DEMO-0001  张伟              1234  1985-03-12  typical card debt, Beijing, profile (job loss)
DEMO-0002  Emily Chen        5678  1990-07-04  zero interest: principal and annual fee only
DEMO-0003  李秀英            2468  1979-11-30  only a 60-month plan fits her budget
DEMO-0004  Kenji Watanabe    1357  1982-01-15  a JPY account (no decimals)
DEMO-0005  王芳              802X  1995-05-20  small balance, savings cover a settlement
=========  ================  ====  ==========  ==============================================

The rest (``CC-000006`` ...) are random but believable: mostly Chinese names,
some English ones, balances from a few thousand to a few hundred thousand yuan
split into the six buckets, regions, days overdue, and a hardship profile for
about four in ten.  Seven of them carry agreements in service, one in each
status, with payment histories (:data:`SERVICING_CASES`, :func:`add_demo_servicing`).  Phone numbers start with 100, which no mainland mobile
number does, so no real person is called by mistake.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from calc.affordability import HARDSHIP_REASONS, Profile
from calc.debt import Debt
from plans.store.records import Account
from plans.vocabulary import Authority, OfferKind, OfferStatus

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚卢钟姜崔谭陆范汪廖石金贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "晓东",
    "海燕",
    "雪梅",
    "俊杰",
    "子涵",
    "欣怡",
    "浩然",
    "宇轩",
    "思远",
    "嘉怡",
    "文博",
    "雨萱",
    "建国",
    "玉兰",
    "丹丹",
    "鹏飞",
)
FIRST = (
    "James",
    "Emily",
    "Michael",
    "Sarah",
    "David",
    "Jessica",
    "Daniel",
    "Laura",
    "Kevin",
    "Grace",
    "Thomas",
    "Olivia",
    "Ryan",
    "Sophie",
    "Andrew",
    "Hannah",
    "Jason",
    "Megan",
    "Eric",
    "Rachel",
)
LAST = (
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wong",
    "Chan",
    "Lee",
    "Ng",
    "Cheung",
    "Lam",
    "Ho",
    "Leung",
    "Tan",
    "Lim",
)
#: (region, weight, typical monthly net income in yuan).  Regions not in the policy use its default.
REGIONS = (
    ("beijing", 14, 11000),
    ("shanghai", 14, 12000),
    ("guangdong", 18, 9000),
    ("zhejiang", 12, 9500),
    ("jiangsu", 10, 9000),
    ("sichuan", 10, 6500),
    ("hubei", 8, 6500),
    ("henan", 8, 5500),
    ("shandong", 6, 6500),
)
HOUSING_SHARE = {"beijing": 0.34, "shanghai": 0.36, "guangdong": 0.28, "zhejiang": 0.28}
#: Recovery dates are drawn after this day, so they are the same whenever the data is built.
EPOCH = date(2026, 12, 1)


@dataclass(frozen=True, slots=True)
class DemoCase:
    account: Account
    profile: Profile | None
    note: str


def _cny(yuan: str) -> int:
    whole, _, frac = yuan.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def documented_cases() -> list[DemoCase]:
    """The five fixed accounts of every demo database (see the module docstring)."""
    d1 = Debt(
        "CNY",
        principal=_cny("48650.00"),
        interest=_cny("5120.37"),
        penalty_interest=_cny("1893.40"),
        late_fees=_cny("640.00"),
        annual_fees=_cny("300.00"),
    )
    p1 = Profile(
        "CNY",
        adults=2,
        children=1,
        region="beijing",
        income=(("unemployment_benefit", _cny("2120.00")), ("partner_salary", _cny("8200.00"))),
        spending=(
            ("housing", _cny("3500.00")),
            ("utilities", _cny("420.00")),
            ("food", _cny("2100.00")),
            ("transport", _cny("380.00")),
            ("education", _cny("600.00")),
        ),
        other_debt_payments=_cny("800.00"),
        savings=_cny("3000.00"),
        hardship_reason="unemployment",
        recovery_date=date(2027, 6, 1),
        # a new job from the recovery date: the step plan's later installments are judged against it
        income_after_recovery=(("salary", _cny("7500.00")), ("partner_salary", _cny("8200.00"))),
    )
    d2 = Debt("CNY", principal=_cny("23800.00"), annual_fees=_cny("600.00"))
    p2 = Profile(
        "CNY",
        adults=1,
        region="shanghai",
        income=(("salary", _cny("9800.00")),),
        spending=(
            ("housing", _cny("3600.00")),
            ("utilities", _cny("300.00")),
            ("food", _cny("1500.00")),
            ("transport", _cny("300.00")),
            ("medical", _cny("1200.00")),
        ),
        hardship_reason="illness",
    )
    # 180,000.00 over 60 months is 3,000.00 a month; over 59 it is 3,050.85.  Her budget leaves
    # exactly 3,025.00 available (surplus 3,361.11 less the 10% contingency), so only 60 months fit.
    d3 = Debt("CNY", principal=_cny("180000.00"))
    p3 = Profile(
        "CNY",
        adults=1,
        region="beijing",
        income=(("salary", _cny("9000.00")),),
        spending=(
            ("housing", _cny("3200.00")),
            ("utilities", _cny("300.00")),
            ("food", _cny("1200.00")),
            ("transport", _cny("400.00")),
            ("medical", _cny("138.89")),
        ),
        other_debt_payments=_cny("400.00"),
        hardship_reason="business_failure",
    )
    d4 = Debt("JPY", principal=1_250_000, interest=86_400, penalty_interest=21_300, late_fees=3_000)
    p4 = Profile(
        "JPY",
        adults=1,
        region="tokyo",
        income=(("salary", 285_000),),
        spending=(("housing", 92_000), ("utilities", 14_000), ("food", 45_000), ("transport", 12_000)),
        hardship_reason="reduced_income",
    )
    d5 = Debt(
        "CNY",
        principal=_cny("4200.00"),
        interest=_cny("310.50"),
        penalty_interest=_cny("95.20"),
        late_fees=_cny("120.00"),
    )
    p5 = Profile(
        "CNY",
        adults=1,
        region="guangdong",
        income=(("salary", _cny("5200.00")),),
        spending=(("housing", _cny("1500.00")), ("food", _cny("1100.00")), ("transport", _cny("200.00"))),
        savings=_cny("6000.00"),
        hardship_reason="family_change",
    )
    rows = (
        (
            "DEMO-0001",
            "张伟",
            "1234",
            date(1985, 3, 12),
            "10012340001",
            "beijing",
            d1,
            127,
            p1,
            "typical card debt, Beijing, profile (job loss)",
        ),
        (
            "DEMO-0002",
            "Emily Chen",
            "5678",
            date(1990, 7, 4),
            "10056780002",
            "shanghai",
            d2,
            64,
            p2,
            "zero interest: principal and annual fee only",
        ),
        (
            "DEMO-0003",
            "李秀英",
            "2468",
            date(1979, 11, 30),
            "10024680003",
            "beijing",
            d3,
            241,
            p3,
            "only a 60-month plan fits her budget",
        ),
        (
            "DEMO-0004",
            "Kenji Watanabe",
            "1357",
            date(1982, 1, 15),
            "10013570004",
            "tokyo",
            d4,
            95,
            p4,
            "a JPY account (no decimals)",
        ),
        (
            "DEMO-0005",
            "王芳",
            "802X",
            date(1995, 5, 20),
            "10080200005",
            "guangdong",
            d5,
            45,
            p5,
            "small balance, savings cover a settlement",
        ),
    )
    return [
        DemoCase(
            Account(
                ref,
                debt.currency,
                debt,
                name=name,
                id_last4=last4,
                birth_date=born,
                phone=phone,
                region=region,
                days_overdue=overdue,
            ),
            profile,
            note,
        )
        for ref, name, last4, born, phone, region, debt, overdue, profile, note in rows
    ]


def _name(rng: random.Random) -> str:
    if rng.random() < 0.18:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _round(value: float, unit: int) -> int:
    return max(unit, int(value / unit) * unit)


def _random_case(rng: random.Random, n: int) -> DemoCase:
    region, _, typical_income = rng.choices(REGIONS, weights=[w for _, w, _ in REGIONS])[0]
    principal = _round(rng.lognormvariate(10.2, 0.8) * 100, 100)  # median about 27,000 yuan
    principal = min(principal, 450_000_00)
    overdue = rng.randint(31, 720)
    months_late = max(1, overdue // 30)
    interest = int(principal * rng.uniform(0.0004, 0.0006) * min(overdue, 360))  # about 0.05% a day
    penalty = int(interest * rng.uniform(0.15, 0.5))
    late = min(months_late, 12) * rng.choice((5000, 8000, 10000)) if rng.random() < 0.7 else 0
    annual = rng.choice((0, 0, 0, 20000, 30000, 60000))
    other = rng.choice((0,) * 8 + (1500, 3000))
    debt = Debt(
        "CNY",
        principal=principal,
        interest=interest,
        penalty_interest=penalty,
        late_fees=late,
        annual_fees=annual,
        other_fees=other,
    )
    born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 42))
    last4 = f"{rng.randint(0, 999):03d}" + rng.choice("0123456789X")
    phone = "100" + f"{rng.randint(0, 99_999_999):08d}"
    account = Account(
        f"CC-{n:06d}",
        "CNY",
        debt,
        name=_name(rng),
        id_last4=last4,
        birth_date=born,
        phone=phone,
        region=region,
        days_overdue=overdue,
    )
    profile = _random_profile(rng, region, typical_income) if rng.random() < 0.4 else None
    return DemoCase(account, profile, "random")


def _random_profile(rng: random.Random, region: str, typical_income: int) -> Profile:
    adults = rng.choice((1, 1, 2, 2, 2))
    children = rng.choice((0, 0, 1, 1, 2))
    salary = _round(typical_income * rng.uniform(0.3, 1.6) * 100, 1000)
    income = [("salary", salary)]
    if adults == 2 and rng.random() < 0.6:
        income.append(("partner_salary", _round(typical_income * rng.uniform(0.4, 1.2) * 100, 1000)))
    total = sum(v for _, v in income)
    spend = {
        "housing": _round(total * HOUSING_SHARE.get(region, 0.22), 1000),
        "utilities": _round(rng.uniform(200, 600) * 100, 100),
        "food": _round(rng.uniform(700, 1100) * (adults + children * 0.6) * 100, 100),
        "transport": _round(rng.uniform(150, 600) * 100, 100),
    }
    if children:
        spend["education"] = _round(rng.uniform(300, 1500) * children * 100, 100)
    if rng.random() < 0.25:
        spend["medical"] = _round(rng.uniform(200, 2000) * 100, 100)
    reason = rng.choice(HARDSHIP_REASONS)
    recovery = EPOCH + timedelta(days=30 * rng.randint(3, 18)) if reason in ("unemployment", "illness") else None
    after = None
    if recovery is not None:
        # (drawn apart from the portfolio's own sequence, so every other figure stays as it was)
        own = random.Random(f"after/{region}/{salary}/{recovery}")
        if own.random() < 0.6:
            after = (("salary", _round(salary * own.uniform(1.2, 2.0), 1000)),) + tuple(income[1:])
    return Profile(
        "CNY",
        adults=adults,
        children=children,
        region=region,
        income=tuple(income),
        spending=tuple(spend.items()),
        other_debt_payments=rng.choice((0, 0, 0, 30000, 50000, 120000)),
        savings=rng.choice((0, 0, 100000, 500000, 2000000)),
        hardship_reason=reason,
        recovery_date=recovery,
        income_after_recovery=after,
    )


def generate(count: int = 200, seed: int = 2025) -> list[DemoCase]:
    """``count`` demo cases (the documented ones first), the same for the same seed."""
    cases = documented_cases()[: max(count, 0)]
    rng = random.Random(f"installment-demo/{seed}")
    for n in range(len(cases) + 1, count + 1):
        cases.append(_random_case(rng, n))
    return cases


#: Users of the demo console (name, role), all with :data:`DEMO_PASSWORD` (documented in the README).
DEMO_USERS = (("demo.agent", "agent"), ("demo.supervisor", "supervisor"))
DEMO_PASSWORD = "demo-password"


def add_demo_users(store) -> int:
    """The demo console's users, unless they exist; returns how many were added.

    The supervisor is added first (as the first user, who needs no supervisor's
    consent), then the agent with the supervisor's consent, as ``installment users``
    would.  The database is marked as having demo users, so the sign-in screen says how.
    """
    from plans.store import User

    known = {u.name for u in store.users()}
    added = 0
    for name, role in sorted(DEMO_USERS, key=lambda u: u[1] != "supervisor"):
        if name not in known:
            boss = User("demo.supervisor", "supervisor") if name != "demo.supervisor" else None
            store.add_user(name, role, DEMO_PASSWORD, authorized_by=boss)
            added += 1
    store.mark_demo_users([name for name, _ in DEMO_USERS])
    return added


def add_demo_offers(store, policy=None) -> tuple[int, int]:
    """Saved offers for the documented accounts, so the agent console has history to show.

    Made on :data:`EPOCH` by ``demo.agent`` under ``policy`` (default: the shipped
    one): DEMO-0001's offers presented (``offered``); DEMO-0002's shortest
    affordable plan accepted as an agreement; DEMO-0003's 60-month plan waiting
    in the supervisor's queue.  Running it again changes nothing.  Returns
    ``(offers saved, agreements made)`` by this call.
    """
    from plans.offers import generate_offers
    from plans.policy import default_policy

    policy = policy or default_policy()
    agent = store.as_actor("demo.agent", "agent")
    saved = made = 0

    def offers(ref):
        acc = store.get_account(ref)
        latest = store.latest_profile(ref)
        return generate_offers(
            acc.case(EPOCH, latest.profile if latest else None), policy, Authority.AGENT, include_escalations=True
        )

    def save(offer, status):
        nonlocal saved
        known = {o.id for o in store.offers(offer.case.ref)}
        rec = agent.save_offer(offer, status=status)
        saved += rec.id not in known
        return rec

    for offer in offers("DEMO-0001"):
        if offer.within_authority:
            save(offer, OfferStatus.OFFERED)
    chosen = [o for o in offers("DEMO-0002") if o.kind == OfferKind.SHORTEST_AFFORDABLE][:1]
    for offer in chosen:
        save(offer, OfferStatus.OFFERED)
        if not store.agreements("DEMO-0002"):
            from plans.servicing.agreements import accept_offer

            accept_offer(agent, offer, reason="debtor accepted on the phone")
            made += 1
    for offer in offers("DEMO-0003"):
        if offer.months == 60:
            save(offer, OfferStatus.NEEDS_APPROVAL)
    return saved, made


# -- agreements in service: every status, with payment histories ----------------------------------

#: The demo's servicing story is told as of this day (``installment monitor --as-of 2026-12-01``).
SERVICING_AS_OF = date(2026, 12, 1)


@dataclass(frozen=True, slots=True)
class ServicingCase:
    """One demo agreement: made on ``start`` for ``months``, paid as ``paid`` says, and what it shows.

    ``paid`` lists ``(installment number or 0 for the down payment, day, share)`` where share 1 pays
    that installment in full, 2 two installments' worth ("I paid twice"), 0.5 half of it.
    """

    status: str
    start: date
    months: int
    paid: tuple[tuple[int, date, float], ...]
    waive_penalty: bool = False
    note: str = ""


def _monthly(first: int, start: date, count: int, every: int = 1) -> tuple[tuple[int, date, float], ...]:
    from calc.dates import add_months

    return tuple((n, add_months(start, n, start.day), 1.0) for n in range(first, first + count, every))


SERVICING_CASES = (
    ServicingCase(
        "current",
        date(2026, 3, 10),
        24,
        _monthly(1, date(2026, 3, 10), 8),
        note="paid every installment on its due date",
    ),
    ServicingCase(
        "in_grace",
        date(2026, 5, 28),
        12,
        _monthly(1, date(2026, 5, 28), 5) + ((6, date(2026, 11, 27), 0.5),),
        note="half of the November installment paid; the rest is within its grace days",
    ),
    ServicingCase(
        "in_arrears",
        date(2026, 4, 15),
        18,
        (
            (1, date(2026, 5, 15), 1.0),
            (2, date(2026, 6, 15), 2.0),
            (4, date(2026, 8, 15), 1.0),
            (5, date(2026, 9, 15), 1.0),
        ),
        note="paid twice in June (which covered July); October and November missed",
    ),
    ServicingCase(
        "broken",
        date(2026, 1, 20),
        24,
        _monthly(1, date(2026, 1, 20), 3),
        waive_penalty=True,
        note="three installments missed from May: broken on 2026-07-26, penalty interest and late fees restored",
    ),
    ServicingCase(
        "superseded",
        date(2025, 10, 10),
        24,
        _monthly(1, date(2025, 10, 10), 3),
        waive_penalty=True,
        note="broken on 2026-04-16, re-planned on 2026-05-05 over 30 months (the re-plan is current)",
    ),
    ServicingCase(
        "completed",
        date(2026, 2, 5),
        6,
        _monthly(1, date(2026, 2, 5), 6),
        note="paid off on 2026-08-05, with 50.00 paid beyond the total (a credit to review)",
    ),
    ServicingCase(
        "cancelled",
        date(2026, 6, 1),
        12,
        _monthly(1, date(2026, 6, 1), 2),
        note="cancelled by a supervisor on 2026-09-01 (the debtor disputes the balance)",
    ),
)
#: The re-plan of the "superseded" case.
REPLAN_START, REPLAN_MONTHS = date(2026, 5, 5), 30
_CHANNELS = ("bank_transfer", "mobile_payment", "direct_debit", "counter")


def servicing_accounts(cases: list[DemoCase]) -> list[tuple[ServicingCase, DemoCase]]:
    """Which demo accounts carry the servicing cases: the first random ones with a debt of 12,000 or more."""
    chosen = [c for c in cases if c.note == "random" and c.account.debt.total >= 1_200_000]
    return list(zip(SERVICING_CASES, chosen))


def _negotiated(store, policy, ref: str, start: date, months: int, waive_penalty: bool, debt=None):
    """The agent's negotiated plan of ``months`` on the policy's standard terms (and, optionally, all
    penalty interest waived), for the account's debt or ``debt``."""
    from decimal import Decimal

    from calc.debt import Waiver
    from calc.terms import Terms
    from plans.offers import offer_for_terms

    acc = store.get_account(ref)
    latest = store.latest_profile(ref)
    case = acc.case(start, latest.profile if latest else None)
    if debt is not None:
        from dataclasses import replace

        case = replace(case, debt=debt)
    waivers = list(policy.standard_waiver_list())
    if waive_penalty:
        waivers = [w for w in waivers if w.bucket != "penalty_interest"] + [
            Waiver("penalty_interest", fraction=Decimal(1))
        ]
    terms = Terms(
        start=start,
        months=months,
        max_months=policy.max_months,
        down_amount=policy.min_down_amount or None,
        down_fraction=policy.min_down_fraction,
        first_due=policy.first_due(start),
        fee_rate=policy.fee_rate,
        fee_basis=policy.fee_basis,
        remainder=policy.remainder,
        round_to=policy.round_to,
        business_days=policy.business_days,
        calendar=policy.calendar,
    )
    return offer_for_terms(case, policy, OfferKind.NEGOTIATED, terms, waivers, Authority.AGENT)


def _payments(agreement_id: int, ref: str, offer, paid, currency: str, extra: int = 0) -> list[tuple]:
    amounts = {i.n: i.amount for i in offer.plan.installments}
    rows = []
    for k, (n, day, share) in enumerate(paid):
        amount = round(amounts[n] * share) if n else offer.plan.down_payment
        if k == len(paid) - 1:
            amount += extra
        rows.append(
            (
                f"DEMO-{ref}-{n}-{day.isoformat()}",
                ref,
                agreement_id,
                day.isoformat(),
                amount,
                currency,
                _CHANNELS[k % len(_CHANNELS)],
                k + 1,
            )
        )
    return rows


def add_demo_servicing(store, cases: list[DemoCase], policy=None) -> tuple[int, int]:
    """Agreements in every status with their payment histories (see :data:`SERVICING_CASES`), made
    by ``demo.agent`` (cancelled by ``demo.supervisor``) under ``policy``.  An account that already has
    an agreement is left as it is, so running it again changes nothing.  Returns ``(agreements, payments)``
    added by this call."""
    from plans.policy import default_policy
    from plans.servicing.agreements import accept_offer, bring_up_to_date, load_agreement

    policy = policy or default_policy()
    agent = store.as_actor("demo.agent", "agent")
    boss = store.as_actor("demo.supervisor", "supervisor")
    made = paid = 0
    for sc, demo in servicing_accounts(cases):
        ref = demo.account.ref
        if any(r.kind == "agreement" for r in store.agreements(ref)):
            continue
        offer = _negotiated(store, policy, ref, sc.start, sc.months, sc.waive_penalty)
        ag = accept_offer(agent, offer, reason="demo: accepted on the phone")
        made += 1
        rows = _payments(ag.id, ref, offer, sc.paid, offer.currency, extra=5000 if sc.status == "completed" else 0)
        paid += store.add_payments(rows, "demo-data")[0].recorded
        if sc.status == "cancelled":
            boss.cancel_agreement(ag.id, "demo: the debtor disputes the balance; under review", on=date(2026, 9, 1))
        elif sc.status in ("broken", "superseded"):
            when = REPLAN_START if sc.status == "superseded" else SERVICING_AS_OF - timedelta(days=1)
            view = load_agreement(agent, ag.id, policy, when)
            bring_up_to_date(agent, view, policy.version)
            if sc.status == "superseded":
                basis = view.replan
                if basis is None:
                    raise RuntimeError(f"demo agreement {ag.id} has nothing left to re-plan")
                again = _negotiated(store, policy, ref, REPLAN_START, REPLAN_MONTHS, False, basis.debt)
                agent.save_offer(again, ref, status=OfferStatus.OFFERED, replan_of=ag.id)
                second = accept_offer(agent, again, reason="demo: re-planned after the breach")
                made += 1
                rows = _payments(second.id, ref, again, _monthly(1, REPLAN_START, 6), again.currency)
                paid += store.add_payments(rows, "demo-data")[0].recorded
    return made, paid
