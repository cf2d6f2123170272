"""Letters and SMS for a whole portfolio (issue 19): sharded folders, PDF bundles with an index, sms.csv,
the portfolio's phone and language columns, what a letter says, and the prepared pieces agreeing with the
ones they stand for."""

from __future__ import annotations

import csv
import json
import os
import string
from collections import Counter
from datetime import date
from functools import cache, partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.batch import BatchOptions, run_batch
from plans.batch.letter_kit import LetterKit, money_formatter
from plans.batch.letters import letter_path
from plans.summary.model import mask_name, mask_reference
from plans.vocabulary import OfferKind
from plans.conduct.outgoing import PreparedGate, Withheld, clear_to_send
from plans.conduct.vocabulary import Flag
from plans.text.formatting import formats
from plans.text.i18n import LANGS
from plans.policy import default_policy
from plans.summary.sms import sms_length

from tests.test_batch import HEADER, START, batch, good_row
from tests.test_summary_amounts import ODD_CATALOGS, OddCatalog

POLICY = default_policy()
SAFE = string.ascii_letters + string.digits + "-_.%~"  # what plans.text.sanitize.safe_name writes
COLS = HEADER + ",income_after_recovery,phone,language"


def write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "p.csv"
    path.write_text(COLS + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def row(i: int, phone: str = "", lang: str = "") -> str:
    return good_row(i) + f",,{phone},{lang}"


# -- folders -----------------------------------------------------------------------------------


def test_no_folder_ever_holds_more_than_10000_entries():
    """The worst case for one folder: every name that ends within its next two characters, and every
    subfolder below it."""
    refs = (
        [f"AB12{a}" for a in SAFE]
        + [f"AB12{a}{b}" for a in SAFE for b in SAFE]
        + [f"AB12{a}{b}XY" for a in SAFE for b in SAFE]
    )
    entries: dict[str, set] = {}
    for ref in refs:
        parts = letter_path(ref, "txt").split("/")
        for depth in range(len(parts)):
            entries.setdefault("/".join(parts[:depth]), set()).add(parts[depth])
    assert max(len(v) for v in entries.values()) <= 10_000
    assert len(entries["AB/12"]) > 8_000  # the worst case is near the bound


#: References a portfolio may hold, and hostile ones: dots, slashes and percent signs where folders are cut.
REFS = st.text(min_size=1, max_size=80) | st.text(alphabet="AB1/.%-", min_size=1, max_size=40)


@given(REFS)
def test_a_letter_path_stays_inside_the_letters_folder_and_ends_in_the_safe_name(ref):
    from plans.batch.letters import DOTS_FOLDER
    from plans.text.sanitize import safe_name

    stem = safe_name(ref)
    path = letter_path(ref, "pdf")
    parts = path.split("/")
    assert parts[-1] == stem + ".pdf"
    assert all(p not in ("", ".", "..") and len(p) <= 2 for p in parts[:-1])
    root = Path("/letters")
    assert Path(os.path.normpath(root / path)).parent.is_relative_to(root)
    # the layout as documented: a folder for each pair of characters but the last one or two
    pairs = [stem[i : i + 2] for i in range(0, len(stem) - 2, 2)]
    assert path == "/".join([*(DOTS_FOLDER if p == ".." else p for p in pairs), stem + ".pdf"])


def test_a_reference_of_dots_writes_its_letter_inside_the_letters_folder(tmp_path):
    """``B-....1`` once named the folders ``B-/../..``: its letter went two folders up, out of ``letters/``."""
    from plans.batch.letters import LetterFiles

    root = tmp_path / "letters"
    root.mkdir()
    files = LetterFiles(str(root), "txt")
    for line, ref in enumerate(["B-....1", "AB" + "." * 20 + "x", "a/../../b"]):
        place, _ = files.write(ref, line, b"letter")
        assert (root / place).read_bytes() == b"letter" and ".." not in place.split("/")[:-1]
    files.close()
    assert sorted(p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()) == ["letters"] * 3


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="AB1/.%-", min_size=1, max_size=7), min_size=1, max_size=30))
def test_letters_written_in_any_order_go_to_their_places(tmp_path_factory, refs):
    """LetterFiles keeps the last letter's folder open: letters in any order, folders new or seen before,
    a reference seen twice (its second letter under a temporary name), each file where letter_path says."""
    from plans.batch.letters import LetterFiles, temp_name

    root = tmp_path_factory.mktemp("letters")
    files = LetterFiles(str(root), "txt")
    seen = set()
    for line, ref in enumerate(refs):
        place, moved = files.write(ref, line, ref.encode())
        assert place == letter_path(ref, "txt") and moved == (ref in seen)
        assert (root / (temp_name(line, "txt") if moved else place)).read_bytes() == ref.encode()
        seen.add(ref)
        if line % 7 == 3:
            files.close()  # (the end of a chunk)
    files.close()
    assert sum(1 for p in root.rglob("*") if p.is_file()) == len(refs)


