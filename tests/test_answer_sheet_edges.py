"""The answer sheet at the edges of what a quiz may be (tests/data/answer-sheets/): 30
questions of 6 choices (the most a question may have) with points and a two-line title, 16
of 6 (the first with two columns), 30 of 2; on A4 and Letter, with the sample organisation's
footer and an edition's tab and name. Each is one page: every box a 5 mm square with its
letter just left of it, inside the corner marks and the page's margins, clear of the QR code
and of the participant code; the widest is read back by `handouts scan` on Letter. Past what
a page holds, the build refuses the sheet and says what to do.

Everything is read back from the PDF (pdfplumber); what is expected comes from the sheets'
YAML and the stylesheet's margins, not from the layout code."""

from __future__ import annotations

import csv
import itertools
import random
import shutil
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2
import pytest
import weasyprint
import yaml
from conftest import ROOT

from benchmarks.synthscan import draw_pdf, fill_page, pdf_of, scanned
from generator.api import build, options_with
from generator.scan.geometry import Layouts
from generator.settings.checker import load as load_settings

EDGES = ROOT / "tests" / "data" / "answer-sheets"
MM = 72 / 25.4  # PDF points a millimetre
MARK = 6.0  # the corner marks' side (styles/answer-sheet.css)
# The page's area on each paper: base.css's margins (top 22, left 20), answer-sheet.css's
# right margin (26 mm, room for the edition's tab); the paper's size in mm.
PAPERS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
LEFT, RIGHT, TOP = 20.0, 26.0, 22.0


def _quiz(name: str) -> list[dict]:
    return yaml.safe_load((EDGES / f"{name}.yaml").read_text(encoding="utf-8"))["quiz"]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    """The edge sheets' answer sheets on A4 and Letter, as the sample organisation prints
    them (its footer line), before and after (the edition's name and tab)."""
    folder = tmp_path_factory.mktemp("edges")
    settings = load_settings(ROOT / "handouts.toml")
    for paper in PAPERS:
        result = build([EDGES / f"{name}.yaml" for name in ("widest", "sixteen", "narrow")],
                       folder / paper,
                       options_with(settings, pre_post=True, answer_sheet=True,
                                    only=("answer-sheet",), paper=paper))
        assert result.ok, [str(f) for f in result.failures]
    return folder


def _qr_box(pdf: Path, dpi: int = 200) -> tuple[float, float, float, float]:
    """Where the QR code is on the page (mm), as OpenCV's detector finds it in a drawing of
    the PDF."""
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=dpi / 72, grayscale=True).to_numpy()
    document.close()
    gray = np.ascontiguousarray(image[:, :, 0] if image.ndim == 3 else image)
    found, points = cv2.QRCodeDetector().detect(gray)
    assert found
    xs, ys = points[0][:, 0] * 25.4 / dpi, points[0][:, 1] * 25.4 / dpi
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("paper", list(PAPERS))
@pytest.mark.parametrize("name", ["widest", "sixteen", "narrow"])
def test_an_edge_quiz_fits_one_page_inside_its_marks_with_a_letter_per_box(printed, name,
                                                                           paper):
    quiz = _quiz(name)
    width, height = PAPERS[paper]
    pdf = printed / paper / name / f"{name}-answer-sheet-after.pdf"
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == 1
        page = document.pages[0]
        rects = [(r["x0"] / MM, r["top"] / MM, r["x1"] / MM, r["bottom"] / MM)
                 for r in page.rects]
        chars = [(c["text"], (c["x0"] / MM, c["top"] / MM, c["x1"] / MM, c["bottom"] / MM))
                 for c in page.chars if c["text"].strip()]
    assert (round(page.width / MM, 1), round(page.height / MM, 1)) == (width, height)

    def squares(side: float) -> list[tuple[float, ...]]:
        return sorted({tuple(round(v, 2) for v in r) for r in rects
                       if abs(r[2] - r[0] - side) < 0.05 and abs(r[3] - r[1] - side) < 0.05})

    marks = squares(MARK)
    code = squares(4.5)
    boxes = squares(5.0)
    # four marks: the top two at the page area's corners
    assert len(marks) == 4
    top_marks = sorted(m for m in marks if m[1] < height / 2)
    bottom_marks = [m for m in marks if m[1] > height / 2]
    assert [(round(m[0], 1), round(m[1], 1)) for m in top_marks] == [
        (LEFT, TOP), (round(width - RIGHT - MARK, 1), TOP)]
    inside = (LEFT, TOP + MARK, width - RIGHT, min(m[1] for m in bottom_marks))
    # a box per question and choice, 5 mm square (4 to 7 mm asked), and the code's 40
    assert len(boxes) == sum(len(question["choices"]) for question in quiz)
    assert len(code) == 40
    grid = (min(c[0] for c in code), min(c[1] for c in code), max(c[2] for c in code),
            max(c[3] for c in code))
    qr = _qr_box(pdf)
    for box in boxes:
        assert inside[0] <= box[0] and box[2] <= inside[2], box  # within the marks' width
        assert inside[1] <= box[1] and box[3] <= inside[3], box  # and between them
        assert not _overlap(box, qr) and not _overlap(box, grid), box
    # no text on a mark, nor off the page; the answers' text within the page's area
    for text, where in chars:
        assert not any(_overlap(where, mark) for mark in marks), text
        assert where[0] >= 0 and where[2] <= width and where[1] >= 0 and where[3] <= height
        if where[1] > grid[3] and where[0] < width - RIGHT:  # the lines, score, footer
            assert where[0] >= LEFT - 0.1 and where[2] <= width - RIGHT + 0.1, (text, where)
    # each line: its boxes in letter order, each letter printed just left of its box
    rows: dict[float, list[tuple[float, ...]]] = {}
    for box in boxes:
        rows.setdefault(box[1], []).append(box)
    lines = []  # a row holds a line of each column: they are apart by more than 6 mm
    for row in rows.values():
        row.sort()
        lines.append([row[0]])
        for before, box in itertools.pairwise(row):
            if box[0] - before[2] > 6:
                lines.append([])
            lines[-1].append(box)
    assert len(lines) == len(quiz)
    for line in lines:
        letters = []
        for box in line:
            beside = [text for text, where in chars
                      if box[0] - 2.5 <= where[2] <= box[0] + 0.1
                      and box[1] <= (where[1] + where[3]) / 2 <= box[3]]
            assert len(beside) == 1, (box, beside)
            letters.append(beside[0])
        assert "".join(letters) in ("ABCDEF"[:len(quiz[0]["choices"])],)


