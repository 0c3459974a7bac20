"""Quiz editions: versions that neighbours cannot copy from, and before/after pre-post tests.

An arrangement is the printed order of the questions and, for each, of its choices. It is
drawn from the seed, the sheet's slug and the edition's name only, so the same seed and sheet
always give the same arrangement (and the same bytes). Questions with `shuffle: false` keep
their choices in order; `pin_last: true` keeps the last choice last. When a question's correct
choice can move, it never stays at the same letter in every version.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


def _shuffled_choices(question: Question, rng: random.Random) -> tuple[int, ...]:
    order = list(range(len(question.choices)))
    if not question.shuffle:
        return tuple(order)
    movable = order[:-1] if question.pin_last else order
    rng.shuffle(movable)
    return tuple(movable + ([order[-1]] if question.pin_last else []))


def arrangements(sheet: Sheet, all_editions: list[Edition]) -> dict[str, Arrangement]:
    """The arrangement of every edition; unversioned editions keep the sheet's order."""
    result: dict[str, Arrangement] = {}
    for edition in all_editions:
        if edition.version is None:
            result[edition.name] = original(sheet)
            continue
        rng = random.Random(f"{edition.seed}|{sheet.slug}|{edition.name}")
        questions = list(range(len(sheet.quiz)))
        rng.shuffle(questions)
        choices = tuple(_shuffled_choices(q, rng) for q in sheet.quiz)
        result[edition.name] = Arrangement(tuple(questions), choices)
    return _move_stuck_answers(sheet, all_editions, result)


def _move_stuck_answers(sheet: Sheet, all_editions: list[Edition],
                        result: dict[str, Arrangement]) -> dict[str, Arrangement]:
    """Within each phase, a correct choice that can move must not sit at the same letter in
    every version: the last version swaps it with the next movable position."""
    from ..sheet.model import LETTERS

    by_phase: dict[str | None, list[Edition]] = {}
    for edition in all_editions:
        if edition.version:
            by_phase.setdefault(edition.phase, []).append(edition)
    for group in by_phase.values():
        if len(group) < 2:
            continue
        last = group[-1]
        choices = [list(order) for order in result[last.name].choices]
        for index, question in enumerate(sheet.quiz):
            movable = len(question.choices) - (1 if question.pin_last else 0)
            correct = LETTERS.index(question.answer)
            if not question.shuffle or movable < 2 or correct >= movable:
                continue  # kept in order, or the correct choice is the pinned last one
            places = {result[e.name].choices[index].index(correct) for e in group}
            if len(places) == 1:
                here = choices[index].index(correct)  # < movable: a movable place
                there = (here + 1) % movable
                choices[index][here], choices[index][there] = (choices[index][there],
                                                               choices[index][here])
        result[last.name] = Arrangement(result[last.name].questions,
                                        tuple(tuple(order) for order in choices))
    return result
