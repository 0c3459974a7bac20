"""Pre-tests do not give answers away (#24 item 9): the Before quiz of --pre-post prints no
page references and no sentence about them; --page-refs/--no-page-refs decides for a single
quiz. The page references expected are written out from the YAML's `pages` here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from generator.api import build
from tests.conftest import DATA

NO_EXTRAS = DATA / "sheets" / "no-extras.yaml"
PAGES_SENTENCE = "The page numbers show where the answer is in the document."


def _text(path: Path) -> str:
    return " ".join("\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
                    .split())


def _printed_references() -> list[str]:
    """The quiz's page references as en.toml prints them: "p. 6", "pp. 12–14"."""
    quiz = yaml.safe_load(NO_EXTRAS.read_text(encoding="utf-8"))["quiz"]
    return [("pp. " + q["pages"].replace("-", "–")) if "-" in q["pages"] else f"p. {q['pages']}"
            for q in quiz if q.get("pages")]


@pytest.fixture(scope="module")
def pre_post(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("pre-post")
    result = build([NO_EXTRAS], output, only=("quiz", "answer-key"), pre_post=True)
    assert result.ok, [str(f) for f in result.failures]
    return output / "no-extras"


def test_the_before_quiz_prints_no_page_reference(pre_post):
    references = _printed_references()
    assert len(references) == 4
    before = _text(pre_post / "no-extras-quiz-before.pdf")
    assert [ref for ref in references if ref in before] == []
    assert "Tick one answer per question." in before
    assert PAGES_SENTENCE not in before


def test_the_after_quiz_and_both_keys_keep_them(pre_post):
    references = _printed_references()
    after = _text(pre_post / "no-extras-quiz-after.pdf")
    assert [ref for ref in references if ref in after] == references
    assert PAGES_SENTENCE in after
    for phase in ("before", "after"):  # the facilitator's key says where each answer is
        key = _text(pre_post / f"no-extras-answer-key-{phase}.pdf")
        assert [ref for ref in references if ref in key] == references


def test_no_page_refs_leaves_them_out_of_a_single_quiz(run, tmp_path):
    result = run("build", str(NO_EXTRAS), "-o", "out", "--only", "quiz", "--no-page-refs")
    assert result.exit_code == 0, result.output
    quiz = _text(tmp_path / "out" / "no-extras" / "no-extras-quiz.pdf")
    assert [ref for ref in _printed_references() if ref in quiz] == []
    assert PAGES_SENTENCE not in quiz
    result = run("build", str(NO_EXTRAS), "-o", "with", "--only", "quiz", "--page-refs")
    assert result.exit_code == 0, result.output
    quiz = _text(tmp_path / "with" / "no-extras" / "no-extras-quiz.pdf")
    assert [ref for ref in _printed_references() if ref in quiz] == _printed_references()
    assert PAGES_SENTENCE in quiz


def test_the_option_is_declared_once_for_the_command_line_settings_and_starter(run, tmp_path):
    assert "--page-refs / --no-page-refs" in run("build", "--help").output
    schema = json.loads(run("schema", "--settings").output)
    assert schema["properties"]["quiz"]["properties"]["page_refs"]["type"] == "boolean"
    assert run("init", "project").exit_code == 0
    assert "page_refs = true" in (tmp_path / "project" / "handouts.toml").read_text()


def test_the_settings_turn_them_off(tmp_path, monkeypatch):
    (tmp_path / "handouts.toml").write_text("[quiz]\npage_refs = false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HANDOUTS_SETTINGS")
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, ["build", str(NO_EXTRAS), "-o", "out", "--only", "quiz"])
    assert result.exit_code == 0, result.output
    quiz = _text(tmp_path / "out" / "no-extras" / "no-extras-quiz.pdf")
    assert [ref for ref in _printed_references() if ref in quiz] == []
