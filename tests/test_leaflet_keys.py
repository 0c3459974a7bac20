"""#24 item 5: key information stands out in the easy-read leaflet. The key points are in a
tinted box whose text keeps 4.5:1 (computed here from the colours drawn in the PDF); the
contact has a pictogram for its phone, e-mail and address, each with its word for screen
readers; a printed address never ends in "…" (in the leaflet, the analysis, quiz and key)."""

from __future__ import annotations

import re
import shutil
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml

from generator.batch.build import build
from generator.options import BuildOptions
from tests.conftest import DATA, ROOT, SAMPLE

LONG_URL = ("https://www.fabrique-territoires-sante.org/wp-content/uploads/2025/03/"
            "rapport-alliances-educatives.pdf")


@pytest.fixture(scope="module")
def contact_sheet(tmp_path_factory) -> dict[str, Path]:
    """The sample with a whole contact and a long source address, built as every handout."""
    folder = tmp_path_factory.mktemp("keys")
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["easy_read"]["contact"] = {"name": "Pratiques en santé Oberlé",
                                    "phone": "01 23 45 67 89", "email": "contact@example.org",
                                    "address": "12 rue des Écoles, 67000 Strasbourg"}
    data["source"]["url"] = LONG_URL
    sheet = folder / "sheet.yaml"
    sheet.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "pictograms", folder / "pictograms")
    result = build([sheet], folder / "out", BuildOptions())
    assert result.ok
    return {output.path.name.split("-", 2)[-1].removesuffix(".pdf"): output.path
            for output in result.written}


def _luminance(rgb) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(float(c)) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one, two) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _key_points_box(path: Path):
    """The tinted area under the "Key points" heading, and the characters inside it. The tint
    is laid on the heading and on each point, pieces that touch: the area is the heading's
    rectangle and those of the same tint that follow it without a gap."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            heading = next((w for w, after in pairwise(words)
                            if w["text"] == "Key" and after["text"] == "points"), None)
            if heading is None:
                continue
            tinted = sorted((rect for rect in page.rects if rect.get("fill")
                             and len(tuple(rect.get("non_stroking_color") or ())) == 3
                             and tuple(rect["non_stroking_color"]) != (1, 1, 1)),
                            key=lambda rect: rect["top"])
            for index, rect in enumerate(tinted):
                colour = tuple(rect["non_stroking_color"])
                if (rect["x0"] <= heading["x0"] and rect["top"] <= heading["top"]
                        and rect["x1"] >= heading["x1"] and rect["bottom"] >= heading["bottom"]):
                    left, top, right, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
                    for piece in tinted[index + 1:]:
                        if (abs(piece["top"] - bottom) > 0.5 or abs(piece["x0"] - left) > 0.5
                                or tuple(piece["non_stroking_color"]) != colour):
                            break
                        bottom = piece["bottom"]
                    inside = [c for c in page.chars if c["text"].strip()
                              and left <= c["x0"] and c["x1"] <= right
                              and top <= c["top"] and c["bottom"] <= bottom]
                    return colour, inside
    return None, []


@pytest.mark.parametrize("primary", [None, "#8a2d1f", "#5c6f7e"])
def test_key_points_are_in_a_tinted_box_whose_text_keeps_its_contrast(contact_sheet, primary,
                                                                       tmp_path):
    """The sample's colours, and a project's (its panel tint follows its primary colour)."""
    path = contact_sheet["easy-read"]
    if primary:
        from generator.settings import FILE_NAME, load

        (tmp_path / FILE_NAME).write_text(f'[colours]\nprimary = "{primary}"\n')
        result = build([SAMPLE], tmp_path / "out", BuildOptions(
            only=("easy-read",), project=load(tmp_path / FILE_NAME).project))
        assert result.ok
        path = result.written[0].path
    tint, inside = _key_points_box(path)
    assert tint is not None, "no tinted box behind the key points"
    assert _contrast(tint, (1, 1, 1)) > 1.05  # visibly tinted
    text = "".join(c["text"] for c in inside)
    first_point = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["easy_read"]["key_points"][0]
    assert "Keypoints" in text and "".join(first_point.split()) in text
    for char in inside:
        colour = tuple(char["non_stroking_color"])
        assert _contrast(colour, tint) >= 4.5, (char["text"], colour, tint)


def _alternative_texts(path: Path) -> list[str]:
    """The /Alt of every Figure of the structure tree, in order."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(str(node.Alt))
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot)
    return found


def test_the_contact_has_a_pictogram_for_each_way_with_its_word(contact_sheet):
    figures = _alternative_texts(contact_sheet["easy-read"])
    assert [f for f in figures if f in ("Phone", "E-mail", "Address")] == [
        "Phone", "E-mail", "Address"]
    with pdfplumber.open(contact_sheet["easy-read"]) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Phone: 01 23 45 67 89" in text and "E-mail: contact@example.org" in text
    assert "Pictograms: OpenMoji" in text  # the built-in pictograms' credit


def test_no_printed_address_ends_in_an_ellipsis(contact_sheet):
    bare = LONG_URL.removeprefix("https://www.")
    for name in ("easy-read", "full-analysis", "quiz", "answer-key"):
        with pdfplumber.open(contact_sheet[name]) as pdf:
            text = "\n".join(page.extract_text() for page in pdf.pages)
        cut = re.findall(r"\S*\.[a-z]{2,}\S*…", text)
        assert cut == [], (name, cut)
        if name in ("easy-read", "full-analysis"):
            printed = re.findall(r"fabrique-territoires-sante\.org\S*", text)
            assert printed, name
            for address in printed:  # what is printed can be typed: a part of the address
                assert bare.startswith(address.rstrip(".,)")), (name, address)


TINTED_SHEETS = sorted((ROOT / "content").glob("*.yaml")) + sorted(
    (DATA / "sheets").glob("*.yaml"))
MM = 72 / 25.4


@pytest.mark.parametrize("paper", ["a4", "letter", "a5"])
def test_no_tinted_area_is_left_without_text(paper, tmp_path):
    """The key points' tint is never an empty area: on A5 the box may run on to the next page,
    and a tinted block split there used to stretch its first part to the page's foot. Every
    tinted area (wider than 40 mm: not a pictogram's) holds text, and its foot is within 6 mm
    of its last line's (a padding, not a stretch of empty tint)."""
    result = build(TINTED_SHEETS, tmp_path, BuildOptions(only=("easy-read",), paper=paper))
    assert not result.failures
    empty, seen = [], 0
    for output in result.written:
        with pdfplumber.open(output.path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                for rect in page.rects:
                    colour = tuple(rect.get("non_stroking_color") or ())
                    if not (rect.get("fill") and len(colour) == 3 and colour != (1, 1, 1)
                            and rect["width"] > 40 * MM):
                        continue
                    seen += 1
                    inside = [c for c in page.chars if c["text"].strip()
                              and rect["x0"] <= c["x0"] and c["x1"] <= rect["x1"]
                              and rect["top"] <= c["top"] and c["bottom"] <= rect["bottom"]]
                    below = (rect["bottom"] - max((c["bottom"] for c in inside),
                                                  default=rect["top"])) / MM
                    if below > 6:
                        empty.append(f"{output.path.name} p{number}: {below:.1f} mm of tint "
                                     "without text")
    assert seen >= len(TINTED_SHEETS)  # a tinted key points box in each leaflet at least
    assert not empty
