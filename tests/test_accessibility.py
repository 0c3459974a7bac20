"""Accessible, print-ready PDFs: tagged, titled, language-marked, bookmarked, fonts embedded,
readable by real PDF engines, easy-read typography measured in the PDF itself, contrast."""

from __future__ import annotations

import re
import subprocess
import time
from collections import Counter
from itertools import pairwise

import pdfplumber
import pikepdf
import pypdfium2
import pytest

from generator.batch.build import build
from generator.options import BuildOptions
from tests.conftest import DATA, KIND_NAMES, ROOT, plain, spaces

MINIMAL = DATA / "sheets" / "minimal.yaml"
EXPLAINS = {"en": "This leaflet explains a report about {}.",
            "fr": "Ce document explique un rapport sur {}.",
            "es": "Este folleto explica un informe sobre {}."}


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_tagged_titled_language_marked(built, kind):
    with pikepdf.open(built.pdf(kind)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == built.data["lang"]
        assert root.ViewerPreferences.DisplayDocTitle is True
        title = spaces(pdf.docinfo["/Title"])
        # the leaflet's displayed title is its plain title, never the technical one (#24)
        shown = built.data["easy_read"]["title"] if kind == "easy-read" else built.data["title"]
        assert title.startswith(spaces(shown))
        with pdf.open_outline() as outline:
            assert len(outline.root) >= 1


def test_easy_read_has_one_bookmark_per_part(built):
    with pikepdf.open(built.pdf("easy-read")) as pdf, pdf.open_outline() as outline:
        titles = [spaces(item.title) for item in outline.root]
    easy = built.data["easy_read"]
    expected = [plain(part["heading"]) for part in easy["summary"]]
    assert titles[: len(expected)] == expected
    assert len(titles) == len(expected) + (1 if easy.get("key_points") else 0)


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_font_is_embedded(built, kind):
    with pikepdf.open(built.pdf(kind)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                if font.Subtype == "/Type3":  # bitmap glyphs (colour emoji) are in the file
                    continue
                descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font
                              else font).FontDescriptor
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2",
                                                         "/FontFile3")), font.BaseFont


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_qpdf_and_pdfium_open_every_page(built, kind):
    path = built.pdf(kind)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    document = pypdfium2.PdfDocument(path)
    try:
        assert len(document) >= 1
        for page in document:
            image = page.render(scale=0.3).to_pil()
            assert image.getextrema() != ((255, 255),) * 3  # something is drawn
    finally:
        document.close()


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3b", "pdf/x-4"])
def test_same_sheet_gives_the_same_bytes(tmp_path, variant):
    """Even PDF/X-4, whose document ID WeasyPrint draws at random and whose metadata date
    is the time of the build unless the document has one (the sheet's date)."""
    options = BuildOptions(pdf_variant=variant)
    first = build([MINIMAL], tmp_path / "one", options)
    time.sleep(1.1)  # a time of the build would show in the second
    second = build([MINIMAL], tmp_path / "two", options)
    assert first.ok and second.ok
    for output in first.written:
        twin = tmp_path / "two" / output.path.relative_to(tmp_path / "one")
        assert output.path.read_bytes() == twin.read_bytes(), output.path.name


# Easy-read typography, measured on the characters of the PDF.

def _easy_lines(path):
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            for line in page.extract_text_lines(return_chars=True):
                yield pages, line


def test_easy_read_sizes_fonts_and_pages(built):
    sizes: Counter = Counter()
    total_pages = 0
    for pages, line in _easy_lines(built.pdf("easy-read")):
        total_pages = pages
        for char in line["chars"]:
            if not char["text"].strip():
                continue
            assert char["size"] >= 14 - 0.01, (char["text"], char["size"])
            assert "Italic" not in char["fontname"] and "Oblique" not in char["fontname"]
            assert "Sans" in char["fontname"], char["fontname"]
            sizes[round(char["size"], 1)] += 1
    assert sizes.most_common(1)[0][0] == 16.0  # the body
    assert total_pages <= 20


