"""Syllable counters, one per rule a locale file may name in `[readability] syllables`.

Syllables are counted as spoken vowel groups, by language (good to a syllable or so a word,
which is all a readability score needs). The counters are listed once, here: the locale
loader accepts exactly their names, and `readability` counts with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_VOWEL_GROUPS = re.compile(r"[aeiouyàâäéèêëîïôöùûüœæ]+", re.IGNORECASE)


# a silent e before a suffix (lonely, loneliness, careful), a silent -ed (questioned, lived)
_EN_SILENT_E = re.compile(r"(?<=[^aeiouy])e(?=(?:ly|li(?:ness|er|est)|ful|ment|ness|less)$)")
_EN_SILENT_ED = re.compile(r"(?<=[^aeiouytd])ed$")  # but not in wanted, needed


def _english(word: str) -> int:
    if word.endswith("e") and not re.search(r"[^aeiouy]le$", word):
        word = word[:-1]  # silent final e, but not in "table"
    word = _EN_SILENT_E.sub("", _EN_SILENT_ED.sub("d", word))
    return max(1, len(_VOWEL_GROUPS.findall(word)))


def _french(word: str) -> int:
    word = re.sub(r"(?<=[^aeiouyéèêàâîôû])es?$", "", word)  # mute final e, es
    return len(_VOWEL_GROUPS.findall(word))


_ES_STRONG = set("aeoáéó")
_ES_WEAK = set("iuü")
_ES_STRESSED_WEAK = set("íú")
_ES_VOWELS = _ES_STRONG | _ES_WEAK | _ES_STRESSED_WEAK


def _spanish(word: str) -> int:
    """Spanish syllables: one per vowel group, plus one per hiatus inside a group (two strong
    vowels, as in po-e-ta, or a stressed í/ú beside another vowel, as in dí-a); i/u beside
    another vowel otherwise make a diphthong (ciu-dad). A y is a vowel only at the end of a
    word or before a consonant (hoy, muy, y), else a consonant (a-yu-da)."""
    letters = [
        "i" if char == "y" and (index + 1 == len(word) or word[index + 1] not in _ES_VOWELS)
        else char
        for index, char in enumerate(word)
    ]
    count = 0
    previous = ""
    for char in letters:
        if char not in _ES_VOWELS:
            previous = ""
            continue
        if not previous or (previous in _ES_STRONG and char in _ES_STRONG) or (
                previous in _ES_STRESSED_WEAK or char in _ES_STRESSED_WEAK):
            count += 1
        previous = char
    return count


SYLLABLE_COUNTERS: dict[str, Callable[[str], int]] = {
    "en": _english, "fr": _french, "es": _spanish,
}
