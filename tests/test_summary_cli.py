"""End to end: `installment quote` and `installment offers` printing summaries."""

from __future__ import annotations

import cli_process
import io
import json
import os
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from plans.text.formatting import display_width

QUOTE = [
    "quote",
    "--principal",
    "20000",
    "--interest",
    "1500",
    "--late-fees",
    "300",
    "--waive",
    "late_fees=100%",
    "--months",
    "6",
    "--start",
    "2025-01-31",
    "--account",
    "6222021234567890",
    "--holder",
    "张三丰",
    "--summary-date",
    "2025-01-30",
]
CASE = {
    "currency": "CNY",
    "start": "2025-12-01",
    "account": {"ref": "CC-00012345", "name": "王小明"},
    "debt": {"principal": "48000.00", "interest": "3200.00", "penalty_interest": "1500.00", "late_fees": "600.00"},
    "profile": {
        "adults": 2,
        "children": 1,
        "region": "beijing",
        "income": {"salary": "9000.00"},
        "spending": {"housing": "2500.00", "food": "2200.00"},
        "other_debt_payments": "1200.00",
        "savings": "60000.00",
        "hardship_reason": "illness",
        "recovery_date": "2026-06-01",
    },
}


def run(*args, cwd=None):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return cli_process.run(args, cwd=cwd, env=env, text=False, timeout=60)


def test_quote_receipt_in_chinese_fits_32_columns():
    r = run(*QUOTE, "--format", "receipt", "--width", "32")
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "停息分期还款方案" in out and "****7890" in out and "6222021234567890" not in out
    assert max(display_width(line) for line in out.splitlines()) <= 32


def test_quote_files_in_every_format(tmp_path):
    for fmt, lang in (("text", "zh_TW"), ("md", "en"), ("html", "zh_CN"), ("pdf", "zh_CN"), ("sms", "zh_CN")):
        target = tmp_path / f"summary.{fmt}"
        r = run(*QUOTE, "--format", fmt, "--lang", lang, "-o", str(target))
        assert r.returncode == 0, (fmt, r.stderr)
        assert r.stdout == b""
        data = target.read_bytes()
        if fmt == "pdf":
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
            assert "还款计划" in text and "2025年7月31日" in text
        elif fmt == "html":
            HTMLParser().feed(data.decode())
            assert '<html lang="zh-CN">' in data.decode()
        elif fmt == "sms":
            assert data.decode().startswith("【示例银行信用卡中心】")
            assert b"SMS: " in r.stderr and b"UCS-2" in r.stderr and b"segment" in r.stderr
        elif fmt == "text":
            assert "還款計畫" in data.decode()
        else:
            assert "# Installment plan summary" in data.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"summary.{f}" for f in ("text", "md", "html", "pdf", "sms")
    )


def test_unwritable_file_exits_2_and_leaves_nothing(tmp_path):
    missing = tmp_path / "no-such-folder" / "out.pdf"
    r = run(*QUOTE, "--format", "pdf", "-o", str(missing))
    assert r.returncode == 2
    err = r.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "cannot write" in err and "out.pdf" in err and "Traceback" not in err
    r = run(*QUOTE, "--format", "text", "-o", str(tmp_path))  # a folder
    assert r.returncode == 2 and b"cannot write" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    from calc.errors import InstallmentError
    from installment_tui.commands import _render

    target = tmp_path / "s.html"
    target.write_text("old")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_render.os, "replace", fail)
    with pytest.raises(InstallmentError) as exc:
        _render.write_atomically(target, b"new summary")
    assert exc.value.field == "-o" and "No space left on device" in exc.value.message
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["s.html"]


def test_existing_file_is_replaced_whole(tmp_path):
    target = tmp_path / "s.md"
    target.write_text("old")
    r = run(*QUOTE, "--format", "md", "--lang", "en", "-o", str(target))
    assert r.returncode == 0
    assert target.read_text().startswith("# Installment plan summary")
    assert [p.name for p in tmp_path.iterdir()] == ["s.md"]


def test_bad_summary_flags_are_clear(tmp_path):
    r = run(*QUOTE, "--format", "text", "--width", "42")
    assert r.returncode == 2 and b"--width" in r.stderr
    r = run(*QUOTE, "--format", "text", "--lang", "fr")
    assert r.returncode == 2 and b"zh_CN" in r.stderr
    r = run(*QUOTE, "--format", "receipt", "--width", "40")
    assert r.returncode == 2
    target = tmp_path / "never-written.pdf"
    r = run(*QUOTE, "--format", "pdf", "--font", str(tmp_path / "no-such-font.ttf"), "-o", str(target))
    assert r.returncode == 2 and b"--font" in r.stderr and not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_offers_side_by_side_then_in_full(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE, ensure_ascii=False), encoding="utf-8")
    r = run("offers", str(case), "--format", "md", "--lang", "zh_CN")
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "### 方案比较" in out and "| 方案 | 1 | 2 |" in out
    assert out.count("## 方案 ") >= 2 and "\\*\\*\\*\\*2345" in out and "王\\*\\*" in out  # Markdown-escaped
    r = run("offers", str(case), "--format", "sms", "--lang", "en")
    assert r.returncode == 0 and b"SMS 1:" in r.stderr and b"SMS 2:" in r.stderr
    pdf = tmp_path / "offers.pdf"
    r = run("offers", str(case), "--format", "pdf", "--lang", "zh_TW", "-o", str(pdf))
    assert r.returncode == 0, r.stderr
    assert len(PdfReader(str(pdf)).pages) >= 3