def test_text_letters_are_sharded_and_indexed(tmp_path):
    out = tmp_path / "o"
    batch(write(tmp_path, [row(i) for i in range(1, 6)]), "-o", out, "--start", START, "--letters", "txt")
    index = list(csv.DictReader((out / "letters" / "index.csv").read_text(encoding="utf-8").splitlines()))
    assert [r["account_ref"] for r in index] == [f"AC{i:05d}" for i in range(1, 6)]
    for r in index:
        assert r["file"] == letter_path(r["account_ref"], "txt") and (out / "letters" / r["file"]).is_file()


# -- PDF bundles --------------------------------------------------------------------------------


def test_pdf_letters_in_bundles_with_an_index_that_finds_every_page(tmp_path):
    from pypdf import PdfReader

    rows = [row(i, lang="en" if i % 2 else "") for i in range(1, 8)] + [row(3)]  # a duplicate: no letter
    out = tmp_path / "o"
    batch(write(tmp_path, rows), "-o", out, "--start", START, "--letters", "pdf", "--letters-bundle", "3")
    index = list(csv.DictReader((out / "letters" / "index.csv").read_text(encoding="utf-8").splitlines()))
    assert [r["account_ref"] for r in index] == [f"AC{i:05d}" for i in range(1, 8)]
    bundles = sorted(p.name for p in (out / "letters").glob("*.pdf"))
    assert bundles == ["bundle-000001.pdf", "bundle-000002.pdf", "bundle-000003.pdf"]
    assert Counter(r["file"] for r in index) == {"bundle-000001.pdf": 3, "bundle-000002.pdf": 3, "bundle-000003.pdf": 1}
    for name in bundles:
        mine = [r for r in index if r["file"] == name]
        reader = PdfReader(out / "letters" / name)
        assert [int(r["first_page"]) for r in mine] == [
            1 + sum(int(x["pages"]) for x in mine[:k]) for k in range(len(mine))
        ]
        assert len(reader.pages) == sum(int(r["pages"]) for r in mine)
        fonts = {f["/BaseFont"] for p in reader.pages for f in p["/Resources"]["/Font"].values()}
        assert len(fonts) == 1  # one embedded subset of the font for the whole file
        for r in mine:  # each letter's first page names its account (masked)
            text = reader.pages[int(r["first_page"]) - 1].extract_text()
            assert "****" + r["account_ref"][-4:] in text
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["letters_written"], summary["letter_files"]) == (7, 3)


def test_letters_bundle_is_checked(tmp_path):
    path = write(tmp_path, [row(1)])
    for args, words in (
        (["--letters", "txt", "--letters-bundle", "10"], "use it with --letters pdf"),
        (["--letters", "pdf", "--letters-bundle", "0"], "from 1 to 100000"),
        (["--letters", "pdf", "--letters-bundle", "ten"], "from 1 to 100000"),
    ):
        proc = batch(path, "-o", tmp_path / "o", *args, check=False)
        assert proc.returncode == 2 and "--letters-bundle" in proc.stderr and words in proc.stderr
        assert "Traceback" not in proc.stderr


# -- SMS and the portfolio's phone and language ------------------------------------------------


