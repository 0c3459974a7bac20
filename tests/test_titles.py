"""Titles are printed whole, and the leaflet never opens with the technical title (#24 items
2 and 8). The expected texts come from the YAML files and the locale words written out here;
the printed ones are read back from the PDFs (pdfplumber, pypdf)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from generator.api import build, check
from tests.conftest import DATA, MM, SAMPLE

NO_EXTRAS = DATA / "sheets" / "no-extras.yaml"


def _heading(path: Path, size: float, page: int = 0) -> list[str]:
    """The lines of the bold text set at `size` pt on one page (a title), top to bottom."""
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[page].chars
                 if "Bold" in c["fontname"] and abs(c["size"] - size) < 0.3]
    rows: dict[int, list[dict]] = {}
    for char in chars:
        rows.setdefault(round(char["top"]), []).append(char)
    lines, previous = [], None
    for top, row in sorted(rows.items()):
        if previous is not None and top - previous > 2 * size:
            break  # the title's block ends (an answer key's grid follows in the same type)
        previous = top
        row.sort(key=lambda c: c["x0"])
        text, last = "", None
        for char in row:
            if last is not None and char["x0"] - last > char["size"] * 0.15:
                text += " "
            text += char["text"]
            last = char["x1"]
        lines.append(" ".join(text.split()))
    return lines


def _first_paragraph_after(path: Path, heading: str) -> str:
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[0].extract_text() or ""
    lines = text.splitlines()
    return lines[[" ".join(line.split()) for line in lines].index(heading) + 1].strip()


def _sheet(tmp_path: Path, change: dict, easy: dict | None = None) -> Path:
    """no-extras.yaml with some fields changed, in a folder of its own."""
    data = yaml.safe_load(NO_EXTRAS.read_text(encoding="utf-8"))
    data.update(change)
    data["easy_read"].update(easy or {})
    path = tmp_path / "no-extras.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _built(source: Path, output: Path, kinds: tuple[str, ...]) -> Path:
    result = build([source], output, only=kinds)
    assert result.ok, [str(f) for f in result.failures]
    return output / "no-extras"


@pytest.fixture(scope="module")
def no_extras(tmp_path_factory) -> Path:
    return _built(NO_EXTRAS, tmp_path_factory.mktemp("no-extras"),
                  ("easy-read", "quiz", "answer-key", "full-analysis"))


def test_a_leaflet_without_a_plain_title_opens_with_a_short_plain_heading(no_extras):
    data = yaml.safe_load(NO_EXTRAS.read_text(encoding="utf-8"))
    leaflet = no_extras / "no-extras-easy-read.pdf"
    heading = _heading(leaflet, 26)
    assert heading == ["What the report says"]  # en.toml's plain heading, one line
    printed = " ".join((PdfReader(leaflet).pages[0].extract_text() or "").split())
    assert data["title"].split(":")[0] not in printed  # not even the title's first phrase
    assert _first_paragraph_after(leaflet, "What the report says") \
        == "This leaflet explains a report."
    info = PdfReader(leaflet)
    assert info.metadata.title == "What the report says — Easy to read"
    assert info.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_the_short_title_opens_the_leaflet_and_titles_the_quiz_key_and_header(tmp_path):
    short = "Loneliness after 75"
    source = _sheet(tmp_path, {"short_title": short})
    folder = _built(source, tmp_path / "out",
                    ("easy-read", "quiz", "answer-key", "full-analysis"))
    leaflet = folder / "no-extras-easy-read.pdf"
    assert _heading(leaflet, 26) == [short]
    assert _first_paragraph_after(leaflet, short) \
        == "This leaflet explains a report about loneliness after 75."
    assert PdfReader(leaflet).metadata.title == f"{short} — Easy to read"
    for kind in ("quiz", "answer-key"):
        assert _heading(folder / f"no-extras-{kind}.pdf", 15) == [short]
    assert _running_header(folder / "no-extras-full-analysis.pdf").startswith(short)


def test_the_authors_introduction_replaces_the_made_one(tmp_path):
    introduction = "Many old people feel alone. This leaflet says what helps."
    source = _sheet(tmp_path, {}, {"title": "Feeling alone after 75",
                                   "introduction": introduction})
    leaflet = _built(source, tmp_path / "out", ("easy-read",)) / "no-extras-easy-read.pdf"
    assert _heading(leaflet, 26) == ["Feeling alone after 75"]
    text = " ".join((PdfReader(leaflet).pages[0].extract_text() or "").split())
    assert introduction in text
    assert "This leaflet explains" not in text


@pytest.mark.parametrize(("source", "sentence"), [
    (DATA.parent.parent / "content" / "competences-psychosociales.yaml",
     "Ce document explique un rapport sur les compétences de vie."),
    (DATA.parent.parent / "content" / "estrategia-promocion-salud.yaml",
     "Este folleto explica un informe sobre un plan para vivir con salud."),
])
def test_the_first_sentence_is_in_the_sheets_language(source, sentence):
    from generator.sheet.loader import load
    from generator.view.sheetview import build_view

    assert build_view(load(source).sheet).easy_read.explains == sentence


def _warnings(path: Path) -> list[str]:
    return [f"{w.line}: {w.path}: {w.message}" for w in check(path).sheets[0].warnings]


def _line_of(path: Path, start: str) -> int:
    return next(number for number, line in enumerate(
        path.read_text(encoding="utf-8").splitlines(), start=1) if line.startswith(start))


def test_check_says_at_its_line_that_the_plain_title_is_missing():
    line = _line_of(NO_EXTRAS, "easy_read:") + 1  # where the section's fields begin
    assert (f"{line}: easy_read: no plain title: the document's title is too long for it, so "
            "the leaflet opens with \"What the report says\"; add `title:` under `easy_read:` "
            "with a plain title of a few everyday words, e.g. \"Screens and sleep\""
            ) in _warnings(NO_EXTRAS)


def test_quiz_and_key_print_the_whole_title_when_there_is_no_short_title(no_extras):
    title = " ".join(yaml.safe_load(NO_EXTRAS.read_text(encoding="utf-8"))["title"].split())
    for kind in ("quiz", "answer-key"):
        printed = " ".join(_heading(no_extras / f"no-extras-{kind}.pdf", 15))
        assert printed == title, kind  # whole: no "…", not cut at the colon


def _running_header(path: Path) -> str:
    """What the top band of the second page prints (the first has no running header)."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[1]
        band = page.filter(lambda obj: obj.get("bottom", 0) < 21 * MM)
        return " ".join((band.extract_text() or "").split())


def test_the_running_header_never_cuts_a_title(no_extras):
    header = _running_header(no_extras / "no-extras-full-analysis.pdf")
    assert "…" not in header
    assert "Loneliness" not in header  # the 163-character title is not cut to fit
    assert "RESOURCE ANALYSIS SHEET" in header.upper()  # the header still names the handout


def test_check_asks_for_a_short_title_when_the_title_does_not_fit():
    line = _line_of(NO_EXTRAS, "title:")
    expected = (f"{line}: title: no `short_title`: it takes 5 lines on the quiz and answer "
                "key, where a title has 2 at most; it is too long for the running header at "
                "the top of the pages, which is left without a title. Titles are never cut: "
                "add `short_title:` with a shorter title of the document, at most 60 "
                "characters")
    assert expected in _warnings(NO_EXTRAS)
    assert not [w for w in _warnings(SAMPLE) if "short_title" in w]  # the sample has one
