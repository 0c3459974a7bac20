"""Every invalid sheet gets exactly the messages in its `.expected` file; valid ones load."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import SheetError
from generator.loader import load_sheet
from generator.sources import find_sheets
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
        "My Sheet.yaml:1:1: slug: the file name 'My Sheet' cannot be used for output files: "
        "add `slug: a-short-name` (lowercase letters, digits, hyphens) or rename the file"
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
