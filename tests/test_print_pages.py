"""Print pages a designer would sign (#24 items 6, 10, 11), measured in the PDFs themselves.

Every handout of the samples and fixtures is built once per paper (A4, Letter, A5), with two
versions, pre/post and answer sheets; the expected values come from the YAML, read with plain
PyYAML, and the measures from pdfplumber (glyph, rule and box positions) against the page box.
"""

from __future__ import annotations

import itertools
import re
import statistics
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml

from generator.batch.build import build
from generator.options import BuildOptions
from tests.conftest import DATA, ROOT, pdf_text

SHEETS = sorted((ROOT / "content").glob("*.yaml")) + sorted((DATA / "sheets").glob("*.yaml"))
PAPERS = ("a4", "letter", "a5")
MM = 72 / 25.4
EDGE = 7.0  # mm: office printers print nothing nearer the paper's edge
PADDING = 1.5  # mm around every word of a grid's cell
KINDS = ("full-analysis", "easy-read", "quiz", "answer-key", "marking-grid", "answer-sheet",
         "tally-sheet")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """paper → the output folder of every sheet's handouts at that paper."""
    out = tmp_path_factory.mktemp("print-pages")
    folders = {}
    for paper in PAPERS:
        result = build(SHEETS, out / paper, BuildOptions(
            only=KINDS, paper=paper, versions=2, seed="3", pre_post=True, answer_sheet=True))
        assert not result.failures
        folders[paper] = out / paper
    return folders


def _sheet(path: Path) -> dict:
    """The sheet as plain YAML, its slug defaulting to its file's name as the format says."""
    sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
    sheet.setdefault("slug", path.stem)
    return sheet


def _pdfs(built: dict[str, Path], pattern: str = "*.pdf") -> list[tuple[str, Path]]:
    found = [(paper, pdf) for paper, folder in built.items()
             for pdf in sorted(folder.glob(f"*/{pattern}"))]
    assert found
    return found


def _too_near(pdf_path: Path) -> list[str]:
    """Every glyph, rule, box and picture nearer than EDGE mm to the paper's edge."""
    near = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            width, height = float(page.width), float(page.height)
            things = [*page.chars, *page.rects, *page.lines, *page.curves, *page.images]
            for thing in things:
                gap = min(thing["x0"], thing["top"], width - thing["x1"],
                          height - thing["bottom"]) / MM
                if gap < EDGE:
                    near.append(f"p{number} {thing['object_type']} {thing.get('text', '')!r} "
                                f"{gap:.1f} mm from the edge")
    return near


def test_nothing_is_printed_within_7_mm_of_the_paper_edge(built):
    """Page numbers, edition names, the facilitator band, Name, tabs and A5 margins alike, on
    every handout (the easy-read leaflet included) at every paper."""
    near = {f"{paper}/{pdf.name}": found[:3] for paper, pdf in _pdfs(built)
            if (found := _too_near(pdf))}
    assert not near


def test_the_print_shop_tab_reaches_the_trim_and_its_letter_stays_inside(tmp_path):
    build([ROOT / "content" / "educational-alliances.yaml"], tmp_path,
          BuildOptions(only=("quiz",), versions=2, print_shop=True))
    for pdf_path in sorted(tmp_path.glob("*/*-quiz-*.pdf")):
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                right = float(page.trimbox[2])  # in pdfplumber's page coordinates
                tab = [r for r in page.rects if r["x1"] >= right]
                assert tab, f"{pdf_path.name}: no tab reaches the trim"
                letter = [c for c in page.chars if c["size"] > 20]
                assert letter and all(right - c["x1"] >= EDGE * MM for c in letter)


def _label_pages(pdf_path: Path) -> list[str]:
    with pdfplumber.open(pdf_path) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def _start(text: str) -> str:
    """The first words of a question, as printed whatever typography does to quotes."""
    return " ".join(text.split()[:6])


