"""Workshop-ready quiz sets, read back from the PDFs: copy-fitting on A4, Letter and A5, edition
tabs and Name on every page, facilitator marking, printed numbers mapped to sheet questions,
the full analysis's measure, print-shop black, and the same bytes with emoji."""

from __future__ import annotations

import csv
import os
import re
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from generator.batch.build import build
from generator.options import BuildOptions
from tests.conftest import DATA, FRENCH_SAMPLE, MM, SAMPLE, plain, spaces, squash

FIXTURES = [SAMPLE, FRENCH_SAMPLE, *sorted((DATA / "sheets").glob("*.yaml"))]
PAPERS = ("a4", "letter", "a5")
FACILITATOR = {"en": "FACILITATOR COPY — DO NOT HAND OUT",
               "fr": "EXEMPLAIRE DE L’ANIMATEUR — NE PAS DISTRIBUER"}


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # sheets refuse YAML aliases
        return True


def _sheet_with_questions(tmp_path: Path, count: int) -> Path:
    """The English sample with `count` questions like its own (four one-line choices)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    quiz = data["quiz"]
    for part in data["easy_read"]["summary"]:  # the pictograms stay in content/
        part.pop("pictogram", None)
    data["quiz"] = [dict(quiz[n % len(quiz)], question=f"{quiz[n % len(quiz)]['question']} ({n})")
                    for n in range(count)]
    data["slug"] = f"sample-{count}"
    path = tmp_path / f"sample-{count}.yaml"
    path.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fitted(tmp_path_factory) -> dict[str, Path]:
    """Quiz and key of every fixture, and of 6- and 8-question sheets, on every paper."""
    folder = tmp_path_factory.mktemp("fitted")
    sheets = [*FIXTURES, _sheet_with_questions(folder, 6), _sheet_with_questions(folder, 8)]
    outputs = {}
    for paper in PAPERS:
        result = build(sheets, folder / paper,
                       BuildOptions(paper=paper, only=("quiz", "answer-key")))
        assert result.ok, [str(f) for f in result.failures]
        outputs[paper] = folder / paper
    return outputs


def _pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def _questions_per_page(path: Path) -> Counter:
    """Bookmarks give each question's page (the key's first bookmark is its grid)."""
    reader = PdfReader(path)
    marks = [item for item in reader.outline if not isinstance(item, list)]
    if "key" in path.name:
        marks = marks[1:]
    return Counter(reader.get_destination_page_number(mark) for mark in marks)


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("slug", ["educational-alliances", "competences-psychosociales",
                                  "sample-6"])
@pytest.mark.parametrize("kind", ["quiz", "answer-key"])
def test_samples_quiz_and_key_fit_one_page(fitted, paper, slug, kind):
    # Letter is 18 mm shorter than A4: a six-question key, its explanations set 60–75
    # characters a line (#24 item 10), ran on to a second page (4 + 2 questions, the last two
    # kept together), short of 3 mm; its first page now gives it the running header's room
    assert _pages(fitted[paper] / slug / f"{slug}-{kind}.pdf") == 1


@pytest.mark.parametrize("paper", PAPERS)
def test_no_page_holds_a_lone_question(fitted, paper):
    checked = 0
    for path in sorted(fitted[paper].glob("*/*.pdf")):
        counts = _questions_per_page(path)
        total = sum(counts.values())
        if _pages(path) > 1 and total >= 2:
            assert min(counts.values()) >= 2, (path.name, dict(counts))
            checked += 1
    assert checked >= 2  # the 8-question sheet runs on, on A4 and Letter too


def _chars(path: Path, page: int = 0) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return list(pdf.pages[page].chars)


def _word_position(chars: list[dict], word: str) -> tuple[float, float]:
    """Top and left of the first run of characters spelling `word`."""
    text = "".join(char["text"] for char in chars)
    index = text.index(word)
    return chars[index]["top"], chars[index]["x0"]


def _title_lines(path: Path, size: float) -> int:
    """Lines of the quiz's title: the bold characters of the first page set at its size."""
    chars = [c for c in _chars(path) if "Bold" in c["fontname"] and abs(c["size"] - size) < 0.2]
    return len({round(c["top"]) for c in chars})


