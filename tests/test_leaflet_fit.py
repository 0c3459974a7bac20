"""How the easy-read leaflet fits its pages, read back from its PDFs: no page holds only the
closing block or only the key points; a sheet without pictures has no empty picture column;
`check` measures each line on every paper the leaflet is built for and says which, and asks
for a contact (#24 items 1, 3, 4)."""

from __future__ import annotations

import pdfplumber
import pikepdf
import pytest
import yaml
from click.testing import CliRunner

from generator.batch.build import build
from generator.cli import cli
from generator.options import BuildOptions
from generator.sheet.loader import load
from generator.view.checks import check
from generator.view.linewidth import width_mm
from tests.conftest import DATA, FRENCH, FRENCH_SAMPLE, SAMPLE, SPANISH_SAMPLE, plain, spaces

NO_EXTRAS = DATA / "sheets" / "no-extras.yaml"
MINIMAL = DATA / "sheets" / "minimal.yaml"
SHEETS = {"sample": SAMPLE, "french_sample": FRENCH_SAMPLE, "spanish_sample": SPANISH_SAMPLE,
          "no_extras": NO_EXTRAS, "french": FRENCH}
PAPERS = ("a4", "letter", "a5")
MM = 72 / 25.4
# The closing block's top rule is drawn in the theme's --rule colour, #b8c7cf (base.css).
RULE = (0xB8 / 255, 0xC7 / 255, 0xCF / 255)
# The leaflet's left margin on each paper, and its picture column with its gap (the brief:
# A4 and Letter 16 mm and 24 + 6 mm; A5 8 mm and 12 + 3 mm); without pictures, the key
# points' bullets keep a 4 mm gap.
LEFT = {"a4": 16, "letter": 16, "a5": 8}
PICTURE_COLUMN = {"a4": 30, "letter": 30, "a5": 15}
BULLET_GAP = 4
# The fewest printed lines a leaflet page may hold: two fifths of a full page's.
FEWEST_LINES = {"a4": 10, "letter": 10, "a5": 7}


@pytest.fixture(scope="module")
def leaflets(tmp_path_factory):
    folders = {}
    for paper in PAPERS:
        folder = tmp_path_factory.mktemp(paper)
        result = build(list(SHEETS.values()), folder,
                       BuildOptions(only=("easy-read",), paper=paper))
        assert result.ok, [str(f) for f in result.failures]
        folders[paper] = folder
    return folders


def _data(name: str) -> dict:
    return yaml.safe_load(SHEETS[name].read_text(encoding="utf-8"))


def _pdf(folders, paper: str, name: str) -> str:
    slug = _data(name)["slug"]
    return str(folders[paper] / slug / f"{slug}-easy-read.pdf")


def _is_rule(rect: dict) -> bool:
    colour = rect.get("non_stroking_color") or ()
    return len(colour) == 3 and all(abs(a - b) < 0.01 for a, b in zip(colour, RULE,
                                                                      strict=True))


def _pages(path: str) -> list[dict]:
    """Each page's printed lines, split at the closing block's rule: those above it (the
    page number left out) and those below; after the rule's page, every line is closing."""
    pages, closing_started = [], False
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = [line for line in page.extract_text_lines()
                     if line["top"] < page.height - 18 * MM]  # the page number's margin
            rules = [rect["top"] for rect in page.rects if _is_rule(rect)]
            top = 0.0 if closing_started else min(rules, default=page.height)
            closing_started = closing_started or bool(rules)
            content = page.height - 15 * MM - 17 * MM
            above = [line for line in lines if line["bottom"] <= top]
            pages.append({
                "above": [spaces(line["text"]).removeprefix("• ") for line in above],
                "closing": [spaces(line["text"]) for line in lines if line["bottom"] > top],
                # how much of the page the text before the closing block fills
                "fill": (max((line["bottom"] for line in above), default=0)
                         - min((line["top"] for line in above), default=0)) / content})
    return pages


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", list(SHEETS))
def test_no_page_holds_only_the_closing_block_or_the_key_points(leaflets, paper, name):
    """Every page holds a part of the text, or is the back page: the key points (at A4 and
    Letter, whose parts are never split, all of them) above the closing block."""
    easy = _data(name)["easy_read"]
    parts = {plain(part["heading"]) for part in easy["summary"]}
    parts |= {plain(line) for part in easy["summary"] for line in part["lines"]}
    points = {plain(line) for line in easy.get("key_points", [])}
    pages = _pages(_pdf(leaflets, paper, name))
    assert pages[-1]["closing"], "the closing block is printed last"
    for number, page in enumerate(pages, start=1):
        where = (paper, number, round(page["fill"], 2), page["above"])
        assert page["above"] and page["fill"] > 0, f"only the closing block: {where}"
        if not parts & set(page["above"]):
            assert set(page["above"]) & points and page["closing"], where
            if paper != "a5":
                assert points <= set(page["above"]), f"the key points split: {where}"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", list(SHEETS))
