"""Checking with readers (#28): `handouts review` records what readers checked in the sheet;
the logo is printed only while the text is the one they checked; `check` names the lines
changed since, in the sheet's language; the readers' marks come back from a table."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import DATA, FRENCH, FRENCH_SAMPLE, SAMPLE, SPANISH_SAMPLE, pdf_text

MARKS = DATA / "marks"
LOGO = DATA / "sheets" / "pictograms" / "logo-placeholder.svg"
LOGO_URI = "data:image/svg+xml;base64," + base64.b64encode(LOGO.read_bytes()).decode("ascii")


def copy_sheet(source: Path, folder: Path) -> Path:
    """The sheet and its pictures' folder, in a folder of the test's own."""
    shutil.copy(source, folder / source.name)
    if (source.parent / "pictograms").is_dir():
        shutil.copytree(source.parent / "pictograms", folder / "pictograms",
                        dirs_exist_ok=True)
    return folder / source.name


def numbered(source: Path) -> list[str]:
    """The proof-reading sheet's items as #28 lists them, read from the YAML by hand: the
    title, the first sentence, the cover picture, each part's heading, picture and lines, the
    key points' picture and lines (pictures as "picture:ALT")."""
    easy = yaml.safe_load(source.read_text(encoding="utf-8"))["easy_read"]
    items = [easy["title"], easy.get("introduction", "(introduction)")]
    if easy.get("picture"):
        items.append("picture:" + easy.get("picture_alt", easy["title"]))
    for part in easy["summary"]:
        items.append(part["heading"])
        if part.get("pictogram"):
            items.append("picture:" + part.get("pictogram_alt", part["heading"]))
        items += part["lines"]
    if easy.get("key_points") and easy.get("key_points_pictogram"):
        items.append("picture:" + easy.get("key_points_pictogram_alt", "key points"))
    return items + easy.get("key_points", [])


def line_of(file: Path, text: str) -> int:
    """The line of the file that holds `text` (once)."""
    found = [number for number, line in enumerate(file.read_text(encoding="utf-8")
                                                 .splitlines(), start=1) if text in line]
    assert len(found) == 1, (text, found)
    return found[0]


def leaflet_html(run, sheet: Path) -> str:
    result = run("build", sheet.name, "--only", "easy-read", "--format", "html", "-o", "out")
    assert result.exit_code == 0, result.output
    [page] = Path("out").glob("*/*-easy-read.html")  # named after the sheet's slug
    return page.read_text("utf-8")


def record(run, sheet: Path, *names: str) -> object:
    checkers = [arg for name in names for arg in ("--checker", name)]
    return run("review", sheet.name, "--date", "2026-05-12", "--readers", "6", *checkers)


def review_warnings(output: str) -> list[str]:
    """check's lines about the readers' reviews (their words in en, fr, es)."""
    marks = ("readers checked", "lecteurs ont relu", "lectores revisaron", "checked_by")
    return [line for line in output.splitlines() if any(mark in line for mark in marks)]


# (sample, the line changed, its replacement, the expected warnings: at the review, at the line)
LANGUAGES = [
    (SAMPLE, "Young people there are aged 0 to 25 years.", "Young people there are 0 to 25.",
     "{n} line changed since the readers checked the text on 12 May 2026: check it again, or "
     "record a new review (number {number} on the proof-reading sheet)",
     "this changed since the readers checked the text on 12 May 2026 (number {number} on the "
     "proof-reading sheet): check it again with readers"),
    (FRENCH_SAMPLE, "On les appelle aussi les CPS.", "On les nomme aussi les CPS.",
     "{n} ligne a changé depuis que les lecteurs ont relu le texte le 12 mai 2026\u00a0: "
     "faites-la relire, ou enregistrez une nouvelle relecture (numéro {number} de la feuille "
     "de relecture)",
     "ceci a changé depuis que les lecteurs ont relu le texte le 12 mai 2026 (numéro "
     "{number} de la feuille de relecture)\u00a0: faites-le relire"),
    (SPANISH_SAMPLE, None, None,
     "{n} línea ha cambiado desde que los lectores revisaron el texto el 12 de mayo de 2026: "
     "vuelva a revisarla, o registre una nueva revisión (número {number} de la hoja de "
     "revisión)",
     "esto ha cambiado desde que los lectores revisaron el texto el 12 de mayo de 2026 "
     "(número {number} de la hoja de revisión): vuelva a revisarlo con lectores"),
]


