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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import Problem
from ..sheet import locales
from ..sheet.loader import LoadedSheet
from ..sheet.locales import EasyReadWords
from ..sheet.model import Sheet
from . import labels, linewidth
from .labels import catalog, format_date

if TYPE_CHECKING:
    from ..sheet.yamlsource import Path



@dataclass(frozen=True)
class Column:
    """The leaflet's text column on one paper, and its sizes (styles/easy-read.css)."""

    paper: str  # as said to the reader: "A4"
    width_mm: float  # beside the picture column
    bare_mm: float  # a sheet without any picture: no picture column
    body_pt: float
    heading_pt: float
    title_pt: float

    def width(self, pictures: bool) -> float:
        return self.width_mm if pictures else self.bare_mm


# The paper's width less the margins, less the picture column and its gap (easy-read.css):
# A4 210 - 30 - 30, Letter 215.9 - 30 - 30, A5 (and the booklet's pages) 148 - 16 - 15,
# A3 297 - 30 - 30; without pictures, only the bullets' 4 mm gap is taken off.
COLUMNS = {
    "a4": Column("A4", 150.0, 176.0, 16, 20, 26),
    "letter": Column("Letter", 155.9, 181.9, 16, 20, 26),
    "a5": Column("A5", 117.0, 128.0, 14, 16, 20),
    "a3": Column("A3", 237.0, 263.0, 16, 20, 26),  # 297 - 30 - 30; for a group's table
}
# The papers a leaflet is measured on when none is named: A3 (wider than all) only when
# asked for, as a line that wraps on A3 wraps on all the others.
LEAFLET_PAPERS = ("a4", "letter", "a5")

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


def _wraps(text: str, lang: str, what: str, columns: list[Column], pictures: bool
           ) -> str | None:
    """A line (or a title, a heading) wider than its column on one of the papers: the paper
    where it overflows most is named, and the others where it wraps too."""
    over: list[tuple[float, Column, float]] = []
    for column in columns:
        size = {"line": column.body_pt, "heading": column.heading_pt}.get(what, column.title_pt)
        width = linewidth.width_mm(text, size, lang, bold=what != "line")
        if width is None:
            return None
        if width > column.width(pictures):
            over.append((width / column.width(pictures), column, width))
    if not over:
        return None
    _, column, width = max(over, key=lambda found: found[0])
    size = {"line": column.body_pt, "heading": column.heading_pt}.get(what, column.title_pt)
    limit = column.width(pictures)
    also = [other.paper for _, other, _ in over if other is not column]
    where = f" (and on {', '.join(also)})" if also else ""
    how = "split it into two sentences" if what == "line" else "use fewer or shorter words"
    return (f"this {what} is {width:.1f} mm long at {size:g} pt and will wrap in the "
            f"{column.paper} leaflet's {limit:g} mm column{where}: shorten it (by "
            f"{math.ceil(width - limit)} mm or more), or {how}")


def no_plain_title(sheet: Sheet) -> str:
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


def easy_rules(loaded: LoadedSheet, warning: Callable[[Path, str], Problem],
               papers: Iterable[str] | None = None) -> Iterator[Problem]:
    """Every easy-to-read rule over the leaflet's text, in reading order. `warning(path,
    message)` makes the located Problem (checks.py's); lines are measured on `papers`
    (keys of COLUMNS; LEAFLET_PAPERS when None)."""
    sheet = loaded.sheet
    easy, lang = sheet.easy_read, sheet.lang
    columns = [COLUMNS[paper] for paper in (papers or LEAFLET_PAPERS)]
    pictures = bool(easy.picture_files())
    if not easy.title:
        yield warning(("easy_read",), no_plain_title(sheet))
    elif message := _wraps(easy.title, lang, "title", columns, pictures):
        yield warning(("easy_read", "title"), message)
    if easy.logo and not easy.checked_by and not easy.reviews:  # reviews: see reviews.py
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
        if message := _wraps(part.heading, lang, "heading", columns, pictures):
            yield warning((*path, "heading"), message)
        for i, line in enumerate(part.lines):
            for problem in _word_rules(line, lang, seen):
                yield warning((*path, "lines", i), problem)
            if message := _wraps(line, lang, "line", columns, pictures):
                yield warning((*path, "lines", i), message)
    if easy.summary and not easy.contact:
        help_heading = labels.catalog(lang)["easy_help"]
        yield warning(("easy_read",), f"no `contact`: the leaflet has no “{help_heading}” "
                      "part, and the easy-to-read rules ask for someone readers can ask: add "
                      "`contact:` with a `name` and a `phone`, `email` or `address`")
    if easy.key_points and not easy.key_points_pictogram:
        yield warning(("easy_read", "key_points"), "the key points have no picture: add "
                      "`key_points_pictogram:` (e.g. \"builtin:check\")")
    for i, line in enumerate(easy.key_points):
        for problem in _word_rules(line, lang, seen):
            yield warning(("easy_read", "key_points", i), problem)
        if message := _wraps(line, lang, "line", columns, pictures):
            yield warning(("easy_read", "key_points", i), message)
