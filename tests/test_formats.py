"""Output formats as a registry (documents/formats.py), and the public entry points that the
warm workers use (#23, items 2 and 4)."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import api
from generator.cli import cli
from generator.documents.formats import FORMATS, Format, Handout, Rendered, register
from generator.errors import OptionsError
from tests.conftest import DATA

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def _private_reaches(path: Path) -> list[str]:
    """Every private name a module takes from another: imported (`from .build import _x`)
    or read as an attribute of something else than itself (`renderer._x`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found += [f"{node.module}.{alias.name}" for alias in node.names
                      if alias.name.startswith("_")]
        elif (isinstance(node, ast.Attribute) and node.attr.startswith("_")
              and not node.attr.startswith("__")
              and not (isinstance(node.value, ast.Name) and node.value.id == "self")):
            found.append(f"{ast.unparse(node.value)}.{node.attr}")
    return found


def test_warm_workers_use_only_public_entry_points():
    assert _private_reaches(PACKAGE / "batch" / "warm.py") == []


MINIMAL = DATA / "sheets" / "minimal.yaml"
# A format chosen by comparing its name: what the registry replaces.
SPECIAL_CASE = re.compile(r"\bfmt\s*(==|!=)|\.fmt\s+(not\s+)?in\b")


class _Text(HTMLParser):
    """The text of an HTML document, each piece on its own line (no style, no script)."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skipping -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.pieces.append(data.strip())


def _txt_handout(handout: Handout) -> Rendered:
    """The throw-away format's renderer: the handout's HTML as plain text."""
    parser = _Text()
    parser.feed(handout.renderer.html(handout.kind, handout.view, handout.paper,
                                      handout.print_shop))
    return Rendered(data="\n".join(parser.pieces).encode("utf-8"))


@pytest.fixture
def txt_format():
    """A format added as a contributor would: one registry entry and its renderer."""
    fmt = register(Format("txt", "txt", _txt_handout, "the handouts' text"))
    try:
        yield fmt
    finally:
        del FORMATS[fmt.name]


def test_no_format_is_a_special_case_outside_the_registry():
    found = [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
             for path in sorted(PACKAGE.rglob("*.py")) if path.name != "formats.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if SPECIAL_CASE.search(line)]
    assert found == []


def test_a_new_format_is_one_entry_and_its_renderer(txt_format, tmp_path):
    sheet = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    result = api.build([MINIMAL], tmp_path / "out", fmt="txt")
    assert result.ok, [str(f) for f in result.failures]
    folder = tmp_path / "out" / "minimal"
    assert sorted(p.name for p in folder.iterdir()) == [
        "minimal-answer-key.txt", "minimal-easy-read.txt", "minimal-full-analysis.txt",
        "minimal-quiz.txt"]
    quiz = (folder / "minimal-quiz.txt").read_text(encoding="utf-8").splitlines()
    question = sheet["quiz"][0]
    assert question["question"] in quiz
    assert all(choice in quiz for choice in question["choices"])
    easy = (folder / "minimal-easy-read.txt").read_text(encoding="utf-8").splitlines()
    assert sheet["easy_read"]["summary"][0]["lines"][0] in easy
    # the record of incremental builds trusts the new format's files: nothing is made again
    again = api.build([MINIMAL], tmp_path / "out", fmt="txt")
    assert again.written == []
    assert sorted(again.unchanged) == sorted(folder.iterdir())


def test_a_format_makes_only_the_kinds_it_says(tmp_path):
    fmt = register(Format("quiz-text", "txt", _txt_handout, "the quiz's text",
                          makes=lambda kind: kind.name == "quiz"))
    try:
        result = api.build([MINIMAL], tmp_path / "out", fmt="quiz-text")
        with pytest.raises(OptionsError) as refused:
            api.build([MINIMAL], tmp_path / "out", fmt="quiz-text", only=("easy-read",))
    finally:
        del FORMATS[fmt.name]
    assert [output.path.name for output in result.written] == ["minimal-quiz.txt"]
    assert str(refused.value) == ("the quiz-text format does not make easy-read: leave it "
                                  "out of --only, or choose another --format")


def test_an_unknown_format_is_refused_by_the_api(tmp_path):
    with pytest.raises(OptionsError) as refused:
        api.build([MINIMAL], tmp_path / "out", fmt="odt")
    assert str(refused.value) == ("fmt='odt': choose among pdf, html, web, docx, moodle, gift, "
                                  "qti, kahoot")
    assert not (tmp_path / "out").exists()


def test_the_command_line_offers_the_registered_formats(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(MINIMAL), "-o", str(tmp_path / "out"),
                                      "--format", "odt"])
    assert result.exit_code == 2
    assert "'odt' is not one of 'pdf', 'html', 'web', 'docx'" in result.output