@pytest.mark.parametrize(("source", "old", "new", "at_review", "at_line"), LANGUAGES,
                         ids=["en", "fr", "es"])
def test_a_line_changed_since_the_review_is_named_in_the_sheets_language(
        run, tmp_path, source, old, new, at_review, at_line):
    sheet = copy_sheet(source, tmp_path)
    items = numbered(source)
    if old is None:  # the Spanish sample: its first part's second line
        old = yaml.safe_load(source.read_text("utf-8"))["easy_read"]["summary"][0]["lines"][1]
        new = old.rstrip(".") + " hoy."
    number = items.index(old) + 1
    result = record(run, sheet, "Ana Ruiz")
    assert result.exit_code == 0, result.output
    assert result.output == (f"{sheet.name}: recorded the review of 2026-05-12: 6 readers, "
                             f"{len(items)} numbered items, checked by Ana Ruiz\n")
    checked = run("check", sheet.name)
    assert review_warnings(checked.output) == []
    sheet.write_text(sheet.read_text("utf-8").replace(old, new), encoding="utf-8")
    review = line_of(sheet, "- date: 2026-05-12")
    changed = line_of(sheet, new)
    column = sheet.read_text("utf-8").splitlines()[changed - 1].index("- ") + 3
    assert review_warnings(run("check", sheet.name).output) == [
        f"{sheet.name}:{changed}:{column}: warning: {path_of(source, old)}: "
        + at_line.format(number=number),
        f"{sheet.name}:{review}:7: warning: easy_read.reviews[1]: "
        + at_review.format(n=1, number=number)]


def path_of(source: Path, line: str) -> str:
    """The dotted path check names for a summary line (parts and lines counted from 1)."""
    easy = yaml.safe_load(source.read_text("utf-8"))["easy_read"]
    for p, part in enumerate(easy["summary"], start=1):
        if line in part["lines"]:
            return f"easy_read.summary[{p}].lines[{part['lines'].index(line) + 1}]"
    raise AssertionError(line)


def test_the_logo_is_printed_while_the_text_is_the_one_checked(run, tmp_path):
    """fr-complete has a logo and `checked_by`: before any review the logo is printed (as
    before reviews); after a review naming checkers, too, with their names; once a line
    changes, it is left out and check says so, the logo named."""
    sheet = copy_sheet(FRENCH, tmp_path)
    assert LOGO_URI in leaflet_html(run, sheet)
    assert record(run, sheet, "Ana Ruiz", "Paul Martin").output.endswith(
        f"{sheet.name}: the leaflet prints the easy-to-read logo\n")
    html = leaflet_html(run, sheet)
    assert LOGO_URI in html
    spaced = html.replace("\u202f", " ").replace("\u00a0", " ")  # French typography's spaces
    assert "Relu et vérifié avec des lecteurs par : Ana Ruiz, Paul Martin" in spaced
    result = run("build", sheet.name, "--only", "easy-read", "-o", "pdf")
    assert result.exit_code == 0, result.output
    [pdf] = Path("pdf").glob("*/*-easy-read.pdf")
    text = " ".join(pdf_text(pdf).split())
    assert "Ana Ruiz, Paul Martin" in text
    # checked_by names other people: the review's checkers are printed, and check says why
    review = line_of(sheet, "- date: 2026-05-12")
    assert review_warnings(run("check", sheet.name).output) == [
        f"{sheet.name}:{line_of(sheet, 'checked_by:')}:15: warning: easy_read.checked_by: "
        "`checked_by` ne nomme pas Ana Ruiz et Paul Martin, qui ont relu le texte le 12 mai "
        "2026\u00a0: le document nomme plutôt les relecteurs de la relecture\u202f; nommez-les "
        "dans `checked_by`, ou supprimez-le"]
    old, new = "Beaucoup de jeunes dorment trop peu.", "Beaucoup de jeunes dorment peu."
    sheet.write_text(sheet.read_text("utf-8").replace(old, new), encoding="utf-8")
    assert LOGO_URI not in leaflet_html(run, sheet)
    number = numbered(FRENCH).index(old) + 1
    warnings = review_warnings(run("check", sheet.name).output)
    assert (f"{sheet.name}:{review}:7: warning: easy_read.reviews[1]: 1 ligne a changé depuis "
            "que les lecteurs ont relu le texte le 12 mai 2026\u00a0: faites-la relire, ou "
            f"enregistrez une nouvelle relecture (numéro {number} de la feuille de relecture)"
            "\u202f; d’ici là, le logo Facile à lire n’est pas imprimé") in warnings


