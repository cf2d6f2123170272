"""Letters and SMS of a batch run (``--letters pdf|html|txt``, ``--letters-bundle N``, ``--sms``).

Each account with offers gets one letter in its language (the portfolio's ``language``
column, else ``--lang``) presenting its offers within the authority, best first
(:mod:`.letter_kit`), dated the run's agreement date (``--start``) so that the same
run gives the same letters; with ``--sms``, one message leading with its first-ranked
offer, to the ``phone`` column's number.

Every letter and message passes the conduct gate first
(:class:`plans.conduct.outgoing.PreparedGate`, the prepared form of
``clear_to_send``): the account's flags (read from ``--db`` when given) may withhold
it, and its text must pass the message checker.  One held back is not written; the
writer returns the reason instead.

Where letters go: ``letters/<shard>/<ref>.<ext>``, the reference made safe by
:func:`plans.text.sanitize.safe_name` (``CC/1`` -> ``CC%2F1``: distinct references never
share a file, none leaves the folder), in folders named by successive pairs of its
characters (:func:`letter_path`; a pair of dots names the folder ``%.``), so that no folder ever holds
more than 10,000 entries.  Text and HTML letters are written by the workers straight to their place in
the run's temporary letters folder (published whole with the run, removed whole when it
stops: no half-written letter is ever left), each file created new (``O_EXCL``) with its
mode (:class:`plans.files.NewFiles`), its shard folders when the first letter needs them.
A reference that appears twice in the portfolio finds its place taken; that letter goes
under a temporary name (:func:`temp_name`) and the main process, which knows which
occurrence is kept, sorts it out (:meth:`plans.batch.runner.Run.add`).  PDF letters are laid out
afterwards, N to a file (:mod:`.letter_pdf`, ``letters/bundle-000001.pdf``...) or one
to a file, and ``letters/index.csv`` says where each account's letter is.
"""

from __future__ import annotations

import os
from datetime import date

from plans import files
from plans.conduct.outgoing import Withheld
from plans.text.sanitize import safe_name

SMS_COLUMNS = ("account_ref", "phone", "language", "text", "characters", "segments")
INDEX_COLUMNS = ("account_ref", "file", "first_page", "pages")


def letter_path(ref: str, ext: str) -> str:
    """Where the letter of ``ref`` goes under ``letters/``: ``CC/00/00/01/CC00000123.txt``.

    A safe name uses 67 characters (letters, digits, ``-_.%~``): a folder holds at most 67² subfolders
    and 67 + 67² letters (those whose name ends within its next two characters), 9,045 entries in all."""
    stem = safe_name(ref)
    folder = _folder(stem)
    return f"{_folder_path(folder)}/{stem}.{ext}" if folder else f"{stem}.{ext}"