@pytest.mark.parametrize("paper", PAPERS)
def test_the_analysis_never_leaves_its_last_question_alone_on_a_page(built, paper):
    for path in SHEETS:
        sheet = _sheet(path)
        questions = [_start(q["question"]) for q in sheet["quiz"]]
        if len(questions) < 2:
            continue
        pages = _label_pages(built[paper] / sheet["slug"] /
                             f"{sheet['slug']}-full-analysis.pdf")
        # part 1, the questions: the first page that prints the last question
        last = next(n for n, text in enumerate(pages) if questions[-1] in text)
        assert questions[-2] in pages[last], f"{path.name} {paper}: question alone on p{last + 1}"


def _grid_pages(pdf_path: Path, header: str, rows: list[str]) -> list[tuple[bool, list[float]]]:
    """For each page that prints a row of the grid (its name in the grid's 9 pt sans): whether
    it prints the grid's header, and the left edges of that header (the column starts)."""
    firsts = {row.split()[0] for row in rows}
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["size", "fontname"])
            if any(w["text"] in firsts and abs(w["size"] - 9) < 0.1 and "Sans" in w["fontname"]
                   for w in words):
                lefts = [w["x0"] for w in words if w["text"] == header]
                found.append((bool(lefts), sorted({round(x, 1) for x in lefts})))
    return found


@pytest.mark.parametrize("paper", PAPERS)
def test_a_long_criteria_grid_repeats_its_header_with_the_same_columns(built, paper):
    headers = {"en": "CRITERION", "fr": "CRITÈRE", "es": "CRITERIO"}
    seen_split = 0
    for path in SHEETS:
        sheet = _sheet(path)
        slug = sheet["slug"]
        pdf_path = built[paper] / slug / f"{slug}-full-analysis.pdf"
        for part in ("values", "reliability"):
            rows = [_start(c["name"]) for c in sheet[part]["criteria"]]
            pages = _grid_pages(pdf_path, headers[sheet["lang"]], rows)
            if len(pages) > 1 and len(rows) > 1:
                seen_split += 1
                assert all(has for has, _ in pages), f"{slug} {part} {paper}: header not repeated"
                assert len({tuple(lefts) for _, lefts in pages}) == 1
    assert seen_split or paper != "a5"  # the samples' nine-row grids turn a page on A5


def _grid(page):
    """The page's grid: the largest table pdfplumber's finder sees in the rules drawn (not the
    edition's tab, nor the facilitator band)."""
    return max(page.find_tables(), key=lambda table: len(table.cells))


def _cramped_words(page) -> list[str]:
    """Words of the page's grid nearer than PADDING mm to one of their cell's rules."""
    cramped = []
    words = page.extract_words()
    for x0, top, x1, bottom in _grid(page).cells:
        for word in words:
            if (word["x0"] >= x0 and word["x1"] <= x1 and word["top"] >= top
                    and word["bottom"] <= bottom):
                gap = min(word["x0"] - x0, x1 - word["x1"], word["top"] - top,
                          bottom - word["bottom"])
                if gap < PADDING * MM - 0.3:  # a char box is its font's full height
                    cramped.append(f"{word['text']!r} {gap / MM:.2f} mm")
    return cramped


def _column_widths(page) -> list[float]:
    """The widths of the columns of a page's grid, in mm, between its vertical rules (each
    cell's border is a rule as tall as its row)."""
    x0, top, x1, bottom = _grid(page).bbox
    rules = sorted(edge["x0"] for edge in page.edges if edge["orientation"] == "v"
                   and x0 - 2 <= edge["x0"] <= x1 + 2 and edge["top"] >= top - 2
                   and edge["bottom"] <= bottom + 2
                   and edge["bottom"] - edge["top"] > 6 * MM)  # not a tick box's side
    merged = [rules[0]]
    for x in rules[1:]:
        if x - merged[-1] > 1:  # a rule's two sides, or a cell's and its neighbour's border
            merged.append(x)
    return [round((b - a) / MM, 1) for a, b in itertools.pairwise(merged)]


def test_the_key_grids_pad_every_word_and_keep_even_columns(built):
    """(The answer sheet is a line of boxes per question: tests/test_answer_sheet.py.)"""
    for paper, pdf_path in _pdfs(built, "*-answer-key*.pdf"):
        with pdfplumber.open(pdf_path) as pdf:
            page = pdf.pages[0]
            assert not _cramped_words(page), f"{paper}/{pdf_path.name}"
            widths = _column_widths(page)
            answers = widths[1:]  # after the question column (the key prints points as a row)
            assert max(answers) - min(answers) < 0.3, f"{paper}/{pdf_path.name} {widths}"


