"""Links survive paper (#24 item 7): every link of every printed handout has its address
printed on its page (short form after the words, the reference's or the source's address, the
organisation's website, licence and contact), never only in the PDF's link annotation.

Built once, at A4, with the repository's own project settings (an organisation with a website,
a contact and a licence, so every handout has a footer of links), versions, pre/post tests
and answer sheets. The address expected on the page is read from each link annotation: its
host without `www.` (and the start of its path), or the e-mail address of a mailto link.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pdfplumber
import pytest
import yaml

from generator import api
from generator.batch.build import build
from tests.conftest import DATA, ROOT

SHEETS = sorted((ROOT / "content").glob("*.yaml")) + sorted((DATA / "sheets").glob("*.yaml"))
KINDS = ("full-analysis", "easy-read", "quiz", "answer-key", "marking-grid", "answer-sheet",
         "tally-sheet")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("printed-links")
    options = api.options_with(api.settings(ROOT), only=KINDS, versions=2, pre_post=True,
                               answer_sheet=True, paper="a4")
    result = build(SHEETS, out, options)
    assert not result.failures
    pdfs = sorted(out.glob("*/*.pdf"))
    assert len(pdfs) > 20
    return pdfs


def printed_form(uri: str) -> str:
    """What a reader must find on paper: the e-mail address, or at least the host (without
    `www.`): a long address is printed as its host, which can be typed and leads to the site
    (view/addresses.py `short_url`; its QR code or the link holds the whole)."""
    if uri.startswith("mailto:"):
        return uri[len("mailto:"):].split("?")[0]
    return urlsplit(uri).netloc.removeprefix("www.")


def _unprinted(pdf_path: Path) -> list[str]:
    missing = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            text = "".join((page.extract_text() or "").split())
            for link in page.hyperlinks:
                expected = printed_form(link["uri"])
                if expected not in text:
                    missing.append(f"p{number}: {link['uri']} (no {expected!r} printed)")
    return missing


def test_every_link_of_every_handout_has_its_address_printed(handouts):
    linked = [pdf for pdf in handouts if any(
        page.hyperlinks for page in pdfplumber.open(pdf).pages)]
    assert len(linked) > len(handouts) / 2  # most carry the footer's links at least
    missing = {pdf.name: found for pdf in handouts if (found := _unprinted(pdf))}
    assert not missing


def test_a_link_in_the_text_prints_its_address_after_its_words(handouts):
    """fr-complete's key point links "rapport complet" to https://example.org/rapport."""
    sheet = yaml.safe_load((DATA / "sheets" / "fr-complete.yaml").read_text(encoding="utf-8"))
    point = next(p["text"] for p in sheet["key_points"] if "](" in p["text"])
    words = point[point.index("[") + 1:point.index("]")]
    address = point[point.index("](") + 2:point.index(")", point.index("]("))]
    analysis = next(pdf for pdf in handouts if pdf.name == f"{sheet['slug']}-full-analysis.pdf")
    with pdfplumber.open(analysis) as pdf:
        text = " ".join(" ".join((page.extract_text() or "") for page in pdf.pages).split())
    assert f"{words} ({address.removeprefix('https://')})" in text