def test_the_widest_quiz_marked_on_letter_is_read_back_answer_by_answer(printed, tmp_path,
                                                                       run, monkeypatch):
    """30 questions of six boxes on Letter, printed and scanned with the sample organisation's
    settings (its footer line, fonts and colours), each marked with a pen (cross, check,
    filled or pencil) or left blank, scanned turned and noisy: every answer read as marked."""
    sheet = EDGES / "widest.yaml"
    shutil.copy(ROOT / "handouts.toml", tmp_path / "handouts.toml")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    monkeypatch.delenv("HANDOUTS_SETTINGS")
    layouts = Layouts(sheet, options_with(load_settings(tmp_path / "handouts.toml"),
                                          pre_post=True, answer_sheet=True))
    rng = random.Random(7)
    truth = []
    pile = []
    for edition in layouts.editions():
        pdf = printed / "letter" / "widest" / f"widest-answer-sheet-{edition.name}.pdf"
        page = layouts.layout(edition, "letter").pages[0]
        assert page.questions == list(range(1, 31))
        assert all(len(page.letters(number)) == 6 for number in page.questions)
        for _ in range(2):
            code = f"{rng.randrange(10_000):04d}"
            marked = fill_page(draw_pdf(pdf.read_bytes(), 150)[0], page, rng, 150, code=code)
            pile.append(scanned(marked.image, rng, degrees=2.0, jpeg=85))
            truth.append((code, edition.phase, marked.answers))
    (tmp_path / "scans.pdf").write_bytes(pdf_of(pile))
    result = run("scan", str(sheet), "scans.pdf", "--pre-post", "-o", "responses.csv")
    assert result.exit_code == 0, result.output
    with (tmp_path / "responses.csv").open(encoding="utf-8", newline="") as stream:
        rows = {row["source"]: row for row in csv.DictReader(stream)}
    assert len(rows) == len(truth)
    for number, (code, phase, answers) in enumerate(truth, start=1):
        row = rows[f"scans.pdf page {number}"]
        assert (row["participant"], row["moment"]) == (code, phase)
        assert {n: row[str(n)] for n in range(1, 31)} == answers
        assert row["doubtful"] == ""
    # every letter was marked somewhere, blanks too: the six boxes of a line are all read
    assert {letter for _, _, answers in truth for letter in answers.values()} == \
        set("ABCDEF") | {""}


