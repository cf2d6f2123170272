"""Every example in the README and docs/*.md runs, so the documentation cannot rot.

Python code blocks run as they are, each in its own interpreter, in the scratch
folder described below.

Shell code blocks (```sh, ```bash or plain ```) are read in order; each
``installment ...`` command (with its ``\\`` continuation lines) runs through bash
(the installed script, started as a user starts it), a page's commands in order in
a scratch folder of that page's own (a reader may open any page first; each page
is a test of its own, so the pages run side by side) holding a copy of
``examples/`` (so ``policy show > bank.toml`` then ``offers ... --policy
bank.toml`` work as written), with the database and ``/tmp/`` paths kept inside
that folder.  Not run: synopses (they
show optional parts in ``[...]``), commands with ``...`` standing for flags left
out, and the interactive consoles (``agent``, ``kiosk``), which the TUI tests
drive.  A command passes when it shows no traceback and does not exit 2 (invalid
input: the example would be wrong); ``import`` of the sample portfolio exits 1 by
design (it holds bad rows to show the rejects).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHELL_BLOCKS = ("", "sh", "bash", "shell", "console")
INTERACTIVE = ("agent", "kiosk")
#: A command line whose input is piped into installment (e.g. a password for `installment users`).
_PIPED = re.compile(r"^(printf|echo) .*\|\s*installment\s")


def documents() -> list[Path]:
    """The README, then the pages of docs/ in the order the README links them (a newcomer's reading
    order: later pages use files earlier ones wrote), then any page it does not link."""
    readme = ROOT / "README.md"
    linked = [
        ROOT / link for link in dict.fromkeys(re.findall(r"\]\((docs/[^)#]+\.md)", readme.read_text(encoding="utf-8")))
    ]
    pages = [p for p in linked if p.exists()]
    return [readme, *pages, *sorted(p for p in (ROOT / "docs").glob("**/*.md") if p not in pages)]


def code_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(info string, lines) of every fenced code block of a Markdown text, in order."""
    out, block, lines = [], None, []
    for line in text.splitlines():
        fence = re.match(r"^\s*```(\S*)\s*$", line)
        if fence:
            if block is None:
                block, lines = fence.group(1).lower(), []
            else:
                out.append((block, lines))
                block = None
        elif block is not None:
            lines.append(line)
    return out


def commands(text: str) -> list[str]:
    """The ``installment`` commands of the shell code blocks of a Markdown text, in order."""
    return [cmd for info, lines in code_blocks(text) if info in SHELL_BLOCKS for cmd in _block_commands(lines)]


def _block_commands(lines: list[str]) -> list[str]:
    found, current = [], None
    for line in lines:
        stripped = line.strip()
        if current is not None:
            current += " " + stripped.rstrip("\\").strip()
            if not stripped.endswith("\\"):
                found.append(current)
                current = None
            continue
        if stripped.startswith("installment") or _PIPED.match(stripped):
            if stripped.endswith("\\"):
                current = stripped.rstrip("\\").strip()
            else:
                found.append(stripped)
    return found


def subcommand(cmd: str) -> str:
    """The word after ``installment`` (a command may be piped into it: ``printf ... | installment ...``)."""
    words = cmd.split()
    at = words.index("installment") if "installment" in words else len(words)
    return words[at + 1] if at + 1 < len(words) else ""


def runnable(cmd: str) -> bool:
    sub = subcommand(cmd)
    return "..." not in cmd and "[-" not in cmd and "(--" not in cmd and sub not in INTERACTIVE


EXAMPLES = [
    (doc.relative_to(ROOT).as_posix(), cmd) for doc in documents() for cmd in commands(doc.read_text(encoding="utf-8"))
]
PYTHON = [
    (doc.relative_to(ROOT).as_posix(), "\n".join(lines))
    for doc in documents()
    for info, lines in code_blocks(doc.read_text(encoding="utf-8"))
    if info == "python"
]


def test_the_documents_have_examples():
    # the README shows every non-interactive command; if this drops, the parser above broke
    ran = [cmd for _, cmd in EXAMPLES if runnable(cmd)]
    subcommands = {subcommand(cmd) for cmd in ran}
    assert len(ran) >= 20, ran
    assert {"quote", "offers", "negotiate", "policy", "batch", "import", "demo-data", "db", "audit"} <= subcommands


#: The pages with commands to run, in reading order.
PAGES = list(dict.fromkeys(doc for doc, cmd in EXAMPLES if runnable(cmd)))


@pytest.fixture
def scratch(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "tmp").mkdir()
    return tmp_path


def _run(cmd: str, scratch: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSTALLMENT_")}
    env.update(
        INSTALLMENT_DB=str(scratch / "default.db"),
        XDG_DATA_HOME=str(scratch / "data"),
        XDG_CONFIG_HOME=str(scratch / "config"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    cmd = cmd.replace("/tmp/", f"{scratch}/tmp/")
    return subprocess.run(
        ["bash", "-c", f"set -o pipefail; {cmd}"], cwd=scratch, env=env, capture_output=True, timeout=300
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_example_runs(page, scratch):
    """All examples of a page in order, in one scratch folder (later ones use files earlier ones wrote)."""
    failures = []
    for doc, cmd in EXAMPLES:
        if doc != page or not runnable(cmd):
            continue
        r = _run(cmd, scratch)
        err = r.stderr.decode("utf-8", "replace")
        allowed = (0, 1) if subcommand(cmd) == "import" else (0,)
        if r.returncode not in allowed or "Traceback" in err:
            failures.append(f"{doc}: {cmd}\n  exit {r.returncode}: {err.strip()[-600:]}")
    assert not failures, "\n".join(failures)


def test_the_documents_have_python_examples():
    assert len(PYTHON) >= 3


@pytest.mark.parametrize(("doc", "code"), PYTHON, ids=[f"{doc}-{n}" for n, (doc, _) in enumerate(PYTHON)])
def test_every_python_example_runs(doc, code, scratch):
    r = subprocess.run(
        [sys.executable, "-c", code],
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "INSTALLMENT_DB": str(scratch / "default.db")},
    )
    assert r.returncode == 0, f"{doc}:\n{code}\n  {r.stderr.strip()[-800:]}"