def test_a_review_without_a_checker_leaves_the_logo_out(run, tmp_path):
    sheet = copy_sheet(FRENCH, tmp_path)
    result = record(run, sheet)
    assert result.output == (f"{sheet.name}: recorded the review of 2026-05-12: 6 readers, "
                             f"{len(numbered(FRENCH))} numbered items, no checker named (the "
                             "easy-to-read logo needs one)\n")
    assert LOGO_URI not in leaflet_html(run, sheet)
    review = line_of(sheet, "- date: 2026-05-12")
    assert review_warnings(run("check", sheet.name).output) == []
    assert (f"{sheet.name}:{review}:7: warning: easy_read.reviews[1]: la dernière relecture "
            "(12 mai 2026) ne nomme aucun relecteur\u00a0: le logo Facile à lire n’est imprimé que "
            "si au moins un lecteur accepte d’être nommé\u00a0: enregistrez la relecture avec "
            "`--checker NOM`") in run("check", sheet.name).output


def test_the_latest_review_decides_and_comments_are_kept(run, tmp_path):
    """A second review after a change covers the new text again; the sheet's comments and
    the first review stay as they were written."""
    sheet = copy_sheet(SAMPLE, tmp_path)
    sheet.write_text("# our sheet\n" + sheet.read_text("utf-8"), encoding="utf-8")
    record(run, sheet, "Ana Ruiz")
    first = sheet.read_text("utf-8")
    old = "Young people there are aged 0 to 25 years."
    sheet.write_text(first.replace(old, "Young people there are 0 to 25."), encoding="utf-8")
    assert review_warnings(run("check", sheet.name).output) != []
    result = run("review", sheet.name, "--date", "2026-06-02", "--readers", "4",
                 "--checker", "Sam Lee", "--notes", "Clearer now.")
    assert result.exit_code == 0, result.output
    assert review_warnings(run("check", sheet.name).output) == []
    text = sheet.read_text("utf-8")
    assert text.startswith("# our sheet\n")
    reviews = yaml.safe_load(text)["easy_read"]["reviews"]
    assert [(str(r["date"]), r["readers"], r["checkers"], r.get("notes")) for r in reviews] == [
        ("2026-05-12", 6, ["Ana Ruiz"], None), ("2026-06-02", 4, ["Sam Lee"], "Clearer now.")]
    assert "Checked with readers by: Sam Lee" in leaflet_html(run, sheet)


def test_rewrapping_a_line_in_the_yaml_changes_nothing(run, tmp_path):
    """The digests cover the words, not how the YAML spaces them."""
    sheet = copy_sheet(SAMPLE, tmp_path)
    record(run, sheet, "Ana Ruiz")
    old = '"Young people there are aged 0 to 25 years."'
    sheet.write_text(sheet.read_text("utf-8").replace(old, old.replace(" aged ", "  aged ")),
                     encoding="utf-8")
    assert review_warnings(run("check", sheet.name).output) == []


