"""`handouts scan`: each step on small pictures made here, then the whole loop: answer sheets of
a four-version pre/post set built, marked with known answers (benchmarks/synthscan.py), scanned
with mild defects, read back; every answer read otherwise than marked is flagged doubtful."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import SAMPLE
from pypdf import PdfWriter

from benchmarks.synthscan import draw_pdf, encoded, fill_page, pdf_of, photographed, scanned
from generator.api import build, options
from generator.scan import _check_code
from generator.scan.geometry import Layouts, Rect
from generator.scan.pages import MAX_PAGES, MAX_PIXELS, Picture, Unreadable, pictures
from generator.scan.reader import (
    PX_PER_MM,
    BoxReading,
    decide,
    is_blank,
    measure,
)

SLUG = "educational-alliances"
PRINTED = options(versions=4, seed="11", pre_post=True, answer_sheet=True)


# --- one box, one question -----------------------------------------------------------------

def _box_image(inside: float) -> tuple[np.ndarray, Rect]:
    """A white page with one 5 mm box (1 px border) whose inside is black over `inside` of
    its width (a vertical band from the left edge of the measured inside)."""
    page = np.full((int(20 * PX_PER_MM), int(20 * PX_PER_MM)), 255, np.uint8)
    box = Rect(5, 5, 5, 5)
    x0, y0, side = int(5 * PX_PER_MM), int(5 * PX_PER_MM), int(5 * PX_PER_MM)
    cv2.rectangle(page, (x0, y0), (x0 + side - 1, y0 + side - 1), 0, 1)
    # the measured inside starts 0.9 mm in: 5.4 px → pixel 35 to 24 px wide… fill a band
    left, right = round(5.9 * PX_PER_MM), round(9.1 * PX_PER_MM)
    band = round((right - left) * inside)
    page[round(5.9 * PX_PER_MM):round(9.1 * PX_PER_MM), left:left + band] = 0
    return page, box


@pytest.mark.parametrize("inside", [0.0, 0.05, 0.25, 0.8, 1.0])
def test_a_box_measures_the_share_of_its_inside_that_is_inked(inside):
    page, box = _box_image(inside)
    reading = measure(page, box)
    width = round(9.1 * PX_PER_MM) - round(5.9 * PX_PER_MM)
    assert reading.dark == pytest.approx(round(width * inside) / width, abs=1e-9)
    assert reading.faint == reading.dark  # black ink is faint ink too


def _reading(state: str) -> BoxReading:
    return {"empty": BoxReading(0.0, 0.0), "ticked": BoxReading(0.3, 0.35),
            "filled": BoxReading(0.9, 0.95), "light": BoxReading(0.01, 0.4),
            "small": BoxReading(0.05, 0.06)}[state]


@pytest.mark.parametrize(("states", "letters", "doubtful", "why"), [
    ("empty empty empty", "", False, ""),
    ("empty ticked empty", "B", False, ""),
    ("filled empty empty", "A", False, ""),  # a box blacked out alone: the answer
    ("ticked empty ticked", "AC", True, "several ticks"),
    ("filled ticked empty", "B", True, "crossed out A"),  # blacked out beside a tick
    ("empty light empty", "", True, "light mark in B"),
    ("ticked small empty", "A", True, "light mark in B"),
])
def test_a_question_is_read_from_its_boxes(states, letters, doubtful, why):
    boxes = {letter: _reading(state) for letter, state in zip("ABC", states.split(),
                                                              strict=True)}
    reading = decide(boxes)
    assert (reading.letters, reading.doubtful, reading.why) == (letters, doubtful, why)


def test_a_blank_page_is_told_from_a_printed_one():
    rng = np.random.default_rng(1)
    blank = np.clip(rng.normal(245, 2, (600, 400)), 0, 255).astype(np.uint8)
    assert is_blank(blank)
    printed = blank.copy()
    cv2.putText(printed, "Answer sheet", (20, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    assert not is_blank(printed)


# --- files ----------------------------------------------------------------------------------

def test_bad_files_give_one_line_each_naming_file_and_why(tmp_path):
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    good = encoded(np.full((50, 40), 255, np.uint8))
    (tmp_path / "cut.png").write_bytes(good[: len(good) // 2])
    (tmp_path / "notes.txt").write_bytes(b"not a scan")
    long_pdf = PdfWriter()
    for _ in range(MAX_PAGES + 1):
        long_pdf.add_blank_page(595, 842)
    with (tmp_path / "long.pdf").open("wb") as stream:
        long_pdf.write(stream)
    from PIL import Image

    Image.new("1", (8000, 8000)).save(tmp_path / "huge.png")
    assert MAX_PIXELS < 8000 * 8000
    said = {}
    for name in ("cut.pdf", "cut.png", "notes.txt", "long.pdf", "huge.png"):
        found = list(pictures(tmp_path / name))
        assert len(found) == 1 and isinstance(found[0], Unreadable), name
        said[name] = found[0].reason
    assert said == {
        "cut.pdf": "is not a readable PDF (damaged, cut short or protected by a password?): "
                   "scan it again",
        "cut.png": "is a damaged picture (cut short?): take it again",
        "notes.txt": "is neither a PDF nor a picture handouts reads (PNG, JPEG, TIFF): scan "
                     "it as PDF or JPEG",
        "long.pdf": f"has {MAX_PAGES + 1} pages; handouts reads at most {MAX_PAGES} pages of "
                    "one PDF: scan the pile in smaller parts",
        "huge.png": "has 64 million pixels; handouts reads pictures up to 60 million: take "
                    "the photo at a lower resolution",
    }


def test_each_page_of_a_pdf_is_a_picture_of_its_own(tmp_path):
    pages = [np.full((300, 200), shade, np.uint8) for shade in (255, 128, 0)]
    (tmp_path / "three.pdf").write_bytes(pdf_of(pages, dpi=50))
    found = list(pictures(tmp_path / "three.pdf"))
    assert [p.where for p in found] == [f"{tmp_path / 'three.pdf'} page {n}" for n in (1, 2, 3)]
    assert all(isinstance(p, Picture) for p in found)
    means = [float(p.gray.mean()) for p in found if isinstance(p, Picture)]
    assert means[0] > 250 and 100 < means[1] < 160 and means[2] < 5


# --- the whole loop ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, Path]:
    """The answer sheets of a four-version pre/post set, and those of another seed."""
    folder = tmp_path_factory.mktemp("printed")
    for name, seed in (("ours", "11"), ("other", "12")):
        result = build([SAMPLE], folder / name, options(
            versions=4, seed=seed, pre_post=True, answer_sheet=True, only=("answer-sheet",)))
        assert result.ok, [str(f) for f in result.failures]
    return folder / "ours" / SLUG, folder / "other" / SLUG


def test_a_marked_pre_post_set_is_read_back_and_what_differs_is_flagged(printed, tmp_path,
                                                                       run):
    ours, other = printed
    layouts = Layouts(SAMPLE, PRINTED)
    rng = random.Random(2026)
    truth: dict[str, tuple[str, str, str, dict[int, str], set[int]]] = {}
    pile = []
    for edition in layouts.editions():
        pdf = (ours / f"{SLUG}-answer-sheet-{edition.name}.pdf").read_bytes()
        clean = draw_pdf(pdf, 150)[0]
        page = layouts.layout(edition, "a4").pages[0]
        for _ in range(2):
            code = f"{rng.randrange(10_000):04d}"
            marked = fill_page(clean.copy(), page, rng, 150, code=code, tricky_share=0.25)
            pile.append(scanned(marked.image, rng, degrees=2.0, jpeg=85))
            truth[f"scans.pdf page {len(pile)}"] = (code, edition.phase or "",
                                                    edition.version or "", marked.answers,
                                                    marked.doubtful)
    # the last edition again: upside down as a PNG, and as a phone photo
    for name, picture in (("turned.png", cv2.rotate(pile[-1], cv2.ROTATE_180)),):
        (tmp_path / name).write_bytes(encoded(picture))
        truth[name] = truth[f"scans.pdf page {len(pile)}"]
    photo = fill_page(draw_pdf(pdf, 300)[0], page, rng, 300, code="7305")
    (tmp_path / "photo.jpg").write_bytes(encoded(photographed(photo.image, rng, tilt=10),
                                                 ".jpg", 90))
    truth["photo.jpg"] = ("7305", "after", "D", photo.answers, set())
    # pages that are not ours to read: blank, another seed's sheet
    pile.append(np.full_like(pile[0], 252))
    pile.append(draw_pdf((other / f"{SLUG}-answer-sheet-before-B.pdf").read_bytes(), 150)[0])
    (tmp_path / "scans.pdf").write_bytes(pdf_of(pile))

    result = run("scan", str(SAMPLE), "scans.pdf", "turned.png", "photo.jpg", "--versions",
                 "4", "--seed", "11", "--pre-post", "-o", "out/responses.csv", "--review",
                 "review")
    assert result.exit_code == 1
    pages = len(pile)
    assert result.stderr.splitlines() == [
        f"scans.pdf page {pages - 1}: is blank",
        f"scans.pdf page {pages}: it was printed for another version of this quiz (its code "
        f"{layouts_digest(other, 'before-B')}, this quiz's "
        f"{layouts.digest(layouts.editions()[1])}): the quiz changed since, or it was printed "
        "with another --seed; scan it with the sheet and options it was printed with",
        "error: 2 pages or files could not be read (see above); the others are in the table",
    ]
    with (tmp_path / "out" / "responses.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["participant", "moment", "edition", "1", "2", "3", "4", "5",
                             "source", "doubtful", "digest"]
    assert sorted(row["source"] for row in rows) == sorted(truth)
    errors = flagged_right = 0
    for row in rows:
        code, moment, version, answers, tricky = truth[row["source"]]
        assert (row["participant"], row["moment"], row["edition"]) == (code, moment, version)
        doubtful = set(row["doubtful"].split())
        assert {str(n) for n in tricky} <= doubtful, row  # what was made doubtful is flagged
        for number, meant in answers.items():
            if row[str(number)] != meant:
                errors += str(number) not in doubtful
            elif str(number) in doubtful:
                flagged_right += 1
    assert errors == 0
    review = (tmp_path / "review" / "review.html").read_text(encoding="utf-8")
    flagged = sum(len(row["doubtful"].split()) for row in rows)
    assert flagged > 0 and review.count("<img ") == flagged
    assert "<script" not in review and "is blank" in review


def layouts_digest(folder: Path, edition: str) -> str:
    """The digest printed in another set's QR code, read from its PDF (not from our code)."""
    image = draw_pdf((folder / f"{SLUG}-answer-sheet-{edition}.pdf").read_bytes(), 200)[0]
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return str(text).rsplit("|", 1)[1]


