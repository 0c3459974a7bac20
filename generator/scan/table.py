"""The responses table `handouts results` reads, and the review page of what was doubtful.

One row per answer sheet: `participant`, `moment`, `edition`, then the printed questions
`1`, `2`, … (the letter ticked; empty, none; several letters when several), `source` (file
and page) and `doubtful` (the questions a person should look at, and `code` when the
participant code is in doubt). The pages of a sheet longer than one page, one after the
other in a file, make one row.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from dataclasses import dataclass, field

from . import ReadPage, ScanResult

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell


@dataclass
class Row:
    participant: str
    moment: str
    edition: str
    answers: dict[int, str]
    sources: list[str]
    doubtful: list[str]
    pages: list[ReadPage] = field(default_factory=list)


def rows(result: ScanResult) -> list[Row]:
    """The table's rows, pages of one sheet joined when they follow each other."""
    made: list[Row] = []
    previous: ReadPage | None = None
    for page in result.pages:
        follows = (previous is not None and made and previous.file == page.file
                   and previous.code.edition_name == page.code.edition_name
                   and previous.code.page + 1 == page.code.page
                   and previous.layout is page.layout
                   and page.participant in (None, previous.participant))
        if not follows:
            made.append(Row(page.participant or page.where, page.code.phase,
                            page.code.version, {}, [], []))
        row = made[-1]
        row.pages.append(page)
        row.sources.append(page.where)
        if page.code_doubt and "code" not in row.doubtful:
            row.doubtful.append("code")
        for number, (letters, doubtful, _) in sorted(page.answers.items()):
            row.answers[number] = letters
            if doubtful:
                row.doubtful.append(str(number))
        previous = page
    return made


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def responses_csv(table: list[Row], digest: str | None = None) -> bytes:
    """The responses table as CSV (UTF-8, comma, a header row); with `digest`, the editions'
    (versions.editions_digest) in a last column, so that `results` refuses the table when it
    is given other versions or another seed than the scan was."""
    questions = max((max(row.answers, default=0) for row in table), default=0)
    for row in table:
        questions = max(questions, *(page.layout.questions for page in row.pages))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["participant", "moment", "edition",
                     *(str(n) for n in range(1, questions + 1)), "source", "doubtful",
                     *(["digest"] if digest else [])])
    for row in table:
        writer.writerow([_safe(row.participant), row.moment, row.edition,
                         *(row.answers.get(n, "") for n in range(1, questions + 1)),
                         _safe("; ".join(row.sources)), " ".join(row.doubtful),
                         *([digest] if digest else [])])
    return buffer.getvalue().encode("utf-8")


REVIEW_STYLE = """body { font-family: sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 0.4em 0.7em;
text-align: left; vertical-align: middle; } img { display: block; max-width: 100%; }
.read { font-weight: bold; font-size: 1.2em; }"""


def review_html(table: list[Row], problems: list[tuple[str, str]]) -> bytes:
    """A page for a person: each doubtful question's boxes as scanned, and what was read;
    then the pages that could not be read. Plain HTML, every text escaped, no script."""
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>handouts scan: to look at</title>", f"<style>{REVIEW_STYLE}</style>",
             "</head><body>", "<h1>Answers to look at</h1>",
             "<p>Each line shows the boxes as scanned and what was read. Correct the table "
             "where the picture says otherwise.</p>"]
    lines = []
    for row in table:
        for page in row.pages:
            items = [(number, page.answers[int(number)]) for number in page.crops
                     if number != "code"]
            if "code" in page.crops:
                items.insert(0, ("code", (row.participant, True, page.code_doubt)))
            for name, (letters, _, why) in items:
                picture = base64.b64encode(page.crops[name]).decode("ascii")
                label = "participant code" if name == "code" else f"question {name}"
                lines.append(
                    f"<tr><td>{esc(page.where)}</td><td>{esc(row.participant)}</td>"
                    f"<td>{esc(label)}</td><td><img alt=\"{esc(label)} as scanned\" "
                    f"src=\"data:image/png;base64,{picture}\"></td>"
                    f"<td class=\"read\">{esc(letters) or '(none)'}</td><td>{esc(why)}</td></tr>")
    if lines:
        parts += ["<table><thead><tr><th>Page</th><th>Participant</th><th>What</th>"
                  "<th>Scanned</th><th>Read</th><th>Why</th></tr></thead><tbody>", *lines,
                  "</tbody></table>"]
    else:
        parts.append("<p>Nothing doubtful.</p>")
    if problems:
        parts.append("<h2>Pages not read</h2><ul>")
        parts += [f"<li>{esc(where)}: {esc(reason)}</li>" for where, reason in problems]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")