def _folder(stem: str) -> str:
    """The characters of a safe name that name its letter's folders: all but the last one or two, a pair
    for each folder (none for a name of two characters or fewer)."""
    return stem[: (len(stem) - 1) // 2 * 2]


#: The folder a pair of dots goes to: a folder named ``..`` would be the parent (``B-....1`` wrote its letter two
#: folders up, out of ``letters/``).  Folders only spread the letters out, so sharing one with ``%.`` is harmless.
DOTS_FOLDER = "%."


def _folder_path(folder: str) -> str:
    pairs = (folder[i : i + 2] for i in range(0, len(folder), 2))
    return "/".join(DOTS_FOLDER if pair == ".." else pair for pair in pairs)


def temp_name(line: int, ext: str) -> str:
    """The name of a letter whose place was taken (its reference appears twice), until the main
    process knows which occurrence is kept."""
    return f".L{line}.{ext}"


_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC


class LetterFiles:
    """Text and HTML letters of one worker written to their places under ``root`` (:func:`letter_path`).

    The folder of the last letter is kept open and the next letter, whose folder is most often the same
    (a portfolio lists its accounts in order), is created in it by name (``dir_fd``): the system looks up
    one name rather than the whole path.  :meth:`close` closes it (at the end of each chunk)."""

    def __init__(self, root: str, ext: str) -> None:
        self.root, self.ext = root, ext
        self.new = files.NewFiles()
        self._folder: str | None = None  # the open folder's characters (_folder), its place and descriptor
        self._prefix = ""
        self._fd = -1

    def write(self, ref: str, line: int, data: bytes) -> tuple[str, bool]:
        """Write the letter of ``ref`` (from input line ``line``); returns its place under ``root`` and
        whether it went under its temporary name instead (the place was taken)."""
        stem = safe_name(ref)
        folder = _folder(stem)
        if folder != self._folder:
            self._open(folder)
        name = f"{stem}.{self.ext}"
        try:
            self.new.write(name, data, self._fd)
        except FileExistsError:  # the same reference on another line
            self.new.write(f"{self.root}/{temp_name(line, self.ext)}", data)
            return self._prefix + name, True
        return self._prefix + name, False

    def _open(self, folder: str) -> None:
        """Keep ``folder``'s folder open (made, with its parents, when missing) instead of the last one."""
        self.close()
        path = f"{self.root}/{_folder_path(folder)}" if folder else self.root
        try:
            fd = os.open(path, _FOLDER_FLAGS)
        except FileNotFoundError:  # the first letter of its shard folder
            files.make_dir(path)
            fd = os.open(path, _FOLDER_FLAGS)
        self._folder, self._fd = folder, fd
        self._prefix = f"{_folder_path(folder)}/" if folder else ""

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
        self._folder, self._fd = None, -1


class LetterWriter:
    """Letters and SMS of one worker: a :class:`~plans.batch.letter_kit.LetterKit` per language, made
    on first use."""

    def __init__(
        self,
        policy,
        letters: str | None,
        lang: str,
        day: date,
        contact_flags: dict | None = None,
        letters_dir: str | None = None,
    ) -> None:
        from plans.text.i18n import check_lang

        self.policy, self.ext, self.day = policy, letters, day
        self.files = LetterFiles(letters_dir, letters) if letters in ("txt", "html") and letters_dir else None
        self.lang = check_lang(lang)
        self.contact_flags = contact_flags or {}
        self._kits: dict = {}

    def close(self) -> None:
        """Close what the letters written so far kept open (:meth:`LetterFiles.close`)."""
        if self.files is not None:
            self.files.close()

    def kit(self, lang: str | None):
        lang = lang or self.lang
        kit = self._kits.get(lang)
        if kit is None:
            from .letter_kit import LetterKit

            kit = self._kits[lang] = LetterKit(self.policy, lang, self.day)
        return kit

    def letter(
        self,
        ref: str,
        holder: str | None,
        lang: str | None,
        debt: int,
        offers: list,
        region: str | None,
        line: int,
    ):
        """The account's letter: ``(None, (lang, lines))`` to be laid out (PDF), ``(None, (place,
        under_temporary_name))`` once written (text, HTML: :meth:`LetterFiles.write`), or ``(reason, None)``
        when the conduct rules hold it back."""
        kit = self.kit(lang)
        personal = kit.personal(ref, holder)
        verdict = kit.gate(*kit.to_check(personal), flags=self.contact_flags.get(ref, ()), region=region)
        if isinstance(verdict, Withheld):
            return verdict.reason, None
        if self.ext == "pdf":
            return None, (kit.lang, kit.lines(personal, debt, offers))
        data = kit.render(self.ext, personal, debt, offers)
        assert self.files is not None  # text and HTML letters are written by the workers
        return None, self.files.write(ref, line, data.encode("utf-8"))

    def sms(self, ref: str, phone: str | None, lang: str | None, offers: list, region: str | None):
        """The account's SMS row (SMS_COLUMNS), or the reason it is not sent."""
        from plans.summary.sms import sms_length

        if not phone:
            return "phone: not given; no SMS without a mobile number"
        kit = self.kit(lang)
        verdict = kit.sms_gate(flags=self.contact_flags.get(ref, ()), region=region)
        if isinstance(verdict, Withheld):
            return verdict.reason
        text = kit.sms(offers[0])
        size = sms_length(text)
        return (ref, phone, kit.lang, text, size.characters, size.segments)


__all__ = ["INDEX_COLUMNS", "LetterFiles", "LetterWriter", "SMS_COLUMNS", "letter_path", "temp_name"]
