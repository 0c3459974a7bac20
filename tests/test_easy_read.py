"""The easy-read leaflet read back from its PDFs: each sentence on one printed line at A4,
Letter, A5 and in the booklet, one picture column and one text edge, the closing block in
both languages, A5 pages and the booklet's page order; then the easy-to-read rules of
`check`, exact messages."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pdfplumber
import pikepdf
import pytest
import yaml

from generator.batch.build import build
from generator.documents.booklet import saddle_order
from generator.options import BuildOptions
from generator.sheet.loader import load
from generator.view.checks import check
from tests.conftest import (
    DATA,
    FRENCH,
    FRENCH_SAMPLE,
    SAMPLE,
    SPANISH_SAMPLE,
    plain,
    spaces,
    squash,
)

SHEETS = {"sample": SAMPLE, "french_sample": FRENCH_SAMPLE, "french": FRENCH}
NO_EXTRAS = DATA / "sheets" / "no-extras.yaml"  # a new user's sheet: no pictures, no contact
# Every leaflet built: the samples, and the sheets the line measures are taken on too.
LEAFLETS = {**SHEETS, "spanish_sample": SPANISH_SAMPLE, "no_extras": NO_EXTRAS}
RULES = DATA / "easy-rules"
MINIMAL = DATA / "sheets" / "minimal.yaml"
LOGO = DATA / "sheets" / "pictograms" / "logo-placeholder.svg"
BODY, HEADING = 16, 20
# Saddle stitch, written out by hand: (left, right) pages of each printed side, from 1.
SADDLE = {4: [(4, 1), (2, 3)], 8: [(8, 1), (2, 7), (6, 3), (4, 5)]}


@pytest.fixture(scope="module")
def leaflets(tmp_path_factory):
    """Every sample leaflet at each paper; with booklets at A4 (the leaflet rendered again
    at A5) and at A5 (the leaflet itself imposed)."""
    folders = {}
    for paper in ("a4", "letter", "a5"):
        folder = tmp_path_factory.mktemp(paper)
        options = BuildOptions(only=("easy-read",), paper=paper, booklet=paper != "letter")
        result = build(list(LEAFLETS.values()), folder, options)
        assert result.ok, [str(f) for f in result.failures]
        folders[paper] = folder
    return folders


def _data(name: str) -> dict:
    return yaml.safe_load(LEAFLETS[name].read_text(encoding="utf-8"))


def _pdf(folders, paper: str, name: str, suffix: str = "") -> str:
    slug = _data(name)["slug"]
    return str(folders[paper] / slug / f"{slug}-easy-read{suffix}.pdf")


def _lines(path: str, halves: bool = False) -> list[list[dict]]:
    """Each page's printed lines: text (spaces made plain), size, left edge; with `halves`
    (a booklet's sheets), each half of a sheet is read as a page of its own."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for sheet in pdf.pages:
            middle = sheet.width / 2
            parts = ([sheet.crop((0, 0, middle, sheet.height)),
                      sheet.crop((middle, 0, sheet.width, sheet.height))] if halves else [sheet])
            for page in parts:
                pages.append([{"text": spaces(line["text"]),
                               "size": round(line["chars"][0]["size"]),
                               "x0": line["x0"], "first": line["chars"][0]["text"]}
                              for line in page.extract_text_lines(return_chars=True)])
    return pages


def _sentences(data: dict) -> list[str]:
    easy = data["easy_read"]
    return [plain(line) for part in easy["summary"] for line in part["lines"]] + [
        plain(line) for line in easy.get("key_points", [])]


@pytest.mark.parametrize("paper", ["a4", "letter", "a5", "booklet"])
@pytest.mark.parametrize("name", list(LEAFLETS))
def test_each_sentence_is_one_whole_printed_line(leaflets, paper, name):
    """The A4 booklet prints the A5 leaflet's pages two by two: read each half."""
    path = (_pdf(leaflets, "a4", name, "-booklet") if paper == "booklet"
            else _pdf(leaflets, paper, name))
    pages = _lines(path, halves=paper == "booklet")
    printed = {line["text"].removeprefix("• "): line["size"] for page in pages for line in page}
    for sentence in _sentences(_data(name)):
        assert sentence in printed, f"wraps or is missing at {paper}: {sentence}"
        assert printed[sentence] >= 14, (paper, sentence)  # the rules' smallest size


@pytest.mark.parametrize("name", list(SHEETS))
def test_one_picture_column_and_one_text_edge(leaflets, name):
    data = _data(name)
    easy = data["easy_read"]
    path = _pdf(leaflets, "a4", name)
    with pikepdf.open(path) as pdf:
        figures = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                   and obj.get("/S") == "/Figure"]
        lefts = {round(float(Decimal(str(f.A.BBox[0]))), 1) for f in figures}
    expected = [part.get("pictogram") for part in easy["summary"]]
    expected += [easy.get("picture"), easy.get("key_points_pictogram")]
    expected += [easy.get("logo") if easy.get("checked_by") else None]
    expected += [data["source"].get("url")]  # its QR code, in the same column
    contact = easy.get("contact") or {}  # a pictogram for each way to reach the contact
    expected += [contact.get(key) for key in ("phone", "email", "address")]
    assert len(figures) == len([picture for picture in expected if picture])
    assert len(lefts) == 1, lefts
    text_lefts = {round(line["x0"]) for page in _lines(path) for line in page
                  if line["size"] in (BODY, HEADING) and line["first"] != "•"}
    assert len(text_lefts) == 1, text_lefts
    assert min(lefts) < min(text_lefts)  # the pictures stand left of the text


