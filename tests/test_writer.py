"""Atomic writes: the target is replaced whole or not at all, with no temporary left behind."""

import pytest

from generator.documents.writer import prepare_folder, write_atomic
from generator.errors import OutputError


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

    monkeypatch.setattr("generator.documents.writer.os.replace", broken_replace)
    with pytest.raises(OutputError, match="earlier file, if any, is untouched"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_output_folder_blocked_by_a_file(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(OutputError, match="choose another one with -o"):
        prepare_folder(tmp_path / "out")


def test_a_set_is_written_whole(tmp_path):
    from generator.documents.writer import write_set

    write_set([(tmp_path / "a.pdf", b"A"), (tmp_path / "b.pdf", b"B")], {"sheet": "s"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]
    assert (tmp_path / "b.pdf").read_bytes() == b"B"


def test_recover_removes_what_a_killed_build_left_and_nothing_else(tmp_path):
    from generator.documents.writer import Recovered, recover

    sheet = tmp_path / "s"
    sheet.mkdir()
    for name in (".s-quiz.pdf.k2j4.part", ".s-quiz.pdf.x9.old", "s-quiz.pdf", "notes.part",
                 ".hidden"):
        (sheet / name).write_bytes(b"x")
    (tmp_path / ".handouts-manifest.json.q1.part").write_bytes(b"{")
    assert recover(tmp_path) == Recovered()
    assert sorted(p.name for p in sheet.iterdir()) == [".hidden", "notes.part", "s-quiz.pdf"]
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []
