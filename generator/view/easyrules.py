"""The easy-to-read rules `check` applies to the leaflet, in English and French.

From Inclusion Europe's "Information for all", the French FALC rules and UNE 153101 EX: a
line that will wrap in the printed column, a part without a picture, no plain title; then,
in the words of each line, acronyms and abbreviations not explained, percentages and large
numbers, Roman numerals, dates not written in full, negative sentences and figures of speech.
Each warning names its line and says what to write instead. (Sentences per line, words per
line and long words are in checks.py.)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..errors import Problem
from ..sheet import locales
from ..sheet.loader import LoadedSheet
from ..sheet.locales import EasyReadWords
from ..sheet.model import Sheet
from . import linewidth
from .labels import catalog, format_date

if TYPE_CHECKING:
    from ..sheet.yamlsource import Path

A4_COLUMN_MM = 150.0  # the leaflet's text column on A4 (see styles/easy-read.css)
BODY_PT, HEADING_PT, TITLE_PT = 16, 20, 26

_ROMAN = re.compile(r"\b(?=[IVXL]{2,}\b|[IVX]+(?:e|er|ème)\b)"
                    r"(L?X{0,3}(?:IX|IV|V?I{0,3}))(e|er|ème)?\b")
_ACRONYM = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý0-9]+s?\b")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|per ?cent\b|pour ?cent\b)", re.I)
_BIG = re.compile(r"(?<![\d.,])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d{5,}|\d{4})(?![\d.,]\d)")
_SHORT_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")


def _roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for letter, following in zip(numeral, [*numeral[1:], None], strict=True):
        value = values[letter]
        total += -value if following and values[following] > value else value
    return total


NO_WORDS = EasyReadWords(abbreviations={}, metaphors=(), explaining=re.compile(r"(?!)"),
                         negative=re.compile(r"(?!)"), positive_example="",
                         about=("", "", ""), rounded=("", "", ""), also_called="")


def _percent_hint(value: float, words: EasyReadWords) -> str:
    about, fewer, almost = words.about
    if value < 10:
        return fewer
    if value >= 95:
        return almost
    return about.format(n=round(value / 10))


def _big_hint(number: int, words: EasyReadWords) -> str:
    _, thousand, million = words.rounded
    if number >= 1_000_000:
        return million.format(n=round(number / 1_000_000))
    return thousand.format(n=round(number / 1000))


def _full_date(match: re.Match[str], lang: str) -> str | None:
    if match.group(4):
        year, month, day = (int(match.group(i)) for i in (4, 5, 6))
    else:
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
        year += 2000 if year < 100 else 0
    try:
        return format_date(dt.date(year, month, day), lang)
    except ValueError:
        return None


def _word_rules(text: str, lang: str, seen: set[str]) -> Iterator[str]:
    """What one line's words break, each with what to write instead. `seen` keeps the
    acronyms met so far (explained or already reported)."""
    # A language whose locale has no [easy_read] words gets the rules that need none.
    words = locales.get(lang).easy_read or NO_WORDS
    for abbreviation, full in words.abbreviations.items():
        if re.search(rf"(?<!\w){re.escape(abbreviation)}(?!\w)", text):
            yield (f"'{abbreviation}' is an abbreviation: write it in full ('{full}')")
    romans = set()
    for match in _ROMAN.finditer(text):
        numeral = match.group(1)
        if not numeral:
            continue
        romans.add(numeral)
        value = f"{_roman_value(numeral)}{match.group(2) or ''}"
        yield f"'{match.group(0)}' is a Roman numeral: write '{value}'"
    explained = words.explaining.search(text)
    for match in _ACRONYM.finditer(text):
        acronym = match.group(0)
        key = acronym.rstrip("s") if len(acronym) > 2 else acronym
        if acronym in romans or key in seen:
            continue
        seen.add(key)
        in_brackets = f"({acronym})" in text or text[match.end():].lstrip().startswith("(")
        if not (explained or in_brackets) and words.also_called:
            yield (f"'{acronym}' is not explained: write the words in full the first time, "
                   f"then '{words.also_called.format(acronym=acronym)}'")
    for match in _PERCENT.finditer(text) if words.about[0] else ():
        percent = float(match.group(1).replace(",", "."))
        yield (f"'{match.group(0)}' is a percentage: say '{_percent_hint(percent, words)}' "
               "instead")
    dates = list(_SHORT_DATE.finditer(text))
    for match in dates:
        spelt = _full_date(match, lang)
        hint = f"write '{spelt}'" if spelt else "write the day, the month in letters and the year"
        yield f"'{match.group(0)}' is a date in figures: {hint}"
    for match in _BIG.finditer(text):
        if any(d.start() <= match.start() < d.end() for d in dates):
            continue
        number = int(re.sub(r"\D", "", match.group(1)))
        if len(match.group(1)) == 4 and 1000 <= number <= 2100:
            continue  # a year
        if number >= 1000 and words.rounded[0]:
            yield (f"'{match.group(1)}' is a large number: say '{words.rounded[0]}', or round "
                   f"it: '{_big_hint(number, words)}'")
    negative = words.negative.search(text)
    if negative:
        yield (f"this sentence is negative ('{negative.group(0)}'); the rules prefer the "
               f"positive: say what is true or what to do, e.g. {words.positive_example}")
    lowered = text.casefold().replace("'", "’")
    for metaphor in words.metaphors:
        if re.search(rf"\b{re.escape(metaphor)}", lowered):
            yield (f"'{metaphor}' is a figure of speech that readers may take word for word: "
                   "say plainly what you mean")


def _wraps(text: str, lang: str, size: float, what: str) -> str | None:
    """A line (or a title, a heading) wider than the A4 column; Letter's is wider."""
    width = linewidth.width_mm(text, size, lang, bold=size > BODY_PT)
    if width is None or width <= A4_COLUMN_MM:
        return None
    how = "split it into two sentences" if what == "line" else "use fewer or shorter words"
    return (f"this {what} is {width:.1f} mm long at {size:g} pt and will wrap in the "
            f"leaflet's {A4_COLUMN_MM:g} mm column: shorten it (by "
            f"{math.ceil(width - A4_COLUMN_MM)} mm or more), or {how}")


