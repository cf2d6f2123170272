"""An offer letter and an offer SMS in one language, with everything fixed prepared once.

A :class:`LetterKit` is made once per language, policy and date in each worker: the
translated headings and sentences, the creditor's lines (cleaned), the kind and
verdict names, a money formatter and a date cache.  A letter is then a list of
``(style, text)`` lines (:meth:`LetterKit.lines`) filled from the letter facts
(:mod:`.letter_facts`), which :meth:`text`, :meth:`html` and the PDF writer
(:mod:`.letter_pdf`) lay out.

What a letter says (issue 19): who writes and to which account, the overdue debt,
the offers within the authority best first (each with its term, down payment, the
installments as the schedule charges them, due dates, what is waived, fees, total and
affordability), one sentence saying plainly which offer the debtor can afford (or
that none fits, or that we do not know the budget), how to reply (the policy's
``creditor.reply`` lines, else its contact lines) and where to complain.

The conduct check is prepared too (:class:`plans.conduct.outgoing.PreparedGate`):
every fixed sentence is checked once, as part of sample letters of every branch; each
letter then passes the gate with its own data-bearing lines (greeting and account).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from html import escape

from plans.conduct.outgoing import PreparedGate
from plans.text.formatting import formats
from plans.text.i18n import N_, translator
from plans.text.sanitize import clean
from plans.text.templates import bare, field, fill, percent
from plans.summary.amounts import RunsWording
from plans.summary.model import mask_name, mask_reference
from plans.vocabulary import KIND_NAMES, OfferKind, VERDICT_NAMES

from .letter_facts import NO_VERDICT, OfferFacts


def money_formatter(f, currency: str):
    """``f.money`` for one currency, built once: plain string operations when the locale groups
    digits by three with "," and uses "." for decimals (zh_CN, zh_TW, en); else ``f.money``."""
    from calc.money import exponent

    exp = exponent(currency)
    probe = f.money(123456789, currency)
    digits = f"{123456789 // 10**exp:,}" + (f".{123456789 % 10**exp:0{exp}d}" if exp else "")
    if digits not in probe or f.money(-1, currency) != f.minus + f.money(1, currency):
        return lambda v: f.money(v, currency)
    prefix, suffix = probe.split(digits)
    scale, minus = 10**exp, f.minus
    if exp == 2:  # most currencies: the format spelled out (a spec built per call costs as much again)
        cents = [f"{i:02d}" for i in range(100)]  # (a list index costs less than a :02d spec)
        triples = [f"{i:03d}" for i in range(1000)]

        def money(v: int) -> str:  # (its text: digits, "," and "." and the fixed text below)
            if 0 <= v < 100_000_000:  # below a million units (most figures): the groups spelled out too
                units = v // 100
                if units < 1000:
                    return f"{prefix}{units}.{cents[v % 100]}{suffix}"
                return f"{prefix}{units // 1000},{triples[units % 1000]}.{cents[v % 100]}{suffix}"
            if v < 0:
                v = -v
                return f"{minus}{prefix}{v // 100:,}.{cents[v % 100]}{suffix}"
            return f"{prefix}{v // 100:,}.{cents[v % 100]}{suffix}"

        money.fixed = prefix + suffix + minus  # type: ignore[attr-defined]
        return money

    def any_money(v: int) -> str:
        a = -v if v < 0 else v
        body = f"{a // scale:,}.{a % scale:0{exp}d}" if exp else f"{a:,}"
        return (minus if v < 0 else "") + prefix + body + suffix

    any_money.fixed = prefix + suffix + minus  # type: ignore[attr-defined]
    return any_money


class LetterKit:
    """Letters and SMS in ``lang`` under ``policy``, dated ``day``."""

    def __init__(self, policy, lang: str, day: date) -> None:
        t = self.t = translator(lang)
        f = formats(lang)
        self.lang, self.day, self.currency = t.lang, day, policy.currency
        self.money = money_formatter(f, policy.currency)
        self._dates = _DateTexts(f.date)
        self.sep = "" if t.lang.startswith("zh") else " "
        cred = policy.creditor
        self.creditor = clean(cred.name)
        self.short_name = self.creditor.split(" (")[0].strip()
        self.contact = tuple(clean(x) for x in cred.contact)
        self.reply = tuple(clean(x) for x in cred.reply_channels)
        self.complaints = tuple(clean(x) for x in cred.complaints) or (
            t("Ask the creditor's customer service for its complaint procedure."),
        )
        self.kinds = {k: t(v) for k, v in KIND_NAMES.items()}
        self.verdicts = [
            t(VERDICT_NAMES["affordable"]),
            t(VERDICT_NAMES["tight"]),
            t(VERDICT_NAMES["unaffordable"]),
            t("not assessed"),
        ]
        kv = t("{label}: {value}")
        self.labels = {
            k: t(k)
            for k in (
                "Number of installments",
                "Down payment",
                "Installments",
                "Each installment",
                "First due date",
                "Last due date",
                "Total waived",
                "Total fees",
                "Total repayable",
                "Affordability",
                "Settlement amount",
                "Pay by",
            )
        }
        # "label: value" split around the value once per label: a line is then two concatenations
        self.kv = {k: tuple(kv.format(label=v, value="\0").split("\0")) for k, v in self.labels.items()}
        self.none = t("none")
        self.title = t("Repayment offers")
        self.date_line = self.date(day.toordinal())
        self.heading = {
            "offers": t("Our offers"),
            "afford": t("What you can afford"),
            "reply": t("How to reply"),
            "complaints": t("Complaints"),
        }
        self.reply_intro = t(
            "To accept an offer, tell us its number; to ask for another arrangement, "
            "contact us. You can reach us through:"
        )
        self.footer = t("This letter explains the offers; the signed agreement prevails.")
        self.overdue = t(
            "The overdue amount on this account is {debt}. We can offer you the following ways to repay it, best first."
        )
        self.account, self.greeting, self.dear = t("Account: {ref}"), t("Dear {name},"), t("Dear customer,")
        self._account, self._greeting = _pieces(self.account, "ref"), _pieces(self.greeting, "name")
        self._runs = RunsWording(t, self.money)
        self._last_runs: tuple = ()
        self._last_amounts = ""
        self._names: dict = {}
        self._offer_lines: dict = {}
        self._names_of: dict = {}
        self._affords: dict = {}
        self._layouts: dict = {}
        self._opening_lines, self._closing_lines = self._opening(), self._closing()
        self._marked = self._figures_may_hold_markup()
        self.sms_where = clean(getattr(cred, "full_summary", None) or (self.reply[0] if self.reply else ""))
        self.policy = policy
        self.gate = PreparedGate(policy, "letter", t.lang, day, self._sample_letters())

    @cached_property
    def sms_gate(self) -> PreparedGate:
        """The gate of this kit's SMS, prepared on first use (a run without ``--sms`` never needs it)."""
        samples = [self.sms(x[0]) for x in _SAMPLE_OFFERS]
        return PreparedGate(self.policy, "sms", self.lang, self.day, samples)

    def _figures_may_hold_markup(self) -> bool:
        """Whether a letter's figures (every field but the account and greeting lines: amounts, counts,
        dates, offer names, verdicts, the installments' and the affordability sentence's words) may hold
        one of ``&<>"'``: only when the fixed text they are made of does, or when a formatter or a message
        formats its fields its own way (then it cannot be told).  Offer names, affordability sentences and
        dates are checked again as they are made (:meth:`_mark`, ``_DateTexts.marked``)."""
        t, runs = self.t, self._runs
        fixed = getattr(self.money, "fixed", None)
        bare_messages = (
            runs.forms is not None  # (its two messages have bare fields)
            and bare(runs.messages[2], {"low", "high"})
            and bare(t("Offer {n}: {name}"), {"n", "name"})
            and bare(t(self._AFFORD[0]), {"n", "name", "amounts"})
            and bare(t(self._AFFORD[1]), {"n", "name"})
            and all(bare(t(m), set()) for m in self._AFFORD[2:])
        )
        texts = [self.none, *self.verdicts, *self.kinds.values(), *runs.messages, t("Offer {n}: {name}")]
        texts += [t(m) for m in self._AFFORD]
        return fixed is None or not bare_messages or bool(_MARKUP.search("".join([fixed, *texts])))

    def _mark(self, text: str) -> None:
        """Note a figure's text made once and kept (an offer name, an affordability sentence)."""
        if _MARKUP.search(text):
            self._marked = True

    # -- pieces ------------------------------------------------------------------------
    def date(self, ordinal: int) -> str:
        return self._dates[ordinal]

    def amounts(self, runs: tuple) -> str:
        """The installments as the schedule charges them (plans.summary.amounts' wording).  The last
        one is remembered: a letter words the affordable offer's runs twice (its lines, the sentence)."""
        if runs is self._last_runs:  # the same tuple (immutable, and held here): the same words
            return self._last_amounts
        text = self._runs(runs)
        self._last_runs, self._last_amounts = runs, text
        return text

    def offer_name(self, o: OfferFacts) -> str:
        key = (o.n, o.kind)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = self.t("Offer {n}: {name}", n=o.n, name=self.kinds.get(o.kind, o.kind))
            self._mark(name)
        return name

    @staticmethod
    def _shape(o: OfferFacts) -> tuple:
        """What decides which lines an offer has."""
        return (o.settle, len(o.runs) == 1, bool(o.waived), bool(o.fees))

    def _offer_shape(self, shape: tuple) -> list[tuple[str, str]]:
        """The lines of an offer of this shape, its figures as fields (:func:`field`): what a letter says
        about an offer, in one place."""
        lines = self._offer_lines.get(shape)
        if lines is not None:
            return lines
        settle, single, waived, fees = shape
        rows = []
        if settle:
            rows += [("Settlement amount", field("amount")), ("Pay by", field("first_due"))]
        else:
            rows += [
                ("Number of installments", field("months")),
                ("Down payment", field("down")),
                ("Each installment", field("amount")) if single else ("Installments", field("amounts")),
                ("First due date", field("first_due")),
                ("Last due date", field("last_due")),
            ]
        if waived:
            rows.append(("Total waived", field("waived")))
        if fees:
            rows.append(("Total fees", field("fees")))
        rows += [("Total repayable", field("total")), ("Affordability", field("verdict"))]
        lines = [("h2", field("name"))]
        for label, value in rows:
            pre, post = self.kv[label]
            lines.append(("kv", pre + value + post))
        self._offer_lines[shape] = lines
        return lines

    def _offer_row(self, o: OfferFacts) -> list[str]:
        """The fields of an offer's lines (:meth:`_offer_shape`), in their order there: how each is made
        from the offer's facts, in one place, for :meth:`lines` and :meth:`render` alike."""
        m, dates = self.money, self._dates
        n, kind, settle, months, down, runs, first_due, last_due, waived, fees, total, verdict = o
        name = self._names.get((n, kind)) or self.offer_name(o)
        if settle:
            row = [name, m(runs[0][0]), dates[first_due]]
        else:
            row = [
                name,
                str(months),
                m(down) if down else self.none,
                m(runs[0][0]) if len(runs) == 1 else self.amounts(runs),
                dates[first_due],
                dates[last_due],
            ]
        if waived:
            row.append(m(waived))
        if fees:
            row.append(m(fees))
        row += (m(total), self.verdicts[verdict])
        return row

    def _offer_names(self, shape: tuple) -> tuple[str, ...]:
        """The names of the fields of an offer's lines, in order (what :meth:`_offer_row` gives)."""
        names = self._names_of.get(shape)
        if names is None:
            names = tuple(n for _, x in self._offer_shape(shape) for n in x.split("\0")[1::2])
            settle, single, waived, fees = shape
            expected = (
                ("name", "amount", "first_due")
                if settle
                else ("name", "months", "down", "amount" if single else "amounts", "first_due", "last_due")
            )
            expected += ("waived",) * waived + ("fees",) * fees + ("total", "verdict")
            if names != expected:  # the lines and the row must agree on the fields' order
                raise AssertionError(f"offer fields {names} are not {expected}")
            self._names_of[shape] = names
        return names

    def _offer_values(self, o: OfferFacts) -> dict[str, str]:
        """The fields of an offer's lines by name (:meth:`_offer_shape`)."""
        return dict(zip(self._offer_names(self._shape(o)), self._offer_row(o), strict=True))

    @staticmethod
    def _afford_choice(offers: list[OfferFacts]) -> tuple[int, OfferFacts | None]:
        """Which sentence :meth:`afford` says (0 affordable, 1 tight, 2 none fits, 3 unknown), about
        which offer: the first affordable one, else the first tight one (else the first unaffordable one)."""
        tight = unaffordable = None
        for o in offers:
            verdict = o.verdict
            if verdict == 0:
                return 0, o
            if verdict == 1:
                if tight is None:
                    tight = o
            elif verdict == 2 and unaffordable is None:
                unaffordable = o
        if tight is not None:
            return 1, tight
        return (2, unaffordable) if unaffordable is not None else (3, None)

    _AFFORD = (  # what afford() says: 0 affordable, 1 tight, 2 none fits, 3 unknown
        N_("From the income and spending you told us, you can afford offer {n} ({name}): {amounts}."),
        N_(
            "From the income and spending you told us, offer {n} ({name}) is within your budget but "
            "leaves little to spare; none leaves a comfortable margin."
        ),
        N_(
            "From the income and spending you told us, none of these offers fits your budget. "
            "Please contact us so that we can look for an arrangement together."
        ),
        N_(
            "We do not know your income and spending, so we cannot tell which offer you can afford. "
            "Tell us, and we will check it with you."
        ),
    )

    def _afford_amounts(self, o: OfferFacts) -> str:
        return self.money(o.runs[0][0]) if o.settle else self.amounts(o.runs)

    def afford(self, offers: list[OfferFacts]) -> str:
        """One sentence: which offer the debtor can afford, or that none fits, or that we cannot tell."""
        branch, o = self._afford_choice(offers)
        if o is None or branch == 2:
            return self.t(self._AFFORD[branch])
        name = self.kinds.get(o.kind, o.kind)
        if branch == 1:
            return self.t(self._AFFORD[1], n=o.n, name=name)
        return self.t(self._AFFORD[0], n=o.n, name=name, amounts=self._afford_amounts(o))

    def _afford_fast(self, offers: list[OfferFacts]) -> str:
        """:meth:`afford`, each sentence made once per offer number and kind: only the amounts are
        filled in per letter (when the catalog's sentence has bare fields; else :meth:`afford`)."""
        branch, o = self._afford_choice(offers)
        key = (branch, o.n, o.kind) if o is not None and branch < 2 else (branch,)
        pieces = self._affords.get(key)
        if pieces is None:
            if branch == 0:
                assert o is not None
                name = self.kinds.get(o.kind, o.kind)
                if "\0" in name or not bare(self.t(self._AFFORD[0]), {"n", "name", "amounts"}):
                    text = self.afford(offers)
                    self._mark(text)
                    return text
                mark = field("amounts")
                pieces = tuple(self.t(self._AFFORD[0], n=o.n, name=name, amounts=mark).split(mark))
            else:
                pieces = (self.afford(offers),)
            self._mark("".join(pieces))
            if len(self._affords) < 4096:
                self._affords[key] = pieces
        if len(pieces) == 1:
            return pieces[0]
        assert o is not None
        return self._afford_amounts(o).join(pieces)

    # -- a letter ----------------------------------------------------------------------
    def personal(self, ref: str, holder: str | None) -> tuple[str, str, str]:
        """The lines that carry the account's data: the account (masked) and the greeting (the masked name)."""
        masked = mask_reference(ref)
        name = mask_name(holder) if holder else ""
        account, greeting = self._account, self._greeting
        return (
            masked.join(account) if account is not None else self.account.format(ref=masked),
            (name.join(greeting) if greeting is not None else self.greeting.format(name=name)) if name else self.dear,
            masked,
        )

    @staticmethod
    def to_check(personal: tuple[str, str, str]) -> tuple[str, ...]:
        """What the gate must still check of a letter's own lines: the greeting, and the account line
        unless the masked reference shows only digits (a number holds no phrase)."""
        account, greeting, masked = personal
        return (greeting,) if masked.lstrip("*").isdigit() else (account, greeting)

    def _opening(self) -> list[tuple[str, str]]:
        """Who writes, to whom, the debt and the offers' heading (fields: account, greeting, debt)."""
        return (
            [("title", self.creditor)]
            + [("small", x) for x in self.contact]
            + [("blank", ""), ("p", self.date_line)]
            + [
                ("p", field("account")),
                ("blank", ""),
                ("p", field("greeting")),
                ("p", self.overdue.format(debt=field("debt"))),
                ("h", self.heading["offers"]),
            ]
        )

    def _closing(self) -> list[tuple[str, str]]:
        """What the debtor can afford (field: afford), how to reply, where to complain."""
        return (
            [("h", self.heading["afford"]), ("p", field("afford"))]
            + [("h", self.heading["reply"]), ("p", self.reply_intro)]
            + [("li", x) for x in self.reply]
            + [("h", self.heading["complaints"])]
            + [("li", x) for x in self.complaints]
            + [("blank", ""), ("small", self.footer)]
        )

    def _values(self, personal: tuple, debt: int, offers: list[OfferFacts]) -> dict[str, str]:
        return {
            "account": personal[0],
            "greeting": personal[1],
            "debt": self.money(debt),
            "afford": self.afford(offers),
        }

    def lines(self, personal: tuple, debt: int, offers: list[OfferFacts]) -> list[tuple[str, str]]:
        """The letter as ``(style, text)`` lines, for :meth:`text`, :meth:`html` and the PDF writer."""
        values = self._values(personal, debt, offers)
        out = [(style, fill(x, values)) for style, x in self._opening_lines]
        for o in offers:
            mine = self._offer_values(o)
            out += [(style, fill(x, mine)) for style, x in self._offer_shape(self._shape(o))]
        return out + [(style, fill(x, values)) for style, x in self._closing_lines]

    _TEXT = {"h": "\n%s\n--------", "h2": "\n%s", "kv": "  %s", "li": "- %s"}

    def text(self, lines: list[tuple[str, str]]) -> str:
        get = self._TEXT.get
        return "".join([get(style, "%s") % x + "\n" for style, x in lines])

    def html(self, lines: list[tuple[str, str]]) -> str:
        return self._html_head() + _html_body(lines) + _HTML_END

    def _html_head(self) -> str:
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang.replace("_", "-")}"><head><meta charset="utf-8">'
            f"<title>{escape(self.title)}</title><style>body{{font-family:sans-serif;max-width:40em;"
            "margin:2em auto}h1{font-size:1.3em}h2{font-size:1.1em}h3{font-size:1em;margin-bottom:.2em}"
            "dl{margin:0 0 0 1em}.small{color:#555;font-size:.85em}</style></head><body>"
        )

    def render(self, ext: str, personal: tuple, debt: int, offers: list[OfferFacts]) -> str:
        """``text(lines(...))`` (``ext`` txt) or ``html(lines(...))`` (html), from templates laid out
        once: each letter's layout (the shapes of its offers) is one ``%`` template of its fixed text
        (:class:`_Layout`), and a letter only makes its figures and fills them in."""
        layout = self._layouts.get(ext)
        if layout is None:
            layout = self._layouts[ext] = _Layout(self, ext)
        shape = self._shape
        shapes = tuple([shape(o) for o in offers])
        template = layout.forms.get(shapes)
        if template is None:
            template = layout.form(shapes)
        values = [personal[0], personal[1], self.money(debt)]
        row = self._offer_row
        for o in offers:
            values += row(o)
        values.append(self._afford_fast(offers))
        # escape(x) is x unless x holds one of &<>"': only the account's own lines can, unless the figures
        # may too (_figures_may_hold_markup)
        if layout.escape and (
            _MARKUP.search(values[0])
            or _MARKUP.search(values[1])
            or ((self._marked or self._dates.marked) and _MARKUP.search("".join(values)))
        ):
            values = [escape(x) for x in values]
        return template % tuple(values)

    # -- an SMS --------------------------------------------------------------------------
    def sms(self, o: OfferFacts) -> str:
        """The SMS of an account: its first-ranked offer, and where to reply."""
        t = self.t
        parts = [t("[{creditor}]", creditor=self.short_name)]
        if o.settle:
            parts.append(
                t("Settlement: pay {amount} by {date}.", amount=self.money(o.runs[0][0]), date=self.date(o.first_due))
            )
        else:
            if o.down:
                parts.append(t("Down payment {amount} now.", amount=self.money(o.down)))
            if len(o.runs) == 1:
                parts.append(
                    t(
                        "{months} monthly installments of {amount}, first due {date}.",
                        months=o.months,
                        amount=self.money(o.runs[0][0]),
                        date=self.date(o.first_due),
                    )
                )
            else:
                parts.append(
                    t(
                        "{months} monthly installments: {amounts}; first due {date}.",
                        months=o.months,
                        amounts=self.amounts(o.runs),
                        date=self.date(o.first_due),
                    )
                )
        parts.append(
            t("Full summary: {where}", where=self.sms_where) if self.sms_where else t("Ask us for the full summary.")
        )
        return self.sep.join(parts)

    def _sample_letters(self) -> list[str]:
        """Letters of every branch (each verdict, a settlement, a step plan, fees, waivers), for the
        one check of every fixed sentence."""
        personal = (self.t("Account: {ref}", ref="****0000"), self.t("Dear customer,"), "****0000")
        return [self.text(self.lines(personal, 1234500, offers)) for offers in _SAMPLE_OFFERS]