def test_sms_one_message_per_account_with_its_segments_and_language(tmp_path):
    rows = [
        row(1, "+86 138-0013-8000"),
        row(2, "13800138001", "en"),
        row(3, "", "zh-TW"),
        row(4, "12ab"),
        row(5, "13800138002", "fr"),
        row(6, "13800138003", "zh_TW"),
    ]
    out = tmp_path / "o"
    batch(write(tmp_path, rows), "-o", out, "--start", START, "--sms", "--letters", "txt")
    sms = list(csv.DictReader((out / "sms.csv").read_text(encoding="utf-8").splitlines()))
    assert [(r["account_ref"], r["phone"], r["language"]) for r in sms] == [
        ("AC00001", "+8613800138000", "zh_CN"),
        ("AC00002", "13800138001", "en"),
        ("AC00006", "13800138003", "zh_TW"),
    ]
    for r in sms:
        size = sms_length(r["text"])
        assert (int(r["characters"]), int(r["segments"])) == (size.characters, size.segments)
    assert sms_length(sms[1]["text"]).encoding == "UCS-2"  # the creditor's name is Chinese
    offers = list(csv.DictReader((out / "offers.csv").read_text(encoding="utf-8").splitlines()))
    first = next(o for o in offers if o["account_ref"] == "AC00002" and o["rank"] == "1")
    assert f"{int(first['months'])} monthly installments" in sms[1]["text"]  # leads with the first-ranked offer
    held = list(csv.DictReader((out / "sms_withheld.csv").read_text(encoding="utf-8").splitlines()))
    assert [(r["account_ref"], r["reason"].split(":")[0]) for r in held] == [("AC00003", "phone")]
    rejects = {
        r["account_ref"]: r["reason"]
        for r in csv.DictReader((out / "rejects.csv").read_text(encoding="utf-8").splitlines())
    }
    assert rejects["AC00004"].startswith("phone: must be 5 to 15 digits")
    assert rejects["AC00005"].startswith("language: unknown language 'fr'")
    letter = (out / "letters" / letter_path("AC00002", "txt")).read_text(encoding="utf-8")
    assert "Our offers" in letter  # the account's language, not --lang
    assert "我們提供的方案" in (out / "letters" / letter_path("AC00003", "txt")).read_text(encoding="utf-8")


# -- what a letter says -------------------------------------------------------------------------


def test_a_letter_has_the_offers_within_authority_best_first_and_says_which_is_affordable(tmp_path):
    out = tmp_path / "o"
    summary, _ = run_batch(
        BatchOptions(
            str(write(tmp_path, [row(i) for i in range(1, 30)])),
            str(out),
            POLICY,
            date(2026, 1, 15),
            authority="kiosk",
            include_escalations=True,
            workers=1,
            letters="txt",
            lang="en",
        )
    )
    offers = list(csv.DictReader((out / "offers.csv").read_text(encoding="utf-8").splitlines()))
    assert any(o["violations"] for o in offers)  # escalations are listed in offers.csv ...
    for i in range(1, 30):
        ref = f"AC{i:05d}"
        path = out / "letters" / letter_path(ref, "txt")
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        mine = [o for o in offers if o["account_ref"] == ref and not o["violations"]]
        assert text.count("\nOffer ") == len(mine)  # ... never in a letter
        verdicts = [o["verdict"] for o in mine]
        if "affordable" in verdicts:
            n = verdicts.index("affordable") + 1
            assert f"you can afford offer {n} (" in text
        elif verdicts and all(v == "" for v in verdicts):
            assert "We do not know your income and spending" in text
        for line in POLICY.creditor.reply_channels:
            assert line in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_letter_kit_prints_what_the_schedule_charges(lang):
    from plans.batch.letter_facts import OfferFacts

    kit = LetterKit(POLICY, lang, date(2025, 12, 1))
    step = OfferFacts(1, "step", False, 24, 0, ((10000, 14), (374995, 10)), 739617, 740316, 0, 0, 3889950, 0)
    text = kit.text(kit.lines(kit.personal("P5-00000000", None), 3889950, [step]))
    f = formats(lang)
    assert f.money(10000, "CNY") + " x 14" in text and f.money(374995, "CNY") + " x 10" in text


@settings(max_examples=300)
@given(st.integers(-(10**15), 10**15), st.sampled_from(LANGS), st.sampled_from(["CNY", "JPY", "KWD", "USD"]))
def test_the_prepared_money_formatter_is_the_summaries_one(value, lang, currency):
    f = formats(lang)
    assert money_formatter(f, currency)(value) == f.money(value, currency)


@settings(max_examples=300)
@given(
    st.integers(-1000, 10**9) | st.sampled_from([99_999, 100_000, 99_999_999, 100_000_000, 123_456_78]),
    st.sampled_from(LANGS),
    st.sampled_from(["CNY", "USD"]),
)
def test_the_prepared_money_formatter_of_everyday_amounts_is_the_summaries_one(value, lang, currency):
    """(The amounts most letters print, below a million units, are formatted by a shorter path.)"""
    f = formats(lang)
    assert money_formatter(f, currency)(value) == f.money(value, currency)


