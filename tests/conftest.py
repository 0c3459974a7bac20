"""Shared fixtures: the sample sheets, built once per test session, and PDF text helpers."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from generator.build import build
from generator.markup import inline

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "content" / "educational-alliances.yaml"
FRENCH = DATA / "sheets" / "fr-complete.yaml"
FRENCH_SAMPLE = ROOT / "content" / "competences-psychosociales.yaml"
KIND_NAMES = ("full-analysis", "easy-read", "quiz", "answer-key")


def spaces(text: str) -> str:
    """Every kind of space (no-break ones included) as one plain space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", str(text)).strip()


def plain(markdown: str) -> str:
    """The text a reader sees for a content string (Markdown rendered, tags removed)."""
    return spaces(html.unescape(re.sub(r"<[^>]+>", "", str(inline(markdown)))))


def squash(text: str) -> str:
    """Letters and digits only, lowercased: immune to line breaks, hyphenation and spacing."""
    return re.sub(r"[\W_]+", "", text).casefold()


MM = 72 / 25.4


def body_pages(path: Path) -> list[str]:
    """The body text of each page, without the running headers and page numbers in the
    margins (they would cut paragraphs that run from one page to the next): the small type
    (8 pt or less) in the top band of pages after the first, and in the bottom band."""
    texts = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            top, bottom = 21 * MM if number else 0, page.height - 19 * MM

            def body(obj, top=top, bottom=bottom) -> bool:
                margin = obj["top"] < top or obj["bottom"] > bottom
                return obj["object_type"] != "char" or not margin or obj["size"] > 8.05

            texts.append(page.filter(body).extract_text() or "")
    return texts


def pdf_text(path: Path) -> str:
    return "\n".join(body_pages(path))


class BuiltSheet:
    """A sheet's YAML as plain data and the PDFs built from it."""

    def __init__(self, source: Path, output: Path):
        self.source = source
        self.data = yaml.safe_load(source.read_text(encoding="utf-8"))
        self.slug = self.data["slug"]
        self.folder = output / self.slug
        self._texts: dict[str, str] = {}

    def pdf(self, kind: str) -> Path:
        return self.folder / f"{self.slug}-{kind}.pdf"

    def text(self, kind: str) -> str:
        if kind not in self._texts:
            self._texts[kind] = pdf_text(self.pdf(kind))
        return self._texts[kind]

    def all_text(self, kind: str) -> str:
        """Everything printed, running headers and page numbers included."""
        return "\n".join(page.extract_text() or "" for page in PdfReader(self.pdf(kind)).pages)

    def squashed(self, kind: str) -> str:
        return squash(self.text(kind))


def _build(source: Path, output: Path) -> BuiltSheet:
    result = build([source], output)
    assert result.ok, [str(f) for f in result.failures]
    assert len(result.written) == len(KIND_NAMES)
    return BuiltSheet(source, output)


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> BuiltSheet:
    return _build(SAMPLE, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def french(tmp_path_factory) -> BuiltSheet:
    return _build(FRENCH, tmp_path_factory.mktemp("french"))


@pytest.fixture(scope="session")
def french_sample(tmp_path_factory) -> BuiltSheet:
    return _build(FRENCH_SAMPLE, tmp_path_factory.mktemp("french-sample"))


@pytest.fixture(params=["sample", "french", "french_sample"])
def built(request) -> BuiltSheet:
    """Each test using this runs on both samples of content/ and on the French fixture."""
    return request.getfixturevalue(request.param)