_HTML_TAGS = {"title": "h1", "h": "h2", "h2": "h3", "p": "p"}
_HTML_END = "</body></html>\n"


def _html_body(lines: list[tuple[str, str]]) -> str:
    """The lines as HTML, every list closed at the end: laid out piece by piece (opening, each offer,
    closing, each starting with a heading or a paragraph), the pieces join into the same HTML as the whole."""
    out = []
    in_list = in_dl = False
    for style, x in lines:
        if in_list and style != "li":
            out.append("</ul>")
            in_list = False
        if in_dl and style != "kv":
            out.append("</dl>")
            in_dl = False
        if style == "li":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{escape(x)}</li>")
        elif style == "kv":
            if not in_dl:
                out.append("<dl>")
                in_dl = True
            out.append(f"<dd>{escape(x)}</dd>")
        elif style == "small":
            out.append(f'<p class="small">{escape(x)}</p>')
        elif style != "blank":
            tag = _HTML_TAGS[style]
            out.append(f"<{tag}>{escape(x)}</{tag}>")
    out.append("</ul>" if in_list else "")
    out.append("</dl>" if in_dl else "")
    return "".join(out)


_MARKUP = re.compile("[&<>\"']")


class _Layout:
    """A kit's letters laid out in one format: for each letter's offer shapes, one ``%`` template
    (:func:`plans.text.templates.percent`) of the opening, the offers' lines and the closing, whose
    fields are, in order: account, greeting and debt, each offer's row (:meth:`LetterKit._offer_row`),
    and the affordability sentence."""

    def __init__(self, kit: LetterKit, ext: str) -> None:
        self.kit, self.escape = kit, ext == "html"
        if self.escape:
            self.lay = _html_body
            opening, closing = kit._html_head() + _html_body(kit._opening_lines), _html_body(kit._closing_lines)
            closing += _HTML_END
        else:
            self.lay = kit.text
            opening, closing = kit.text(kit._opening_lines), kit.text(kit._closing_lines)
        (self.opening, first), (self.closing, last) = percent(opening), percent(closing)
        if first != ("account", "greeting", "debt") or last != ("afford",):
            raise AssertionError(f"letter fields out of order: {first} {last}")
        self.offers: dict[tuple, str] = {}  # an offer's shape -> its template
        self.forms: dict[tuple, str] = {}  # the offers' shapes -> the letter's template

    def _offer(self, shape: tuple) -> str:
        template = self.offers.get(shape)
        if template is None:
            template, names = percent(self.lay(self.kit._offer_shape(shape)))
            if names != self.kit._offer_names(shape):
                raise AssertionError(f"offer fields out of order: {names}")
            self.offers[shape] = template
        return template

    def form(self, shapes: tuple) -> str:
        template = self.opening + "".join([self._offer(shape) for shape in shapes]) + self.closing
        if len(self.forms) < 4096:  # a policy has a handful of offer shapes; never grow without bound
            self.forms[shapes] = template
        return template


