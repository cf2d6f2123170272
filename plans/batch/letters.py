"""Letters: one printable summary per account (``--letters pdf|html|txt``).

A letter is the summary of all the account's offers (plans.summary: compared
side by side, then each in full) in ``--lang``, dated the run's agreement date
(``--start``) so that the same run gives the same letters.  It is saved as
``letters/<account_ref>.<ext>``, the reference made safe by
:func:`plans.sanitize.safe_name` (characters that are not safe in a file name are
percent-encoded, ``CC/1`` -> ``CC%2F1``, so distinct references never share a file
and none leaves the folder).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from plans import files
from plans.sanitize import safe_name

LETTER_FORMATS = {"pdf": "pdf", "html": "html", "txt": "text"}


def letter_name(line: int, ref: str | None, ext: str) -> str:
    """The file name of a letter: final (``<ref>.<ext>``) or, before deduplication, ``.L<line>.<ext>``."""
    return f".L{line}.{ext}" if ref is None else f"{safe_name(ref)}.{ext}"


class LetterWriter:
    def __init__(self, policy, ext: str, lang: str, summary_date: date) -> None:
        from plans.i18n import check_lang
        from plans.summary import Creditor

        self.ext, self.kind = ext, LETTER_FORMATS[ext]
        self.lang = check_lang(lang)
        self.creditor = Creditor.from_policy(policy)
        self.policy, self.summary_date = policy, summary_date

    def render(self, offers: list) -> bytes:
        from plans.summary import from_offer, render

        summaries = [from_offer(o, creditor=self.creditor, summary_date=self.summary_date) for o in offers]
        out = render(summaries, self.kind, self.lang)
        return out if isinstance(out, bytes) else out.encode()

    def write(self, path: Path, offers: list) -> None:
        with files.open_private(path) as fh:  # readable by its owner only: a letter names a debt
            fh.write(self.render(offers))
