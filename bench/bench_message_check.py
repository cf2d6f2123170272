"""The message checker on real letters: milliseconds per letter on one core.

Renders, for demo CNY accounts, every offer's summary as the plain-text letter in
zh_CN and en (about 7 KB each), then checks each letter again and again with the
shipped rules (``plans.conduct.messages.check_message``), as the batch does for
every letter and the monitor for every reminder.  Also times a hostile message:
the largest ``installment conduct check`` reads (1 MiB) made of the characters the
rules begin with.

    .venv/bin/python bench/bench_message_check.py [accounts]
"""

from __future__ import annotations

import sys
import time
from datetime import date

from plans.conduct.messages import check_message
from plans.demo_data import generate
from plans.offers import generate_offers
from plans.policy import default_policy
from plans.summary import from_offer, render


def letters(accounts: int) -> list[tuple[str, str]]:
    policy = default_policy()
    out = []
    for case in generate(accounts, 2025):
        if case.account.currency != "CNY":
            continue
        offers = generate_offers(case.account.case(date(2026, 12, 1), case.profile), policy, "agent")
        summaries = [from_offer(o, policy, summary_date=date(2026, 12, 1)) for o in offers]
        for lang in ("zh_CN", "en"):
            out.append((render(summaries, "text", lang), lang))
    return out


def main() -> None:
    accounts = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    texts = letters(accounts)
    check_message("预热", "zh_CN")  # rules compiled once
    size = sum(len(t) for t, _ in texts) / len(texts)
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        found = sum(len(check_message(t, lang)) for t, lang in texts)
        best = min(best, time.perf_counter() - began)
    print(
        f"{len(texts)} letters of {size:,.0f} characters on average: {best / len(texts) * 1000:.3f} ms a letter "
        f"(best of 5; {found} findings)"
    )
    hostile = ("上门联系您的家人 visit your home " * 40000)[: 1 << 20]  # one clause: no punctuation
    began = time.perf_counter()
    n = len(check_message(hostile, "zh_CN"))
    print(f"hostile 1 MiB message: {time.perf_counter() - began:.2f} s ({n} findings)")


if __name__ == "__main__":
    main()
