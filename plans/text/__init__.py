"""Text that leaves the program: languages and catalogs, locale formatting, and cleaning.

:mod:`.i18n` (the gettext catalogs in ``plans/locale``, read once per language),
:mod:`.formatting` (money, numbers, rates and dates per locale, display widths) and
:mod:`.sanitize` (text and file names from data made safe to show and to write).
"""
