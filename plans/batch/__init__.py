"""Batch export of plan offers for a whole portfolio (``installment batch``).

    from plans.batch import BatchOptions, run_batch
    summary, files = run_batch(BatchOptions(input="portfolio.csv", outdir="out", policy=policy,
                                            start=date(2026, 1, 15)))

Modules: ``runner`` (the run: chunks in, files out, counts), ``pool`` (ordered,
bounded worker processes), ``work`` (one chunk in a worker), ``columns`` (a chunk's
plain rows read as columns with pyarrow), ``accounts`` (portfolio rows -> the
engine's accounts, and cases), ``engine`` (a chunk's offers as output rows, from
plans.offers' engine), ``text`` (offers.csv text with pyarrow), ``dedup``
(references seen), ``outputs`` (columns, encoders, atomic files), ``letters`` (one
summary per account).
Never imports Textual.
"""

from .runner import SUMMARY_KEYS, BatchOptions, run_batch

__all__ = ["BatchOptions", "SUMMARY_KEYS", "run_batch"]