def test_no_page_is_left_with_a_few_lines(leaflets, paper, name):
    """Every page holds two fifths of a full page's printed lines or more (its number left
    out; a full page holds about 25 lines at A4, 23 at Letter, 18 at A5): the Spanish
    sample's page 2 of 3 held one part, 6 lines, at A4 and Letter, and the French test
    sheet's page 1 of 2 its title and one part, 9 lines, because the key points always took
    the part before them along, and a long ending with it filled the next page."""
    for number, page in enumerate(_pages(_pdf(leaflets, paper, name)), start=1):
        printed = page["above"] + page["closing"]
        assert len(printed) >= FEWEST_LINES[paper], (paper, number, printed)


def test_the_key_points_come_with_a_part_on_a_new_users_leaflet(leaflets):
    """The sheet without extras printed its key points and credits alone on page 2: the part
    before them now comes along."""
    for paper in PAPERS:
        last = _pages(_pdf(leaflets, paper, "no_extras"))[-1]["above"]
        assert "Key points" in last, paper
        before = last[: last.index("Key points")]
        assert before[-3:] == ["Visits help a lot.", "Eating together helps a lot.",
                               "Help to travel helps too."], paper


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", list(SHEETS))
def test_nothing_is_printed_within_7_mm_of_the_edge(leaflets, paper, name):
    """Office printers cannot print there: every glyph's box, rule and picture, page numbers
    included, keeps 7 mm from each edge of the paper."""
    with pdfplumber.open(_pdf(leaflets, paper, name)) as pdf:
        for page in pdf.pages:
            for drawn in page.chars + page.rects + page.curves + page.lines + page.images:
                nearest = min(drawn["x0"], page.width - drawn["x1"], drawn["top"],
                              page.height - drawn["bottom"])
                assert nearest >= 7 * MM - 0.01, (page.page_number, drawn.get("text"),
                                           round(nearest / MM, 1))


def test_a_one_page_text_keeps_its_closing_block_on_its_page(tmp_path):
    """The sheet without extras, given a short title (its leaflet then opens with it, in one
    line, and says in one line what it explains): its parts and key points fill about two
    thirds of an A4 page, and its closing block (who wrote it, the QR code, the date) fits
    below them rather than take a second sheet."""
    data = yaml.safe_load(NO_EXTRAS.read_text(encoding="utf-8"))
    data["short_title"] = "Loneliness after 75"
    (tmp_path / "sheet.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                         encoding="utf-8")
    result = build([tmp_path / "sheet.yaml"], tmp_path / "out",
                   BuildOptions(only=("easy-read",)))
    assert result.ok, [str(f) for f in result.failures]
    pages = _pages(str(result.written[0].path))
    assert len(pages) == 1, [page["above"][:1] + page["closing"][:1] for page in pages]
    assert "Visits and meals together help." in pages[0]["above"]
    assert pages[0]["closing"][0] == "Written by: Jane Doe, Health Promotion Network"


def _figures(path: str) -> list[tuple[float, float]]:
    """The left and right edges of each tagged picture, in points."""
    with pikepdf.open(path) as pdf:
        return [(float(obj.A.BBox[0]), float(obj.A.BBox[2])) for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]


@pytest.mark.parametrize("paper", PAPERS)
def test_a_sheet_without_pictures_has_no_picture_column(leaflets, paper):
    """Its text starts at the margin; its only picture, the QR code, stands right of it."""
    path = _pdf(leaflets, paper, "no_extras")
    with pdfplumber.open(path) as pdf:
        lines = [line for page in pdf.pages for line in page.extract_text_lines(return_chars=True)
                 if line["top"] < page.height - 18 * MM]
    lefts = {round(line["x0"] / MM) for line in lines if line["chars"][0]["text"] != "•"}
    assert lefts == {LEFT[paper] + BULLET_GAP}
    assert min(line["x0"] for line in lines) >= (LEFT[paper] - 0.5) * MM  # bullets too
    figures = _figures(path)
    assert len(figures) == 1  # the QR code, right of the text's start
    assert figures[0][0] > (LEFT[paper] + PICTURE_COLUMN[paper]) * MM


@pytest.mark.parametrize("paper", PAPERS)
def test_with_pictures_the_text_stands_right_of_the_picture_column(leaflets, paper):
    path = _pdf(leaflets, paper, "sample")
    with pdfplumber.open(path) as pdf:
        lefts = sorted({round(line["x0"] / MM) for page in pdf.pages
                        for line in page.extract_text_lines(return_chars=True)
                        if line["chars"][0]["text"] != "•"
                        and line["top"] < page.height - 18 * MM})
    # one text edge; on A5 the closing's two lines beside the QR code start right of it
    assert lefts[0] == LEFT[paper] + PICTURE_COLUMN[paper]
    assert len({round(left) for left, _ in _figures(path)}) == 1  # one picture column
    assert max(left for left, _ in _figures(path)) < lefts[0] * MM


def _sheet(tmp_path, lines: list[str], contact: bool = True, lang: str = "en"):
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["lang"] = lang
    part = data["easy_read"]["summary"][0]
    part["lines"] = lines
    part["pictogram"] = "builtin:house"
    if contact:
        data["easy_read"]["contact"] = {"name": "School nurse", "phone": "01 23 45 67 89"}
    (tmp_path / "sheet.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, width=1000,
                                                        sort_keys=False), encoding="utf-8")
    return tmp_path / "sheet.yaml"