def _no_plain_title(sheet: Sheet) -> str:
    """What the leaflet opens with when it has no plain title of its own, and what to add."""
    from .titles import leaflet_title

    opening = leaflet_title(sheet)
    if opening is None:
        heading = catalog(sheet.lang)["easy_heading"]
        said = f"the document's title is too long for it, so the leaflet opens with \"{heading}\""
    elif opening == sheet.short_title:
        said = "the leaflet opens with the document's `short_title`"
    else:
        said = "the leaflet opens with the document's title"
    return (f"no plain title: {said}; add `title:` under `easy_read:` with a plain title of a "
            "few everyday words, e.g. \"Screens and sleep\"")


def easy_rules(loaded: LoadedSheet, warning: Callable[[Path, str], Problem]
               ) -> Iterator[Problem]:
    """Every easy-to-read rule over the leaflet's text, in reading order. `warning(path,
    message)` makes the located Problem (checks.py's)."""
    sheet = loaded.sheet
    easy, lang = sheet.easy_read, sheet.lang
    if not easy.title:
        yield warning(("easy_read",), _no_plain_title(sheet))
    elif message := _wraps(easy.title, lang, TITLE_PT, "title"):
        yield warning(("easy_read", "title"), message)
    if easy.logo and not easy.checked_by:
        yield warning(("easy_read", "logo"), "the easy-to-read logo is printed only when "
                      "`checked_by` says who checked the text with readers: add `checked_by`, "
                      "or remove `logo`")
    seen: set[str] = set()
    for p, part in enumerate(easy.summary):
        path = ("easy_read", "summary", p)
        if not part.pictogram:
            yield warning(path, "this part has no picture: add `pictogram:` with a built-in "
                          "one (e.g. \"builtin:house\" or \"🏠\") or a file in the sheet's "
                          "folder")
        for problem in _word_rules(part.heading, lang, seen):
            yield warning((*path, "heading"), problem)
        if message := _wraps(part.heading, lang, HEADING_PT, "heading"):
            yield warning((*path, "heading"), message)
        for i, line in enumerate(part.lines):
            for problem in _word_rules(line, lang, seen):
                yield warning((*path, "lines", i), problem)
            if message := _wraps(line, lang, BODY_PT, "line"):
                yield warning((*path, "lines", i), message)
    if easy.key_points and not easy.key_points_pictogram:
        yield warning(("easy_read", "key_points"), "the key points have no picture: add "
                      "`key_points_pictogram:` (e.g. \"builtin:check\")")
    for i, line in enumerate(easy.key_points):
        for problem in _word_rules(line, lang, seen):
            yield warning(("easy_read", "key_points", i), problem)
        if message := _wraps(line, lang, BODY_PT, "line"):
            yield warning(("easy_read", "key_points", i), message)