def test_easy_read_lines_are_spaced_left_aligned_short_and_unhyphenated(built):
    easy = built.data["easy_read"]
    sources = [plain(line) for part in easy["summary"] for line in part["lines"]]
    sources += [plain(line) for line in easy.get("key_points", [])]
    if easy.get("title"):  # the plain title, as the object of the first sentence
        title = plain(easy["title"])
        sources.append(EXPLAINS[built.data["lang"]].format(title[0].lower() + title[1:]))
    printed = [line for _, line in _easy_lines(built.pdf("easy-read"))]
    closing = next(i for i, line in enumerate(printed)
                   if line["text"].startswith(("Written by", "Écrit par", "Escrito por")))
    # the closing block's names and addresses (at 14 pt): see test_easy_read.py
    body = [line for line in printed[:closing] if round(line["chars"][0]["size"]) == 16]
    lefts = Counter(round(line["x0"]) for line in body)
    assert len(lefts) <= 3  # text margin, list text, list markers
    for line in body:
        assert len(line["text"]) <= 65, line["text"]
        words = spaces(line["text"].lstrip("• ").strip()).replace("« ", "«").replace(" »", "»")
        assert any(words in source for source in sources) or words.startswith("page"), words
    for above, below in pairwise(body):
        gap = below["chars"][0]["bottom"] - above["chars"][0]["bottom"]
        if 0 < gap < 40:  # consecutive lines of one paragraph or of two sentences
            assert gap >= 1.5 * 16 - 0.5, (above["text"], below["text"], gap)
    starts = {line["text"].lstrip("• ")[:12] for line in body}
    for source in sources:
        assert source[:12] in starts, f"does not start a line: {source}"


# Colour and contrast, computed from the theme's custom properties.

def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i: i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_text_and_background_pair_reaches_wcag_aa():
    css = (ROOT / "styles" / "base.css").read_text(encoding="utf-8")
    theme = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    white, zebra = "#ffffff", "#f4f7f9"
    pairs = [
        ("ink", white), ("muted", white), ("accent", white),  # text on paper
        ("ink", "accent-soft"), ("accent", "accent-soft"), ("muted", "accent-soft"),
        ("ink", "warm-soft"), ("ink", zebra), ("accent", zebra),
        (white, "accent"),  # section and question numbers
    ]
    for foreground, background in pairs:
        fg = theme.get(foreground, foreground)
        bg = theme.get(background, background)
        assert contrast(fg, bg) >= 4.5, (foreground, background, round(contrast(fg, bg), 2))


# Paper and print.

@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792)),
                                             ("a5", (420, 595))])
def test_paper_sizes(tmp_path, paper, size):
    result = build([MINIMAL], tmp_path, BuildOptions(paper=paper, only=("easy-read",)))
    assert result.ok
    with pikepdf.open(result.written[0].path) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
    assert (round(box[2] - box[0]), round(box[3] - box[1])) == size


def test_print_shop_adds_bleed_and_crop_marks(tmp_path):
    result = build([MINIMAL], tmp_path, BuildOptions(print_shop=True, only=("quiz",)))
    assert result.ok
    with pikepdf.open(result.written[0].path) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
    mm = 72 / 25.4
    assert trim[0] - bleed[0] >= 3 * mm  # at least 3 mm of bleed
    assert trim[0] - media[0] == pytest.approx(10 * mm, abs=0.1)  # and the marks beyond it
    assert round(trim[2] - trim[0]) == 595  # the finished page is still A4


def test_untagged_variant_on_request(tmp_path):
    result = build([MINIMAL], tmp_path, BuildOptions(pdf_variant=None, only=("quiz",)))
    with pikepdf.open(result.written[0].path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root


def test_offered_variants_exist_in_weasyprint():
    from weasyprint.pdf import VARIANTS

    from generator.options import PDF_VARIANTS

    assert set(PDF_VARIANTS) <= set(VARIANTS)


def test_pictograms_are_figures_with_alternative_text(sample):
    alts = []
    with pikepdf.open(sample.pdf("easy-read")) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure":
                alts.append(str(obj.get("/Alt", "")))
    easy = sample.data["easy_read"]
    expected = [part["pictogram_alt"] for part in easy["summary"] if part.get("pictogram")]
    expected += [easy["picture_alt"], easy["key_points_pictogram_alt"]]
    words = {"phone": "Phone", "email": "E-mail", "address": "Address"}  # the contact's
    expected += [word for key, word in words.items() if easy.get("contact", {}).get(key)]
    assert "url" not in sample.data["source"]  # so no QR code in the closing
    assert expected and sorted(alts) == sorted(expected)


@pytest.mark.parametrize("name", ["french_sample", "spanish_sample"])
def test_qr_codes_are_figures_with_alternative_text(request, name):
    """The QR codes of the analysis's cover and of the leaflet's closing are pictures that
    say what they are, not untagged drawing."""
    built = request.getfixturevalue(name)
    assert built.data["source"]["url"]
    for kind, key in (("full-analysis", "qr_label"), ("easy-read", "easy_qr_label")):
        with pikepdf.open(built.pdf(kind)) as pdf:
            alts = [str(obj.get("/Alt", "")) for obj in pdf.objects
                    if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]
        assert alts.count(locale_label(built.data["lang"], key)) == 1, kind


def locale_label(lang: str, key: str) -> str:
    """A label as its locale file writes it (read here, not through handouts)."""
    import tomllib

    with open(ROOT / "generator" / "locales" / f"{lang}.toml", "rb") as stream:
        return tomllib.load(stream)["labels"][key]
