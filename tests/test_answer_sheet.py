"""The machine-readable answer sheet: corner marks, a QR code naming sheet, edition, page and
paper, a participant code, one line of 5 mm boxes per question, one page up to 30 questions on
A4 and Letter; and the scanner's geometry, read from the layout rendered again, agrees with
the rectangles the PDF draws (read back with pdfplumber, independently of the layout)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2
import pytest
import yaml
from conftest import SAMPLE

from generator.api import build, options
from generator.scan.geometry import Layouts
from generator.view.quizview import ScanCode

MM = 72 / 25.4  # PDF points a millimetre


def _sheet_with(tmp_path: Path, questions: int) -> Path:
    """The sample with `questions` questions (its five repeated, each worded apart)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    quiz = data["quiz"]
    data["quiz"] = [dict(copy.deepcopy(quiz[n % len(quiz)]),
                         question=f"{quiz[n % len(quiz)]['question']} ({n + 1})")
                    for n in range(questions)]
    path = tmp_path / "sheet.yaml"
    if not (tmp_path / "pictograms").exists():
        shutil.copytree(SAMPLE.parent / "pictograms", tmp_path / "pictograms")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def thirty(tmp_path_factory) -> tuple[Path, Path]:
    """A 30-question sheet's answer sheets (two versions) on A4 and Letter."""
    folder = tmp_path_factory.mktemp("thirty")
    sheet = _sheet_with(folder, 30)
    for paper in ("a4", "letter"):
        result = build([sheet], folder / paper, options(versions=2, seed="3", answer_sheet=True,
                                                        only=("answer-sheet",), paper=paper))
        assert result.ok, [str(f) for f in result.failures]
    return sheet, folder


def _qr_text(pdf: Path, page: int = 0) -> str:
    document = pypdfium2.PdfDocument(pdf)
    image = document[page].render(scale=200 / 72, grayscale=True).to_numpy()
    document.close()
    gray = np.ascontiguousarray(image[:, :, 0] if image.ndim == 3 else image)
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(gray)
    return str(text)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_thirty_questions_fit_one_page_with_a_box_per_letter(thirty, paper):
    _, folder = thirty
    slug = "educational-alliances"
    pdf = folder / paper / slug / f"{slug}-answer-sheet-A.pdf"
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == 1
        page = document.pages[0]
        squares = {(round(r["x0"], 1), round(r["top"], 1), round(r["width"], 2))
                   for r in page.rects if 4 * MM <= r["width"] <= 7 * MM
                   and abs(r["width"] - r["height"]) < 0.2}
        # 30 questions of four choices, and the participant code's 4 rows of 10 digits
        assert len([r for r in squares if abs(r[2] - 5 * MM) < 0.1]) == 30 * 4
        assert len([r for r in squares if abs(r[2] - 4.5 * MM) < 0.1]) == 4 * 10
        text = page.extract_text()
    assert "Participant code" in text
    for number in (1, 15, 16, 30):
        assert f"{number} A B C D" in " ".join(text.split()) or f"{number} A" in text


def test_the_qr_code_names_sheet_edition_page_paper_and_the_quiz(thirty):
    _, folder = thirty
    slug = "educational-alliances"
    codes = {}
    for paper in ("a4", "letter"):
        for version in "AB":
            text = _qr_text(folder / paper / slug / f"{slug}-answer-sheet-{version}.pdf")
            parts = text.split("|")
            assert parts[:6] == ["HO1", slug, version, "", "1", paper], text
            assert len(parts[6]) == 8
            codes[(paper, version)] = parts[6]
    # the digest follows the edition (its order of questions and choices), not the paper
    assert codes[("a4", "A")] == codes[("letter", "A")] != codes[("a4", "B")]


def test_the_layout_read_again_is_where_the_pdf_draws_its_boxes_and_marks(thirty):
    """Every box and mark of the scanner's geometry is a rectangle the PDF draws, at the
    same place within 0.1 mm (pdfplumber reads the PDF; the geometry comes from the engine's
    layout of a new render)."""
    sheet, folder = thirty
    slug = "educational-alliances"
    layouts = Layouts(sheet, options(versions=2, seed="3", answer_sheet=True))
    for paper in ("a4", "letter"):
        for edition in layouts.editions():
            layout = layouts.layout(edition, paper)
            assert len(layout.pages) == 1 and layout.questions == 30
            geometry = layout.pages[0]
            pdf = folder / paper / slug / f"{slug}-answer-sheet-{edition.name}.pdf"
            with pdfplumber.open(pdf) as document:
                rects = [(r["x0"] / MM, r["top"] / MM, r["width"] / MM, r["height"] / MM)
                         for r in document.pages[0].rects]
            wanted = [*geometry.boxes.values(), *geometry.code.values(),
                      *geometry.marks.values()]
            assert len(geometry.boxes) == 120 and len(geometry.code) == 40
            for rect in wanted:
                assert any(abs(x - rect.x) < 0.1 and abs(y - rect.y) < 0.1
                           and abs(w - rect.width) < 0.1 and abs(h - rect.height) < 0.1
                           for x, y, w, h in rects), (paper, edition.name, rect)
            # the marks enclose every box, and boxes of one line share their height
            left = min(m.x for m in geometry.marks.values())
            right = max(m.x + m.width for m in geometry.marks.values())
            top = min(m.y for m in geometry.marks.values())
            bottom = max(m.y + m.height for m in geometry.marks.values())
            for rect in wanted:
                assert left <= rect.x and rect.x + rect.width <= right
                assert top <= rect.y and rect.y + rect.height <= bottom
            for number in geometry.questions:
                tops = {round(geometry.boxes[(number, letter)].y, 2)
                        for letter in geometry.letters(number)}
                assert len(tops) == 1 and geometry.letters(number) == list("ABCD")


def test_a_thirty_first_question_starts_a_second_page_with_its_own_code(tmp_path):
    sheet = _sheet_with(tmp_path, 31)
    result = build([sheet], tmp_path / "out", options(answer_sheet=True, only=("answer-sheet",)))
    assert result.ok
    pdf = tmp_path / "out" / "educational-alliances" / "educational-alliances-answer-sheet.pdf"
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == 2
    first, second = ScanCode.parse(_qr_text(pdf, 0)), ScanCode.parse(_qr_text(pdf, 1))
    assert first is not None and second is not None
    assert (first.page, second.page) == (1, 2) and first.digest == second.digest
    layout = Layouts(sheet, options(answer_sheet=True)).layout(
        Layouts(sheet, options()).editions()[0], "a4")
    assert [page.questions for page in layout.pages] == [list(range(1, 31)), [31]]


def test_scan_codes_read_back_and_others_are_refused():
    code = ScanCode("my-sheet", "B", "before", 2, "letter", "0123abcd")
    assert code.payload() == "HO1|my-sheet|B|before|2|letter|0123abcd"
    assert ScanCode.parse(code.payload()) == code
    assert code.edition_name == "before-B"
    assert ScanCode("s", "", "", 1, "a4", "x").edition_name == ""
    for other in ("https://example.org", "HO1|a|b", "HO2|s|A||1|a4|x", "HO1|s|A||one|a4|x"):
        assert ScanCode.parse(other) is None
