"""Fixed texts of the handouts and locale-aware formatting, read from the locale files.

Each language is one file in `generator/locales/` (see locales.py); this module gives the
rest of the package its labels, dates, lists and page references.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache

from ..sheet import locales

_RANGE_HYPHEN = re.compile(r"(?<=\d)\s*-\s*(?=\d)")


def catalog(lang: str, counts: Mapping[str, int] | None = None) -> dict[str, str]:
    """The labels of one language; `counts` picks the singular or plural form of the labels
    that print a number of things (`{"sec_quiz": 1}` → "MCQ — 1 question")."""
    locale = locales.get(lang)
    counts = counts or {}
    return {key: locale.label(key, counts.get(key)) for key in locale.labels}


def plural(lang: str, key: str, count: int) -> str:
    """One label in the form the language uses for `count`: "1 question", "2 questions"."""
    return locales.get(lang).label(key, count)


_VOWELS = frozenset("aeiouyàâäáéèêëíîïóôöúùûüœæ")


def before_name(label: str, name: str, lang: str) -> str:
    """A label as printed before a name: "Analysis by ", "Análisis de ", and "Analyse d’"
    before "Équipe…" where the locale elides its last word before a vowel (`elision`)."""
    head, _, last = label.rpartition(" ")
    elided = locales.get(lang).typography.elision.get(last.casefold())
    first = name.lstrip("\"'\u201c\u00ab\u2018 \u00a0")[:1].casefold()
    if elided and first in _VOWELS:
        if last[:1].isupper():
            elided = elided[:1].upper() + elided[1:]
        return f"{head} {elided}" if head else elided
    return f"{label} "


def format_date(value: dt.date, lang: str) -> str:
    """A date as people write it: 23 February 2026, 23 février 2026, 23 de febrero de 2026."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format="long", locale=locales.get(lang).babel)


def format_month(value: dt.date, lang: str) -> str:
    """A month as people say it: February 2026, février 2026, febrero de 2026."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=locales.get(lang).babel)


def format_list(items: list[str], lang: str) -> str:
    """A list as a sentence: "A, B and C" / "A, B et C" / "A, B y C"."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list(items, locale=locales.get(lang).babel) if items else ""


@locales.made_from_locales
@cache
def _several_pages(lang: str) -> re.Pattern[str]:
    joiners = "|".join(re.escape(word) for word in locales.get(lang).pages.joiners)
    words = rf"|\d\s+(?:{joiners})\s+\d" if joiners else ""
    return re.compile(rf"\d\s*[-–,;]\s*\d{words}", re.IGNORECASE)


def format_pages(pages: str | None, lang: str) -> str | None:
    """`30-33` → `pp. 30–33` (en), `p. 30–33` (fr), `págs. 30–33` (es): the locale's word
    for one page or several, and an en dash in ranges, as printers do."""
    if not pages:
        return None
    text = _RANGE_HYPHEN.sub("–", pages.strip())
    several = _several_pages(lang).search(pages)
    words = locales.get(lang).pages
    return (words.many if several else words.one).format(pages=text)
