"""Every invalid sheet gets exactly the messages in its `.expected` file; valid ones load."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.batch.sources import find_sheets
from generator.errors import SheetError
from generator.sheet.loader import load_sheet
from tests.conftest import DATA, FRENCH, SAMPLE

INVALID = DATA / "invalid"
CASES = sorted(path.stem for path in INVALID.glob("*.yaml"))


def test_there_are_invalid_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_invalid_sheet_reports_exact_problems(case, monkeypatch):
    monkeypatch.chdir(INVALID)
    expected = (INVALID / f"{case}.expected").read_text(encoding="utf-8").splitlines()
    with pytest.raises(SheetError) as caught:
        load_sheet(f"{case}.yaml")
    assert [str(problem) for problem in caught.value.problems] == expected


@pytest.mark.parametrize("path", [SAMPLE, FRENCH, DATA / "sheets" / "minimal.yaml"])
def test_valid_sheets_load(path):
    sheet = load_sheet(path)
    assert sheet.format == 1
    assert sheet.quiz


def test_slug_defaults_to_the_file_name(tmp_path):
    source = (DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8")
    (tmp_path / "my-sheet.yaml").write_text(source, encoding="utf-8")
    assert load_sheet(tmp_path / "my-sheet.yaml").slug == "my-sheet"


def test_a_file_name_that_cannot_be_a_slug_asks_for_one(tmp_path, monkeypatch):
    source = (DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8")
    (tmp_path / "My Sheet.yaml").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SheetError) as caught:
        load_sheet("My Sheet.yaml")
    assert str(caught.value.problems[0]) == (
        "My Sheet.yaml:1:1: slug: the file name 'My Sheet' cannot be used for output files "
        "(use only lowercase letters a-z, digits and hyphens, like educational-alliances): "
        "add `slug: a-short-name` or rename the file"
    )


def test_yes_no_and_numbers_stay_text(tmp_path):
    source = (DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8")
    source = source.replace('["This one", "That one"]', "[Yes, No, 1.0, null-ish]")
    (tmp_path / "norway.yaml").write_text(source, encoding="utf-8")
    assert load_sheet(tmp_path / "norway.yaml").quiz[0].choices == ["Yes", "No", "1.0", "null-ish"]


def test_missing_file_and_oversized_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SheetError, match=r"nope\.yaml: no such file"):
        load_sheet("nope.yaml")
    (tmp_path / "big.yaml").write_text("title: " + "x" * 2000, encoding="utf-8")
    with pytest.raises(SheetError, match="a sheet may be at most 1,000"):
        load_sheet("big.yaml", max_bytes=1000)


def test_find_sheets_lists_folders_in_order_and_reports_missing_paths(tmp_path):
    for name in ("b.yaml", "a.yml", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    found, problems = find_sheets([tmp_path, tmp_path / "missing.yaml"])
    assert [path.name for path in found] == ["a.yml", "b.yaml"]
    assert len(problems) == 1
    assert problems[0].message == "no such file or folder: check the name"
    assert Path(problems[0].file).name == "missing.yaml"


def test_files_that_are_not_regular_files_are_messages(tmp_path, monkeypatch):
    """A FIFO would block forever, /dev/zero eat memory, a loop crash: each is a message."""
    import os

    monkeypatch.chdir(tmp_path)
    os.mkfifo("pipe.yaml")
    Path("loop.yaml").symlink_to("loop.yaml")
    Path("folder.yaml").mkdir()
    expected = {
        "pipe.yaml": "pipe.yaml: this is a named pipe (FIFO), not a sheet file",
        "/dev/zero": "/dev/zero: this is a device, not a sheet file",
        "loop.yaml": "loop.yaml: this file is a symbolic link that leads round in a loop: "
                     "remove or fix the link",
        "folder.yaml": "folder.yaml: this is a folder, not a sheet file",
    }
    for name, message in expected.items():
        with pytest.raises(SheetError) as caught:
            load_sheet(name)
        assert [str(p) for p in caught.value.problems] == [message]


def test_find_sheets_names_loops_fifos_and_devices(tmp_path, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    Path("sheets").mkdir()
    Path("sheets/good.yaml").write_text("", encoding="utf-8")
    Path("sheets/loop.yaml").symlink_to("loop.yaml")
    os.mkfifo("sheets/pipe.yaml")
    Path("sheets/dangling.yaml").symlink_to("nowhere.yaml")
    Path("solo-loop.yaml").symlink_to("solo-loop.yaml")
    found, problems = find_sheets([Path("sheets"), Path("/dev/zero"), Path("solo-loop.yaml")])
    assert found == [Path("sheets/good.yaml")]
    assert [str(p) for p in problems] == [
        "sheets/loop.yaml: this is a symbolic link that leads round in a loop: remove or fix "
        "the link",
        "sheets/pipe.yaml: this is a named pipe (FIFO), not a sheet file",
        "/dev/zero: this is a device, not a sheet file: name a .yaml file",
        "solo-loop.yaml: this is a symbolic link that leads round in a loop: remove or fix "
        "the link",
    ]


def test_a_fifo_on_the_command_line_does_not_block(tmp_path):
    import os
    import subprocess
    import sys

    os.mkfifo(tmp_path / "some.fifo")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "some.fifo", "-o",
                           "out"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "some.fifo: this is a named pipe (FIFO), not a sheet file: name a .yaml file" in (
        done.stdout + done.stderr)