def test_weighted_points_are_printed_on_the_answer_sheet_and_the_glance_grid(built):
    """The answer sheet prints every question's points at the end of its line, under a
    Points heading, the key's glance grid has a Points row with every question's points in
    the printed order (version A of the before test)."""
    path = DATA / "sheets" / "every-field.yaml"
    sheet = _sheet(path)
    points = [str(q.get("points", 1)) for q in sheet["quiz"]]
    assert any(p != "1" for p in points)
    slug = sheet["slug"]
    name = f"{slug}-answer-key-before-A.pdf"
    with pdfplumber.open(built["a4"] / slug / name) as pdf:
        cells = _grid(pdf.pages[0]).extract()
    printed = [line[1:] for line in cells if (line[0] or "").upper() == "POINTS"]
    assert printed == [points], f"{name}: {cells}"
    # the answer sheet: a Points column (one column of lines: fewer than 16 questions), each
    # question's line ending with its points
    assert len(points) <= 15
    text = " ".join(pdf_text(built["a4"] / slug / f"{slug}-answer-sheet-before-A.pdf").split())
    assert text.count("Points") == 1
    for number, worth in enumerate(points, start=1):
        assert re.search(rf"\b{number} A B C( D)? {worth}\b", text), (number, text)


def _explanation_lines(pdf_path: Path) -> list[int]:
    """Characters on each full line of the key's explanations (serif text; a paragraph's last
    line is left out, as it is as short as its words make it)."""
    counts = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            rows: dict[int, list[dict]] = {}
            for char in page.chars:
                rows.setdefault(round(char["top"]), []).append(char)
            serif = sorted(top for top, chars in rows.items()
                           if any("Serif" in c["fontname"] for c in chars))
            for top, following in zip(serif, [*serif[1:], None][: len(serif)], strict=True):
                if following is None or following - top > 9.5 * 1.3 * 1.2:
                    continue  # a paragraph's last line
                counts.append(len("".join(c["text"] for c in rows[top])))
    return counts


@pytest.mark.parametrize("paper", PAPERS)
def test_key_explanations_are_set_at_60_to_75_characters_a_line(built, paper):
    counts = [n for _, pdf in _pdfs({paper: built[paper]}, "*-answer-key-before-A.pdf")
              for n in _explanation_lines(pdf)]
    assert counts and max(counts) <= 75, sorted(counts)
    assert statistics.mean(counts) >= 60, sorted(counts)


MAIN_FONTS = ("Noto Serif", "Noto Sans", "Open Sans")  # the handouts' own families
EMOJI = "Noto Color Emoji"


def _families_having(char: str) -> set[str]:
    """The installed families that have a glyph for `char` (fontconfig's own answer)."""
    listed = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], check=True,
                            capture_output=True, text=True).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",")}


def test_no_glyph_is_drawn_from_a_fallback_font_when_the_main_font_has_one(built):
    """A character drawn in another font than ours (DejaVu, a symbols font) must be one that
    none of our families has: the highlights' bullet ▸ and the space after it were drawn in
    DejaVu Sans."""
    fallback: dict[str, set[str]] = {}
    for paper, pdf_path in _pdfs(built, "*-full-analysis.pdf"):
        if paper != "a4":
            continue
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                for char in page.chars:
                    family = char["fontname"].split("+")[-1].replace("-", " ")
                    if not any(family.startswith(main) for main in (*MAIN_FONTS, EMOJI)):
                        fallback.setdefault(char["text"], set()).add(pdf_path.name)
    wrong = {text: names for text, names in fallback.items()
             if _families_having(text) & set(MAIN_FONTS)}
    assert not wrong


def _tables(pdf_path: Path) -> list[int]:
    """The rows (TR) of each `Table` element of the PDF's structure tree, in reading order."""
    def rows(node: pikepdf.Dictionary) -> int:
        return sum((kid.S == "/TR") + rows(kid) for kid in _kids(node))

    def walk(node: pikepdf.Dictionary, found: list[int]) -> list[int]:
        for kid in _kids(node):
            if kid.S == "/Table":
                found.append(rows(kid))
            else:
                walk(kid, found)
        return found

    with pikepdf.open(pdf_path) as pdf:
        return walk(pdf.Root.StructTreeRoot, [])


