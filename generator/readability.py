"""Readability scores per language, computed locally (no data downloaded at run time).

textstat would need nltk and downloads the CMU dictionary on first use, so the two formulas
are computed here, with syllables counted as spoken vowel groups (good to a syllable or so a word,
which is all a score needs):
- English: Flesch reading ease = 206.835 - 1.015 * words/sentences - 84.6 * syllables/words
- French: Kandel & Moles = 207 - 1.015 * words/sentences - 73.6 * syllables/words
Both read 0 (very hard) to 100 (very easy); 60 and above is plain language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMULAS = {
    "en": ("Flesch reading ease", 206.835, 1.015, 84.6),
    "fr": ("Kandel & Moles", 207.0, 1.015, 73.6),
}
PLAIN_LANGUAGE = 60
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouyàâäéèêëîïôöùûüœæ]+", re.IGNORECASE)


@dataclass(frozen=True)
class Score:
    formula: str
    value: float

    @property
    def plain(self) -> bool:
        return self.value >= PLAIN_LANGUAGE


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentence_count(text: str) -> int:
    """Sentences in a line: terminal punctuation followed by a space or the end."""
    return max(1, len(_SENTENCE_END.findall(text.strip())))


def syllables(word: str, lang: str) -> int:
    """Syllables of one word, counted as spoken vowel groups (a silent final e set aside)."""
    word = word.lower()
    if lang == "fr":
        word = re.sub(r"(?<=[^aeiouyéèêàâîôû])es?$", "", word)
    elif word.endswith("e") and not re.search(r"[^aeiouy]le$", word):
        word = word[:-1]
    return max(1, len(_VOWEL_GROUPS.findall(word)))


def score(lines: list[str], lang: str) -> Score | None:
    """The language's readability score of some text, one sentence or more per line."""
    all_words = [word for line in lines for word in words(line)]
    if not all_words:
        return None
    sentences = sum(sentence_count(line) for line in lines)
    total_syllables = sum(syllables(word, lang) for word in all_words)
    name, base, sentence_weight, syllable_weight = FORMULAS[lang]
    value = (base - sentence_weight * len(all_words) / sentences
             - syllable_weight * total_syllables / len(all_words))
    return Score(name, round(value, 1))
