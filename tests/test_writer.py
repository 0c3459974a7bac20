"""Atomic writes: the target is replaced whole or not at all, with no temporary left behind."""

import pytest

from generator.errors import OutputError
from generator.writer import prepare_folder, write_atomic


def test_write_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("generator.writer.os.replace", broken_replace)
    with pytest.raises(OutputError, match="earlier file, if any, is untouched"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_output_folder_blocked_by_a_file(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(OutputError, match="choose another one with -o"):
        prepare_folder(tmp_path / "out")