def _odd_policy():
    """The default policy with braces, markup and percent signs in its fixed lines."""
    from plans.policy import default_policy_text, parse_policy

    text = default_policy_text().replace(
        'name = "示例银行信用卡中心 (Example Bank Card Centre)"', 'name = "{B}ank <b>&amp; %s {0} Co"'
    )
    return parse_policy(text.replace("投诉热线 Complaints: 400-000-0001", "{complaints} <i>100%</i>"))


def _facts():
    from plans.batch.letter_facts import OfferFacts

    money = st.integers(0, 10**9)
    runs = st.lists(st.tuples(st.integers(1, 10**8), st.integers(1, 12)), min_size=1, max_size=5).map(tuple)
    return st.builds(
        OfferFacts,
        st.integers(1, 6),
        st.sampled_from(["standard", "step", "settlement", "hardship", "unknown-kind"]),
        st.booleans(),
        st.integers(1, 60),
        money,
        runs,
        st.integers(739000, 740000),
        st.integers(739000, 742000),
        money,
        money,
        money,
        st.integers(0, 3),
    )


AFFORD = "From the income and spending you told us, you can afford offer {n} ({name}): {amounts}."
#: Catalogs whose letter sentences put their fields in another order, repeat them, hold ``%`` and markup
#: (laid out once all the same), or have fields that are not bare (each formatted per letter instead).
ODD_LETTER_CATALOGS = {
    "reordered": {
        **ODD_CATALOGS["reordered"],
        AFFORD: "{amounts} <{name}> 100% {n}: {amounts}",
        "Account: {ref}": "{ref} <%s> {ref}",
        "Dear {name},": "{name}{name}",
    },
    "not bare": {
        **ODD_CATALOGS["not bare"],
        AFFORD: "{amounts!s} {n:>3} {name}",
        "Account: {ref}": "Account: {ref!s:>12}",
        "Dear {name},": "Dear {name:.2},",
    },
}


def _odd_catalog_kit(lang: str, messages: dict) -> LetterKit:
    from unittest import mock

    with mock.patch("plans.batch.letter_kit.translator", lambda lang: OddCatalog(lang, messages)):
        return LetterKit(POLICY, lang, date(2026, 1, 15))


def _odd_figures_kit(odd: str) -> LetterKit:
    """A kit whose figures (not only its fixed lines) hold markup, made in each way they can: a date
    format, an offer's name (both found as they are made), a money format (found when the kit is made)."""
    from unittest import mock

    from plans.batch.letter_kit import _DateTexts

    if odd == "money":
        real = formats("en")

        class Odd:
            def __getattr__(self, name):
                return getattr(real, name)

            def money(self, v, currency):
                return "<&> " + real.money(v, currency)

        with mock.patch("plans.batch.letter_kit.formats", lambda lang: Odd()):
            kit = LetterKit(POLICY, "en", date(2026, 1, 15))
        assert kit._marked
        return kit
    kit = LetterKit(POLICY, "en", date(2026, 1, 15))
    assert not kit._marked
    if odd == "date":
        kit._dates = _DateTexts(lambda d: f"{d:%Y-%m-%d} <{d.day}> & '")
    else:
        kit.kinds = {**kit.kinds, OfferKind.STEP: 'Step "<&>"'}
        kit._names.clear()
    return kit


#: The kits the property test below writes letters with, by (name, language); each made on first use (a
#: kit prepares its message gate, which collecting the tests in every worker process need not pay for).
KIT_MAKERS = (
    {
        (name, lang): partial(LetterKit, policy, lang, date(2026, 1, 15))
        for name, policy in (("default", POLICY), ("odd", _odd_policy()))
        for lang in LANGS
    }
    | {(name, "en"): partial(_odd_catalog_kit, "en", messages) for name, messages in ODD_LETTER_CATALOGS.items()}
    | {(f"{odd} markup", "en"): partial(_odd_figures_kit, odd) for odd in ("date", "name", "money")}
)