def _pieces(message: str, name: str) -> tuple[str, ...] | None:
    """A catalog message with the one field ``name`` cut around it once: ``value.join(pieces)`` is
    ``message.format(name=value)``; None when the field is not bare (:func:`plans.text.templates.bare`)."""
    if not bare(message, {name}):
        return None
    mark = field(name)
    return tuple(message.format(**{name: mark}).split(mark))


class _DateTexts(dict):
    """Dates as the letter prints them, by ordinal, each formatted once."""

    def __init__(self, fmt) -> None:
        super().__init__()
        self.fmt = fmt
        #: Whether a date text holds one of ``&<>"'`` (HTML letters then check their figures).
        self.marked = False

    def __missing__(self, ordinal: int) -> str:
        text = self[ordinal] = self.fmt(date.fromordinal(ordinal))
        if _MARKUP.search(text):
            self.marked = True
        return text


def _sample(verdict: int, settle: bool = False, runs=((100000, 12),), fees=0, waived=0) -> OfferFacts:
    return OfferFacts(
        1,
        OfferKind.SETTLEMENT if settle else OfferKind.STANDARD,
        settle,
        1 if settle else 12,
        0,
        runs,
        739000,
        739300,
        waived,
        fees,
        1200000,
        verdict,
    )


_SAMPLE_OFFERS = [
    [_sample(v, settle=s, runs=r, fees=fee, waived=w)]
    for v in (0, 1, 2, NO_VERDICT)
    for s, r, fee, w in (
        (False, ((100000, 12),), 0, 0),
        (False, ((10000, 3), (200000, 9)), 600, 500),
        (False, tuple((100000 + i, 1) for i in range(12)), 600, 0),
        (True, ((900000, 1),), 0, 300000),
    )
]
#: ... and one letter with an offer of every kind (their names are fixed text too).
_SAMPLE_OFFERS.append([_sample(0)._replace(n=n, kind=k) for n, k in enumerate(KIND_NAMES, 1)])


__all__ = ["LetterKit", "money_formatter"]
