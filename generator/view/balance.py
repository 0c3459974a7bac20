"""Where a quiz version prints its correct choices: letters spread as evenly as the questions
allow, and no run of three equal correct letters in printed order unless it cannot be avoided.

Left to chance (as the LaTeX exam class and auto-multiple-choice do), a version of five
questions can read D A A A A: a participant who sees four A's in a row guesses. Two steps,
both drawn from the version's seeded random generator, so the same seed gives the same
version:

1. `balanced_places` gives every question a printed place (0 = A) for its correct choice
   among the places it can take (`places`): a random greedy start, then improving moves until
   no letter is correct two or more times more often than another letter it could hand a
   question to, even through a chain of questions. For this kind of assignment (each question
   to one of its own letters) that local rule is enough for the counts to be the most even
   there are: the highest count as low and the lowest as high as any assignment allows (the
   assignments' counts form an M-convex set; Frank and Murota, "Discrete decreasing
   minimization", 2021).
2. `spaced_order` keeps the drawn order of the questions except where a question would make
   a run of three: it takes the first question left whose letter makes no such run and leaves
   letters that can still be spaced (`_can_follow`, exact: see its docstring). When one letter
   holds so many questions that runs cannot be avoided, the longest run is as short as the
   counts allow.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model (pydantic) stays unloaded when a build has nothing to do
    from ..sheet.model import Question


def places(question: Question) -> tuple[int, ...]:
    """The printed places (0 = A) the question's correct choice can take: its own with
    `shuffle: false`, the last with `pin_last` when it is the last choice, else any place but
    the pinned last one."""
    from ..sheet.model import LETTERS

    count = len(question.choices)
    correct = LETTERS.index(question.answer)
    movable = count - 1 if question.pin_last else count
    if not question.shuffle or correct >= movable or movable < 2:
        return (correct,)
    return tuple(range(movable))


def balanced_places(allowed: Sequence[Sequence[int]], rng: random.Random) -> list[int]:
    """A place from `allowed[q]` for every question q, the counts per place as even as the
    allowed places permit (see the module's docstring); random among the even ones."""
    chosen = [0] * len(allowed)
    counts: Counter[int] = Counter()
    order = list(range(len(allowed)))
    rng.shuffle(order)
    order.sort(key=lambda q: len(allowed[q]))  # the fixed ones first, the rest in drawn order
    for q in order:
        low = min(counts[p] for p in allowed[q])
        chosen[q] = rng.choice([p for p in allowed[q] if counts[p] == low])
        counts[chosen[q]] += 1
    while moves := _improving_moves(allowed, chosen, counts):
        for q, place in moves:
            counts[chosen[q]] -= 1
            chosen[q] = place
            counts[place] += 1
    return chosen


def _improving_moves(allowed: Sequence[Sequence[int]], chosen: list[int],
                     counts: Counter[int]) -> list[tuple[int, int]]:
    """Moves (question, new place) that take one correct answer from a letter to one at least
    two lower, through a chain of questions each moving to the next letter; none when the
    counts are as even as they can be."""
    letters = sorted({p for options in allowed for p in options})
    for source in sorted(letters, key=lambda p: -counts[p]):
        reached: dict[int, tuple[int, int] | None] = {source: None}  # letter ← (question, from)
        frontier = [source]
        while frontier:
            nearer = []
            for letter in frontier:
                for q, place in enumerate(chosen):
                    if place != letter:
                        continue
                    for target in allowed[q]:
                        if target in reached:
                            continue
                        reached[target] = (q, letter)
                        if counts[target] <= counts[source] - 2:
                            return _chain(reached, target)
                        nearer.append(target)
            frontier = nearer
    return []


def _chain(reached: dict[int, tuple[int, int] | None], target: int) -> list[tuple[int, int]]:
    moves = []
    step = reached[target]
    while step is not None:
        question, letter = step
        moves.append((question, target))
        target, step = letter, reached[letter]
    return moves


def longest_run_needed(counts: Counter[int]) -> int:
    """The shortest longest run (at least 2, as two in a row is no pattern) in which letters
    with these counts can be printed: a letter counted c among n needs c ≤ k·(n - c + 1)."""
    total = sum(counts.values())
    return max([2] + [-(-count // (total - count + 1)) for count in counts.values()])


def _can_follow(counts: Counter[int], last: int, run: int, limit: int) -> bool:
    """Whether letters with these counts can follow a run of `run` times `last` with no run
    longer than `limit`. Exact: each letter's count must fit the gaps between the others,
    `limit` a gap, the first gap shortened by the run it would continue (necessary); and while
    that holds, a letter can always be taken next so that it still holds (at most one letter
    is over limit/(limit+1) of the rest, and taking it keeps the others within bounds)."""
    total = sum(counts.values())
    return all(count <= limit * (total - count) + limit - (run if letter == last else 0)
               for letter, count in counts.items() if count)


def spaced_order(drawn: Sequence[int], letter_of: Sequence[int]) -> list[int]:
    """The questions in `drawn` order but for the moves needed so that no correct letter runs
    longer than the counts force (three or more only when unavoidable)."""
    counts = Counter(letter_of[q] for q in drawn)
    limit = longest_run_needed(counts)
    left = list(drawn)
    result: list[int] = []
    last, run = -1, 0
    while left:
        for q in left:
            letter = letter_of[q]
            new_run = run + 1 if letter == last else 1
            counts[letter] -= 1
            if new_run <= limit and _can_follow(counts, letter, new_run, limit):
                break
            counts[letter] += 1
        else:  # the counts were checked at the start, so some question always fits
            raise AssertionError("no question can come next")
        left.remove(q)
        result.append(q)
        last, run = letter, new_run
    return result


@dataclass(frozen=True)
class Evenest:
    """The evenest version a quiz allows: its most used letter (0 = A), how often, how often
    at most with every question free to move, and the shortest longest run."""

    letter: int
    most: int
    free_most: int
    run: int
    fixed: int  # questions whose correct choice cannot take every place

    @property
    def impossible(self) -> bool:
        """Balance cannot be had: a letter correct twice more than in an even quiz of the same
        questions, or three in a row whatever the order."""
        return self.most >= self.free_most + 2 or self.run >= 3


def evenest(quiz: Sequence[Question]) -> Evenest:
    """How even the quiz's versions can be, given its `shuffle: false` and `pin_last`."""
    allowed = [places(q) for q in quiz]
    counts = Counter(balanced_places(allowed, random.Random(0)))
    free = Counter(balanced_places([range(len(q.choices)) for q in quiz], random.Random(0)))
    letter, most = max(sorted(counts.items()), key=lambda item: item[1])
    fixed = sum(len(options) < len(q.choices) for q, options in zip(quiz, allowed, strict=True))
    return Evenest(letter, most, max(free.values()), longest_run_needed(counts), fixed)
