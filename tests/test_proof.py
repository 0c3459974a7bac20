"""The proof-reading sheet (#28): the leaflet's text in large print, every item numbered in
reading order, three boxes with their words beside each, a page for the group; A4 and A3;
read back from the PDFs with pdfplumber and pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from generator.batch.build import build
from generator.options import BuildOptions
from tests.conftest import FRENCH, FRENCH_SAMPLE, SAMPLE, SPANISH_SAMPLE, plain
from tests.test_reviews import numbered

SHEETS = {"en": SAMPLE, "fr": FRENCH_SAMPLE, "es": SPANISH_SAMPLE, "fr-complete": FRENCH}
BADGE_PT = 15.0  # the numbers' size in their round badge (easy-read-proof.css)
ABOVE = 10.0
TEXT_PT = 16.0  # the leaflet's body size: the items' text is this size or larger
# The words of the boxes and of the picture rows, typed by hand from #28 and the locale files
WORDS = {
    "en": {"understand": "I understand", "not_sure": "I am not sure",
           "not_understand": "I do not understand", "helps": "It helps",
           "not_helps": "It does not help", "question": "Does this picture help?",
           "group": ["For the group", "Number of readers", "Signature"]},
    "fr": {"understand": "Je comprends", "not_sure": "J’hésite",
           "not_understand": "Je ne comprends pas", "helps": "Elle m’aide",
           "not_helps": "Elle ne m’aide pas", "question": "Est-ce que cette image vous aide ?",
           "group": ["Pour le groupe", "Nombre de lecteurs", "Signature"]},
    "es": {"understand": "Entiendo", "not_sure": "Tengo dudas", "not_understand": "No entiendo",
           "helps": "Me ayuda", "not_helps": "No me ayuda", "question": "¿Le ayuda esta imagen?",
           "group": ["Para el grupo", "Número de lectores", "Firma"]},
}
WORDS["fr-complete"] = WORDS["fr"]


def spaced(text: str) -> str:
    """Text with the typography's no-break spaces as plain ones, runs of spaces made one, a
    word broken after its hyphen at a line's end joined again."""
    text = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


@pytest.fixture(scope="module")
def proofs(tmp_path_factory) -> dict[str, Path]:
    output = tmp_path_factory.mktemp("proof")
    result = build(list(SHEETS.values()), output, BuildOptions(only=("easy-read-proof",)))
    assert result.ok, [str(failure) for failure in result.failures]
    found = {}
    for name, source in SHEETS.items():
        [pdf] = [path for path in output.glob("*/*-easy-read-proof.pdf")
                 if _slug(source) == path.parent.name]
        found[name] = pdf
    return found


def _slug(source: Path) -> str:
    match = re.search(r"^slug: *\"?([a-z0-9-]+)", source.read_text("utf-8"), re.MULTILINE)
    return match.group(1) if match else source.stem


def rows(pdf: Path) -> list[tuple[int, str]]:
    """Each printed number with the large text of its row, in reading order: the words at
    the badge's right, from its top to the next badge's (the boxes' column, at the right,
    is in 14 pt and left out by size). The number is centred in its 12 mm badge, the row's
    first line starts at the badge's top: a row's words start up to ABOVE pt over its
    number's."""
    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            words = page.extract_words(extra_attrs=["size"])
            badges = sorted((word for word in words if word["text"].isdigit()
                             and abs(word["size"] - BADGE_PT) < 0.05),
                            key=lambda word: word["top"])
            for index, badge in enumerate(badges):
                end = (badges[index + 1]["top"] - ABOVE if index + 1 < len(badges)
                       else page.height)
                text = sorted((word for word in words if word["size"] >= TEXT_PT - 0.05
                               and badge["top"] - ABOVE <= word["top"] < end
                               and word["x0"] > badge["x1"]),
                              key=lambda word: (round(word["top"]), word["x0"]))
                found.append((int(badge["text"]), " ".join(word["text"] for word in text)))
    return found