@pytest.mark.parametrize("slug", ["educational-alliances", "competences-psychosociales"])
def test_quiz_titles_take_two_lines_and_three_on_a5(fitted, slug):
    assert 1 <= _title_lines(fitted["a4"] / slug / f"{slug}-quiz.pdf", 15) <= 2
    assert 1 <= _title_lines(fitted["letter"] / slug / f"{slug}-quiz.pdf", 15) <= 2
    assert 1 <= _title_lines(fitted["a5"] / slug / f"{slug}-quiz.pdf", 12.5) <= 3


@pytest.mark.parametrize("slug,name,date,group", [
    ("educational-alliances", "NAME", "DATE", "GROUP"),
    ("competences-psychosociales", "NOM", "DATE", "GROUPE")])
def test_a5_quiz_has_its_own_identity_rows(fitted, slug, name, date, group):
    path = fitted["a5"] / slug / f"{slug}-quiz.pdf"
    chars = _chars(path)
    name_top, _ = _word_position(chars, name)
    date_top, date_left = _word_position(chars, date)
    group_top, group_left = _word_position(chars, group)
    assert name_top < date_top - 3 * MM  # Name on its own row
    assert abs(date_top - group_top) < 1
    with pdfplumber.open(path) as pdf:
        right = float(pdf.pages[0].width) - 24 * MM  # the A5 page's right margin
    assert group_left - date_left >= 40 * MM  # room to write a date
    assert right - group_left >= 40 * MM  # and a group


@pytest.fixture(scope="module")
def editions_built(tmp_path_factory) -> Path:
    """Versions and pre/post on A5, where quizzes run on: every page is checked."""
    output = tmp_path_factory.mktemp("editions")
    result = build([SAMPLE], output, BuildOptions(versions=3, seed="5", pre_post=True,
                                                  answer_sheet=True, paper="a5"))
    assert result.ok, [str(f) for f in result.failures]
    return output / "educational-alliances"


def _page_texts(path: Path) -> list[str]:
    return [spaces(page.extract_text()) for page in PdfReader(path).pages]


def _large_letters(path: Path) -> list[str]:
    """Per page, the characters set at 24 pt or more (the edition tab's letter)."""
    with pdfplumber.open(path) as pdf:
        return ["".join(c["text"] for c in page.chars if c["size"] >= 24) for page in pdf.pages]


@pytest.mark.parametrize("kind", ["quiz", "answer-key", "answer-sheet"])
def test_every_page_of_every_edition_carries_its_tab(editions_built, kind):
    for phase, word in (("before", "BEFORE"), ("after", "AFTER")):
        for version in "ABC":
            path = editions_built / f"educational-alliances-{kind}-{phase}-{version}.pdf"
            texts = _page_texts(path)
            assert len(texts) >= (2 if kind != "answer-sheet" else 1)
            for text, large in zip(texts, _large_letters(path), strict=True):
                assert large == version, path.name
                assert word in text, path.name
                if kind != "answer-key":
                    assert "NAME" in text, path.name  # a loose page is matched to a person


def test_editions_differ_in_black_and_white(editions_built):
    """Before tabs are solid black, after tabs outlined; each version at its own height."""
    seen = set()
    for phase in ("before", "after"):
        for version in "ABC":
            path = editions_built / f"educational-alliances-quiz-{phase}-{version}.pdf"
            with pdfplumber.open(path) as pdf:
                letter = next(c for c in pdf.pages[0].chars if c["size"] >= 24)
            white = all(value >= 0.99 for value in letter["non_stroking_color"])
            assert white == (phase == "before")  # white letter on black, or black on white
            seen.add(round(letter["top"]))
    assert len(seen) == 3


@pytest.mark.parametrize("kind", ["answer-key", "marking-grid", "tally-sheet"])
def test_facilitator_documents_say_so_on_every_page(editions_built, kind):
    paths = sorted(editions_built.glob(f"*-{kind}*.pdf"))
    assert paths
    for path in paths:
        for text in _page_texts(path):
            assert FACILITATOR["en"] in text


def test_participants_documents_never_say_facilitator_nor_seed(editions_built):
    for path in [*editions_built.glob("*-quiz-*.pdf"), *editions_built.glob("*-answer-sheet-*")]:
        for text in _page_texts(path):
            assert "FACILITATOR" not in text and "seed" not in text.casefold()


