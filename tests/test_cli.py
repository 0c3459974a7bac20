"""The `handouts build` command as a user runs it: files written, messages and exit codes."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import DATA, KIND_NAMES

MINIMAL = DATA / "sheets" / "minimal.yaml"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def sheet(tmp_path):
    target = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, target)
    return target


def outputs(folder, extension="pdf"):
    return {f"minimal-{kind}.{extension}" for kind in KIND_NAMES}


def test_build_writes_four_pdfs_one_line_each(run, sheet, tmp_path):
    result = run("build", str(sheet), "-o", "out")
    assert result.exit_code == 0, result.output
    written = {p.name for p in (tmp_path / "out" / "minimal").iterdir()}
    assert written == outputs(tmp_path)
    lines = result.output.splitlines()
    assert len(lines) == 4
    assert all(line.startswith("wrote out/minimal/minimal-") for line in lines)


def test_default_paths_are_content_and_output(run, sheet, tmp_path):
    (tmp_path / "content").mkdir()
    shutil.move(sheet, tmp_path / "content" / "minimal.yaml")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "output" / "minimal").iterdir()} == outputs(tmp_path)


def test_no_content_folder_is_a_clear_error(run):
    result = run("build")
    assert result.exit_code == 1
    assert "no sheet given and no content/ folder here" in result.output


def test_only_and_html_format(run, sheet, tmp_path):
    result = run("build", str(sheet), "-o", "out", "--only", "quiz,answer-key", "--format", "html")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out" / "minimal").iterdir())
    assert written == ["minimal-answer-key.html", "minimal-quiz.html"]
    html = (tmp_path / "out" / "minimal" / "minimal-quiz.html").read_text(encoding="utf-8")
    assert "Which one is right?" in html and "<style>" in html


def test_letter_paper(run, sheet, tmp_path):
    from pypdf import PdfReader

    assert run("build", str(sheet), "-o", "out", "--paper", "letter",
               "--only", "quiz").exit_code == 0
    box = PdfReader(tmp_path / "out" / "minimal" / "minimal-quiz.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.parametrize("args", [["--only", "poster"], ["--format", "docx"],
                                  ["--paper", "a3"], ["--nope"]])
def test_usage_errors_exit_2(run, sheet, args):
    result = run("build", str(sheet), *args)
    assert result.exit_code == 2


def test_invalid_sheet_exits_1_naming_file_and_line(run, tmp_path):
    shutil.copy(DATA / "invalid" / "answer-not-a-choice.yaml", tmp_path / "bad.yaml")
    result = run("build", "bad.yaml", "-o", "out")
    assert result.exit_code == 1
    assert "bad.yaml:28:13: quiz[1].answer: 'c' is not the letter of a choice" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_missing_path_exits_1(run):
    result = run("build", "nowhere.yaml")
    assert result.exit_code == 1
    assert "nowhere.yaml: no such file or folder" in result.output


def test_a_bad_sheet_does_not_stop_the_others(run, sheet, tmp_path):
    shutil.copy(DATA / "invalid" / "empty.yaml", tmp_path / "empty.yaml")
    result = run("build", "empty.yaml", str(sheet), "-o", "out")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "minimal" / "minimal-quiz.pdf").exists()
    assert "1 sheet could not be built" in result.output


def test_failed_rebuild_leaves_earlier_outputs_byte_identical(run, sheet, tmp_path):
    assert run("build", str(sheet), "-o", "out").exit_code == 0
    folder = tmp_path / "out" / "minimal"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("answer: a", "answer: q"),
                     encoding="utf-8")
    assert run("build", str(sheet), "-o", "out").exit_code == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_render_failure_midway_writes_nothing(run, sheet, tmp_path, monkeypatch):
    from generator import render
    from generator.errors import RenderError

    calls = []
    original = render.Renderer.pdf

    def failing_third(self, html, **options):
        calls.append(1)
        if len(calls) == 3:
            raise RenderError("boom")
        return original(self, html, **options)

    monkeypatch.setattr(render.Renderer, "pdf", failing_third)
    result = run("build", str(sheet), "-o", "out")
    assert result.exit_code == 1
    assert "boom" in result.output
    assert not any((tmp_path / "out").rglob("*.pdf"))


def test_output_folder_that_is_a_file(run, sheet, tmp_path):
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    result = run("build", str(sheet), "-o", "out")
    assert result.exit_code == 1
    assert "out" in result.output and "Traceback" not in result.output


def test_version_and_help(run):
    assert run("--version").exit_code == 0
    help_text = run("build", "--help").output
    for option in ("--output", "--only", "--format", "--paper"):
        assert option in help_text


def test_check_reports_warnings_and_passes_unless_strict(run, sheet):
    result = run("check", str(sheet))
    assert result.exit_code == 0, result.output
    assert "minimal.yaml:26:5: warning: quiz[1]: no `explanation`" in result.output
    assert "minimal.yaml: valid, 4 warnings (easy-read: Flesch reading ease" in result.output
    strict = run("check", "--strict", str(sheet))
    assert strict.exit_code == 1
    assert "--strict: warnings count" in strict.output


def test_check_reports_every_error_and_exits_1(run, tmp_path):
    shutil.copy(DATA / "invalid" / "several-problems.yaml", tmp_path / "bad.yaml")
    result = run("check", "bad.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines()[:3] == [
        "bad.yaml:28:13: quiz[1].answer: 'z' is not the letter of a choice: write one of a, b",
        "bad.yaml:29:5: quiz[1].explanaton: unknown field `explanaton`: did you mean "
        "`explanation`?",
        "bad.yaml: invalid, 2 problems",
    ]


def test_new_then_check_then_build(run, tmp_path):
    result = run("new", "screens-and-sleep", "--lang", "fr")
    assert result.exit_code == 0, result.output
    target = tmp_path / "content" / "screens-and-sleep.yaml"
    assert target.exists()
    assert run("check", "--strict").exit_code == 0
    assert run("new", "screens-and-sleep").exit_code == 1
    assert run("build", "--only", "quiz").exit_code == 0


def test_schema_prints_json(run):
    import json

    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.output)["properties"]["quiz"]["description"]


def test_missing_glyph_warns_with_the_sheet_name_and_strict_fails(run, sheet, tmp_path):
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("A minimal sheet",
                                                               "A minimal \ue000 sheet"),
                     encoding="utf-8")
    result = run("build", str(sheet), "-o", "out", "--only", "quiz")
    assert result.exit_code == 0
    assert "minimal.yaml: minimal-quiz.pdf: the character" in result.output
    assert "(U+E000)" in result.output
    strict = run("build", str(sheet), "-o", "strict", "--only", "quiz", "--strict")
    assert strict.exit_code == 1
    assert not (tmp_path / "strict").exists()
