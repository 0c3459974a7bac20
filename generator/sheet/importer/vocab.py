"""The words of published sheet pages, one table per language, for `handouts import`.

Headings are matched by meaning, not by exact string: every phrase here is written
*normalised* (lowercase, no accents, punctuation and emoji as spaces, see
`importer.lines.normalise`), and a heading matches a section when it contains one of the
section's phrases as whole words. The phrases of each language are the `[import]` table of
its locale file (generator/locales/*.toml); here are the shapes and what all languages share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .. import locales

# The nine sections of the template, in their printed order (a heading with a number and no
# known words is taken by its number).
SECTIONS = ("summary", "key_points", "action_paths", "references", "values", "reliability",
            "quiz", "faq", "easy_read")

# Which section wins when a heading holds the words of several: the most specific first
# ("Analytical summary (Easy to Read)" is the easy-read part, "Key points (FALC)" too).
MATCH_ORDER = ("easy_read", "faq", "quiz", "reliability", "values", "references",
               "action_paths", "key_points", "summary")


@dataclass(frozen=True)
class Vocabulary:
    """The phrases of one language's template."""

    sections: dict[str, tuple[str, ...]]
    months: dict[str, int]
    boilerplate: tuple[str, ...]      # whole lines of page furniture (digits ignored)
    intro_end: tuple[str, ...]        # the line that closes the introduction
    by: tuple[str, ...]               # "23 February 2026 by" / "by Daniel Oberlé"
    authors: tuple[str, ...]          # label of the authors' line, when there is no ✍️
    source: tuple[str, ...]
    part1: tuple[str, ...]            # quiz "Part 1 — Questions"
    part2: tuple[str, ...]            # quiz "Part 2 — Commented correction"
    question: tuple[str, ...]         # "Question 3", "Q3"
    correct: tuple[str, ...]          # "Correct answer: b) …"
    explanation: tuple[str, ...]
    answer: tuple[str, ...]           # FAQ "Answer: …"
    conclusion: tuple[str, ...]       # values grid: "Final summary (PES values)"
    recommendation: tuple[str, ...]
    easy_title: tuple[str, ...]       # easy-read "Title 1: …"
    stopwords: frozenset[str] = field(default_factory=frozenset)  # [names]: not headings
    template_words: frozenset[str] = field(default_factory=frozenset)  # in headings

    @property
    def heading_words(self) -> frozenset[str]:
        """Words a heading of the template is made of: a line of only these (and stopwords)
        that holds a section's phrase is a heading, in capitals or not."""
        words = {word for phrases in self.sections.values() for phrase in phrases
                 for word in phrase.split()}
        return frozenset(words) | self.template_words


# Share buttons and the like, the same in every language.
COMMON_BOILERPLATE = ("facebook", "twitter", "linkedin", "x", "whatsapp", "email", "e mail",
                      "pinterest", "mastodon", "bluesky", "tweet", "rss", "instagram")



@locales.made_from_locales
@cache
def vocabularies() -> dict[str, Vocabulary]:
    """Every language whose locale file has an `[import]` table (generator/locales/*.toml):
    a language's page words live with the rest of what handouts knows about it."""
    found = {}
    for code, locale in locales.available().items():
        words = locale.import_words
        if words:
            fields: dict[str, Any] = {
                key: frozenset(value) if key == "template_words" else value
                for key, value in words.items()}
            found[code] = Vocabulary(**fields, stopwords=locale.stopwords)
    return found