@pytest.mark.parametrize("name", list(SHEETS))
def test_the_plain_title_comes_first_in_sentence_case(leaflets, name):
    data = _data(name)
    first = _lines(_pdf(leaflets, "a4", name))[0]
    marker = {"en": "Easy to read", "fr": "Facile à lire et à comprendre"}[data["lang"]]
    assert first[0]["text"] == marker
    assert first[1]["text"] == plain(data["easy_read"]["title"])


def test_french_credit_is_grammatical_and_names_the_site_once(leaflets):
    text = " ".join(line["text"] for page in _lines(_pdf(leaflets, "a4", "french_sample"))
                    for line in page)
    author = _data("french_sample")["sheet"]["author"]
    assert "Écrit par : Équipe handouts" in text
    assert "Analyse de" not in text and f"{author}, handouts" not in text


def _closing_sheet(tmp_path, lang: str, checked: bool) -> dict:
    """The minimal sheet with every closing field, in `lang`, its logo beside it."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["lang"] = lang
    data["source"] = {"url": "https://example.org/reports/sleep"}
    data["sheet"]["date"] = "2026-02-23"
    shutil.copy(LOGO, tmp_path / "logo.svg")
    data["easy_read"].update({
        "contact": {"name": "School nurse", "phone": "01 23 45 67 89",
                    "email": "nurse@example.org", "address": "1 School Road, Town"},
        "logo": "logo.svg"})
    if checked:
        data["easy_read"]["checked_by"] = "The Tuesday readers' group"
    (tmp_path / "sheet.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                         encoding="utf-8")
    return data


CLOSING = {
    "en": ["Written by: {author}", "Checked with readers by: The Tuesday readers' group",
           "Who can help you?", "School nurse", "Phone: 01 23 45 67 89",
           "E-mail: nurse@example.org", "Address: 1 School Road, Town",
           "Read the full document here:", "example.org/reports/sleep", "Date: February 2026",
           "© European Easy-to-Read Logo: Inclusion Europe. More information at "
           "www.inclusion-europe.eu/easy-to-read"],
    "fr": ["Écrit par : {author}", "Relu et vérifié avec des lecteurs par : The Tuesday "
           "readers' group", "Qui peut vous aider ?", "School nurse",
           "Téléphone : 01 23 45 67 89", "E-mail : nurse@example.org",
           "Adresse : 1 School Road, Town", "Lire le document complet ici :",
           "example.org/reports/sleep", "Date : février 2026",
           "© Logo européen Facile à lire : Inclusion Europe. Plus d’informations sur "
           "www.inclusion-europe.eu/easy-to-read"],
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_closing_block_says_who_wrote_checked_and_helps(tmp_path, lang):
    data = _closing_sheet(tmp_path, lang, checked=True)
    result = build([tmp_path / "sheet.yaml"], tmp_path / "out",
                   BuildOptions(only=("easy-read",)))
    assert result.ok, [str(f) for f in result.failures]
    text = squash(" ".join(line["text"] for page in _lines(str(result.written[0].path))
                           for line in page))
    author = data["sheet"]["author"]
    for item in CLOSING[lang]:
        assert squash(item.format(author=author)) in text, item
    with pikepdf.open(result.written[0].path) as pdf:
        alts = [str(obj.get("/Alt")) for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]
    assert alts == [{"en": "European easy-to-read logo",
                     "fr": "Logo européen Facile à lire"}[lang],
                    # the contact's pictograms, each with its word (#24 item 5)
                    *{"en": ["Phone", "E-mail", "Address"],
                      "fr": ["Téléphone", "E-mail", "Adresse"]}[lang],
                    {"en": "QR code: the address of the full document",
                     "fr": "Code QR\u00a0: l’adresse du document complet"}[lang]]


def test_no_logo_without_someone_who_checked(tmp_path):
    _closing_sheet(tmp_path, "en", checked=False)
    result = build([tmp_path / "sheet.yaml"], tmp_path / "out",
                   BuildOptions(only=("easy-read",)))
    text = " ".join(line["text"] for page in _lines(str(result.written[0].path))
                    for line in page)
    assert "Inclusion Europe" not in text and "Checked" not in text
    with pikepdf.open(result.written[0].path) as pdf:
        alts = [str(obj.get("/Alt")) for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]
    assert "European easy-to-read logo" not in alts
    assert alts == ["Phone", "E-mail", "Address", "QR code: the address of the full document"]


@pytest.mark.parametrize("name", list(SHEETS))
def test_a5_leaflet_fits_two_to_four_full_pages(leaflets, name):
    pages = _lines(_pdf(leaflets, "a5", name))
    assert 2 <= len(pages) <= 4
    for number, page in enumerate(pages, start=1):
        sizes = [line["size"] for line in page if not line["text"].startswith("page ")]
        assert BODY in sizes, f"page {number} holds no sentence"
        assert sizes[-1] != HEADING, f"page {number} ends with a heading"


@pytest.mark.parametrize("paper", ["a4", "a5"])
@pytest.mark.parametrize("name", list(SHEETS))
def test_booklet_pages_are_in_saddle_stitch_order(leaflets, paper, name):
    leaflet = _pdf(leaflets, "a5", name)
    booklet = _pdf(leaflets, paper, name, "-booklet")
    with pdfplumber.open(leaflet) as pdf:
        a5 = [squash(page.extract_text() or "") for page in pdf.pages]
    padded = -(-len(a5) // 4) * 4
    with pdfplumber.open(booklet) as pdf:
        assert len(pdf.pages) == padded // 2
        for page, (left, right) in zip(pdf.pages, SADDLE[padded], strict=True):
            assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape
            for half, number in ((page.crop((0, 0, page.width / 2, page.height)), left),
                                 (page.crop((page.width / 2, 0, page.width, page.height)),
                                  right)):
                expected = a5[number - 1] if number <= len(a5) else ""
                assert squash(half.extract_text() or "") == expected, (page.page_number, number)


def test_saddle_order_pads_to_four():
    assert saddle_order(5) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    assert saddle_order(1) == [(3, 0), (1, 2)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_easy_rules_report_exact_messages(lang, monkeypatch):
    monkeypatch.chdir(RULES)
    expected = (RULES / f"{lang}.expected").read_text(encoding="utf-8").splitlines()
    warnings = [str(w) for w in check(load(f"{lang}.yaml")) if w.path.startswith("easy_read")]
    assert warnings == expected


@pytest.mark.parametrize("pictures", [True, False])
@pytest.mark.parametrize("paper", ["a4", "letter", "a5"])
def test_the_measure_agrees_with_the_printed_column(tmp_path, paper, pictures):
    """Lines measured just under and just over the paper's column (the picture column taken
    off when the sheet has a picture): those `check` says fit are one printed line, the
    others wrap."""
    from generator.view.easyrules import COLUMNS
    from generator.view.linewidth import width_mm

    column = COLUMNS[paper]
    limit = column.width(pictures)
    words = ["Sleep", "helps", "children", "learn", "and", "grow", "well", "every", "day",
             "at", "school", "and", "at", "home", "with", "their", "friends"]
    candidates = [f"{' '.join(words[:n])} {end}." for n in range(5, len(words) + 1)
                  for end in ("too", "now", "here", "again", "at home", "together", "a lot",
                              "each week", "all year", "in town")]
    measured = {line: width_mm(line, column.body_pt) for line in candidates}
    under = [line for line, width in measured.items() if limit - 6 < width < limit - 1]
    over = [line for line, width in measured.items() if limit + 1 < width < limit + 6]
    assert under and over
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["easy_read"]["summary"][0]["lines"] = under + over
    if pictures:
        data["easy_read"]["summary"][0]["pictogram"] = "builtin:house"
    (tmp_path / "sheet.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    result = build([tmp_path / "sheet.yaml"], tmp_path / paper,
                   BuildOptions(only=("easy-read",), paper=paper))
    printed = {line["text"] for page in _lines(str(result.written[0].path)) for line in page}
    for line in under:
        assert line in printed, (line, measured[line], limit)
    for line in over:
        assert line not in printed, (line, measured[line], limit)


@pytest.mark.parametrize("name", list(SHEETS))
def test_the_samples_follow_the_easy_to_read_rules(name, monkeypatch):
    monkeypatch.chdir(SHEETS[name].parent)
    warnings = [str(w) for w in check(load(SHEETS[name].name))
                if w.path.startswith("easy_read")]
    assert warnings == []


def test_a_line_that_check_says_wraps_is_reported_at_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = MINIMAL.read_text(encoding="utf-8").replace(
        '"It is a test."', '"It is a test of a sentence that goes on for far too long here."')
    (tmp_path / "sheet.yaml").write_text(source, encoding="utf-8")
    warnings = [str(w) for w in check(load("sheet.yaml")) if "wrap" in w.message]
    assert len(warnings) == 1
    assert warnings[0].startswith("sheet.yaml:35:15: warning: easy_read.summary[1].lines[1]: "
                                  "this line is ")
    # a sheet without pictures has no picture column; the line fits A4 and Letter
    assert "mm long at 14 pt and will wrap in the A5 leaflet's 128 mm column: " in warnings[0]


def test_booklet_option_on_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from generator.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(MINIMAL), "-o", "out", "--only",
                                      "easy-read", "--booklet"])
    assert result.exit_code == 0, result.output
    assert "wrote out/minimal/minimal-easy-read-booklet.pdf (2 pages)" in result.output
    again = CliRunner().invoke(cli, ["build", str(MINIMAL), "-o", "out", "--only",
                                     "easy-read"])
    # the booklet is a kind of its own: without --booklet, the leaflet is still up to date
    assert "0 files written, 1 unchanged" in again.output
