"""Batch export of plan offers for a whole portfolio (``installment batch``).

    from plans.batch import BatchOptions, run_batch
    summary, files = run_batch(BatchOptions(input="portfolio.csv", outdir="out", policy=policy,
                                            start=date(2026, 1, 15)))

Modules: ``runner`` (the run: chunks in, files out, counts), ``pool`` (ordered,
bounded worker processes), ``work`` (one chunk in a worker), ``columns`` (a chunk's
plain rows read as columns with pyarrow), ``accounts`` (portfolio rows -> the
engine's accounts, and cases), ``engine`` (a chunk's offers as output rows, from
plans.offers' engine), ``text`` (offers.csv text with pyarrow), ``dedup``
(references seen), ``outputs`` (columns, encoders, atomic files), ``letters`` (letters and
SMS of a run: where they go, the conduct gate), ``letter_facts`` (what a letter says of each
offer, from the engine's columns), ``letter_kit`` (letters and SMS in one language, prepared
once), ``letter_pdf`` (PDF letters, many to a file), ``letter_spool`` (PDF letters laid out
after the run, in bundles).
Never imports Textual.
"""

from .runner import SUMMARY_KEYS, BatchOptions, run_batch

__all__ = ["BatchOptions", "SUMMARY_KEYS", "run_batch"]
