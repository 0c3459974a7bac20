"""Quiz editions: versions that neighbours cannot copy from, and before/after pre-post tests.

An arrangement is the printed order of the questions and, for each, of its choices. It is
drawn from the seed, the sheet's slug and the edition's name only, so the same seed and sheet
always give the same arrangement (and the same bytes). Questions with `shuffle: false` keep
their choices in order; `pin_last: true` keeps the last choice last. When a question's correct
choice can move, it never stays at the same letter in every version. Each version's correct
letters are spread as evenly as the questions allow, without runs of three (balance.py).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .balance import balanced_places, places, spaced_order

if TYPE_CHECKING:  # the model (pydantic) stays unloaded when a build has nothing to do
    from ..sheet.model import Question, Sheet

VERSION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_VERSIONS = len(VERSION_LETTERS)


@dataclass(frozen=True)
class Arrangement:
    """Printed order: `questions[i]` is the sheet index of the i-th printed question, and
    `choices[q]` the sheet indexes of question q's choices in printed order."""

    questions: tuple[int, ...]
    choices: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Edition:
    """One printing of the quiz and its key: a version, a phase of a pre-post test, or both."""

    name: str  # in file names: "", "A", "before", "before-A"
    version: str | None  # "A", "B"… or None
    phase: str | None  # "before", "after" or None
    seed: str | None

    def suffix(self) -> str:
        return f"-{self.name}" if self.name else ""


def editions(versions: int = 1, seed: str | None = None, pre_post: bool = False
             ) -> list[Edition]:
    """The editions the options ask for, in print order."""
    letters = list(VERSION_LETTERS[:versions]) if versions > 1 else [None]
    phases = ["before", "after"] if pre_post else [None]
    result = []
    for phase in phases:
        for letter in letters:
            name = "-".join(part for part in (phase, letter) if part)
            result.append(Edition(name, letter, phase, seed if letter else None))
    return result


def original(sheet: Sheet) -> Arrangement:
    return Arrangement(tuple(range(len(sheet.quiz))),
                       tuple(tuple(range(len(q.choices))) for q in sheet.quiz))


def _choices_placing(question: Question, place: int, rng: random.Random) -> tuple[int, ...]:
    """The question's choices in printed order, its correct one at `place` (one of
    `balance.places`), the others in random order around it."""
    from ..sheet.model import LETTERS

    count = len(question.choices)
    if not question.shuffle:
        return tuple(range(count))
    correct = LETTERS.index(question.answer)
    movable = count - 1 if question.pin_last else count
    others = [choice for choice in range(movable) if choice != correct]
    rng.shuffle(others)
    if correct < movable:
        others.insert(place, correct)
    return tuple(others + ([count - 1] if question.pin_last else []))


def arrangements(sheet: Sheet, all_editions: list[Edition]) -> dict[str, Arrangement]:
    """The arrangement of every edition; unversioned editions keep the sheet's order.

    Each version draws its question order, then gives every question a place for its
    correct choice so that the correct letters are as even as the questions allow, moves
    questions only as needed to avoid runs of three equal letters (balance.py), and shuffles
    the other choices around the correct one. Within a phase, a correct choice that can move
    never sits at the same letter in every version: the last version does not offer a
    question the letter all the earlier ones gave it."""
    result: dict[str, Arrangement] = {}
    groups: dict[str | None, list[Edition]] = {}
    for edition in all_editions:
        if edition.version:
            groups.setdefault(edition.phase, []).append(edition)
    for edition in all_editions:
        if edition.version is None:
            result[edition.name] = original(sheet)
            continue
        rng = random.Random(f"{edition.seed}|{sheet.slug}|{edition.name}")
        questions = list(range(len(sheet.quiz)))
        rng.shuffle(questions)
        allowed = [places(question) for question in sheet.quiz]
        group = groups[edition.phase]
        if len(group) > 1 and edition is group[-1]:
            allowed = _unstuck(sheet, allowed, [result[e.name] for e in group[:-1]])
        chosen = balanced_places(allowed, rng)
        choices = tuple(_choices_placing(question, place, rng)
                        for question, place in zip(sheet.quiz, chosen, strict=True))
        result[edition.name] = Arrangement(tuple(spaced_order(questions, chosen)), choices)
    return result


def _unstuck(sheet: Sheet, allowed: list[tuple[int, ...]], earlier: list[Arrangement]
             ) -> list[tuple[int, ...]]:
    """The last version's places: a question that can move and sat at one letter in every
    earlier version may not take it again."""
    from ..sheet.model import LETTERS

    result = []
    for index, (question, options) in enumerate(zip(sheet.quiz, allowed, strict=True)):
        correct = LETTERS.index(question.answer)
        seen = {arrangement.choices[index].index(correct) for arrangement in earlier}
        result.append(tuple(p for p in options if p not in seen)
                      if len(seen) == 1 and len(options) > 1 else options)
    return result


def editions_digest(sheet: Sheet, orders: dict[str, Arrangement]) -> str:
    """A short name of what the editions print (their orders and the sheet's answers): a
    responses table or a scanned page made for other editions is told apart by it."""
    printed = [[name, list(order.questions), [list(c) for c in order.choices]]
               for name, order in sorted(orders.items())]
    answers = [[question.answer, len(question.choices), question.points]
               for question in sheet.quiz]
    text = json.dumps([sheet.slug, answers, printed], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