def _csv_rows(folder: Path) -> list[dict]:
    with (folder / "educational-alliances-keys.csv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_tally_gives_every_sheet_question_its_number_in_every_edition(editions_built):
    rows = _csv_rows(editions_built)
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    with pdfplumber.open(editions_built / "educational-alliances-tally-sheet.pdf") as pdf:
        table = [row for page in pdf.pages for table in page.extract_tables() for row in table]
    by_question = {}
    for row in table:
        match = re.match(r"Q(\d+)\s", spaces(row[0] or ""))
        if match:
            by_question[int(match.group(1))] = row
    assert sorted(by_question) == list(range(1, len(data["quiz"]) + 1))
    for number, row in by_question.items():
        assert squash(plain(data["quiz"][number - 1]["question"])) in squash(row[0])
        for phase, cell in (("before", row[1]), ("after", row[3])):
            expected = " ".join(f"{r['version'].split('-')[-1]} {r['number']}" for r in rows
                                if r["version"].startswith(phase)
                                and r["sheet_question"] == str(number))
            assert spaces(cell) == expected, (number, phase)


def test_letters_are_uppercase_on_quiz_key_grid_and_csv(editions_built):
    rows = _csv_rows(editions_built)
    assert {row["answer"] for row in rows} <= set("ABCDEF")
    quiz = _page_texts(editions_built / "educational-alliances-quiz-before-A.pdf")[0]
    assert re.search(r"\bA [A-Z]", quiz) and not re.search(r"\b[a-f]\) ", quiz)


# --- the full analysis -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def analyses(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("analyses")
    found = {}
    for paper in ("a4", "letter"):
        result = build([SAMPLE, FRENCH_SAMPLE, DATA / "sheets" / "every-field.yaml"],
                       folder / paper, BuildOptions(paper=paper, only=("full-analysis",)))
        assert result.ok
        found[paper] = folder / paper
    return found


def _body_lines(path: Path) -> list[str]:
    """Lines of body text: the regular serif at 11 pt, grouped by their baseline."""
    lines = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rows: dict[int, list[dict]] = {}
            for word in page.extract_words(extra_attrs=["fontname", "size"]):
                if "Serif" in word["fontname"] and "Bold" not in word["fontname"] \
                        and abs(word["size"] - 11) < 0.2:
                    rows.setdefault(round(word["bottom"]), []).append(word)
            lines += [" ".join(w["text"] for w in sorted(row, key=lambda w: w["x0"]))
                      for row in rows.values()]
    return lines


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("slug", ["educational-alliances", "competences-psychosociales"])
def test_full_analysis_lines_are_60_to_75_characters(analyses, paper, slug):
    lines = _body_lines(analyses[paper] / slug / f"{slug}-full-analysis.pdf")
    full = [line for line in lines if len(line) >= 40]  # not the last line of a paragraph
    assert len(full) > 100
    assert max(len(line) for line in full) <= 75
    assert 60 <= sum(len(line) for line in full) / len(full) <= 75


@pytest.mark.parametrize("slug", ["educational-alliances", "competences-psychosociales"])
def test_full_analysis_is_not_hyphenated(analyses, slug):
    """A line may end with a hyphen only where the sheet's text has one (co-education)."""
    source = SAMPLE if slug == "educational-alliances" else FRENCH_SAMPLE
    typed = source.read_text(encoding="utf-8")
    path = analyses["a4"] / slug / f"{slug}-full-analysis.pdf"
    texts = [page.extract_text() or "" for page in PdfReader(path).pages]
    lines = [line for text in texts for line in text.splitlines()]
    for line, after in pairwise(lines):
        match = re.search(r"(\w+)-$", line)
        if match and after.split():
            word = f"{match.group(1)}-{re.match(r'[^ ]*', after).group(0).rstrip('.,;:)')}"
            assert word in typed, word


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_full_analysis_last_page_is_at_least_a_tenth_full(analyses, paper):
    for path in analyses[paper].glob("*/*.pdf"):
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[-1]
            top, bottom = 22 * MM, float(page.height) - 20 * MM
            body = [c for c in page.chars if top <= c["top"] and c["bottom"] <= bottom]
            assert (max(c["bottom"] for c in body) - top) / (bottom - top) >= 0.10, path.name


@pytest.mark.parametrize("slug,part", [("educational-alliances", "PART 2 — COMMENTED CORRECTION"),
                                       ("competences-psychosociales",
                                        "PARTIE 2 — CORRECTION COMMENTÉE")])
def test_commented_correction_starts_a_page_and_repeats_the_questions(analyses, slug, part):
    path = analyses["a4"] / slug / f"{slug}-full-analysis.pdf"
    source = SAMPLE if slug == "educational-alliances" else FRENCH_SAMPLE
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    with pdfplumber.open(path) as pdf:
        bodies = [page.crop((0, 21 * MM, page.width, page.height - 19 * MM)).extract_text()
                  for page in pdf.pages]
    start = next(n for n, text in enumerate(bodies) if part in spaces(text))
    assert spaces(bodies[start]).startswith(part)
    after = squash(" ".join(bodies[start:]))
    positions = [after.index(squash(plain(q["question"]))) for q in data["quiz"]]
    assert positions == sorted(positions)


def test_long_source_address_printed_short_with_a_qr_code(analyses):
    path = analyses["a4"] / "every-field" / "every-field-full-analysis.pdf"
    first = spaces(PdfReader(path).pages[0].extract_text())
    assert "example.org/Mksourceurl" in first and "https://" not in first
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        modules = [line for line in page.lines  # segno draws rows of modules as strokes
                   if line["x0"] > page.width / 2 and line["top"] < 80 * MM]
    assert len(modules) > 50  # the QR code, drawn as vectors at the cover's top right


# --- print shop and reproducible bytes -------------------------------------------------------

def test_print_shop_text_is_black_ink_only_with_marks_outside_the_bleed(tmp_path):
    result = build([SAMPLE], tmp_path, BuildOptions(print_shop=True, pdf_variant="pdf/x-4",
                                                    only=("quiz", "full-analysis")))
    assert result.ok
    for output in result.written:
        with pdfplumber.open(output.path) as pdf:
            for page in pdf.pages:
                for char in page.chars:
                    color = tuple(char["non_stroking_color"] or ())
                    black_ink = len(color) == 4 and color[:3] == (0, 0, 0)
                    assert black_ink or all(v >= 0.99 for v in color), (char["text"], color)
        with pikepdf.open(output.path) as pdf:
            page = pdf.pages[0]
            media, trim, bleed = ([float(v) for v in box]
                                  for box in (page.MediaBox, page.TrimBox, page.BleedBox))
            assert "/OutputIntents" in pdf.Root
        assert trim[0] - media[0] == pytest.approx(10 * MM, abs=0.1)  # room for the marks
        assert trim[0] - bleed[0] >= 3 * MM
        assert round(trim[2] - trim[0]) == 595  # the finished page is A4


def test_two_builds_with_emoji_give_the_same_bytes(tmp_path):
    data = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
    data["title"] = "Screens and sleep 🙂 in teenagers 🎉"
    sheet = tmp_path / "emoji.yaml"
    sheet.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    first = build([sheet], tmp_path / "one", BuildOptions(only=("quiz",)))
    time.sleep(1.1)  # another second on the clock that font subsets would record
    second = build([sheet], tmp_path / "two", BuildOptions(only=("quiz",)))
    assert first.ok and second.ok
    one, two = first.written[0].path, second.written[0].path
    assert any("Color-Emoji" in char["fontname"] for char in _chars(one))
    assert one.read_bytes() == two.read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_criteria_grids_never_leave_a_row_alone_on_a_page(analyses, paper):
    for source in (SAMPLE, FRENCH_SAMPLE):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        slug = data["slug"]
        path = analyses[paper] / slug / f"{slug}-full-analysis.pdf"
        # text as drawn, cell after cell (side-by-side cells interleave in reading order)
        pages = [squash(page.extract_text() or "") for page in PdfReader(path).pages]
        for grid in (data["values"], data["reliability"]):
            where = Counter(next(n for n, text in enumerate(pages)
                                 if squash(plain(c["assessment"]))[:40] in text)
                            for c in grid["criteria"])
            if len(where) > 1:
                assert min(where.values()) >= 2, (slug, dict(where))


@pytest.mark.parametrize(("paper", "versions"), [("a4", 1), ("a4", 2), ("a5", 2),
                                                 ("letter", 4)])
def test_the_tally_sheet_stays_inside_its_margins_on_one_page(tmp_path, paper, versions):
    """Its columns are fixed (a long word cannot widen them): their widths must leave room
    for the cells' padding, or the last column runs off the page."""
    from generator.batch.build import build
    from generator.options import BuildOptions

    result = build([SAMPLE], tmp_path, BuildOptions(only=("tally-sheet",), paper=paper,
                                                    versions=versions, pre_post=True))
    assert result.ok, [str(f) for f in result.failures]
    with pdfplumber.open(result.written[0].path) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        right = page.width - 12 * 72 / 25.4  # every page margin here is at least 13 mm
        assert max(char["x1"] for char in page.chars) <= right
        assert max(edge["x1"] for edge in page.edges) <= right