def test_the_marks_say_which_items_most_readers_found_hard(run, tmp_path):
    """Items 7 and 8 of fr-complete (5 and 4 of 6 readers), the hardest first, with check's
    own warning at item 8's line (a long word put there); 9 (2 of 6) and 12 (3 of 6, not
    more than half) are not hard for most."""
    sheet = copy_sheet(FRENCH, tmp_path)
    shutil.copy(MARKS / "fr-complete.csv", tmp_path / "marks.csv")
    old, new = "Les écrans le soir retardent le sommeil.", \
        "Les écrans le soir retardent l’endormissement."
    sheet.write_text(sheet.read_text("utf-8").replace(old, new), encoding="utf-8")
    items = numbered(FRENCH)
    assert items[6] == "Beaucoup de jeunes dorment trop peu." and items[7] == old
    line = line_of(sheet, new)
    check_lines = [message.split(": warning: ", 1)[1].split(": ", 1)[1]
                   for message in run("check", sheet.name).output.splitlines()
                   if message.startswith(f"{sheet.name}:{line}:")]
    assert check_lines, "the long word is one of check's warnings"
    result = run("review", sheet.name, "--marks", "marks.csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "marks.csv: 5 items marked; 2 hard for most readers:",
        f"  7. Beaucoup de jeunes dorment trop peu. (line {line - 1}): 5 of 6 readers "
        "(2 not sure, 3 do not understand)",
        f"  8. Les écrans le soir retardent l’endormissement. (line {line}): 4 of 6 readers "
        "(1 not sure, 3 do not understand)",
        *(f"     check: {message}" for message in check_lines)]


def test_a_spreadsheets_semicolons_and_free_columns_are_read(run, tmp_path):
    sheet = copy_sheet(FRENCH, tmp_path)
    shutil.copy(MARKS / "semicolons.csv", tmp_path / "marks.csv")
    result = run("review", sheet.name, "--marks", "marks.csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "marks.csv: 1 item marked; 1 hard for most readers:"


@pytest.mark.parametrize(("table", "message"), [
    ("bad-cells.csv", [
        "error: 5 problems in marks.csv:",
        "  marks.csv:3: no number: write the number printed on the proof-reading sheet",
        "  marks.csv:4: understand 'one' is not a whole number from 0 to 10,000",
        "  marks.csv:5: number 99 is not on the proof-reading sheet: its numbers go from 1 "
        "to 19",
        "  marks.csv:6: number 1 is on two lines: add its ticks up on one line",
        "  marks.csv:7: 5 cells where the first line names 4 columns"]),
    ("bad-columns.csv", [
        "error: 1 problem in marks.csv:",
        "  marks.csv:1: unknown column 'not_understood'; missing not_understand: the first "
        "line names the columns number, understand, not_sure, not_understand"]),
    ("empty.csv", [
        "error: 1 problem in marks.csv:",
        "  marks.csv: the table is empty: its first line names the columns number, "
        "understand, not_sure, not_understand, then one line per number"]),
])
def test_a_wrong_marks_table_is_refused_at_its_lines(run, tmp_path, table, message):
    sheet = copy_sheet(FRENCH, tmp_path)
    shutil.copy(MARKS / table, tmp_path / "marks.csv")
    result = run("review", sheet.name, "--marks", "marks.csv")
    assert result.exit_code == 1
    assert result.output.splitlines() == message


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "2026-05-12"], "error: say how many readers took part: --readers N (and name "
     "the checkers who agree with --checker NAME)"),
    (["--marks", "marks.csv", "--readers", "3"], "error: --marks only reads the readers' "
     "marks: record the review in a second command, without --marks"),
])
def test_review_says_what_is_missing(run, tmp_path, args, message):
    sheet = copy_sheet(FRENCH, tmp_path)
    before = sheet.read_bytes()
    result = run("review", sheet.name, *args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [message]
    assert sheet.read_bytes() == before


def test_an_invalid_sheet_is_not_reviewed(run, tmp_path):
    sheet = copy_sheet(FRENCH, tmp_path)
    sheet.write_text(sheet.read_text("utf-8") + "bogus: 1\n", encoding="utf-8")
    before = sheet.read_bytes()
    result = record(run, sheet, "Ana Ruiz")
    assert result.exit_code == 1
    assert "bogus: unknown field `bogus`" in result.output
    assert sheet.read_bytes() == before
