"""Two real processes saving offers to one database file at the same time: both succeed, nothing is lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from calc.debt import Debt
from plans.store import Account, open_store

PER_PROCESS = 60

WRITER = textwrap.dedent("""
    import sys, time
    from plans.store import open_store

    path, name, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    store = open_store(path, actor=name, role="agent")
    while time.time() < go:        # start together
        time.sleep(0.001)
    for i in range(count):
        ref = f"CC-{i % 3}"
        rec = store.save_offer({"id": f"{name}-{i}", "account_ref": ref, "kind": "standard",
                                "policy_version": "p-1", "authority": "agent", "currency": "CNY",
                                "inputs": {"writer": name, "i": i}, "headline": {"months": 12 + i % 48}},
                               status="offered")
        if i % 4 == 0:
            store.add_note(ref, f"{name} note {i}")
        if i % 5 == 0:
            store.set_offer_status(rec.id, "declined")
    store.close()
    print("done", name)
""")


def test_two_processes_save_offers_to_one_file_at_once(tmp_path):
    path = tmp_path / "shared.db"
    s = open_store(path)
    s.upsert_accounts([Account(f"CC-{i}", "CNY", Debt("CNY", principal=10_000_00)) for i in range(3)])
    s.close()

    import time

    go = time.time() + 1.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name, str(PER_PROCESS), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("agent-a", "agent-b")
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err
        assert out.startswith("done")

    s = open_store(path)
    offers = [o for ref in ("CC-0", "CC-1", "CC-2") for o in s.offers(ref)]
    assert sorted(o.id for o in offers) == sorted(
        f"{n}-{i}" for n in ("agent-a", "agent-b") for i in range(PER_PROCESS)
    )
    declined = {o.id for o in offers if o.status == "declined"}
    assert declined == {f"{n}-{i}" for n in ("agent-a", "agent-b") for i in range(0, PER_PROCESS, 5)}
    notes = [n for ref in ("CC-0", "CC-1", "CC-2") for n in s.notes(ref)]
    assert len(notes) == 2 * len(range(0, PER_PROCESS, 4))
    report = s.verify_audit()
    assert report.intact, report.problems
    assert report.anchor.seq == report.entries  # the anchor followed both writers to the last entry
    count = report.entries
    assert count == 3 + 2 * (PER_PROCESS + len(range(0, PER_PROCESS, 4)) + len(range(0, PER_PROCESS, 5)))
    actors = {e.actor for e in s.audit_log("offer")}
    assert actors == {"agent-a", "agent-b"}
    s.close()
