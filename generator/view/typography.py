"""Print typography per language, applied at render time (the YAML stays as written).

The rules come from the `[typography]` table of each locale file: what typed quotes become
(“ ” in English, « » in French, « » then “ ” in Spanish), the space before `: ; ! ?` and inside
« », digit groups and units kept on one line, a spaced hyphen " - " as a dash, "..." as "…",
numeric ranges such as 0-25 with an en dash (ISO dates such as 2026-02-23 stay). Web and e-mail
addresses are never touched.

Every step is linear in the length of the text: addresses are found word by word with plain
string searches, and each pattern can only start where the text it needs starts (a pattern
that could start anywhere in a long run of letters or spaces would make a 64 KB word take
seconds, and a 1 MB sheet hours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..sheet import locales

NBSP = "\u00a0"
NNBSP = "\u202f"
_SPACE = "[ \t\u00a0\u202f]"
_NOT_AFTER_SPACE = "(?<![ \t\u00a0\u202f])"
_UNIT_SYMBOLS = ("%", "‰", "€", "$", "£", "°C", "°", "km", "kg", "cm", "mm", "ml", "mg", "m",
                 "g", "h", "min", "s")
_WORD = re.compile(r"\S+")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+.-")
_TRAILING = ".,;:!?)»”’\"'"  # sentence punctuation after an address is not part of it
_QUOTE_MARKS = re.compile("[\"']")
_OPENS_AFTER = frozenset("([{—–/-¿¡«\u201c\u2018\u2039")  # a quote after these opens


@dataclass
class QuoteState:
    """Open quotes and the last character seen, carried from one piece of a paragraph to the
    next (Markdown splits "**a**" into pieces; an address splits a sentence)."""

    doubles: int = 0
    singles: int = 0
    previous: str = " "


@dataclass(frozen=True)
class _Rules:
    typography: locales.Typography
    substitutions: tuple[tuple[re.Pattern[str], str], ...]


def _literal(text: str) -> str:
    """A replacement that re.sub prints as written (a locale file's text is data)."""
    return text.replace("\\", "\\\\")


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


@locales.made_from_locales
@cache
def _rules(lang: str) -> _Rules | None:
    """The compiled rules of a language; None for a language without a locale."""
    try:
        typo = locales.get(lang).typography
    except locales.LocaleError:
        return None
    rules: list[tuple[re.Pattern[str], str]] = []
    if typo.ellipsis:
        rules.append((re.compile(r"(?<!\.)\.\.\.(?!\.)"), "…"))
    if typo.dash:
        dash = re.escape(typo.dash.strip())
        rules.append((re.compile(rf"{_NOT_AFTER_SPACE}[ \t\u00a0]+(?:-|{dash})[ \t]+"),
                      _literal(typo.dash)))
    if typo.range_dash:
        rules.append((re.compile(r"(?<![\w\-/.,:])(\d+)-(\d+)(?![\w\-/]|[.,:]\d)"),
                      rf"\g<1>{_literal(typo.range_dash)}\g<2>"))
    by_space: dict[str, list[str]] = {}
    for mark, space in typo.space_before.items():
        by_space.setdefault(space, []).append(mark)
    for space, marks in by_space.items():
        group = "[" + "".join(re.escape(mark) for mark in marks) + "]"
        # Spaces already typed before the mark become the right one (or go).
        rules.append((re.compile(rf"{_NOT_AFTER_SPACE}{_SPACE}+(?={group})"), _literal(space)))
        if space:  # and a missing one is added after a word or a closing mark (not in 10:30)
            rules.append((re.compile(rf"(?<=[\w»)\]])(?={group})(?!:\d)"), _literal(space)))
    if typo.guillemet_space is not None:
        inside = _literal(typo.guillemet_space)
        rules.append((re.compile(rf"«{_SPACE}*"), "«" + inside))
        rules.append((re.compile(rf"{_NOT_AFTER_SPACE}{_SPACE}*»"), inside + "»"))
    if typo.digit_group_space is not None:
        rules.append((re.compile(r"(?<=\d)[ \u00a0](?=\d{3}\b)"),
                      _literal(typo.digit_group_space)))
    units = _alternatives([*_UNIT_SYMBOLS, *typo.units])
    rules.append((re.compile(rf"(?<=\d) (?=(?:{units})(?!\w))"), _literal(typo.unit_space)))
    return _Rules(typo, tuple(rules))


def _address(word: str) -> tuple[int, int] | None:
    """Where a web or e-mail address sits in one word (start, end), found in linear time:
    from a scheme (`https://`), `www.` or `mailto:`, or the whole word around an `@`; the
    punctuation that ends a sentence after it is left out."""
    lower = word.lower()
    starts = []
    found = lower.find("://")
    while found != -1:
        start = found
        while start > 0 and lower[start - 1] in _SCHEME_CHARS:
            start -= 1
        while start < found and not ("a" <= lower[start] <= "z"):
            start += 1
        if start < found:
            starts.append(start)
            break
        found = lower.find("://", found + 3)
    for marker in ("www.", "mailto:"):
        index = lower.find(marker)
        if index != -1:
            starts.append(index)
    at = word.find("@", 1)
    if at != -1 and word.find(".", at + 2, len(word) - 1) != -1:
        starts.append(0)
    if not starts:
        return None
    start, end = min(starts), len(word)
    while end > start + 1 and word[end - 1] in _TRAILING:
        if word[end - 1] == ")" and "(" in word[start:end]:
            break
        end -= 1
    while start < end and word[start] in "(«\u201c\u2018\"'<[":
        start += 1
    return start, end


def _quote(mark: str, before: str, after: str, typo: locales.Typography,
           state: QuoteState) -> str:
    opening_place = before.isspace() or before in _OPENS_AFTER
    if mark == '"':
        if opening_place:
            state.doubles += 1
            pair = typo.quotes if state.doubles % 2 else typo.inner_quotes
            return pair[0]
        pair = typo.inner_quotes if state.doubles % 2 == 0 and state.doubles else typo.quotes
        state.doubles = max(0, state.doubles - 1)
        return pair[1]
    if opening_place and (after.isalnum() or after == "_"):
        state.singles += 1
        return typo.single_quotes[0]
    if state.singles and not (after.isalnum() or after == "_"):
        state.singles -= 1
        return typo.single_quotes[1]
    return typo.apostrophe


def _quotes(text: str, typo: locales.Typography, state: QuoteState) -> str:
    """Typewriter quotes to the language's printer's quotes, and apostrophes: one pass."""
    parts = []
    position = 0
    for match in _QUOTE_MARKS.finditer(text):
        index = match.start()
        before = text[index - 1] if index else state.previous
        after = text[index + 1] if index + 1 < len(text) else ""
        parts.append(text[position:index])
        parts.append(_quote(match.group(), before, after, typo, state))
        position = index + 1
    parts.append(text[position:])
    return "".join(parts)


def _words_rules(text: str, rules: _Rules, state: QuoteState) -> str:
    if not text:
        return text
    result = _quotes(text, rules.typography, state)
    for pattern, replacement in rules.substitutions:
        result = pattern.sub(replacement, result)
    state.previous = text[-1]
    return result


def apply(text: str, lang: str, state: QuoteState | None = None) -> str:
    """`text` with the typography of `lang`; addresses are left exactly as written. `state`
    carries open quotes over from the previous piece of the same paragraph."""
    rules = _rules(lang)
    if rules is None or not text:
        return text
    state = state or QuoteState()
    lower = text.lower()
    if not any(marker in lower for marker in ("://", "@", "www.", "mailto:")):
        return _words_rules(text, rules, state)  # no address: one pass
    parts = []
    position = 0
    for word in _WORD.finditer(text):
        span = _address(word.group())
        if span is None:
            continue
        start, end = word.start() + span[0], word.start() + span[1]
        parts.append(_words_rules(text[position:start], rules, state))
        parts.append(text[start:end])
        state.previous = text[end - 1]
        position = end
    parts.append(_words_rules(text[position:], rules, state))
    return "".join(parts)
