"""Call-centre load: N agent processes on one database, each repeating a call for a while.

A call is what an agent does on the phone: search for the debtor, open the account
(account, latest profile, offers, agreements, notes), save a new profile version,
save an offer, accept it (an agreement; a re-plan when one is in force) or decline
it, write a note and, after an acceptance, record a payment.  Each agent works its
own accounts (a debtor is on one call at a time) but all share the tables and the
one audit chain.

Printed: operations done, p50/p95/p99 latency per operation, errors, then a check
of every write each agent made (offers, profiles, notes, agreements, payments:
none lost, none duplicated) and of the audit chain.

Run:
    .venv/bin/python bench/bench_load.py --backend sqlite --agents 8 --seconds 120
    .venv/bin/python bench/bench_load.py --backend postgresql --agents 50 --seconds 120

``--db`` names an existing database (a SQLite file or a ``postgresql://`` URL); without
it a temporary one is made (PostgreSQL: a throw-away server, as the tests start it).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from calc.affordability import Profile  # noqa: E402
from calc.debt import Debt  # noqa: E402
from calc.errors import InstallmentError  # noqa: E402
from plans.store import Account, open_store  # noqa: E402

OPS = ("search", "open", "profile", "offer", "accept", "decline", "note", "payment")
PAID_ON = date.today()


def account_ref(i: int) -> str:
    return f"LOAD-{i:06d}"


def make_accounts(db, n: int) -> None:
    with open_store(db, actor="bench", role="batch") as store:
        store.upsert_accounts(
            Account(
                account_ref(i),
                "CNY",
                Debt("CNY", principal=10_000_00 + i, interest=500_00),
                name=f"Debtor {i}",
                phone=f"138{i:08d}",
            )
            for i in range(n)
        )


def agent(db, index: int, agents: int, accounts: int, ready, start, seconds: float, out) -> None:
    """One agent process: calls until the time is up; sends back latencies and what it wrote."""
    name = f"agent{index:03d}"
    store = open_store(db, actor=name, role="agent")
    rng = random.Random(index)
    mine = [account_ref(i) for i in range(index, accounts, agents)]
    times: dict[str, list[float]] = defaultdict(list)
    wrote: dict[str, list] = defaultdict(list)
    errors: Counter = Counter()
    in_force: dict[str, int] = {}

    def timed(op: str, fn):
        t = time.perf_counter()
        try:
            result = fn()
        except InstallmentError as exc:
            errors[f"{op}: {type(exc).__name__}: {str(exc)[:80]}"] += 1
            return None
        times[op].append(time.perf_counter() - t)
        return result

    ready.wait()
    start.wait()
    deadline = time.monotonic() + seconds
    call = 0
    while time.monotonic() < deadline:
        call += 1
        ref = rng.choice(mine)
        timed("search", lambda: store.find_accounts(ref[:9]))
        timed(
            "open",
            lambda: (
                store.get_account(ref),
                store.latest_profile(ref),
                store.offers(ref),
                store.agreements(ref),
                store.notes(ref),
            ),
        )
        income = 8000_00 + rng.randrange(1000_00)
        if timed("profile", lambda: store.save_profile(ref, Profile("CNY", income=(("salary", income),)))):
            wrote["profiles"].append(ref)
        oid = f"{name}-{call}"
        replan = in_force.get(ref)
        offer = {
            "id": oid,
            "account_ref": ref,
            "kind": "standard",
            "policy_version": "load",
            "authority": "agent",
            "currency": "CNY",
            "inputs": {"months": 24, "call": call},
            "headline": {"months": 24},
        }
        if timed("offer", lambda: store.save_offer(offer, status="offered", replan_of=replan)):
            wrote["offers"].append(oid)
            if rng.random() < 0.5:
                ag = timed("accept", lambda: store.create_agreement(oid))
                if ag is not None:
                    wrote["agreements"].append(ag.id)
                    in_force[ref] = ag.id
            elif timed("decline", lambda: store.set_offer_status(oid, "declined")):
                pass
        text = f"{oid}: debtor asked for a smaller installment"
        if timed("note", lambda: store.add_note(ref, text)):
            wrote["notes"].append(text)
        if ref in in_force:
            reference = f"PAY-{oid}"
            if timed("payment", lambda: store.record_payment(in_force[ref], PAID_ON, 100_00, "counter", reference)):
                wrote["payments"].append(reference)
    store.close()
    out.put((index, dict(times), dict(wrote), dict(errors)))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def check(db, wrote: dict[str, list], accounts: int) -> list[str]:
    """Every write the agents made is in the database once, and nothing else is."""
    problems = []
    store = open_store(db, existing=True)
    offers: Counter = Counter()
    notes: Counter = Counter()
    agreements: Counter = Counter()
    payments: Counter = Counter()
    profiles = 0
    for i in range(accounts):
        ref = account_ref(i)
        offers.update(o.id for o in store.offers(ref))
        notes.update(n.text for n in store.notes(ref))
        records = store.agreements(ref)
        agreements.update(r.id for r in records if r.kind == "agreement")
        for r in records:
            if r.kind == "agreement":
                payments.update(p.reference for p in store.payments(r.id))
        profiles += len(store.profiles(ref))
    for kind, found in (("offers", offers), ("notes", notes), ("agreements", agreements), ("payments", payments)):
        expected = Counter(wrote.get(kind, []))
        lost = expected - found
        extra = found - expected
        dup = [k for k, v in found.items() if v > 1]
        print(
            f"  {kind:<11} written {sum(expected.values()):>7}  found {sum(found.values()):>7}  lost {len(lost)}  "
            f"unexpected {len(extra)}  duplicated {len(dup)}"
        )
        if lost or extra or dup:
            problems.append(f"{kind}: {len(lost)} lost, {len(extra)} unexpected, {len(dup)} duplicated")
    print(f"  {'profiles':<11} written {len(wrote.get('profiles', [])):>7}  found {profiles:>7}")
    if profiles != len(wrote.get("profiles", [])):
        problems.append("profiles: counts differ")
    began = time.perf_counter()
    report = store.verify_audit()
    print(
        f"  audit chain: {'intact' if report.intact else 'BROKEN'}, {report.entries} entries, "
        f"verified in {time.perf_counter() - began:.1f} s" + "".join(f"; {p}" for p in report.problems)
    )
    if not report.intact:
        problems.append("audit chain broken")
    store.close()
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--agents", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--accounts", type=int, default=5000)
    ap.add_argument("--db", help="an existing database (file or postgresql:// URL); default: a temporary one")
    args = ap.parse_args()
    os.environ.setdefault("INSTALLMENT_AUDIT_KEY", str(Path(tempfile.mkdtemp(prefix="bench-key-")) / "audit.key"))
    server = None
    db = args.db
    if db is None and args.backend == "sqlite":
        db = str(Path(tempfile.mkdtemp(prefix="bench-load-")) / "load.db")
    elif db is None:
        from pg_server import PgServer, server_bin

        bindir = server_bin()
        if bindir is None:
            sys.exit("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        server = PgServer(bindir)
        server.sql("CREATE DATABASE load")
        db = server.url("load")
    try:
        t = time.perf_counter()
        make_accounts(db, args.accounts)
        print(
            f"{args.backend}: {args.accounts} accounts loaded in {time.perf_counter() - t:.1f} s; "
            f"{args.agents} agents for {args.seconds:.0f} s"
        )
        ctx = mp.get_context("spawn")
        ready, start, out = ctx.Barrier(args.agents + 1), ctx.Barrier(args.agents + 1), ctx.Queue()
        procs = [
            ctx.Process(target=agent, args=(db, i, args.agents, args.accounts, ready, start, args.seconds, out))
            for i in range(args.agents)
        ]
        for p in procs:
            p.start()
        ready.wait()  # every agent connected
        load_before = os.getloadavg()
        start.wait()
        results = [out.get() for _ in procs]
        for p in procs:
            p.join()
        load_after = os.getloadavg()
        times: dict[str, list[float]] = defaultdict(list)
        wrote: dict[str, list] = defaultdict(list)
        errors: Counter = Counter()
        for _, t_, w_, e_ in results:
            for k, v in t_.items():
                times[k] += v
            for k, v in w_.items():
                wrote[k] += v
            errors.update(e_)
        total = sum(len(v) for v in times.values())
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}"
        )
        print(
            f"{total} operations in {args.seconds:.0f} s: {total / args.seconds:,.0f} ops/s "
            f"({sum(len(times[o]) for o in OPS if o not in ('search', 'open')) / args.seconds:,.0f} writes/s)"
        )
        print(f"{'operation':<10} {'count':>8} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}")
        for op in OPS:
            v = times.get(op, [])
            print(
                f"{op:<10} {len(v):>8} {percentile(v, 0.5) * 1000:>9.1f} {percentile(v, 0.95) * 1000:>9.1f} "
                f"{percentile(v, 0.99) * 1000:>9.1f}"
            )
        if errors:
            print("errors:")
            for what, n in errors.most_common(10):
                print(f"  {n:>6}  {what}")
        print("writes:")
        problems = check(db, wrote, args.accounts)
        print(
            "result: "
            + (
                "0 lost or duplicated writes, audit chain intact"
                if not problems and not errors
                else "; ".join(problems) or f"{sum(errors.values())} operations failed"
            )
        )
        return 1 if problems else 0
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