@cache
def kit_of(key: tuple) -> LetterKit:
    return KIT_MAKERS[key]()


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(KIT_MAKERS)),
    st.sampled_from(["txt", "html"]),
    st.text(alphabet="AB1%{}<>&\"' 张", max_size=12),
    st.one_of(st.none(), st.text(alphabet="Ab{}<&% 张三", max_size=8)),
    st.integers(0, 10**10),
    st.lists(_facts(), max_size=5),
)
def test_a_rendered_letter_is_its_lines_laid_out(kit_key, ext, ref, holder, debt, offers):
    """The text and HTML letters a batch writes come from templates laid out once; they are the letter's
    lines (what the PDF prints too) laid out line by line, byte for byte, whatever the fixed text and
    the figures hold."""
    kit = kit_of(kit_key)
    personal = kit.personal(ref, holder)
    masked, name = mask_reference(ref), mask_name(holder) if holder else ""  # (the lines as formatted)
    assert personal == (kit.account.format(ref=masked), kit.greeting.format(name=name) if name else kit.dear, masked)
    lines = kit.lines(personal, debt, offers)
    assert kit.render(ext, personal, debt, offers) == (kit.text(lines) if ext == "txt" else kit.html(lines))


@given(st.lists(_facts(), max_size=6))
def test_the_affordability_sentence_is_about_the_first_affordable_offer_else_the_first_tight_one(offers):
    first = {v: next((o for o in offers if o.verdict == v), None) for v in (0, 1, 2)}
    branch = next((v for v in (0, 1, 2) if first[v] is not None), 3)
    assert LetterKit._afford_choice(offers) == (branch, first.get(branch))


def test_html_letters_look_for_markup_only_in_the_account_lines_when_the_figures_cannot_hold_any():
    """(What makes the check cheap: the shipped catalogs' figures never hold &<>"'.  The kits above whose
    figures do are found out, and their letters are checked whole: test_a_rendered_letter_is_its_lines_laid_out.)"""
    from plans.batch.letter_kit import _SAMPLE_OFFERS

    for lang in LANGS:
        kit = LetterKit(POLICY, lang, date(2026, 1, 15))
        kit.render("html", kit.personal("R1", "Ann"), 12345, [o for offers in _SAMPLE_OFFERS for o in offers])
        assert not kit._marked and not kit._dates.marked


def test_fixed_text_with_braces_and_markup_comes_out_as_written():
    """The templates double the fixed text's braces and escape its markup once; the figures are filled in."""
    from plans.batch.letter_kit import _SAMPLE_OFFERS

    kit = kit_of(("odd", "en"))
    offers = [x[0] for x in _SAMPLE_OFFERS]
    personal = kit.personal("CC<1>", "Ann {x}")
    html = kit.render("html", personal, 123456, offers)
    assert (
        "<h1>{B}ank &lt;b&gt;&amp;amp; %s {0} Co</h1>" in html
        and "<li>{complaints} &lt;i&gt;100%&lt;/i&gt;</li>" in html
    )
    assert html.count("<dl>") == html.count("</dl>") == len(offers) and html.count("<ul>") == html.count("</ul>") == 2
    assert "Dear A** {**," in html and "Account: ****C&lt;1&gt;" in html
    text = kit.render("txt", personal, 123456, offers)
    assert text.startswith("{B}ank <b>&amp; %s {0} Co\n") and "- {complaints} <i>100%</i>\n" in text


def test_the_prepared_gate_decides_as_clear_to_send():
    day = date(2026, 1, 15)
    letter = "尊敬的客户：您好。\n如不还款，我们将上门拜访。"
    gate = PreparedGate(POLICY, "letter", "zh_CN", day, [letter])
    one = clear_to_send(POLICY, "letter", letter, "zh_CN", day)
    assert isinstance(one, Withheld) and gate().reason == one.reason
    clean_gate = PreparedGate(POLICY, "letter", "zh_CN", day, ["您好。"])
    for flags in ((), (Flag.DECEASED,), (Flag.WRITTEN_ONLY,)):
        assert clean_gate(flags=flags) == clear_to_send(POLICY, "letter", "您好。", "zh_CN", day, flags=flags)
    assert isinstance(clean_gate("张*，不还就上门"), Withheld)  # a letter's own text is checked too