def test_an_answer_sheet_that_cannot_fit_its_pages_is_refused_with_what_to_do(tmp_path, run):
    """A title of 482 characters above eight questions a page on A5: the first page runs
    over, which `handouts scan` could not read; the build says where, why and what to do,
    and writes nothing."""
    shutil.copy(EDGES / "long-title.yaml", tmp_path / "long-title.yaml")
    text = (tmp_path / "long-title.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, start=1) if row.startswith("title:"))
    column = text[line - 1].index('"') + 1
    result = run("build", "long-title.yaml", "--answer-sheet", "--only", "answer-sheet",
                 "--paper", "a5", "-o", "out")
    assert result.exit_code == 1
    # the pages it comes to: the same sheet as HTML (its exact source, styles inline), laid
    # out by WeasyPrint here
    html = run("build", "long-title.yaml", "--answer-sheet", "--only", "answer-sheet",
               "--paper", "a5", "--format", "html", "-o", "html")
    assert html.exit_code == 0, html.output
    source = tmp_path / "html" / "long-title" / "long-title-answer-sheet.html"
    made = len(weasyprint.HTML(string=source.read_text(encoding="utf-8")).render().pages)
    assert made > 2
    # 16 questions, 8 a page on A5: 2 pages
    assert result.stderr.splitlines()[0] == (
        f"error: long-title.yaml:{line}:{column}: title: long-title-answer-sheet.pdf does not "
        f"fit on 2 pages of A5 paper (one for every 8 questions): it came out as {made} pages, "
        "which `handouts scan` could not read. Give a shorter `short_title:` (the answer "
        "sheet prints it), or print it on larger paper (--paper a4)")
    assert not (tmp_path / "out" / "long-title").exists()


def test_on_a5_sixteen_questions_print_as_two_pages_of_eight_clear_of_the_marks(tmp_path):
    """A5 is too narrow for two columns of six boxes: one column of eight a page, each page
    with its own QR code (page 1, page 2); the organisation's footer line stands above the
    bottom marks, and no text comes within a millimetre of a mark."""
    result = build([EDGES / "sixteen.yaml"], tmp_path,
                   options_with(load_settings(ROOT / "handouts.toml"), answer_sheet=True,
                                only=("answer-sheet",), paper="a5"))
    assert result.ok, [str(f) for f in result.failures]
    pdf = tmp_path / "sixteen" / "sixteen-answer-sheet.pdf"
    document = pypdfium2.PdfDocument(pdf)
    codes = []
    for page in document:
        image = page.render(scale=200 / 72, grayscale=True).to_numpy()
        gray = np.ascontiguousarray(image[:, :, 0] if image.ndim == 3 else image)
        codes.append(cv2.QRCodeDetector().detectAndDecode(gray)[0].split("|"))
    document.close()
    assert [code[4:6] for code in codes] == [["1", "a5"], ["2", "a5"]]
    with pdfplumber.open(pdf) as opened:
        assert len(opened.pages) == 2
        for page in opened.pages:
            def mm(r: dict) -> tuple[float, ...]:
                return tuple(round(r[k] / MM, 2) for k in ("x0", "top", "x1", "bottom"))

            squares = [r for r in page.rects
                       if abs(r["width"] / MM - 5) < 0.05 and abs(r["height"] / MM - 5) < 0.05]
            # the marks: the highest two squares and the lowest two (the boxes between them)
            tops = sorted({mm(r)[1] for r in squares})
            marks = {mm(r) for r in squares if mm(r)[1] in (tops[0], tops[-1])}
            assert len(marks) == 4
            under_code = max(mm(r)[3] for r in page.rects if abs(r["width"] / MM - 4.5) < 0.05)
            answers = {mm(r) for r in squares} - marks
            lines = {box[1] for box in answers if box[1] > under_code}
            assert len(lines) == 8
            assert all(len([b for b in answers if b[1] == line]) == 6 for line in lines)
            top = max(m[3] for m in marks if m[1] < 50)
            bottom = min(m[1] for m in marks if m[1] > 50)
            assert all(top < box[1] and box[3] < bottom for box in answers)
            for char in page.chars:
                where = (char["x0"] / MM, char["top"] / MM, char["x1"] / MM,
                         char["bottom"] / MM)
                near = [m for m in marks if _overlap(where, (m[0] - 1, m[1] - 1, m[2] + 1,
                                                             m[3] + 1))]
                assert not near, (char["text"], where)