def test_codes_of_other_sheets_and_editions_are_refused_with_what_to_do():
    layouts = Layouts(SAMPLE, PRINTED)
    digest = layouts.digest(layouts.editions()[0])
    assert _check_code("https://example.org/quiz", layouts) == (
        "its QR code is not an answer sheet's from handouts: is it another document?")
    assert _check_code(f"HO1|other-sheet|A|before|1|a4|{digest}", layouts) == (
        f"it is an answer sheet of 'other-sheet', not of '{SLUG}': scan it with its own sheet")
    assert _check_code(f"HO1|{SLUG}|E|before|1|a4|{digest}", layouts) == (
        "it is printed for the edition 'before-E', which these options do not make "
        "(before-A, before-B, before-C, before-D, after-A, after-B, after-C, after-D): give "
        "the --versions, --seed and --pre-post it was printed with")
    assert _check_code(f"HO1|{SLUG}|A|before|1|a4|0000ffff", layouts) == (
        f"it was printed for another version of this quiz (its code 0000ffff, this quiz's "
        f"{digest}): the quiz changed since, or it was printed with another --seed; scan it "
        "with the sheet and options it was printed with")
    assert _check_code(f"HO1|{SLUG}|A|before|2|a4|{digest}", layouts) == (
        "its QR code names page 2, and this answer sheet has 1")
    accepted = _check_code(f"HO1|{SLUG}|A|before|1|letter|{digest}", layouts)
    assert not isinstance(accepted, str) and accepted[1].code.paper == "letter"


