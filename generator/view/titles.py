"""Which title each handout prints, chosen whole, never cut.

A title cut with "…" or at a colon leaves a reader with half a phrase, so every place with
little room takes the sheet's `short_title` when the title does not fit, and the full title
otherwise; `check` warns when the short title is needed and missing (README: "Titles").
- The leaflet opens with `easy_read.title`; else with the short title, else the title, the
  first of them that fits two lines at the leaflet's title size; else with a plain heading
  of the language ("Easy-to-read summary"). Its first sentence is the author's
  `easy_read.introduction` or "This leaflet explains a report about …" from that title.
- The quiz and its answer key print the same title: the short title, or else the full title.
- The running header prints the short title, or the title when it is short; else nothing.
"""

from __future__ import annotations

from ..sheet.model import Sheet
from . import linewidth

TITLE_LINES = 2  # the most lines a title may take where room is short
LEAFLET_TITLE_PT, LEAFLET_COLUMN_MM = 26, 150.0  # styles/easy-read.css, A4 (narrowest)
QUIZ_TITLE_PT, QUIZ_TITLE_MM = 15, 118.0  # styles/quiz.css: A4's column beside the score box
RUNNING_TITLE_LENGTH = 60  # characters on the running header's one line
_EM_GUESS = 0.55  # average advance of a bold character, in ems, when the font is missing


def _width(text: str, size_pt: float, lang: str) -> float:
    measured = linewidth.width_mm(text, size_pt, lang, bold=True)
    if measured is None:
        return len(text) * _EM_GUESS * size_pt * linewidth.MM_PER_PT
    return measured


def lines_needed(text: str, size_pt: float, width_mm: float, lang: str) -> int:
    """How many lines `text` takes in bold at `size_pt` in a column `width_mm` wide, broken
    at spaces as the PDF engine breaks a title (no hyphenation)."""
    lines, current = 1, ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and _width(candidate, size_pt, lang) > width_mm:
            lines, current = lines + 1, word
        else:
            current = candidate
    return lines


def fits_leaflet(text: str, lang: str) -> bool:
    return lines_needed(text, LEAFLET_TITLE_PT, LEAFLET_COLUMN_MM, lang) <= TITLE_LINES


def fits_quiz(text: str, lang: str) -> bool:
    return lines_needed(text, QUIZ_TITLE_PT, QUIZ_TITLE_MM, lang) <= TITLE_LINES


def leaflet_title(sheet: Sheet) -> str | None:
    """The leaflet's plain title as written in the sheet, or None when none is short enough
    (then the leaflet opens with the language's plain heading)."""
    if sheet.easy_read.title:
        return sheet.easy_read.title
    for candidate in (sheet.short_title, sheet.title):
        if candidate and fits_leaflet(candidate, sheet.lang):
            return candidate
    return None


def quiz_title(sheet: Sheet) -> str:
    """The quiz's and answer key's title: the short title, or else the whole title."""
    return sheet.short_title or sheet.title


def running_title(sheet: Sheet) -> str:
    """The running header's title: the short title, or the title when it is short; else
    nothing (the header's other side still names the handout)."""
    if sheet.short_title:
        return sheet.short_title
    title = " ".join(sheet.title.split())
    return title if len(title) <= RUNNING_TITLE_LENGTH else ""


def about(title: str) -> str:
    """A title as the object of a sentence: "Screens and sleep" → "screens and sleep";
    a first word in capitals or with capitals inside (WHO, iPhone) stays as written."""
    first = title.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:] == first[1:].lower():
        return title[0].lower() + title[1:]
    return title
