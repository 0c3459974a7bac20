"""#24 item 12: `--print-shop --pdf-variant pdf/x-4` makes files that pass a print shop's
preflight: an embedded CMYK output profile, no DeviceRGB anywhere, crop marks in registration
colour, trim and bleed boxes. Measured on the three samples' handouts, each with pdfplumber or
with pikepdf's own reading of the content, apart from the preflight module; and the preflight
must refuse an RGB page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml

from generator.batch.build import build
from generator.documents.preflight import preflight
from generator.options import BuildOptions
from tests.conftest import DATA, MM, ROOT

SAMPLES = sorted((ROOT / "content").glob("*.yaml"))
PROFILE = ROOT / "generator" / "icc" / "FOGRA39L-coated.icc"


@pytest.fixture(scope="module")
def press(tmp_path_factory) -> list[Path]:
    """Every handout of the three samples, for a print shop, as PDF/X-4."""
    folder = tmp_path_factory.mktemp("press")
    result = build(SAMPLES, folder, BuildOptions(print_shop=True, pdf_variant="pdf/x-4"))
    assert result.ok
    paths = [output.path for output in result.written]
    assert len(paths) == 4 * len(SAMPLES)
    return paths


@pytest.fixture(scope="module")
def tagged_press(tmp_path_factory) -> list[Path]:
    """The default variant (tagged PDF/UA-1) for a print shop: same inks and marks."""
    folder = tmp_path_factory.mktemp("tagged")
    result = build(SAMPLES[:1], folder, BuildOptions(print_shop=True,
                                                     only=("easy-read", "quiz")))
    assert result.ok
    return [output.path for output in result.written]


def test_every_print_shop_handout_passes_the_preflight(press):
    for path in press:
        report = preflight(path.read_bytes())
        assert report.problems == [], path.name
        assert "rg" not in report.colours and "RG" not in report.colours


def _colours_drawn(path: Path) -> set[int]:
    """How many components each colour drawn has (1 gray, 3 RGB, 4 CMYK), as pdfplumber reads
    the characters, rectangles, lines and curves."""
    sizes = set()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for item in (*page.chars, *page.rects, *page.lines, *page.curves):
                for key in ("non_stroking_color", "stroking_color"):
                    colour = item.get(key)
                    if isinstance(colour, (tuple, list)) and item.get(
                            "fill" if key == "non_stroking_color" else "stroke", True):
                        sizes.add(len(colour))
    return sizes


def test_no_colour_is_drawn_in_rgb(press, tagged_press):
    """Pictograms, QR codes, tinted panels, text and marks: gray, CMYK or one-ink, never
    three components."""
    for path in (*press, *tagged_press):
        sizes = _colours_drawn(path)
        assert 3 not in sizes, (path.name, sizes)
        assert 4 in sizes, path.name


def test_the_output_intent_embeds_the_cmyk_profile(press):
    expected = PROFILE.read_bytes()
    assert expected[12:20] == b"prtrCMYK"  # an output profile for CMYK
    for path in press:
        with pikepdf.open(path) as pdf:
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFX"
            assert str(intent.OutputConditionIdentifier) == "FOGRA39"
            assert intent.DestOutputProfile.read_bytes() == expected
            assert int(intent.DestOutputProfile.N) == 4
            with pdf.open_metadata() as meta:
                assert meta.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
            assert pdf.pdf_version >= "1.6"


def test_trim_inside_bleed_inside_media_on_every_page(press):
    for path in press:
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                media, bleed, trim = ([float(v) for v in page.obj[name]]
                                      for name in ("/MediaBox", "/BleedBox", "/TrimBox"))
                assert media[0] < bleed[0] < trim[0] and trim[2] < bleed[2] < media[2]
                assert media[1] < bleed[1] < trim[1] and trim[3] < bleed[3] < media[3]
                assert trim[0] - bleed[0] >= 3 * MM
                assert round(trim[2] - trim[0]) == 595 and round(trim[3] - trim[1]) == 842


def _registration_strokes(page: pikepdf.Page) -> list[tuple[float, float, float, float]]:
    """The segments stroked while the stroke colour space is /Separation /All."""
    spaces = page.obj.Resources.get("/ColorSpace", {})
    registration = {str(name) for name, space in spaces.items()
                    if isinstance(space, pikepdf.Array) and str(space[0]) == "/Separation"
                    and str(space[1]) == "/All"}
    segments, current, start, stroking_all = [], None, None, False
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator, operands = str(instruction.operator), instruction.operands
        if operator == "CS":
            stroking_all = str(operands[0]) in registration
        elif operator == "m":
            start = current = tuple(float(o) for o in operands)
        elif operator == "l" and stroking_all and current is not None:
            end = tuple(float(o) for o in operands)
            segments.append((*current, *end))
            current = end
    assert start is not None or not segments
    return segments


def test_crop_marks_are_in_registration_colour_outside_the_bleed(press, tagged_press):
    for path in (*press, *tagged_press):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                trim = [float(v) for v in page.obj.TrimBox]
                bleed = [float(v) for v in page.obj.BleedBox]
                segments = _registration_strokes(page)
                assert len(segments) == 8, path.name
                for x1, y1, x2, y2 in segments:
                    for x, y in ((x1, y1), (x2, y2)):
                        # on a trim line, outside the bleed on the other axis
                        outside_x = x <= bleed[0] or x >= bleed[2]
                        outside_y = y <= bleed[1] or y >= bleed[3]
                        assert outside_x or outside_y
                        assert x in (trim[0], trim[2]) or y in (trim[1], trim[3]) or (
                            min(abs(x - t) for t in (trim[0], trim[2])) < 0.01
                            or min(abs(y - t) for t in (trim[1], trim[3])) < 0.01)
                    length = abs(x2 - x1) + abs(y2 - y1)
                    assert length == pytest.approx(5 * MM, abs=0.05)


def test_the_tagged_print_shop_file_keeps_its_structure(tagged_press):
    for path in tagged_press:
        with pikepdf.open(path) as pdf:
            assert "/StructTreeRoot" in pdf.Root
            assert pdf.Root.MarkInfo.Marked


def _with_page_content(data: bytes, content: bytes) -> bytes:
    """The PDF with `content` drawn last on its first page."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.pages[0].contents_add(pdf.make_stream(content), prepend=False)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_a_deliberately_rgb_page_fails_the_preflight(press):
    data = press[0].read_bytes()
    assert preflight(data).passed
    report = preflight(_with_page_content(data, b"q 1 0 0 rg 10 10 50 50 re f Q"))
    assert report.problems == ["page 1: DeviceRGB colour `1 0 0 rg`"]
    report = preflight(_with_page_content(data, b"q /DeviceRGB CS 0 0 1 SC 0 0 m 9 9 l S Q"))
    assert report.problems == ["page 1: `CS` sets DeviceRGB"]


