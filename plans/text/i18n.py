"""Languages of printed summaries: gettext catalogs kept as ``.po`` files.

Catalogs live in ``plans/locale/<lang>/LC_MESSAGES/installment.po`` for
``zh_CN`` (the default), ``zh_TW`` and ``en``.  Message ids are the English text
(gettext's convention), with ``{name}`` placeholders filled by ``str.format``.
The ``.po`` files are read at run time with babel's reader, once per process per
language, and kept as plain dicts: no compile step, nothing to get out of date.

A message with no translation (absent, empty or fuzzy in the catalog) falls back
to the English catalog and then to the message id itself, which is English: a
summary never shows a blank where a translation is missing.

Translatable text in the code is marked with ``_("...")`` (through a
:class:`Translator`) or :func:`N_` for text translated later;
``tests/test_i18n.py`` checks that every marked message is translated in every
catalog.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol

from calc.errors import InvalidInput

LANGS = ("zh_CN", "zh_TW", "en")
DEFAULT_LANG = "zh_CN"
DOMAIN = "installment"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

#: The babel locale that formats numbers and dates for each language.
_BABEL = {"zh_CN": "zh_Hans_CN", "zh_TW": "zh_Hant_TW", "en": "en"}
#: Spellings accepted for each language (compared case-insensitively, '-' as '_').
_ALIASES = {
    "zh_cn": "zh_CN",
    "zh": "zh_CN",
    "zh_hans": "zh_CN",
    "zh_hans_cn": "zh_CN",
    "zh_tw": "zh_TW",
    "zh_hant": "zh_TW",
    "zh_hant_tw": "zh_TW",
    "en": "en",
    "en_us": "en",
    "en_gb": "en",
}
#: The language tag used in HTML ``lang`` attributes.
HTML_LANG = {"zh_CN": "zh-CN", "zh_TW": "zh-TW", "en": "en"}


def check_lang(lang: str) -> str:
    """The canonical name of ``lang`` (``zh-cn`` -> ``zh_CN``); raises InvalidInput if unknown."""
    key = str(lang).strip().replace("-", "_").lower()
    if key not in _ALIASES:
        raise InvalidInput(f"unknown language {lang!r}; use one of {', '.join(LANGS)}", "lang")
    return _ALIASES[key]


def babel_locale(lang: str) -> str:
    return _BABEL[check_lang(lang)]


def po_path(lang: str) -> Path:
    return LOCALE_DIR / check_lang(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """``{message id: translation}`` of ``lang``'s catalog, translated entries only.

    A catalog file that is missing altogether reads as empty (so English shows).
    """
    return read_catalog(po_path(lang), lang, DOMAIN)


def read_catalog(path: Path, lang: str, domain: str) -> dict[str, str]:
    """The translated entries of the ``.po`` file ``path`` (``lang``, ``domain``): not the untranslated
    or fuzzy ones; empty when the file is missing."""
    from babel.messages.pofile import read_po

    try:
        with open(path, "rb") as fh:
            cat = read_po(fh, locale=babel_locale(lang), domain=domain)
    except FileNotFoundError:
        return {}
    return {
        m.id: m.string
        for m in cat
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string.strip() and not m.fuzzy
    }


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now."""
    return message


class Translate(Protocol):
    """What translates: a :class:`Translator`, or a screen's ``t`` that asks its app's current one."""

    def __call__(self, message: str, /, **values: object) -> str: ...


class Translator:
    """``t("Plan balance")`` -> the text in this translator's language.

    ``t("Installment {n}", n=3)`` fills placeholders after translating.
    """

    __slots__ = ("lang", "_table")

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        table = dict(catalog("en"))
        if self.lang != "en":
            table.update(catalog(self.lang))
        self._table = table

    def __call__(self, message: str, /, **values: object) -> str:
        text = self._table.get(message) or message
        return text.format(**values) if values else text

    def has(self, message: str) -> bool:
        """Whether this language's own catalog translates ``message`` (no fallback)."""
        return bool(catalog(self.lang).get(message))


@lru_cache(maxsize=None)
def translator(lang: str = DEFAULT_LANG) -> Translator:
    """The cached :class:`Translator` of ``lang``."""
    return Translator(check_lang(lang))
