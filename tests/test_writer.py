"""Atomic writes: the target is replaced whole or not at all, with no temporary left behind."""

import json

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


@pytest.mark.parametrize("renames, problem", [
    ([["../x.pdf", ".x.pdf.ab12.part"]], "'../x.pdf' is not a plain file name in this folder"),
    ([["/etc/passwd", ".s-quiz.pdf.ab12.part"]],
     "'/etc/passwd' is not a plain file name in this folder"),
    ([["s-quiz.pdf", "../.s-quiz.pdf.ab12.part"]],
     "'../.s-quiz.pdf.ab12.part' is not a plain file name in this folder"),
    ([["s-quiz.pdf\x00", ".s-quiz.pdf.ab12.part"]],
     "'s-quiz.pdf\\x00' is not a plain file name in this folder"),
    ([["other-quiz.pdf", ".other-quiz.pdf.ab12.part"]],
     "'other-quiz.pdf' is not one of the handouts of sheet 's'"),
    ([["s-quiz.pdf", "s-easy-read.pdf"]],
     "'s-easy-read.pdf' is not a temporary file handouts makes for 's-quiz.pdf'"),
    ([["s-quiz.pdf"]], "a rename in it is not a pair of file names"),
    ({"s-quiz.pdf": 1}, "it is not a journal of renames"),
])
def test_recover_refuses_a_journal_that_handouts_did_not_write(tmp_path, renames, problem):
    """Each name must be one of the sheet folder's own handouts or their temporary files:
    else nothing is renamed and the journal stays, with a message naming what is wrong."""
    from generator.documents.writer import JOURNAL, recover

    folder = tmp_path / "s"
    folder.mkdir()
    (tmp_path / "x.pdf").write_bytes(b"outside")
    (folder / ".x.pdf.ab12.part").write_bytes(b"inside")
    (folder / ".s-quiz.pdf.ab12.part").write_bytes(b"new")
    journal = folder / JOURNAL
    journal.write_text(json.dumps({"renames": renames}), encoding="utf-8")
    done = recover(tmp_path)
    assert done.refused == {folder: (
        f"{journal}: a build into {folder} was stopped while putting its files in place and "
        "left this hidden file for the next build to finish the job, but it cannot be "
        f"followed safely ({problem}); nothing it names was touched, and nothing is written "
        f"into {folder} while it is there: check the files in that folder, then delete "
        ".handouts-journal.json and build again")}
    assert (tmp_path / "x.pdf").read_bytes() == b"outside" and journal.is_file()
    assert sorted(p.name for p in folder.iterdir()) == [
        ".handouts-journal.json", ".s-quiz.pdf.ab12.part", ".x.pdf.ab12.part"]


def test_recover_follows_a_journal_of_its_own(tmp_path):
    from generator.documents.writer import JOURNAL, recover

    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "s-quiz-B.pdf").write_bytes(b"old")
    (folder / ".s-quiz-B.pdf.ab_12.part").write_bytes(b"new")
    (folder / JOURNAL).write_text(json.dumps(
        {"renames": [["s-quiz-B.pdf", ".s-quiz-B.pdf.ab_12.part"],
                     ["s-answer-key-before-A.pdf", ".s-answer-key-before-A.pdf.x.part"]]}),
        encoding="utf-8")
    assert recover(tmp_path).refused == {}
    assert sorted(p.name for p in folder.iterdir()) == ["s-quiz-B.pdf"]
    assert (folder / "s-quiz-B.pdf").read_bytes() == b"new"


def test_read_own_follows_no_link_waits_on_no_fifo_and_stops_at_its_limit(tmp_path):
    import os

    from generator.documents.writer import read_own

    (tmp_path / "file").write_bytes(b"12345")
    (tmp_path / "link").symlink_to(tmp_path / "file")
    os.mkfifo(tmp_path / "fifo")
    assert read_own(tmp_path / "file", 5) == b"12345"
    assert read_own(tmp_path / "file", 4) is None
    assert read_own(tmp_path / "link", 5) is None
    assert read_own(tmp_path / "fifo", 5) is None
    assert read_own(tmp_path / "missing", 5) is None
