import os
import stat

import pytest

from plans.files import write_atomic


def test_writes_whole_readable_by_the_owner_only_whatever_the_umask(tmp_path, monkeypatch):
    old = os.umask(0)
    try:
        target = write_atomic(tmp_path / "a.txt", "分期 summary")
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == "分期 summary"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    monkeypatch.setenv("INSTALLMENT_FILE_MODE", "group")
    write_atomic(tmp_path / "b.bin", b"%PDF")
    assert stat.S_IMODE((tmp_path / "b.bin").stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "keep.txt"
    target.write_text("old")

    def boom(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("plans.files.os.replace", boom)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, "x")
