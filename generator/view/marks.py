"""The readers' marks typed back from the proof-reading sheets (`handouts review --marks`).

The table is the simplest a facilitator can type from a pile of sheets: one row per number
printed on the sheet, the ticks counted over every reader's copy:

    number,understand,not_sure,not_understand
    1,6,0,0
    7,1,2,3

Commas or semicolons (as a spreadsheet saves it in French or Spanish) separate the cells; an
empty cell counts 0; the columns may come in any order, with a `text` or `notes` column for
the facilitator's own use. A number no reader ticked may be left out. An item is hard for
most readers when more of them ticked "not sure" or "do not understand" than "understand".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..errors import Problem, SheetError
from ..sheet.model import Sheet
from .reviews import CheckedItem, checked_items

COUNTS = ("understand", "not_sure", "not_understand")
FREE = ("text", "notes")  # columns for the facilitator, not read
MAX_COUNT = 10_000


class MarksError(SheetError):
    """The marks table cannot be read: every problem, at its line."""


@dataclass(frozen=True)
class Marks:
    """The ticks of one numbered item over all the readers' copies."""

    item: CheckedItem
    understand: int
    not_sure: int
    not_understand: int

    @property
    def total(self) -> int:
        return self.understand + self.not_sure + self.not_understand

    @property
    def hard(self) -> int:
        return self.not_sure + self.not_understand

    @property
    def hard_for_most(self) -> bool:
        return self.hard > self.understand


def read_marks(text: str, shown: str, sheet: Sheet) -> list[Marks]:
    """The table's rows, checked against the sheet's numbered items, in number order; a
    MarksError naming every wrong cell at its line (`marks.csv:4: …`)."""
    items = checked_items(sheet)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise MarksError([Problem(shown, None, None, "", "the table is empty: its first line "
                                  f"names the columns {_columns()}, then one line per number")])
    first = next(index for index, line in enumerate(lines) if line.strip())
    delimiter = ";" if lines[first].count(";") > lines[first].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [cell.strip().casefold().replace(" ", "_") for cell in rows[first]]
    problems = []
    unknown = [name for name in header if name not in ("number", *COUNTS, *FREE)]
    missing = [name for name in ("number", *COUNTS) if name not in header]
    if unknown or missing:
        said = []
        if unknown:
            said.append(f"unknown column{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(repr(name) for name in unknown)}")
        if missing:
            said.append(f"missing {', '.join(missing)}")
        raise MarksError([Problem(shown, first + 1, None, "", f"{'; '.join(said)}: the first "
                                  f"line names the columns {_columns()}")])
    found: dict[int, Marks] = {}
    for index, row in enumerate(rows[first + 1:], start=first + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(Problem(shown, index, None, "", f"{len(row)} cells where the "
                                    f"first line names {len(header)} columns"))
            continue
        cells = dict(zip(header, [cell.strip() for cell in row], strict=False))
        number = _whole(cells.get("number", ""), "number", shown, index, problems, empty=None)
        counts = [_whole(cells.get(name, ""), name, shown, index, problems, empty=0)
                  for name in COUNTS]
        if number is None or None in counts:
            continue
        if not 1 <= number <= len(items):
            problems.append(Problem(shown, index, None, "", f"number {number} is not on the "
                                    f"proof-reading sheet: its numbers go from 1 to "
                                    f"{len(items)}"))
            continue
        if number in found:
            problems.append(Problem(shown, index, None, "", f"number {number} is on two "
                                    "lines: add its ticks up on one line"))
            continue
        understand, not_sure, not_understand = (count or 0 for count in counts)
        found[number] = Marks(items[number - 1], understand, not_sure, not_understand)
    if problems:
        raise MarksError(problems)
    return [found[number] for number in sorted(found)]


def _columns() -> str:
    return ", ".join(("number", *COUNTS))


def _whole(value: str, column: str, shown: str, line: int, problems: list[Problem],
           empty: int | None) -> int | None:
    """A count as typed; a problem at the line when it is not a whole number in range."""
    if not value:
        if empty is None:
            problems.append(Problem(shown, line, None, "", f"no {column}: write the number "
                                    "printed on the proof-reading sheet"))
        return empty
    if not value.isdigit() or int(value) > MAX_COUNT or (column == "number"
                                                          and int(value) == 0):
        problems.append(Problem(shown, line, None, "", f"{column} '{value[:20]}' is not a "
                                f"whole number from {1 if column == 'number' else 0} to "
                                f"{MAX_COUNT:,}"))
        return None
    return int(value)


def hard_for_most(marks: list[Marks]) -> list[Marks]:
    """The items most readers found hard, the hardest first (by the share of hard ticks,
    then by number)."""
    return sorted((mark for mark in marks if mark.hard_for_most),
                  key=lambda mark: (-mark.hard / mark.total, mark.item.number))
