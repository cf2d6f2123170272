"""Reusable Textual widgets of the consoles (agent console and kiosk).

Widgets take text that is already translated and amounts already formatted (or a
``plans.text.formatting.Formats``), so they work in any language and any app:

* :mod:`.verdict`: affordable / tight / unaffordable told apart by colour *and* symbol and word;
* :mod:`.offers_table`: ranked offers side by side;
* :mod:`.budget_bar`: a small picture of the household budget;
* :mod:`.field`: an input that validates as you type and says what is wrong beside it;
* :mod:`.footer`: a footer whose key descriptions follow the app's language.
"""
