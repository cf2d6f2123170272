"""The layers point down: calc and plans never import Textual, and neither do
`installment quote` or the batch exporter (a subprocess checks sys.modules)."""

import json
import pkgutil
import subprocess
import sys

import calc
import plans


def _modules(pkg):
    return [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_calc_imports_nothing_but_stdlib_dateutil_and_babel():
    mods = _modules(calc)
    found = _run(
        "import importlib, json, sys\n"
        f"for m in {mods!r}: importlib.import_module(m)\n"
        "bad = sorted({n.split('.')[0] for n in sys.modules} & {'textual', 'rich', 'sqlite3', 'plans', 'installment_tui', 'reportlab'})\n"
        "print(json.dumps(bad))"
    )
    assert found == []


def test_plans_never_imports_textual():
    mods = _modules(plans)
    found = _run(
        "import importlib, json, sys\n"
        f"for m in {mods!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'installment_tui'))))"
    )
    assert found == []


def test_quote_command_does_not_import_textual():
    found = _run(
        "import io, json, sys, contextlib\n"
        "from installment_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['quote', '--principal', '1000', '--months', '3', '--format', 'json'])\n"
        "print(json.dumps([rc, 'textual' in sys.modules]))"
    )
    assert found == [0, False]


def test_starting_the_command_line_imports_no_heavy_package():
    """Every command first builds the whole parser (what `installment --help` does): that start-up leaves
    the array, PDF, database and console packages to the commands that use them."""
    found = _run(
        "import json, sys\n"
        "from installment_tui.cli import build_parser\n"
        "build_parser()\n"
        "heavy = ('numpy', 'pyarrow', 'reportlab', 'textual', 'psycopg', 'sqlite3', 'holidays', 'chinese_calendar')\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules} & set(heavy))))"
    )
    assert found == []


def test_the_summaries_and_the_offer_words_import_no_numpy():
    """`agreement show`, `monitor` and every printed summary import plans.summary, which reads the offers'
    words (plans.offers.words): neither loads the offer engine's arrays (numpy) or the other heavy
    packages; ``plans.offers`` loads its engine when a name of it is first used."""
    found = _run(
        "import json, sys\n"
        "import plans.summary, plans.offers.words, plans.offers\n"
        "heavy = ('numpy', 'pyarrow', 'reportlab', 'textual', 'psycopg', 'sqlite3')\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules} & set(heavy))))"
    )
    assert found == []


def test_the_offers_package_loads_its_names_when_used():
    found = _run(
        "import json, sys\n"
        "import plans.offers as o\n"
        "names = [n for n in o.__all__ if getattr(o, n) is None]\n"
        "print(json.dumps(names + (['numpy missing'] if 'numpy' not in sys.modules else [])))"
    )
    assert found == []
