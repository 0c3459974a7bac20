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
Syllables are counted by the rules of `syllables.py`, which the locale file names.

SMOG (McLaughlin, "SMOG grading: a new readability formula", Journal of Reading 12(8), 1969)
gives the school grade a reader needs: 1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291,
polysyllables being words of three syllables or more. Health writing for the public aims at
grade 6 to 8. It is English only: its constants were fitted on English texts, and French or
Spanish words have more syllables for the same difficulty (the Spanish SOL adaptation and the
French ones are not used here; those languages keep their own formula above). Syllables are
counted by `syllables.py`'s English rule, offline (textstat's SMOG downloads a dictionary).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from . import locales
from .syllables import SYLLABLE_COUNTERS

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")


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


SMOG_PUBLIC = (6, 8)  # the grades recommended for health information for the public


def smog(texts: list[str], lang: str) -> float | None:
    """The SMOG grade of some text (one sentence or more per item), or None when the language
    is not English or there are no words."""
    if lang.split("-")[0] != "en":
        return None
    all_words = [word for text in texts for word in words(text)]
    if not all_words:
        return None
    sentences = sum(sentence_count(text) for text in texts)
    polysyllables = sum(1 for word in all_words if syllables(word, "en") >= 3)
    return round(1.0430 * math.sqrt(polysyllables * 30 / sentences) + 3.1291, 1)