def expected_rows(name: str) -> list[str | None]:
    """Each item's text as printed (pictures: the question; the leaflet's own first
    sentence, made from the title, is not compared: None)."""
    said = []
    for item in numbered(SHEETS[name]):
        if item.startswith("picture:"):
            said.append(WORDS[name]["question"])
        elif item == "(introduction)":
            said.append(None)
        else:
            said.append(spaced(plain(item)))
    return said


@pytest.mark.parametrize("name", list(SHEETS))
def test_every_item_is_numbered_once_in_order_with_its_text(proofs, name):
    printed = rows(proofs[name])
    expected = expected_rows(name)
    assert [number for number, _ in printed] == list(range(1, len(expected) + 1))
    for (number, text), wanted in zip(printed, expected, strict=True):
        if wanted is not None:
            assert spaced(text) == wanted, number


@pytest.mark.parametrize("name", list(SHEETS))
def test_every_easy_read_line_is_printed_once(proofs, name):
    """The headings, the summary's lines and the key points, each once in the large text
    (as many times as the sheet says it)."""
    with pdfplumber.open(proofs[name]) as document:
        text = spaced(" ".join(
            " ".join(word["text"] for word in page.extract_words(extra_attrs=["size"])
                     if word["size"] >= TEXT_PT - 0.05) for page in document.pages))
    lines = [item for item in numbered(SHEETS[name])
             if not item.startswith("picture:") and item != "(introduction)"][1:]
    for line in lines:  # a sheet may say a line twice (a key point repeats a part's line)
        assert text.count(spaced(plain(line))) == lines.count(line), line


@pytest.mark.parametrize("name", list(SHEETS))
def test_nothing_is_printed_under_14_pt(proofs, name):
    with pdfplumber.open(proofs[name]) as document:
        sizes = [char["size"] for page in document.pages for char in page.chars]
    assert sizes and min(sizes) >= 14 - 0.01


@pytest.mark.parametrize("name", list(SHEETS))
def test_the_boxes_words_and_the_group_page_are_in_the_sheets_language(proofs, name):
    words = WORDS[name]
    items = numbered(SHEETS[name])
    pictures = sum(item.startswith("picture:") for item in items)
    with pdfplumber.open(proofs[name]) as document:
        pages = [spaced(page.extract_text()) for page in document.pages]
    text = " ".join(pages)
    assert text.count(words["understand"]) == len(items) - pictures
    assert text.count(words["not_understand"]) == len(items) - pictures
    assert text.count(words["not_sure"]) == len(items)
    assert text.count(words["not_helps"]) == pictures
    assert text.count(words["question"]) == pictures
    assert all(word in pages[-1] for word in words["group"])
    assert not any(words["understand"] in page for page in pages[-1:])


def test_the_proof_is_a_tagged_pdf(proofs):
    root = PdfReader(proofs["fr-complete"]).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "fr"


def test_on_a3_everything_is_larger(tmp_path):
    result = build([FRENCH], tmp_path, BuildOptions(only=("easy-read-proof",), paper="a3"))
    assert result.ok, [str(failure) for failure in result.failures]
    [pdf] = tmp_path.glob("*/*-easy-read-proof.pdf")
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        assert (round(page.width), round(page.height)) == (842, 1191)  # A3 in points
        sizes = [char["size"] for page in document.pages for char in page.chars]
    assert min(sizes) >= 19.9


def test_it_is_made_when_asked_for_by_name_or_by_proof():
    def kinds(options: BuildOptions) -> list[str]:
        return [planned.key for planned in options.planned()]

    assert "easy-read-proof" not in kinds(BuildOptions())
    assert kinds(BuildOptions(only=("easy-read-proof",))) == ["easy-read-proof"]
    assert kinds(BuildOptions(only=("quiz",), proof=True)) == ["quiz", "easy-read-proof"]
    assert "easy-read-proof" in kinds(BuildOptions(proof=True))
