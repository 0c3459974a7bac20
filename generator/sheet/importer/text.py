"""Normalising and cleaning a line's text: the form headings are matched in, and the
template's furniture (markers, numbering, bullets, page references, labels) taken off."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence


def normalise(text: str) -> str:
    """Lowercase, no accents, punctuation and emoji as spaces: the form headings are
    matched in."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


def has_phrase(norm: str, phrase: str) -> bool:
    return f" {phrase} " in f" {norm} "


_MARKER = re.compile(r"^[\W_]+(?=\w)", re.UNICODE)
KEYCAP_HASH = "#\ufe0f\u20e3"


def strip_markers(text: str) -> str:
    """Take the emoji, bullets and dashes off the start of a line (never its words)."""
    text = text.replace(KEYCAP_HASH, "")
    stripped = _MARKER.sub("", text)
    # keep opening quotes, brackets and the like that belong to the text
    lead = text[: len(text) - len(stripped)]
    keep = ""
    for char in reversed(lead):
        if char in "«“\"'\u2018([¿¡*":
            keep = char + keep
        else:
            break
    return (keep + stripped).strip()


NUMBERING = re.compile(r"^\s*(\d{1,2})\s*(?:[.):]|\s[–—-])\s+")
BULLET = re.compile(r"^\s*[•·▪●◦‣∙*\-–—]\s+")


def split_numbering(text: str) -> tuple[int | None, str]:
    """'1. 2. KEY POINTS' → (2, 'KEY POINTS'): broken numbering, the last number counts."""
    number = None
    text = strip_markers(text) if not NUMBERING.match(text) else text
    while match := NUMBERING.match(text):
        number = int(match.group(1))
        text = text[match.end():]
    return number, text.strip()


def item_text(text: str) -> str:
    """A list item's text without its bullet or number."""
    text = BULLET.sub("", text, count=1)
    text = NUMBERING.sub("", text, count=1)
    return text.strip()


PAGES = r"(?P<pages>\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:,|;|and|et|&)\s*\d+(?:\s*[-–]\s*\d+)?)*)"
PAGE_WORD = r"(?:pp?\.|pages?|pág(?:s|inas?)?\.?)"
_TRAILING_PAGES = re.compile(r"\s*\(\s*" + PAGE_WORD + r"\s*" + PAGES
                             + r"\s*\)(?P<end>[.!?…]?)\s*$", re.IGNORECASE)
SOURCE_PAGES = re.compile(r"\s*(?:Sources?|Fuentes?)\s*:\s*(?:" + PAGE_WORD + r"\s*)?" + PAGES
                           + r"\s*\.?\s*$", re.IGNORECASE)


def split_pages(text: str) -> tuple[str, str | None]:
    """'… co-education (pp. 30-33).' → ('… co-education.', '30-33'); also a trailing
    'Source: pp. 30-33.'"""
    match = SOURCE_PAGES.search(text)
    if match and match.start() > 0:
        return text[: match.start()].rstrip(), match.group("pages").strip()
    match = _TRAILING_PAGES.search(text)
    if match and match.start() > 0:
        return text[: match.start()].rstrip() + match.group("end"), match.group("pages").strip()
    return text, None


def after_label(text: str, labels: Sequence[str]) -> str | None:
    """The text after 'Label:' when the line starts with one of the labels, else None."""
    body = strip_markers(text)
    index = body.find(":")
    if index < 0 or index > 60:
        return None
    head = normalise(body[:index])
    head = re.sub(r"\s*\d+$", "", head)
    if head in labels:
        return body[index + 1:].strip()
    return None


def starts_with(norm: str, phrases: Sequence[str]) -> bool:
    return any(norm == p or norm.startswith(p + " ") for p in phrases)


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8


# A web address written out in the text, in brackets or not.
URL = re.compile(r"\(?\s*(https?://[^\s)]+)\s*\)?")