def test_the_review_page_escapes_what_it_shows():
    from generator.scan import ReadPage, ScanResult
    from generator.scan.table import review_html, rows
    from generator.view.quizview import ScanCode

    layouts = Layouts(SAMPLE, options(answer_sheet=True))
    layout = layouts.layout(layouts.editions()[0], "a4")
    page = ReadPage("<b>scan</b>.pdf page 1", Path("x.pdf"), 1,
                    ScanCode(SLUG, "", "", 1, "a4", "0"), layout,
                    {1: ("AB", True, "several ticks")}, None, "", {"1": encoded(
                        np.zeros((4, 4), np.uint8))})
    table = rows(ScanResult([page], []))
    text = review_html(table, [("<i>x</i>.png", "is blank")]).decode()
    assert "<b>" not in text and "&lt;b&gt;scan&lt;/b&gt;.pdf page 1" in text
    assert "&lt;i&gt;x&lt;/i&gt;.png: is blank" in text
    assert text.count("<img ") == 1 and "several ticks" in text
    assert table[0].participant == "<b>scan</b>.pdf page 1"


def test_the_table_neutralises_a_file_name_a_spreadsheet_would_run():
    from generator.scan import ReadPage, ScanResult
    from generator.scan.table import responses_csv, rows
    from generator.view.quizview import ScanCode

    layouts = Layouts(SAMPLE, options(answer_sheet=True))
    layout = layouts.layout(layouts.editions()[0], "a4")
    page = ReadPage("=HYPERLINK(1).png", Path("x.png"), 1, ScanCode(SLUG, "", "", 1, "a4", "0"),
                    layout, {n: ("A", False, "") for n in range(1, 6)}, None, "")
    text = responses_csv(rows(ScanResult([page], []))).decode()
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "'=HYPERLINK(1).png", "", "", "A", "A", "A", "A", "A", "'=HYPERLINK(1).png", ""]


