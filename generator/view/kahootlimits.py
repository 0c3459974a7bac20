"""Kahoot's limits a sheet's quiz must meet to go to Kahoot (`--format kahoot`), found in one
place for two readers: the build, which refuses a sheet over them (documents/kahoot.py), and
`check`, which warns of them (checks.py), as a sheet that never goes to Kahoot is fine.

Kahoot takes a question of at most 120 characters and 2 to 4 answers of at most 75; the
sheet's `kahoot:` wording of a question, when given, is what goes (sheet/kahootwording.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..sheet.kahootwording import KAHOOT_ANSWER, KAHOOT_ANSWERS, KAHOOT_QUESTION
from .quizview import kahoot_question

if TYPE_CHECKING:  # pragma: no cover
    from ..sheet.model import Sheet
    from ..sheet.yamlsource import Path


@dataclass(frozen=True)
class OverLimit:
    """One thing Kahoot would refuse: a question too long ("question"), too many choices
    ("choices") or a choice too long ("choice")."""

    path: Path  # where it is in the sheet
    what: str
    question: int  # the question's number in the sheet, from 1
    count: int  # its characters, or its choices
    most: int  # what Kahoot takes
    choice: int = 0  # the choice too long, from 0


def over_kahoot_limits(sheet: Sheet) -> list[OverLimit]:
    """Everything in the sheet's quiz that Kahoot would refuse, in the sheet's order."""
    found = []
    for index, item in enumerate(sheet.quiz):
        wording = kahoot_question(item, sheet.lang)
        number = index + 1
        if len(wording.question) > KAHOOT_QUESTION:
            found.append(OverLimit(("quiz", index, "question"), "question", number,
                                   len(wording.question), KAHOOT_QUESTION))
        if len(wording.choices) > KAHOOT_ANSWERS:
            found.append(OverLimit(("quiz", index, "choices"), "choices", number,
                                   len(wording.choices), KAHOOT_ANSWERS))
            continue
        if item.kahoot is not None and item.kahoot.choices:
            continue  # the model checked their length
        for place, choice in enumerate(wording.choices):
            if len(choice) > KAHOOT_ANSWER:
                found.append(OverLimit(("quiz", index, "choices", place), "choice", number,
                                       len(choice), KAHOOT_ANSWER, place))
    return found
