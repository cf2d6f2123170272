"""Translations of the consoles' own text (agent console and kiosk).

Each app keeps a gettext domain of its own in
``installment_tui/locale/<lang>/LC_MESSAGES/<domain>.po`` (``agent``, ``kiosk``),
read at run time like the summaries' catalogs in :mod:`plans.text.i18n`.  Lookup order:
the app's catalog in the language, the summaries' catalog in the language (so
domain words such as bucket names are shared), then the English id itself:
never a blank.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from plans.text.i18n import DEFAULT_LANG, LANGS, catalog as summary_catalog, check_lang, read_catalog

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@lru_cache(maxsize=None)
def domain_catalog(domain: str, lang: str) -> dict[str, str]:
    """Translated entries of ``domain`` in ``lang`` (empty when the file is missing)."""
    lang = check_lang(lang)
    return read_catalog(LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po", lang, domain)


class UiTranslator:
    """``t("Search")`` in one language for one app; ``t("{n} months", n=3)`` fills placeholders."""

    __slots__ = ("lang", "domain", "_table")

    def __init__(self, domain: str, lang: str = DEFAULT_LANG) -> None:
        self.lang = check_lang(lang)
        self.domain = domain
        table = dict(summary_catalog(self.lang))
        table.update(domain_catalog(domain, self.lang))
        self._table = table

    def __call__(self, message: str, /, **values: object) -> str:
        text = self._table.get(message) or message
        return text.format(**values) if values else text

    def has(self, message: str) -> bool:
        """Whether ``message`` is translated in this language (no English fallback)."""
        return message in self._table


@lru_cache(maxsize=None)
def ui_translator(domain: str, lang: str = DEFAULT_LANG) -> UiTranslator:
    return UiTranslator(domain, check_lang(lang))


__all__ = ["LANGS", "UiTranslator", "domain_catalog", "ui_translator"]