def test_a_page_missing_one_corner_mark_is_read_and_missing_two_is_refused(printed):
    """A page turned on the scanner loses a corner: three marks and the QR code place it."""
    from generator.scan import read_picture

    ours, _ = printed
    layouts = Layouts(SAMPLE, PRINTED)
    edition = layouts.editions()[0]
    rng = random.Random(5)
    image = draw_pdf((ours / f"{SLUG}-answer-sheet-{edition.name}.pdf").read_bytes(), 150)[0]
    marked = fill_page(image, layouts.layout(edition, "a4").pages[0], rng, 150, code="2468")
    page = scanned(marked.image, rng, degrees=2.0, jpeg=None)
    mm = 150 / 25.4
    page[int(268 * mm):, : int(18 * mm)] = 250  # the bottom-left mark, cut off
    read = read_picture(Picture("p", Path("p"), 1, page), layouts)
    assert not isinstance(read, str), read
    assert ({n: letters for n, (letters, _, _) in read.answers.items()}, read.participant) == (
        marked.answers, "2468")
    page[: int(35 * mm), : int(32 * mm)] = 250  # and the top-left one
    assert read_picture(Picture("p", Path("p"), 1, page), layouts) == (
        "its corner marks were not found where the QR code says (a mark covered, cut off, or "
        "a page folded?): scan the whole page, flat")


def test_a_scanned_pre_post_set_is_what_the_results_report_counts(printed, tmp_path, run):
    """The loop closed: answer sheets marked with known answers, scanned, read into the
    table, and `handouts results` scores each participant as the printed keys say (the keys'
    CSV of the same editions, not the scanner's or the report's own mapping)."""
    ours, _ = printed
    keys = build([SAMPLE], tmp_path / "keys", options(versions=4, seed="11", pre_post=True,
                                                       only=("keys",)))
    assert keys.ok
    with (tmp_path / "keys" / SLUG / f"{SLUG}-keys.csv").open(encoding="utf-8") as stream:
        key = {(row["version"], int(row["number"])): (row["answer"].lower(), int(row["points"]))
               for row in csv.DictReader(stream)}
    layouts = Layouts(SAMPLE, PRINTED)
    rng = random.Random(4)
    pile, expected = [], {}
    for index, edition in enumerate(layouts.editions()):  # before-A…D, then after-A…D
        code = f"{index % 4 + 1:04d}"  # participant n sat one before and one after quiz
        pdf = (ours / f"{SLUG}-answer-sheet-{edition.name}.pdf").read_bytes()
        page = layouts.layout(edition, "a4").pages[0]
        marked = fill_page(draw_pdf(pdf, 200)[0], page, rng, 200, code=code)
        pile.append(scanned(marked.image, rng, degrees=1.0, jpeg=None))
        expected[(code, edition.phase)] = sum(
            points for number, letters in marked.answers.items()
            for right, points in [key[(edition.name, number)]] if letters.lower() == right)
    (tmp_path / "scans.pdf").write_bytes(pdf_of(pile, 200))
    scanned_run = run("scan", str(SAMPLE), "scans.pdf", "--versions", "4", "--seed", "11",
                      "--pre-post", "-o", "responses.csv")
    assert scanned_run.exit_code == 0, scanned_run.output
    with (tmp_path / "responses.csv").open(encoding="utf-8", newline="") as stream:
        assert [row["doubtful"] for row in csv.DictReader(stream)] == [""] * len(pile)
    reported = run("results", str(SAMPLE), "responses.csv", "--versions", "4", "--seed", "11",
                   "-o", "report")
    assert reported.exit_code == 0, reported.output
    table = tmp_path / "report" / SLUG / f"{SLUG}-results-participants.csv"
    with table.open(encoding="utf-8", newline="") as stream:
        scores = {row["participant"]: (float(row["score_before"]), float(row["score_after"]))
                  for row in csv.DictReader(stream)}
    assert scores == {code: (expected[(code, "before")], expected[(code, "after")])
                      for code in ("0001", "0002", "0003", "0004")}
    other_seed = run("results", str(SAMPLE), "responses.csv", "--versions", "4", "--seed",
                     "12", "-o", "elsewhere")
    assert other_seed.exit_code == 1
    assert "this table was made for other editions (digest " in other_seed.output
    assert not (tmp_path / "elsewhere").exists()


