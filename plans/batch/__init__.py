"""Batch export of plan offers for a whole portfolio (``installment batch``).

    from plans.batch import BatchOptions, run_batch
    summary, files = run_batch(BatchOptions(input="portfolio.csv", outdir="out", policy=policy,
                                            start=date(2026, 1, 15)))

Modules: ``runner`` (the run: chunks in, files out, counts), ``pool`` (ordered,
bounded worker processes), ``work`` (one chunk in a worker), ``engine`` (offers
of one account as rows, from plans.offers), ``fast`` and ``fast_plans`` (the same
rows in integer arithmetic), ``vector`` and ``vector_offers`` (the same for whole
chunks of plain rows with pyarrow and numpy), ``accounts`` (portfolio row -> case),
``dedup`` (references seen), ``outputs`` (columns, encoders, atomic files),
``letters`` (one summary per account).
Never imports Textual.
"""

from .runner import SUMMARY_KEYS, BatchOptions, run_batch

__all__ = ["BatchOptions", "SUMMARY_KEYS", "run_batch"]