def test_without_reply_lines_a_letter_gives_the_contact_lines():
    from plans.policy import default_policy_text, parse_policy

    text = default_policy_text()
    start = text.index("reply = [")
    policy = parse_policy(text[:start] + text[text.index("]", start) + 1 :])
    assert policy.creditor.reply == () and policy.creditor.reply_channels == policy.creditor.contact
    kit = LetterKit(policy, "en", date(2026, 1, 15))
    assert [x for s, x in kit.lines(kit.personal("X1", None), 100, []) if s == "li"][:2] == list(
        policy.creditor.contact
    )


# -- duplicate references and the letters' places -------------------------------------------------


def _later_chunks_first(func, items, workers, init, initargs=(), max_inflight=None, check=None):
    """plans.batch.pool.ordered_map as it goes when a later chunk's worker finishes first: every chunk
    computed last to first, the results then yielded in input order (as the pool does)."""
    init(*initargs)
    results = [func(item) for item in reversed(list(items))]
    yield from reversed(results)


def _letter_files(out: Path) -> dict:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "letters").rglob("*") if p.is_file()}


@pytest.mark.parametrize("kind", ["txt", "html"])
def test_a_duplicate_reference_leaves_the_kept_occurrences_letter_whichever_worker_writes_first(
    tmp_path, monkeypatch, kind
):
    """Workers write each letter straight to its place; a later occurrence of a reference may get there
    first.  Whatever the order, the letter in place is the kept (first) occurrence's, a later one's
    letter is removed (also when the kept occurrence has none), and no temporary file is left."""
    import plans.batch.runner as runner

    no_offer = "AC00002,USD,5000.00,0,0,0,0,0,名2,beijing,,,,,,,"  # another currency: a reject, no letter
    rows = [
        good_row(1),
        no_offer,
        good_row(3),
        good_row(4).replace("AC00004", "AC00001"),  # a duplicate of a kept account with a letter
        good_row(5).replace("AC00005", "AC00002"),  # of one without a letter
        good_row(6).replace("AC00006", "AC00003"),
        good_row(7).replace("AC00007", "AC00003"),  # twice
        good_row(8),
    ]
    # rejects (no letter) filling the first 64 KiB, which the reader takes in one piece with the header;
    # then chunks of about one row each
    filler = [f"R{i:05d},CNY,1x,0,0,0,0,0,{'x' * 200}" for i in range(300)]
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "\n" + "\n".join(filler + rows) + "\n", encoding="utf-8")
    alone = tmp_path / "alone.csv"  # the kept occurrences only
    alone.write_text(HEADER + "\n" + "\n".join([rows[0], rows[1], rows[2], rows[7]]) + "\n", encoding="utf-8")

    def run(portfolio: Path, out: Path, chunk_bytes: int) -> dict:
        opts = BatchOptions(
            str(portfolio), str(out), POLICY, date(2026, 1, 15), workers=1, letters=kind, chunk_bytes=chunk_bytes
        )
        summary, _ = run_batch(opts)
        return summary

    expected = run(alone, tmp_path / "alone", 1 << 16)
    for name, chunk_bytes, order in (("in-order", 1 << 16, None), ("reversed", 200, _later_chunks_first)):
        if order is not None:
            monkeypatch.setattr(runner, "ordered_map", order)
        out = tmp_path / name
        summary = run(path, out, chunk_bytes)
        assert summary["letters_written"] == expected["letters_written"] == 3
        assert _letter_files(out) == _letter_files(tmp_path / "alone"), name
        assert not list(out.rglob(".L*"))
        rejects = (out / "rejects.csv").read_text(encoding="utf-8")
        assert rejects.count("duplicate") == 4


def test_workers_start_with_the_worker_prepared_for_their_run(tmp_path):
    """run_batch makes the worker (engine, letter kit of the run's language, conduct checker) before the
    pool forks; a worker set up for that run takes it, one set up for any other configuration makes its own."""
    from dataclasses import replace

    from plans.batch import work
    from plans.portfolio.reader import Layout

    config = work.WorkerConfig(
        Layout("csv", "utf-8", (), 0), POLICY, "agent", date(2026, 1, 15), "csv", False, str(tmp_path), "txt", "en"
    )
    work.prepare_worker(config)
    prepared = work._prepared
    assert prepared is not None and prepared.letters is not None and "en" in prepared.letters._kits
    work.init_worker(config)
    assert work._worker is prepared
    work.init_worker(replace(config, lang="zh_CN"))
    assert work._worker is not prepared and work._worker.config.lang == "zh_CN"
