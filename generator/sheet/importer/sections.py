"""Recognising the page's parts: section headings (by their words, then their number), the
page's language, its furniture (buttons, sharing links), dates and tag lines."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .report import Line
from .text import (
    BULLET,
    KEYCAP_HASH,
    has_phrase,
    is_caps,
    normalise,
    split_numbering,
    starts_with,
)
from .vocab import COMMON_BOILERPLATE, MATCH_ORDER, SECTIONS, Vocabulary, vocabularies


@dataclass(frozen=True)
class Heading:
    section: str
    number: int | None
    strong: bool
    by_number: bool = False


def find_heading(line: Line, vocab: Vocabulary, current: str | None = None) -> Heading | None:
    """The section a line opens, by its words (then by its number), or None."""
    raw = line.text.strip()
    if raw.endswith("?") or BULLET.match(raw) or raw.startswith("#"):
        return None
    number, rest = split_numbering(raw)
    norm = normalise(rest)
    if not norm or len(norm.split()) > 14:
        return None
    caps = is_caps(rest)
    # marked as a section heading: in capitals, or numbered (FAQ items and questions are
    # numbered too); otherwise only the template's words, without final punctuation
    marked = caps or (number is not None and current not in ("faq", "quiz"))
    words = [w for w in norm.split() if not w.isdigit()]
    known = sum(w in vocab.heading_words or w in vocab.stopwords for w in words)
    templated = bool(words) and known / len(words) >= 0.75 and not re.search(r"[.:;,!]$", raw)
    if marked or templated:
        for section in MATCH_ORDER:
            for phrase in vocab.sections[section]:
                if has_phrase(norm, phrase):
                    return Heading(section, number, marked)
    if caps and number is not None and 1 <= number <= len(SECTIONS) and len(norm.split()) <= 10:
        return Heading(SECTIONS[number - 1], number, True, by_number=True)
    return None


def detect_language(lines: Sequence[Line]) -> str | None:
    """The language whose headings and labels the page uses most, None when no clue."""
    scores: dict[str, int] = {}
    for lang, vocab in vocabularies().items():
        score = 0
        for line in lines:
            heading = find_heading(line, vocab)
            if heading and not heading.by_number:
                score += 2
            norm = normalise(line.text)
            if any(starts_with(norm, labels) for labels in
                   (vocab.correct, vocab.explanation, vocab.part1, vocab.part2,
                    vocab.intro_end, vocab.recommendation)):
                score += 1
        scores[lang] = score
    best = max(scores.values(), default=0)
    if best == 0:
        return None
    return next(lang for lang, score in scores.items() if score == best)


def is_boilerplate(line: Line, vocab: Vocabulary) -> bool:
    text = line.text.strip()
    if text.endswith((".", "!", "?")):
        return False  # a sentence, not a button
    norm = normalise(re.sub(r"\d+", " ", text))
    if not norm:
        return False
    if norm in vocab.intro_end:
        return True
    phrases = {p for v in vocabularies().values() for p in v.boilerplate} | set(COMMON_BOILERPLATE)
    if norm in phrases:
        return True
    words = {phrase for phrase in phrases if " " not in phrase}
    return all(word in words for word in norm.split())  # "Share Facebook Twitter"


def parse_date(text: str, vocab: Vocabulary) -> dt.date | None:
    norm = normalise(text)
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    candidates = []
    if iso:
        candidates.append((int(iso.group(1)), int(iso.group(2)), int(iso.group(3))))
    for match in re.finditer(r"\b(\d{1,2})(?:er|st|nd|rd|th)? ([a-z]+) (\d{4})\b", norm):
        if match.group(2) in vocab.months:
            candidates.append((int(match.group(3)), vocab.months[match.group(2)],
                               int(match.group(1))))
    for match in re.finditer(r"\b([a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})\b", norm):
        if match.group(1) in vocab.months:
            candidates.append((int(match.group(3)), vocab.months[match.group(1)],
                               int(match.group(2))))
    for year, month, day in candidates:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


_TAG = re.compile(r"#[^\s#]+")


def tags_of(text: str) -> list[str] | None:
    """'#️⃣ #A #B' → ['A', 'B'], or None when the line is not a line of tags."""
    body = text.replace(KEYCAP_HASH, " ").strip()
    tokens = body.split()
    if not tokens or not all(_TAG.fullmatch(token) for token in tokens):
        return None
    return [token.lstrip("#") for token in tokens]
