"""Domain commands for the command palette (ctrl+p): "Offer 24 months", "Waive penalty interest", ...

Each command runs a method of the screen on top when that screen has it, so the
palette offers only what applies where the agent is.  Typing a number ("30")
offers "Offer 30 months" for that number.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from calc.numerals import narrow
from calc.terms import ABSOLUTE_MAX_MONTHS
from plans.vocabulary import OfferStatus

from . import texts

MONTHS = (6, 12, 18, 24, 36, 48, ABSOLUTE_MAX_MONTHS)
WAIVABLE = ("penalty_interest", "late_fees", "annual_fees", "other_fees", "interest")


class AgentCommands(Provider):
    def _commands(self, query: str = "") -> list[tuple[str, Callable[[], object], str]]:
        from .app import AgentApp  # (the app module imports this one)

        app = self.app
        if not isinstance(app, AgentApp):  # the palette of another app: none of these commands apply
            return []
        t = app.t
        screen = self.screen
        out: list[tuple[str, Callable[[], object], str]] = []

        def add(name: str, method: str, *args, help: str = "") -> None:
            fn = getattr(screen, method, None)
            if fn is not None:
                out.append((name, partial(fn, *args), help))

        months = list(MONTHS)
        m = re.search(r"\d{1,2}", narrow(query), re.ASCII)
        if m and 1 <= int(m.group(0)) <= ABSOLUTE_MAX_MONTHS and int(m.group(0)) not in months:
            months.insert(0, int(m.group(0)))
        for n in months:
            add(t("Offer {n} months", n=n), "command_months", n, help=t("Set the term and show the figures"))
        for bucket in WAIVABLE:
            add(
                t(
                    "Waive {bucket}",
                    bucket=t(texts.BUCKETS[bucket]).lower() if app.lang == "en" else t(texts.BUCKETS[bucket]),
                ),
                "command_waive",
                bucket,
                help=t("Waive all of it; shows the authority needed"),
            )
        add(t("Clear negotiated terms"), "action_reset_terms")
        add(t("Save offer"), "action_save")
        add(t("Mark offered"), "action_mark", OfferStatus.OFFERED)
        add(t("Mark accepted"), "action_mark", OfferStatus.ACCEPTED)
        add(t("Mark declined"), "action_mark", OfferStatus.DECLINED)
        add(t("Open schedule"), "action_schedule")
        add(t("Edit hardship profile"), "action_profile")
        add(t("Call notes"), "action_notes")
        for fmt, label in (
            ("pdf", texts.N_("Export PDF")),
            ("html", texts.N_("Export HTML")),
            ("receipt", texts.N_("Export receipt")),
            ("sms", texts.N_("SMS text")),
        ):
            add(t(label), "command_export", fmt)
        out.append((t("Approval queue"), app.action_approvals, t("Offers waiting for a supervisor")))
        for lang, name in texts.LANG_NAMES.items():
            out.append((f"{t('Language')}: {name}", partial(app.set_language, lang), ""))
        return out

    async def discover(self) -> Hits:
        for name, command, help in self._commands():
            yield DiscoveryHit(name, command, help=help or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help in self._commands(query):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help or None)
