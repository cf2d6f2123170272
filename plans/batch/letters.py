"""Letters: one printable summary per account (``--letters pdf|html|txt``).

A letter is the summary of all the account's offers (plans.summary: compared
side by side, then each in full) in ``--lang``, dated the run's agreement date
(``--start``) so that the same run gives the same letters.  It is saved as
``letters/<account_ref>.<ext>``, the reference made safe by
:func:`plans.sanitize.safe_name` (characters that are not safe in a file name are
percent-encoded, ``CC/1`` -> ``CC%2F1``, so distinct references never share a file
and none leaves the folder).

Every letter goes through :func:`plans.conduct.outgoing.clear_to_send` first: the
account's flags (read from ``--db`` when given) may withhold it, and its text (for a
PDF or HTML letter, the same summaries as plain text) must pass the message checker.
A letter held back is not written; :meth:`LetterWriter.write` returns the reason.
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
    def __init__(self, policy, ext: str, lang: str, summary_date: date,
                 contact_flags: dict | None = None) -> None:
        from plans.i18n import check_lang
        from plans.summary import Creditor

        self.ext, self.kind = ext, LETTER_FORMATS[ext]
        self.lang = check_lang(lang)
        self.creditor = Creditor.from_policy(policy)
        self.policy, self.summary_date = policy, summary_date
        self.contact_flags = contact_flags or {}

    def render(self, offers: list) -> bytes:
        return self._render(offers)[0]

    def _render(self, offers: list) -> tuple[bytes, str]:
        """The letter and its plain text (what the message checker reads)."""
        from plans.summary import from_offer, render

        summaries = [from_offer(o, creditor=self.creditor, summary_date=self.summary_date) for o in offers]
        out = render(summaries, self.kind, self.lang)
        text = out if self.kind == "text" else render(summaries, "text", self.lang)
        return (out if isinstance(out, bytes) else out.encode()), text

    def write(self, path: Path, offers: list, ref: str | None = None, region: str | None = None) -> str | None:
        """Write the letter to ``path``; or, when the conduct rules hold it back, write nothing and
        return why."""
        from plans.conduct.outgoing import Withheld, clear_to_send

        data, text = self._render(offers)
        verdict = clear_to_send(self.policy, "letter", text, self.lang, self.summary_date,
                                flags=self.contact_flags.get(ref, ()), region=region)
        if isinstance(verdict, Withheld):
            return verdict.reason
        with files.open_private(path) as fh:  # readable by its owner only: a letter names a debt
            fh.write(data)
        return None