def test_an_rgb_picture_and_a_missing_profile_fail_the_preflight(press):
    with pikepdf.open(press[0]) as pdf:
        picture = pdf.make_stream(b"\xff\x00\x00", Type=pikepdf.Name.XObject,
                                  Subtype=pikepdf.Name.Image, Width=1, Height=1,
                                  ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)
        resources = pdf.pages[0].obj.Resources
        if "/XObject" not in resources:
            resources.XObject = pikepdf.Dictionary()
        resources.XObject["/Red"] = picture
        del pdf.Root.OutputIntents[0].DestOutputProfile
        out = io.BytesIO()
        pdf.save(out)
    problems = preflight(out.getvalue()).problems
    # (the engine shares one resource dictionary between pages: each page names the picture)
    assert problems[0] == "the output intent has no embedded ICC profile (DestOutputProfile)"
    assert "page 1, picture /Red: a picture in DeviceRGB" in problems
    assert all(p.endswith("picture /Red: a picture in DeviceRGB") for p in problems[1:])


def test_the_engine_alone_fails_the_preflight(tmp_path):
    """What WeasyPrint writes by itself for PDF/X-4 (the reason for documents/printshop.py):
    RGB pictograms and marks, no embedded profile."""
    from generator.documents.render import Renderer

    result = build(SAMPLES[:1], tmp_path, BuildOptions(print_shop=True, pdf_variant="pdf/x-4",
                                                       fmt="html", only=("easy-read",)))
    assert result.ok
    html = result.written[0].path.read_text(encoding="utf-8")
    pictures = frozenset(re.findall(r"data:[^\"')\s]+", html))
    data = Renderer().pdf(html, variant="pdf/x-4", print_shop=False, pictures=pictures).data
    problems = preflight(data).problems
    assert "the output intent has no embedded ICC profile (DestOutputProfile)" in problems
    assert any("DeviceRGB colour" in p for p in problems)
    assert "page 1: no crop marks in registration colour (/Separation /All)" in problems


def test_the_same_sheet_gives_the_same_print_shop_bytes(tmp_path):
    """The finish (pikepdf) keeps a build reproducible: its document ID is made from the
    content, not drawn at random."""
    options = BuildOptions(print_shop=True, pdf_variant="pdf/x-4", only=("easy-read",))
    first = build(SAMPLES[:1], tmp_path / "one", options)
    second = build(SAMPLES[:1], tmp_path / "two", options)
    assert first.ok and second.ok
    one, two = first.written[0].path, second.written[0].path
    assert one.read_bytes() == two.read_bytes()


def test_rgb_pictures_and_colour_emoji_are_tagged_with_the_srgb_profile(tmp_path):
    """A sheet's PNG pictures (one with transparency) and colour emoji (drawn as RGB
    pictures by the engine) become ICC-based colour, which PDF/X-4 allows."""
    from PIL import Image, ImageDraw

    round_picture = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
    ImageDraw.Draw(round_picture).ellipse((5, 5, 55, 55), fill=(220, 40, 40, 255))
    round_picture.save(tmp_path / "red.png")
    Image.new("RGB", (60, 60), (30, 120, 200)).save(tmp_path / "blue.png")
    data = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
    data["title"] = "Screens and sleep 🙂 in teenagers 🎉"
    data["easy_read"]["picture"] = "red.png"
    data["easy_read"]["summary"][0]["pictogram"] = "blue.png"
    sheet = tmp_path / "pictures.yaml"
    sheet.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = build([sheet], tmp_path / "out", BuildOptions(
        print_shop=True, pdf_variant="pdf/x-4", only=("easy-read", "quiz")))
    assert result.ok
    for output in result.written:
        assert preflight(output.path.read_bytes()).problems == [], output.path.name
        with pikepdf.open(output.path) as pdf:
            spaces = [str(x.ColorSpace[0]) for page in pdf.pages
                      for x in page.obj.Resources.get("/XObject", {}).values()
                      if x.get("/Subtype") == "/Image"]
        assert spaces and set(spaces) == {"/ICCBased"}, output.path.name