def _line_of(path, text: str) -> int:
    """The line (from 1) of the written sheet where `text` first appears."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


# Fits every paper; fits A4 and Letter, not A5 (14 pt in 117 mm); wraps on every paper.
FITS = "Sleep helps children learn."
NOT_A5 = "Sleep helps children learn and grow well every day too."
NOWHERE = ("Sleep helps children learn and grow well every day at school and at home with "
           "their friends.")


def _message(line: str, paper: str, size: float, limit: float, also: str) -> str:
    width = width_mm(line, size)
    assert width is not None
    over = -int(-(width - limit) // 1)
    return (f"this line is {width:.1f} mm long at {size:g} pt and will wrap in the {paper} "
            f"leaflet's {limit:g} mm column{also}: shorten it (by {over} mm or more), or split "
            "it into two sentences")


def test_check_names_the_paper_where_a_line_wraps(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sheet = _sheet(tmp_path, [FITS, NOT_A5, NOWHERE])
    assert 133.7 < width_mm(NOT_A5, 16) < 150  # under A4's column, over A5's at 14 pt
    wraps = [(w.line, w.path, w.message) for w in check(load("sheet.yaml"))
             if "wrap" in w.message]
    assert wraps == [
        (_line_of(sheet, NOT_A5), "easy_read.summary[1].lines[2]",
         _message(NOT_A5, "A5", 14, 117, "")),
        (_line_of(sheet, NOWHERE), "easy_read.summary[1].lines[3]",
         _message(NOWHERE, "A5", 14, 117, " (and on A4, Letter)")),
    ]
    only_a4 = [w.message for w in check(load("sheet.yaml"), ["a4"]) if "wrap" in w.message]
    assert only_a4 == [_message(NOWHERE, "A4", 16, 150, "")]


def test_check_paper_option_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sheet = _sheet(tmp_path, [FITS, NOT_A5])
    runner = CliRunner()
    every = runner.invoke(cli, ["check", "sheet.yaml"])
    assert f"sheet.yaml:{_line_of(sheet, NOT_A5)}:7: warning: easy_read.summary[1].lines[2]: " \
           f"{_message(NOT_A5, 'A5', 14, 117, '')}" in every.output
    for paper in ("a4", "letter"):
        result = runner.invoke(cli, ["check", "--paper", paper, "sheet.yaml"])
        assert result.exit_code == 0, result.output
        assert "wrap" not in result.output
    a5 = runner.invoke(cli, ["check", "--paper", "a5", "sheet.yaml"])
    assert _message(NOT_A5, "A5", 14, 117, "") in a5.output
    wrong = runner.invoke(cli, ["check", "--paper", "b5", "sheet.yaml"])
    assert wrong.exit_code == 2 and "'b5' is not one of 'a4', 'letter', 'a5'" in wrong.output


CONTACT = {
    "en": "no `contact`: the leaflet has no “Who can help you?” part, and the easy-to-read "
          "rules ask for someone readers can ask: add `contact:` with a `name` and a `phone`, "
          "`email` or `address`",
    "fr": "no `contact`: the leaflet has no “Qui peut vous aider\u202f?” part, and the "
          "easy-to-read rules ask for someone readers can ask: add `contact:` with a `name` "
          "and a `phone`, `email` or `address`",
    "es": "no `contact`: the leaflet has no “¿Quién te puede ayudar?” part, and the "
          "easy-to-read rules ask for someone readers can ask: add `contact:` with a `name` "
          "and a `phone`, `email` or `address`",
}


@pytest.mark.parametrize("lang", list(CONTACT))
def test_check_asks_for_a_contact_in_the_leaflets_words(tmp_path, monkeypatch, lang):
    monkeypatch.chdir(tmp_path)
    sheet = _sheet(tmp_path, [FITS], contact=False, lang=lang)
    found = [(w.line, w.path, w.message) for w in check(load("sheet.yaml"))
             if "contact" in w.message]
    # at the easy_read block, whose first field follows its key
    assert found == [(_line_of(sheet, "easy_read:") + 1, "easy_read", CONTACT[lang])]
    _sheet(tmp_path, [FITS], contact=True, lang=lang)
    assert not [w for w in check(load("sheet.yaml")) if "contact" in w.message]


def test_check_names_each_part_without_a_picture(monkeypatch):
    monkeypatch.chdir(NO_EXTRAS.parent)
    found = [(w.line, w.path) for w in check(load(NO_EXTRAS.name))
             if "has no picture" in w.message]
    assert found == [(114, "easy_read.summary[1]"), (119, "easy_read.summary[2]"),
                     (124, "easy_read.summary[3]")]
