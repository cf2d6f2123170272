"""One-page PDF summaries per second on one core (target: 200 or more).

Renders a 12-month zh_CN summary (Chinese text, embedded WenQuanYi Micro Hei
subset) again and again in this one process; the font is parsed once per process,
as in the command line and the batch letters.  Also prints the cost of the first
document (font load included) and of a 60-month (several-page) summary.

    .venv/bin/python bench/bench_pdf.py [seconds]
"""

from __future__ import annotations

import sys
import time
from datetime import date
from decimal import Decimal

from calc.debt import Debt, Waiver
from calc.schedule import build_plan
from calc.terms import Terms
from plans.summary import SummaryAccount, Creditor, build_summary, render


def summary(months: int):
    debt = Debt.parse(
        "CNY", {"principal": "48000.00", "interest": "3200.00", "penalty_interest": "1500.00", "late_fees": "600.00"}
    )
    plan = build_plan(
        debt,
        [Waiver.parse("late_fees", "100%", "CNY"), Waiver.parse("penalty_interest", "50%", "CNY")],
        Terms(start=date(2025, 12, 1), months=months, down_amount=200000, fee_rate=Decimal("0.003")),
    )
    creditor = Creditor(
        "示例银行信用卡中心", ("客服热线 400-000-0000",), ("投诉热线 400-000-0001", "12378"), policy_version="bench"
    )
    return build_summary(plan, creditor, SummaryAccount("6222021234567890", "张三"), summary_date=date(2025, 12, 1))


def rate(s, seconds: float) -> tuple[float, int, int]:
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        pdf = render([s], "pdf", "zh_CN")
        n += 1
    return n / (time.perf_counter() - start), len(pdf), pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    short, long = summary(12), summary(60)
    t0 = time.perf_counter()
    render([short], "pdf", "zh_CN")
    first = time.perf_counter() - t0
    per_sec, size, _ = rate(short, seconds)
    print(f"first PDF (font load included): {first * 1000:.0f} ms")
    print(
        f"one-page PDF summaries (12 months, zh_CN): {per_sec:.0f} per second on one core, {size / 1024:.1f} KiB each"
    )
    per_sec60, size60, _ = rate(long, seconds / 2)
    print(f"60-month PDF summaries (several pages):     {per_sec60:.0f} per second, {size60 / 1024:.1f} KiB each")


if __name__ == "__main__":
    main()
