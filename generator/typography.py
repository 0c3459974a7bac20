"""Language rules of print typography, applied at render time (the YAML stays as written).

Typewriter quotes and apostrophes become printer's ones (“ ” in English, « » in French).
French puts a no-break space before `:` and a narrow no-break space before `; ! ?` and inside
« », and keeps numbers with their units and digit groups together. Web and e-mail addresses
are never touched.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"
_URL_LIKE = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S*|\S+@\S+\.\S+", re.I)
_UNITS = r"(?:%|‰|€|\$|£|°C|°|km|kg|cm|mm|ml|mg|m|g|h|min|s|ans?|mois|jours?|semaines?|pages?)"
_FRENCH_RULES = (
    # Existing spaces before high punctuation become the right no-break space.
    (re.compile(r"[ \t\u00a0\u202f]+(?=[;!?])"), NNBSP),
    (re.compile(r"[ \t\u00a0\u202f]+(?=:)"), NBSP),
    # A missing space before ; ! ? after a word or a closing quote is added.
    (re.compile(r"(?<=[\w»)])(?=[;!?])"), NNBSP),
    # Inside guillemets.
    (re.compile(r"«[ \t\u00a0\u202f]*"), "«" + NNBSP),
    (re.compile(r"[ \t\u00a0\u202f]*»"), NNBSP + "»"),
    # Digit groups (1 200) and a number with its unit (40 %, 25 ans) stay on one line.
    (re.compile(r"(?<=\d) (?=\d{3}\b)"), NNBSP),
    (re.compile(rf"(?<=\d) (?={_UNITS}(?!\w))"), NBSP),
)
_ENGLISH_RULES = (
    (re.compile(rf"(?<=\d) (?={_UNITS}(?!\w))"), NBSP),
)
RULES = {"fr": _FRENCH_RULES, "en": _ENGLISH_RULES}


QUOTES = {"en": ("\u201c", "\u201d"), "fr": ("«\u202f", "\u202f»")}
_OPENING_SINGLE = re.compile(r"(?:^|(?<=[\s(\[{\u2014\u2013/-]))'(?=\w)")


def _curly_quotes(text: str, lang: str) -> str:
    """Typewriter quotes to printer's quotes: "a" → “a” (en) or « a » (fr); it's → it’s."""
    opening, closing = QUOTES[lang]
    result = []
    for index, char in enumerate(text):
        if char == '"':
            before = text[index - 1] if index else " "
            result.append(opening if before.isspace() or before in "([{—–/-" else closing)
        else:
            result.append(char)
    return _OPENING_SINGLE.sub("\u2018", "".join(result)).replace("'", "\u2019")


def _apply_rules(text: str, lang: str) -> str:
    text = _curly_quotes(text, lang)
    for pattern, replacement in RULES.get(lang, ()):
        text = pattern.sub(replacement, text)
    return text


def apply(text: str, lang: str) -> str:
    """`text` with the spacing rules of `lang`; addresses are left exactly as written."""
    if lang not in QUOTES or not text:
        return text
    parts = []
    position = 0
    for match in _URL_LIKE.finditer(text):
        parts.append(_apply_rules(text[position: match.start()], lang))
        parts.append(match.group())
        position = match.end()
    parts.append(_apply_rules(text[position:], lang))
    return "".join(parts)
