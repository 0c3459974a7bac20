"""Readability scores per language, computed locally (no data downloaded at run time).

textstat would need nltk and downloads the CMU dictionary on first use, so the formulas are
computed here. Each locale file gives its formula's constants in `[readability]`; all have the
same shape, score = base - a * words/sentences - b * syllables/words:
- English, Flesch reading ease (Flesch 1948): 206.835 - 1.015 * W/S - 84.6 * Syl/W;
- French, Kandel & Moles (1958): 207 - 1.015 * W/S - 73.6 * Syl/W;
- Spanish, Szigriszt-Pazos perspicuity (Szigriszt Pazos, "Sistemas predictivos de legibilidad
  del mensaje escrito: fórmula de perspicuidad", thesis, Universidad Complutense de Madrid,
  1993): 206.835 - W/S - 62.3 * Syl/W, read on the INFLESZ scale (Barrio-Cantalejo et al.,
  Anales del Sistema Sanitario de Navarra 31(2), 2008), where 65 and above is fairly easy.
Syllables are counted as spoken vowel groups, by language (good to a syllable or so a word,
which is all a score needs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import locales

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouyàâäéèêëîïôöùûüœæ]+", re.IGNORECASE)


@dataclass(frozen=True)
class Score:
    formula: str
    value: float
    threshold: float = 60  # the lowest score of easy-to-read text in this language

    @property
    def plain(self) -> bool:
        return self.value >= self.threshold


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentence_count(text: str) -> int:
    """Sentences in a line: terminal punctuation followed by a space or the end."""
    return max(1, len(_SENTENCE_END.findall(text.strip())))


def _english(word: str) -> int:
    if word.endswith("e") and not re.search(r"[^aeiouy]le$", word):
        word = word[:-1]  # silent final e, but not in "table"
    return len(_VOWEL_GROUPS.findall(word))


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


def syllables(word: str, lang: str) -> int:
    """Syllables of one word, counted by the rules of the language's locale file."""
    counter = SYLLABLE_COUNTERS[locales.get(lang).readability.syllables]
    return max(1, counter(word.lower()))


def score(lines: list[str], lang: str) -> Score | None:
    """The language's readability score of some text, one sentence or more per line."""
    all_words = [word for line in lines for word in words(line)]
    if not all_words:
        return None
    formula = locales.get(lang).readability
    sentences = sum(sentence_count(line) for line in lines)
    total_syllables = sum(syllables(word, lang) for word in all_words)
    value = (formula.base - formula.words_per_sentence * len(all_words) / sentences
             - formula.syllables_per_word * total_syllables / len(all_words))
    return Score(formula.formula, round(value, 1), formula.plain)