def _kids(node: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = node.get("/K")
    listed = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in listed if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


@pytest.mark.parametrize("paper", PAPERS)
def test_screen_readers_see_one_table_per_criteria_grid(built, paper):
    """Two `Table` elements in the analysis's structure tree, the values' and the
    reliability's, each with its header row and one row per criterion, even where a grid
    turns a page (the samples' nine-row grids do on A5)."""
    for path in SHEETS:
        sheet = _sheet(path)
        slug = sheet["slug"]
        expected = [len(sheet[part]["criteria"]) + 1 for part in ("values", "reliability")]
        assert _tables(built[paper] / slug / f"{slug}-full-analysis.pdf") == expected, slug


def _misaligned_continuations(pdf_path: Path) -> list[str]:
    """Lines that continue a key's question (its words or its page reference, wrapped) and do
    not start where the question's first word does, after its hanging number."""
    wrong = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            start = previous = label = None
            for line in page.extract_text_lines():
                chars = [c for c in line["chars"] if c["text"].strip()]
                words = line["text"].split()
                if chars[0]["size"] > 12 or chars[0]["x0"] > page.width * 0.75 or (
                        label is not None and chars[0]["x0"] < label - 1):
                    continue  # the letter in its circle, left of the question; the tab
                if len(words) > 1 and words[0].rstrip(".").isdigit() and words[0].endswith("."):
                    label = chars[0]["x0"]
                    start = next(c["x0"] for c in chars[len(words[0]):])  # first word's
                elif start is not None and previous is not None and (
                        line["top"] - previous <= 10 * 1.3 + 0.5):  # the same paragraph
                    if abs(chars[0]["x0"] - start) > 1:
                        wrong.append(f"{line['text'][:30]!r} at {chars[0]['x0']:.1f}, "
                                     f"not {start:.1f}")
                else:
                    start = None
                previous = line["top"]
    return wrong


def test_a_wrapped_question_or_page_reference_lines_up_with_its_question(built):
    wrong = {f"{paper}/{pdf.name}": found for paper, pdf in _pdfs(built, "*-answer-key*.pdf")
             if (found := _misaligned_continuations(pdf))}
    assert not wrong


FOOTED = ("full-analysis", "quiz", "answer-key", "marking-grid", "answer-sheet")
FOOTER_SETTINGS = {  # the repo's own project (its theme, colours, fonts), and a bare one
    "repo": None,
    "bare": '[organisation]\nname = "Test Network"\n\n[footer]\nlicence = "CC BY 4.0"\n',
}


@pytest.fixture(scope="module")
def footed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(settings, paper) → the output folder of two sheets' handouts with a footer line."""
    from generator.settings import FILE_NAME, load

    out = tmp_path_factory.mktemp("footer")
    folders = {}
    for name, text in FOOTER_SETTINGS.items():
        settings = ROOT / "handouts.toml"
        if text is not None:
            settings = out / name / FILE_NAME
            settings.parent.mkdir()
            settings.write_text(text, encoding="utf-8")
        project = load(settings).project
        for paper in PAPERS:
            result = build([ROOT / "content" / "educational-alliances.yaml",
                            DATA / "sheets" / "no-extras.yaml"], out / name / paper,
                           BuildOptions(only=FOOTED, paper=paper, versions=2,
                                        answer_sheet=True, project=project))
            assert not result.failures
            folders[name, paper] = out / name / paper
    return folders


def test_the_footer_line_sits_at_the_foot_of_its_page(footed):
    """#24 item 14: the organisation's footer line (© name · licence …) stands at the foot
    of the page it is printed on, just above the bottom margin (at most 24 mm from the paper's
    edge: the largest bottom margin is 20 mm), whatever the content above it leaves; and no
    nearer the edge than 7 mm."""
    far, seen = [], 0
    for (name, paper), folder in footed.items():
        for pdf_path in sorted(folder.glob("*/*.pdf")):
            with pdfplumber.open(pdf_path) as pdf:
                for number, page in enumerate(pdf.pages, start=1):
                    words = page.extract_words()
                    mark = [w for w in words if w["text"].startswith("©")]
                    if not mark:
                        continue
                    seen += 1
                    top = min(w["top"] for w in mark)
                    # the footer's lines: from its © line down, above the page number line
                    lines = [w for w in words if w["top"] >= top - 1
                             and float(page.height) - w["bottom"] > 9 * MM]
                    lowest = (float(page.height) - max(w["bottom"] for w in lines)) / MM
                    if not EDGE <= lowest <= 24:
                        far.append(f"{name}/{paper}/{pdf_path.name} p{number}: "
                                   f"{lowest:.1f} mm from the foot")
            assert not _too_near(pdf_path), pdf_path
    assert seen >= 2 * 3 * 2 * 7, seen  # every handout of both sheets printed its footer
    assert not far


PX = 96 / 25.4  # the tagged PDF's Figure boxes are in CSS pixels (a 24 mm pictogram: 90.7)
LOGO_SHEETS = (ROOT / "content" / "educational-alliances.yaml",  # a picture column
               DATA / "sheets" / "no-extras.yaml",  # no pictures: no column
               DATA / "sheets" / "fr-complete.yaml")  # its own easy-to-read logo too


@pytest.fixture(scope="module")
def themed_leaflets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """paper → the leaflets of LOGO_SHEETS built with the repo's project (its logo)."""
    from generator.settings import load

    out = tmp_path_factory.mktemp("logo")
    project = load(ROOT / "handouts.toml").project
    folders = {}
    for paper in PAPERS:
        result = build(list(LOGO_SHEETS), out / paper,
                       BuildOptions(only=("easy-read",), paper=paper, project=project))
        assert not result.failures
        folders[paper] = out / paper
    return folders


def test_the_leaflets_logos_are_printed_25_mm_wide_or_more(themed_leaflets):
    """#24 item 14: the organisation's logo in the leaflet's closing block, and the sheet's
    easy-to-read logo when it is printed, are 25 mm wide or more on every paper (the box the
    tagged PDF gives each Figure), and the organisation's name beside it is 9 pt or more."""
    import tomllib

    settings = tomllib.loads((ROOT / "handouts.toml").read_text(encoding="utf-8"))
    org_alt, org_name = (settings["organisation"][key] for key in ("logo_alt", "name"))
    widths: dict[str, list[float]] = {}
    for paper, folder in themed_leaflets.items():
        for pdf_path in sorted(folder.glob("*/*.pdf")):
            with pikepdf.open(pdf_path) as pdf:
                for obj in pdf.objects:
                    if not (isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"):
                        continue
                    alt = str(obj.get("/Alt", ""))
                    if alt == org_alt or "logo" in alt.lower():
                        box = [float(value) for value in obj.A.BBox]
                        widths.setdefault(f"{paper}/{pdf_path.name}", []).append(
                            (box[2] - box[0]) / PX)
            with pdfplumber.open(pdf_path) as pdf:
                text = "".join(c["text"] for page in pdf.pages for c in page.chars
                               if c["size"] >= 9)
            assert "".join(org_name.split()) in text.replace(" ", ""), pdf_path
    expected = {f"{paper}/{_sheet(sheet)['slug']}-easy-read.pdf":
                1 + bool(_sheet(sheet)["easy_read"].get("logo"))
                for paper in PAPERS for sheet in LOGO_SHEETS}
    assert {name: len(found) for name, found in widths.items()} == expected
    narrow = {name: [round(w, 1) for w in found] for name, found in widths.items()
              if min(found) < 25}
    assert not narrow


def test_the_seed_never_stands_alone_on_a_line(built):
    """"Versions drawn with seed 3" may wrap on A5, never between "seed" and its number: a
    lone "3" under the overline reads as a stray figure."""
    for paper, pdf_path in _pdfs(built, "*-answer-key-*.pdf"):
        lines = pdf_text(pdf_path).splitlines()
        assert "3" not in [line.strip() for line in lines], f"{paper}/{pdf_path.name}"
