"""``installment conduct report``: contacts, rule refusals and overrides, complaints, over a period.

:func:`conduct_report` is a pure function of the contact log and the complaints
register (as the store returns them) and the period; dates are days in
``[conduct] time_zone``, both ends included.  It gives:

* contacts by channel and outcome (refused contacts are not contacts: nothing was made);
* rule refusals and supervisor overrides, by the rule they concerned, and messages a sender
  sent against the rules (recorded by ``installment conduct import-sent``);
* complaints opened in the period (by category), resolved in it (and how many of
  those in time), overdue at its end (open past their due date), and the median days
  from receipt to resolution of those resolved in the period.

:func:`render` writes it as a table, CSV or JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date

from .complaints import Complaint, median_days
from .settings import Conduct, zone
from .vocabulary import Channel, ComplaintCategory, Decision, Outcome

FORMATS = ("table", "csv", "json")
SCHEMA = "installment.conduct-report/1"


def conduct_report(contacts: list, complaints: list[Complaint], start: date, end: date, conduct: Conduct) -> dict:
    """The report (a JSON-ready dict) for ``start``..``end``; ``contacts`` are
    :class:`plans.store.conduct.ContactRecord`."""
    tz = zone(conduct.time_zone)
    by: Counter = Counter()
    refusals: Counter = Counter()
    overrides: Counter = Counter()
    against: Counter = Counter()
    for c in contacts:
        day = c.when.astimezone(tz).date()
        if not start <= day <= end:
            continue
        if c.decision is Decision.REFUSED:
            for rule in c.rules or ("?",):
                refusals[rule] += 1
            continue
        if c.decision is Decision.OVERRIDDEN:
            for rule in c.rules or ("?",):
                overrides[rule] += 1
        elif c.rules:  # made without an override although a rule forbade it: a sender's message
            for rule in c.rules:
                against[rule] += 1
        by[(str(c.channel), str(c.outcome))] += 1
    opened = [c for c in complaints if start <= c.record.received_on <= end]
    resolved = [c for c in complaints if c.resolved_on is not None and start <= c.resolved_on <= end]
    overdue = [
        c
        for c in complaints
        if c.record.received_on <= end and (c.resolved_on is None or c.resolved_on > end) and end > c.due_on
    ]
    return {
        "schema": SCHEMA,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "time_zone": conduct.time_zone,
        "contacts": {
            "total": sum(by.values()),
            "by_channel": {str(ch): sum(v for (c, _), v in by.items() if c == ch) for ch in Channel},
            "by_channel_and_outcome": {str(ch): {str(o): by[(str(ch), str(o))] for o in Outcome} for ch in Channel},
        },
        "refusals": {"total": sum(refusals.values()), "by_rule": dict(sorted(refusals.items()))},
        "overrides": {"total": sum(overrides.values()), "by_rule": dict(sorted(overrides.items()))},
        "against_rules": {"total": sum(against.values()), "by_rule": dict(sorted(against.items()))},
        "complaints": {
            "opened": len(opened),
            "opened_by_category": {str(k): sum(1 for c in opened if c.record.category == k) for k in ComplaintCategory},
            "resolved": len(resolved),
            "resolved_in_time": sum(1 for c in resolved if c.in_time),
            "resolved_late": sum(1 for c in resolved if c.in_time is False),
            "overdue": len(overdue),
            "overdue_ids": [c.id for c in overdue],
            "median_days_to_resolve": median_days(resolved),
        },
    }


def _rows(report: dict) -> list[tuple[str, str, object]]:
    rows: list[tuple[str, str, object]] = [("contacts", "total", report["contacts"]["total"])]
    for ch, outcomes in report["contacts"]["by_channel_and_outcome"].items():
        rows.append(("contacts", ch, report["contacts"]["by_channel"][ch]))
        rows += [("contacts", f"{ch}.{o}", n) for o, n in outcomes.items() if n]
    for section in ("refusals", "overrides", "against_rules"):
        rows.append((section, "total", report[section]["total"]))
        rows += [(section, rule, n) for rule, n in report[section]["by_rule"].items()]
    comp = report["complaints"]
    rows.append(("complaints", "opened", comp["opened"]))
    rows += [("complaints", f"opened.{k}", n) for k, n in comp["opened_by_category"].items() if n]
    for key in ("resolved", "resolved_in_time", "resolved_late", "overdue"):
        rows.append(("complaints", key, comp[key]))
    median = comp["median_days_to_resolve"]
    rows.append(("complaints", "median_days_to_resolve", "" if median is None else f"{median:g}"))
    return rows


def render(report: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    rows = _rows(report)
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(("section", "name", "value"))
        w.writerows(rows)
        return out.getvalue()
    lines = [f"Conduct report {report['from']} to {report['to']} ({report['time_zone']})", ""]
    section = None
    for sec, key, value in rows:
        if sec != section:
            if section is not None:
                lines.append("")
            lines.append(sec.capitalize())
            section = sec
        lines.append(f"  {key:<40} {value:>8}")
    return "\n".join(lines) + "\n"


__all__ = ["FORMATS", "SCHEMA", "conduct_report", "render"]
