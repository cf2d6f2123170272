"""PDF letters between the run and their files: spooled in input order, then laid out in parallel.

During the run the main process appends each PDF letter that is no duplicate (its
lines, from the workers) to a private spool file beside the outputs.  Afterwards
:meth:`PdfSpool.render` hands slices of the spool to the worker processes
(``plans.batch.pool``): with ``--letters-bundle N`` each slice is N letters and
becomes one PDF (``letters/bundle-000001.pdf``...; the last one holds the rest), so a
bundle holds exactly the letters that go out and one subset of the font; without it
each letter is a file of its own (``letters/<shard>/<ref>.pdf``).  The rows of
``letters/index.csv`` come back in input order.  The spool is removed in every case.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from plans import files

from .letters import letter_path
from .pool import ordered_map

#: Letters a worker lays out at a time when each letter is a file of its own.
SLICE = 200


class PdfSpool:
    def __init__(self, outdir: Path, letters_dir: Path) -> None:
        self.path = Path(outdir) / f".letters-spool.{os.getpid()}.tmp"
        self.letters_dir = letters_dir
        self.file = files.open_private(self.path)
        self.offsets = [0]
        self.files = 0

    def add(self, ref: str, letter: tuple) -> None:
        """``letter``: (language, lines) of the letter of ``ref``."""
        data = marshal.dumps((ref, letter[0], letter[1]))
        self.file.write(len(data).to_bytes(4, "little") + data)
        self.offsets.append(self.offsets[-1] + 4 + len(data))

    def render(self, bundle: int | None, workers: int, check=None):
        """Lay out every spooled letter; yields the index rows of each slice, in order.  ``check``: see
        ``ordered_map`` (the caller checks between slices too)."""
        from plans.summary.pdf import font_name

        self.file.close()
        font_name()  # the font parsed once, here: the workers forked below inherit it
        n = len(self.offsets) - 1
        size = bundle or SLICE
        tasks = [
            (
                str(self.path),
                self.offsets[a],
                self.offsets[min(a + size, n)],
                str(self.letters_dir),
                a // size + 1 if bundle else None,
            )
            for a in range(0, n, size)
        ]
        for rows in ordered_map(render_slice, tasks, workers, _no_setup, check=check):
            self.files += len({row[1] for row in rows})
            yield rows

    def close(self) -> None:
        self.file.close()

    def remove(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def _no_setup() -> None:
    pass


def _letters(path: str, start: int, end: int) -> list[tuple]:
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    out, at = [], 0
    while at < len(data):
        size = int.from_bytes(data[at : at + 4], "little")
        out.append(marshal.loads(data[at + 4 : at + 4 + size]))
        at += 4 + size
    return out


def render_slice(task: tuple) -> list[tuple]:
    """One slice of the spool to PDF: a bundle (``number`` given) or a file per letter.  Index rows out."""
    from plans.text.i18n import translator

    from .letter_pdf import render_letters

    path, start, end, letters_dir, number = task
    letters = _letters(path, start, end)
    root = Path(letters_dir)
    rows = []
    if number is not None:
        name = f"bundle-{number:06d}.pdf"
        data, pages = render_letters([lines for _, _, lines in letters], translator(letters[0][1])("Repayment offers"))
        with files.open_private(root / name) as fh:
            fh.write(data)
        first = 1
        for (ref, _, _), n in zip(letters, pages):
            rows.append((ref, name, first, n))
            first += n
        return rows
    for ref, lang, lines in letters:
        rel = letter_path(ref, "pdf")
        files.make_dir((root / rel).parent)
        data, pages = render_letters([lines], translator(lang)("Repayment offers"))
        with files.open_private(root / rel) as fh:
            fh.write(data)
        rows.append((ref, rel, 1, pages[0]))
    return rows


__all__ = ["PdfSpool", "render_slice"]