def test_a_page_turned_with_a_corner_mark_half_off_the_glass_is_read_to_its_far_corner(
        thirty_marked):
    """A scanner keeps the page flat: with one mark half cut off, the three others place
    the page exactly. Thirty questions, so boxes lie right down to the lost corner: placed
    from three marks and the QR code's corners (which lie close together at the top right),
    the lowest lines of the left column were read a box off; and the cut mark's visible half,
    taken for the mark, put its centre 1.5 mm out."""
    from generator.scan import read_picture
    from generator.scan.reader import _marks, _project, find_code

    layouts, page, marked = thirty_marked
    picture, turn = _turned(marked.image, -4.5, page, "bottom-left")
    code = find_code(picture)
    assert code is not None
    placed = _marks(picture, code[1], page)  # page mm → picture pixels
    mm = 150 / 25.4
    for box in page.boxes.values():  # every box's centre placed within a quarter millimetre
        centre = np.array([*box.centre, 1.0])
        seen = np.array(_project(placed, box.centre))
        assert np.hypot(*(seen - (turn @ centre)[:2])) < 0.25 * mm, box
    read = read_picture(Picture("p", Path("p"), 1, picture), layouts)
    assert not isinstance(read, str), read
    assert {n: letters for n, (letters, _, _) in read.answers.items()} == marked.answers
    assert read.participant == "1357"


@pytest.fixture(scope="module")
def thirty_marked(tmp_path_factory):
    """A 30-question answer sheet drawn at 150 dpi and marked (seed 8), with its layout."""
    from benchmarks.scan import thirty_questions

    folder = tmp_path_factory.mktemp("thirty")
    sheet = thirty_questions(folder)
    printed = options(answer_sheet=True, only=("answer-sheet",))
    assert build([sheet], folder / "out", printed).ok
    layouts = Layouts(sheet, printed)
    page = layouts.layout(layouts.editions()[0], "a4").pages[0]
    pdf = folder / "out" / SLUG / f"{SLUG}-answer-sheet.pdf"
    marked = fill_page(draw_pdf(pdf.read_bytes(), 150)[0], page, random.Random(8), 150,
                       code="1357")
    return layouts, page, marked


def _turned(image: np.ndarray, degrees: float, page, corner: str
            ) -> tuple[np.ndarray, np.ndarray]:
    """`image` turned by `degrees` (counterclockwise) and moved left until the centre of
    one corner mark lies on the picture's left edge; and the map (page mm → picture)."""
    height, width = image.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    mm = 150 / 25.4
    x, y = page.marks[corner].centre
    turn[0, 2] -= float(turn[0] @ np.array([x * mm, y * mm, 1.0]))
    picture = cv2.warpAffine(image, turn, (width, height), borderValue=250)
    picture = cv2.imdecode(np.frombuffer(encoded(cv2.GaussianBlur(picture, (0, 0), 0.8),
                                                 ".jpg", 75), np.uint8), 0)
    return picture, np.vstack([turn @ np.diag([mm, mm, 1.0]), [0, 0, 1]])


def test_the_boxes_printed_confirm_where_the_page_is_and_refuse_a_millimetre_out(
        thirty_marked):
    from generator.scan.reader import FIT, registration

    _, page, marked = thirty_marked
    picture, placed = _turned(marked.image, -2.0, page, "top-left")
    picture[:, :4] = 250  # nothing cut: the marks stay clear of the edge
    placed[0, 2] += 40
    picture = np.roll(picture, 40, axis=1)
    assert registration(picture, placed, page) >= 0.9
    for dx, dy in ((1.0, 0.0), (0.0, 1.0), (-0.7, 0.7)):
        shifted = placed @ np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1.0]])
        assert registration(picture, shifted, page) < FIT, (dx, dy)


def test_a_page_turned_with_two_corner_marks_off_the_glass_is_refused_not_misread(
        thirty_marked):
    """Two marks cut off: the squares found instead (blacked-out boxes) would place the page
    centimetres out, and the QR code, near the one remaining top mark, would not tell."""
    from generator.scan import read_picture

    layouts, page, marked = thirty_marked
    picture, _ = _turned(marked.image, 3.0, page, "bottom-left")  # the top-left one too
    assert read_picture(Picture("p", Path("p"), 1, picture), layouts) == (
        "its corner marks were not found where the QR code says (a mark covered, cut off, or "
        "a page folded?): scan the whole page, flat")
