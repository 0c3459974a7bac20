"""`handouts import`: published sheet pages (copied text, saved HTML) back into sheets.

Expectations come from the YAML sheets read by the loader and from the page files
themselves (line numbers found by searching the page), never from the importer.
"""

from __future__ import annotations

import errno
import html
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import SheetError
from generator.sheet.importer import PageError, import_page, lines_from_html, quote, to_yaml
from generator.sheet.loader import load_sheet
from tests.conftest import (
    DATA,
    FRENCH,
    FRENCH_SAMPLE,
    ROOT,
    SAMPLE,
    examples,
    imports_to_a_sheet_or_our_error,
)
from tests.page_shapes import LANGUAGES, page_html, page_text, read

IMPORT = DATA / "import"
SEED = IMPORT / "seed.txt"  # shared/seed/000_9e304a6c0115098a.txt, the page as copied
SEED_HTML = IMPORT / "seed.html"
FR_PAGE = IMPORT / "fr-page.txt"
# Found by hypothesis (test_any_mix_of_page_lines…): a question with nothing else crashed the
# YAML writer (StopIteration).
QUESTION_ALONE = IMPORT / "question-alone.txt"
SHEETS = sorted([*(ROOT / "content").glob("*.yaml"), *(DATA / "sheets").glob("*.yaml")])

# Where content/educational-alliances.yaml deliberately differs from the seed page, and why.
SAMPLE_DIFFERS = {
    "source.authors[1]": "the sample reorders the page's 'co-authors RNCRPV' as 'RNCRPV "
                         "co-authors' for print",
    "source.authors[2]": "the sample rewrites 'publication director: Henri Prévost (ANCT)' "
                         "as 'Henri Prévost (ANCT), publication director'",
    "references": "the page's section 4 ('Other references' / 'ADDITIONAL RESOURCES') is "
                  "empty; the sample's three references are drawn from the introduction",
    "easy_read.summary": "the sample's easy-read lines were rewritten to the easy-to-read "
                         "rules of `check` (shorter, common words; no line that wraps), and "
                         "its pictograms are its own; the page keeps its first wording",
    "easy_read.key_points": "idem",
    "short_title": "the sample's own (titles are never cut, #24): the page has none",
    "quiz[4].kahoot": "the sample's shorter wording of question 5 for Kahoot (--format "
                      "kahoot) is its own: the page has none",
    "easy_read.title": "the leaflet's plain title, cover picture, key-points picture and "
                       "contact are the sample's own: the page has none",
    "easy_read.picture": "idem",
    "easy_read.picture_alt": "idem",
    "easy_read.key_points_pictogram": "idem",
    "easy_read.key_points_pictogram_alt": "idem",
    "easy_read.contact": "idem",
}
# Fields a published page does not carry, so a round trip cannot give them back.
NOT_ON_PAGE = ("pictogram", "pictogram_alt", "points", "shuffle", "pin_last", "published",
               "short_title", "easy_read.title", "easy_read.introduction", "easy_read.picture",
               "easy_read.key_points_pictogram",
               "easy_read.checked_by", "easy_read.contact", "easy_read.logo",
               "kahoot")  # a question's wording for Kahoot: --format kahoot only
# Web addresses: only the HTML keeps them; copied text has the link's words only.
LINKS = ("url",)


def seed_text() -> bytes:
    return SEED.read_bytes()


def flat(value, path: str = "") -> dict[str, object]:
    """{'quiz[0].answer': 'b', …}: every leaf of a dumped sheet, by its path."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            out.update(flat(item, f"{path}.{key}" if path else key))
        return out
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            out.update(flat(item, f"{path}[{index}]"))
        return out
    return {path: value}


def imported(tmp_path: Path, data: bytes, name: str, slug: str, **options):
    """Import a page and load the written sheet with the project's loader."""
    text, report = import_page(data, name, slug=slug, **options)
    target = tmp_path / f"{slug}.yaml"
    target.write_text(text, encoding="utf-8")
    return flat(load_sheet(target).model_dump()), text, report


def differences(expected: dict, got: dict, skip=()) -> dict[str, tuple]:
    return {key: (expected.get(key), got.get(key)) for key in sorted(set(expected) | set(got))
            if expected.get(key) != got.get(key)
            and not any(part in key.split(".")[-1] or key.startswith(part)
                        or f".{part}." in key for part in skip)}


def seed_line(text: str) -> int:
    """The line of the seed page holding `text` (found in the page, not by the importer)."""
    lines = seed_text().decode("utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if text in line]
    assert len(found) == 1, text
    return found[0]


# --- the seed -----------------------------------------------------------------------------


def test_seed_text_equals_the_sample_except_its_listed_differences(tmp_path):
    got, _, _ = imported(tmp_path, seed_text(), SEED.name, "educational-alliances")
    expected = flat(load_sheet(SAMPLE).model_dump())
    diff = differences(expected, got)
    unexplained = {key: value for key, value in diff.items()
                   if not any(key == known or key.startswith((known + "[", known + "."))
                              for known in SAMPLE_DIFFERS)}
    assert unexplained == {}
    # every listed difference is real (a stale list would hide a regression)
    for known in SAMPLE_DIFFERS:
        assert any(key == known or key.startswith((known + "[", known + "."))
                   for key in diff), known
    # what the page says there, word for word
    assert got["source.authors[1]"] == "co-authors RNCRPV"
    assert got["source.authors[2]"] == "publication director: Henri Prévost (ANCT)"
    assert not any(key.startswith("references") for key in got)


def test_seed_report_lists_the_q3_and_q5_disagreements_at_their_lines(tmp_path):
    _, text, report = imported(tmp_path, seed_text(), SEED.name, "educational-alliances")
    found = {(item.line, item.field) for item in report.of_kind("disagreement")}
    assert found == {
        (seed_line("Correct answer: c) Provide reflective"), "quiz[3].answer"),
        (seed_line("Source: pp. 11-12, 48-55."), "quiz[3].pages"),
        (seed_line("Correct answer: c) Embed the label"), "quiz[5].answer"),
        (seed_line("Source: pp. 72-76."), "quiz[5].pages"),
    }
    # part 1's wording and pages are kept; part 2's text survives as a comment at its place
    sheet = yaml.safe_load(text)
    assert sheet["quiz"][2]["choices"][2] == "Offering reflective, operational, and " \
        "sometimes evaluative spaces"
    assert sheet["quiz"][2]["pages"] == "10-12, 48-55"
    assert sheet["quiz"][4]["pages"] == "66-76"
    third = text.split('- question: "What main role')[1].split("- question:")[0]
    answer_line = seed_line("Correct answer: c) Provide reflective")
    assert re.search(rf"# import: line {answer_line}: part 2 says: c\) Provide reflective, "
                     r"operational, and sometimes evaluative spaces\n\s+answer: c\n", third)
    pages_line = seed_line("Source: pp. 11-12, 48-55.")
    assert f"# import: line {pages_line}: part 2 gives the pages 11-12, 48-55" in third
    assert report.of_kind("unplaced") == [] and report.of_kind("missing") == []


def test_seed_report_notes_the_link_that_copied_text_loses(tmp_path):
    _, _, report = imported(tmp_path, seed_text(), SEED.name, "educational-alliances")
    notes = {item.field: item for item in report.of_kind("note")}
    assert notes["source.url"].line == seed_line("📜🔗LINK")
    assert notes["references"].line == seed_line("Other references")
    skipped = [seed_line("Skip to Content"), seed_line("| No comments for now"),
               seed_line("At the heart of the matter"), seed_line("Sign in to leave a comment")]
    assert set(skipped) <= set(report.skipped)


def test_seed_saved_as_html_gives_the_same_sheet_with_its_links(tmp_path):
    from_text, _, _ = imported(tmp_path, seed_text(), SEED.name, "educational-alliances")
    from_html, _, report = imported(tmp_path, SEED_HTML.read_bytes(), SEED_HTML.name,
                                    "educational-alliances")
    page = SEED_HTML.read_text(encoding="utf-8")
    source_link = re.search(r'<a href="([^"]+)">📜🔗LINK</a>', page).group(1)
    assert differences(from_text, from_html) == {"source.url": (None, source_link)}
    assert report.form == "html"
    html_lines = page.splitlines()
    lines = {item.field: item.line for item in report.of_kind("disagreement")}
    assert "Provide reflective" in html_lines[lines["quiz[3].answer"] - 1]
    assert "Embed the label" in html_lines[lines["quiz[5].answer"] - 1]


def test_html_banner_before_the_title_and_links_in_text_are_reported_not_lost(tmp_path):
    page = SEED_HTML.read_text(encoding="utf-8").replace(
        "<article", '<header><p class="site">Pratiques en santé Oberlé</p></header>\n<article')
    page = page.replace("<p>The set of four documents", '<p><a href="https://example.org/'
                        'act">The set</a> of four documents')
    got, text, report = imported(tmp_path, page.encode(), "page.html", "s")
    from_text, _, _ = imported(tmp_path, seed_text(), "page.txt", "s")
    assert differences(from_text, got, ("url",)) == {}
    lines = page.splitlines()
    [banner] = report.of_kind("unplaced")
    assert "Pratiques en santé Oberlé" in lines[banner.line - 1]
    assert "not placed: Pratiques en santé Oberlé" in text
    [link] = [item for item in report.of_kind("note") if "link" in item.message]
    assert (link.line, link.field) == (next(i for i, line in enumerate(lines, 1)
                                            if "example.org/act" in line), "introduction")
    assert "[The set](https://example.org/act)" in link.message


def test_answers_given_under_each_question_without_a_part_2(tmp_path):
    lines = _seed_lines()
    part2 = next(i for i, line in enumerate(lines) if line.startswith("PART 2"))
    faq = next(i for i, line in enumerate(lines) if line.startswith("8. FREQUENTLY"))
    corrections = lines[part2 + 1:faq]
    # rebuild: question blocks of part 1, each followed by its block of part 2
    blocks2 = "\n".join(corrections).split("Question ")[1:]
    text = "\n".join(lines[:part2])
    for number, block in enumerate(blocks2, 1):
        body = block.split("\n", 1)[1]
        anchor = text.index(f"Question {number + 1} (") if number < 5 else len(text)
        text = text[:anchor] + body + "\n" + text[anchor:]
    text += "\n" + "\n".join(lines[faq:])
    got, _, report = imported(tmp_path, text.encode(), "page.txt", "s")
    straight, _, _ = imported(tmp_path, seed_text(), "a.txt", "s")
    assert differences(straight, got) == {}
    assert {item.field for item in report.of_kind("disagreement")} == {
        "quiz[3].answer", "quiz[3].pages", "quiz[5].answer", "quiz[5].pages"}


def test_html_blocks_become_lines_with_their_links_and_source_lines():
    lines = lines_from_html(
        b"<html><body>\n<script>x = 'KEY POINTS'</script>\n<h2>2. KEY POINTS</h2>\n<ul>"
        b"<li><a href='https://a.example/x'>Guide</a> \xe2\x80\x94 a note</li></ul>\n"
        b"<ol><li><p>Why?</p><p>Answer: because.</p></li><li><p>How?</p></li></ol>\n"
        b"<p>one<br>two</p></body></html>")
    assert [(line.number, line.text, line.heading) for line in lines] == [
        (3, "2. KEY POINTS", True), (4, "• Guide — a note", False), (5, "1. Why?", False),
        (5, "Answer: because.", False), (5, "2. How?", False), (6, "one", False),
        (6, "two", False)]
    assert [(link.text, link.href) for link in lines[1].links] == [
        ("Guide", "https://a.example/x")]


# --- round trips: every sheet rendered as a page and imported back ------------------------


def _sheet_cases():
    for path in SHEETS:
        lang = yaml.safe_load(path.read_text(encoding="utf-8")).get("lang")
        for shape in ("text", "html"):
            marks = [] if lang in LANGUAGES else [pytest.mark.skip(
                reason=f"no published-page template in '{lang}' in tests/page_shapes.py yet")]
            if path.stem == "every-field":
                marks = [pytest.mark.skip(reason="its one-word marker paragraphs read as "
                                          "sub-headings, as they would on a real page")]
            yield pytest.param(path, shape, id=f"{path.stem}-{shape}", marks=marks)


@pytest.mark.parametrize(("path", "shape"), list(_sheet_cases()))
def test_round_trip_every_sheet_through_its_published_page(tmp_path, path, shape):
    expected = flat(load_sheet(path).model_dump())
    page = (page_text if shape == "text" else page_html)(read(path))
    name = "page.txt" if shape == "text" else "page.html"
    got, _, report = imported(tmp_path, page.encode("utf-8"), name, expected["slug"])
    skip = NOT_ON_PAGE + (LINKS if shape == "text" else ())
    assert differences(expected, got, skip) == {}
    assert report.lang == expected["lang"] and report.lang_detected
    assert report.of_kind("disagreement") == [] and report.of_kind("unplaced") == []
    assert report.of_kind("missing") == []


# --- a French page in the template, as a user runs the command ----------------------------


def test_french_page_imports_to_a_sheet_that_passes_check(run, tmp_path):
    result = run("import", str(FR_PAGE), "-o", "content/competences-psychosociales.yaml")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{FR_PAGE}: text copied from a browser, in French (found from its " \
        "headings)"
    assert lines[-1] == "content/competences-psychosociales.yaml passes `handouts check`."
    assert run("check", "content/competences-psychosociales.yaml").exit_code == 0
    got = flat(load_sheet(tmp_path / "content" / "competences-psychosociales.yaml")
               .model_dump())
    expected = flat(load_sheet(FRENCH_SAMPLE).model_dump())
    assert differences(expected, got, NOT_ON_PAGE + LINKS) == {}
    page = FR_PAGE.read_text(encoding="utf-8").splitlines()
    skipped = re.search(r"lines ([\d, ]+)$", next(line for line in lines
                                                 if "page furniture" in line)).group(1)
    assert {page[int(n) - 1].strip() for n in skipped.split(", ")} >= {
        "| 2 commentaires", "Partager", "Facebook Twitter LinkedIn", "Aller au contenu",
        "Connectez-vous pour laisser un commentaire", "Au cœur du sujet"}


def test_lang_option_overrides_detection(tmp_path):
    _, _, report = imported(tmp_path, FR_PAGE.read_bytes(), FR_PAGE.name, "x", lang="fr")
    assert (report.lang, report.lang_detected) == ("fr", False)
    assert not any(item.field == "lang" for item in report.items)
    _, report = import_page(FR_PAGE.read_bytes(), FR_PAGE.name, lang="en")
    assert any(item.field == "lang" and "look 'fr'" in item.message for item in report.items)


# --- real pages: sections missing, reordered, boilerplate mixed in ------------------------


def _seed_lines() -> list[str]:
    return seed_text().decode("utf-8").splitlines()


def _cut(lines: list[str], start: str, end: str) -> tuple[list[str], list[str]]:
    """The page without the lines from the one starting with `start` to the one before
    `end`, and those lines."""
    first = next(i for i, line in enumerate(lines) if line.strip().startswith(start))
    last = next(i for i, line in enumerate(lines) if line.strip().startswith(end))
    return lines[:first] + lines[last:], lines[first:last]


def test_page_without_faq_reports_it_missing_and_the_sheet_fails_check_there(run, tmp_path):
    rest, _ = _cut(_seed_lines(), "8. FREQUENTLY ASKED", "8. REWRITING")
    page = tmp_path / "page.txt"
    page.write_text("\n".join(rest), encoding="utf-8")
    result = run("import", str(page), "-o", "sheet.yaml")
    assert result.exit_code == 1
    where = next(i for i, line in enumerate(rest, 1) if "8. REWRITING" in line)
    assert f"page.txt:{where}: missing: faq: section 8, the FAQ: not found on the page; left " \
        "for you to write (check will point at it)" in result.output
    assert "sheet.yaml does not pass `handouts check` yet: 1 problem to fix:" in result.output
    assert re.search(r"  sheet\.yaml:\d+:\d+: faq: this required field is missing: add "
                     r"`faq: …`", result.output)
    written = (tmp_path / "sheet.yaml").read_text(encoding="utf-8")
    assert "# import: faq: not found on the page: write it here\neasy_read:" in written


def test_a_lost_heading_is_never_silent():
    lines = [line for line in _seed_lines() if "RELIABILITY OF THE RESOURCE" not in line]
    _, report = import_page("\n".join(lines).encode(), "b.txt")
    quiz = next(i for i, line in enumerate(lines, 1) if "MCQ" in line)
    assert [(item.line, item.field) for item in report.of_kind("missing")] == [
        (quiz, "reliability")]
    joined = [item.line for item in report.of_kind("note") if "joined" in item.message]
    assert [lines[n - 1].strip()[:20] for n in joined] == [
        "• Scientific relevan", "Recommendation: a ve"]


def test_reordered_sections_give_the_same_sheet(tmp_path):
    lines = _seed_lines()
    reordered, faq = _cut(lines, "8. FREQUENTLY ASKED", "8. REWRITING")
    at = next(i for i, line in enumerate(reordered) if "KEY POINTS OF THE" in line)
    reordered = reordered[:at] + faq + reordered[at:]
    straight, _, _ = imported(tmp_path, seed_text(), "a.txt", "s")
    moved, _, report = imported(tmp_path, "\n".join(reordered).encode(), "b.txt", "s")
    assert differences(straight, moved) == {}
    assert report.sections.index("faq") < report.sections.index("key_points")


def test_boilerplate_mixed_in_and_headings_in_other_shapes_change_nothing(tmp_path):
    lines = _seed_lines()
    noise = {"1. ANALYTICAL SUMMARY": ["Skip to main content", "Analytical summary"],
             "1. 2. KEY POINTS OF THE DOCUMENT": ["Share", "Facebook Twitter LinkedIn",
                                                      "2) Key points of the document"],
             "1. 6. EVALUATION OF THE RELIABILITY OF THE RESOURCE": [
                 "| 3 comments", "💡 Evaluation of the reliability of the resource"],
             "1. 7. MCQ — 5 QUESTIONS": ["Print", "7 – Quiz (5 questions)"]}
    changed = []
    for line in lines:
        changed += noise.get(line.strip(), [line])  # the page's lines end with odd spaces
    assert len(changed) == len(lines) + 5
    straight, _, _ = imported(tmp_path, seed_text(), "a.txt", "s")
    noisy, _, report = imported(tmp_path, "\n".join(changed).encode(), "b.txt", "s")
    assert differences(straight, noisy) == {}
    assert report.of_kind("unplaced") == []
    assert {changed[n - 1] for n in report.skipped} >= {
        "Skip to main content", "Share", "Facebook Twitter LinkedIn", "| 3 comments", "Print"}


def test_quiz_written_other_ways_gives_the_same_quiz(tmp_path):
    page = seed_text().decode("utf-8")
    for old, new in (
            ("Question 1 (pp. 6-8, 24-26)\n\nIn the context",
             "Question 1 (pp. 6-8, 24-26) – In the context"),
            ("a) Individual", "A. Individual"), ("\nb) Micro, meso", "\nB. Micro, meso"),
            ("✅ Correct answer: b) Coordinator articulating structuring and co-education",
             "Correct answer: b"),
            ("PART 1 — Questions (without answers)", "Part 1: questions"),
            ("PART 2 — Commented correction", "Part 2 - correction")):
        assert page.count(old) == 1, old
        page = page.replace(old, new)
    straight, _, _ = imported(tmp_path, seed_text(), "a.txt", "s")
    other, _, report = imported(tmp_path, page.encode(), "b.txt", "s")
    assert differences(straight, other) == {}
    assert len(report.of_kind("disagreement")) == 4


def test_a_line_that_fits_nowhere_is_reported_and_kept_as_a_comment(tmp_path):
    lines = _seed_lines()
    at = lines.index("Question 4", 160) + 1  # part 2, before the correct answer
    lines.insert(at, "Thanks to the trainers of the Lyon workshop for this question.")
    _, text, report = imported(tmp_path, "\n".join(lines).encode(), "b.txt", "s")
    [item] = report.of_kind("unplaced")
    assert item.line == at + 1 and item.field == "quiz[4]"
    assert f"# import: line {at + 1}: not placed: Thanks to the trainers of the Lyon " \
           "workshop for this question." in text
    fourth = text.split('- question: "What is the fifth sphere')[0].rsplit("\n", 2)[-2]
    assert fourth.strip().startswith("# import: line")


def test_a_paragraph_after_an_explanation_is_joined_and_noted(tmp_path):
    lines = _seed_lines()
    at = lines.index("Question 4", 160)
    lines.insert(at, "Thanks to the trainers of the Lyon workshop.")
    got, _, report = imported(tmp_path, "\n".join(lines).encode(), "b.txt", "s")
    assert got["quiz[2].explanation"].endswith(
        "spaces for co-construction.\n\nThanks to the trainers of the Lyon workshop.")
    assert [(item.line, item.kind) for item in report.items if "joined" in item.message] == [
        (at + 1, "note")]


def test_a_heading_known_only_by_its_number_is_reported(tmp_path):
    lines = [line.replace("1. 5. CROSS-ANALYSIS — VALUES OF HEALTH PRACTICES",
                          "1. 5. GRILLE PES") for line in _seed_lines()]
    got, _, report = imported(tmp_path, "\n".join(lines).encode(), "b.txt", "s")
    straight, _, _ = imported(tmp_path, seed_text(), "a.txt", "s")
    assert differences(straight, got) == {}
    assert any(item.field == "values" and "from its number" in item.message
               for item in report.of_kind("note"))


# --- the command: never overwriting, exit codes, report format ----------------------------


def message(result) -> str:
    """An error's words, whatever prefix the command's error handling gives them."""
    return re.sub(r"^error: ", "", result.output, flags=re.IGNORECASE)


def test_import_never_overwrites(run, tmp_path):
    target = tmp_path / "sheet.yaml"
    target.write_text("format: 1\n# mine\n", encoding="utf-8")
    result = run("import", str(SEED_HTML), "-o", "sheet.yaml")
    assert result.exit_code == 1
    assert message(result) == "sheet.yaml already exists; it was left as it is: choose " \
        "another name with -o, or delete it first\n"
    assert target.read_text(encoding="utf-8") == "format: 1\n# mine\n"


def test_import_report_format_and_default_target(run, tmp_path):
    result = run("import", str(SEED_HTML))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    written = list((tmp_path / "content").iterdir())
    assert [p.name for p in written] == ["practices-educational-alliances.yaml"]
    assert lines[0] == f"{SEED_HTML}: a page saved as HTML, in English (found from its " \
        "headings)"
    for line in lines[1:-3]:
        assert re.fullmatch(rf"{re.escape(str(SEED_HTML))}:\d+: (disagreement|unplaced|"
                            r"missing|note): [\w.\[\]]+: .+", line), line
    assert re.fullmatch(rf"{re.escape(str(SEED_HTML))}: skipped as page furniture or "
                        r"repeats: lines \d+(, \d+)*", lines[-3])
    assert lines[-2] == "wrote content/practices-educational-alliances.yaml: 9 of 9 sections, " \
        "5 quiz questions, 7 FAQ items; 4 disagreements, 0 lines not placed, 0 fields " \
        "missing, 1 note."
    assert lines[-1] == "content/practices-educational-alliances.yaml passes `handouts check`."


def test_import_refuses_what_is_not_a_sheet_page(run, tmp_path):
    (tmp_path / "notes.txt").write_text("Shopping list\n\nmilk\neggs\n", encoding="utf-8")
    result = run("import", "notes.txt", "-o", "out.yaml")
    assert result.exit_code == 1
    assert message(result) == "notes.txt: no section of a resource analysis sheet was " \
        "found (analytical summary, key points, quiz…): is it a published sheet page?; " \
        "nothing was written\n"
    assert not (tmp_path / "out.yaml").exists()
    missing = run("import", "nowhere.txt")
    assert (missing.exit_code, message(missing)) == (
        1, "nowhere.txt: no such file: check the name and folder\n")
    (tmp_path / "latin1.txt").write_bytes("Résumé\n".encode("latin-1"))
    result = run("import", "latin1.txt")
    assert result.exit_code == 1 and "not UTF-8 text" in result.output
    assert run("import", "notes.txt", "--lang", "xx").exit_code == 2


# --- what is written is safe YAML, whatever the page says --------------------------------


def test_hostile_text_stays_text_and_comments_cannot_break_out(tmp_path):
    nasty = 'a "quote", a \\ backslash, {{ 7*7 }}, &anchor *alias, #hash, line\u2028break\x85'
    text = to_yaml({"format": 1, "title": nasty, "tags": ["#x", "- y"]},
                   {("title",): [f"import: line 3: not placed: {nasty}\nkey: injected"]})
    data = yaml.safe_load(text)
    assert data == {"format": 1, "title": nasty, "tags": ["#x", "- y"]}
    assert "key" not in data
    assert yaml.safe_load(quote("\x01\ufeff\t")) == "\x01\ufeff\t"


def test_import_errors_are_our_own_type():
    with pytest.raises(PageError):
        import_page(b"nothing here", "x.txt")
    with pytest.raises(PageError):
        import_page(b"x" * 5_000_001, "x.txt")


def test_french_sample_fixture_is_in_the_round_trip():
    assert FRENCH in SHEETS and FRENCH_SAMPLE in SHEETS and SAMPLE in SHEETS


# --- any page: a sheet or our own error, never a crash; the YAML always parses -----------

_PAGE_LINES = SEED.read_text(encoding="utf-8").splitlines() + FR_PAGE.read_text(
    encoding="utf-8").splitlines()


@settings(max_examples=examples(100), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(_PAGE_LINES), st.text(max_size=40)), max_size=80),
       st.booleans())
def test_any_mix_of_page_lines_gives_a_sheet_or_our_error(tmp_path, lines, as_html):
    page = "\n".join(lines)
    if as_html:
        page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>\n" for line in lines)
    # the YAML always parses: every problem is about a field, none about the file
    imports_to_a_sheet_or_our_error(page.encode("utf-8", "surrogatepass"),
                                    "p.html" if as_html else "p.txt", tmp_path)


# --- the web edition: every sheet built as a site and its analysis page imported back -----

# Fields the web edition does not carry by design, each with its reason (a round trip
# through the site gives the sheet back with these left out, and nothing else different).
NOT_ON_WEB = {
    "kahoot": "a question's shorter wording for Kahoot is exported to Kahoot only",
    "short_title": "print only: the running head and the quiz's and key's title on paper; the "
                   "web pages show the full title",
    "easy_read.introduction": "the leaflet's first sentence is on the page, but the author's "
                              "and the one made from the plain title cannot be told apart",
    "shuffle": "the web quiz shows the choices in the sheet's order; shuffling is for the "
               "printed versions only",
    "pin_last": "idem",
    "pictogram": "a picture of the sheet's own folder: the site holds a copy (S/pictograms/), "
                 "but a sheet names files of its own folder, so the report and a comment say "
                 "which picture each part shows, for the author to copy beside the sheet "
                 "(built-in pictograms come back as builtin:NAME, with their alt text)",
    "pictogram_alt": "an alt text without its picture has no use; it is in the same comment",
    "easy_read.picture": "idem (the leaflet's cover picture)",
    "easy_read.picture_alt": "idem",
    "easy_read.key_points_pictogram": "idem",
    "easy_read.key_points_pictogram_alt": "idem",
    "easy_read.logo": "idem (the easy-to-read logo is a file the organisation obtained)",
}


@pytest.fixture(scope="module")
def web_site(tmp_path_factory):
    """Every sheet (samples and fixtures) built as the web edition, once."""
    from generator import api

    site = tmp_path_factory.mktemp("web") / "site"
    result = api.build(SHEETS, site, fmt="web", only=("quiz",))
    assert result.failures == []
    return site


@pytest.mark.parametrize("path", SHEETS, ids=[path.stem for path in SHEETS])
def test_round_trip_every_sheet_through_its_web_edition(web_site, tmp_path, path):
    from generator.sheet.importer import read_page

    expected = load_sheet(path)
    page = web_site / expected.slug / "index.html"
    text, report, target = read_page(page, None, None, tmp_path)
    assert target == tmp_path / f"{expected.slug}.yaml"  # the slug from the page's folder
    target.write_text(text, encoding="utf-8")
    got = flat(load_sheet(target).model_dump())
    diff = differences(flat(expected.model_dump()), got)
    unexplained = {key: value for key, value in diff.items()
                   if not any(key == known or key.startswith((known + "[", known + "."))
                              or key.rsplit(".", 1)[-1] == known or f".{known}." in key
                              for known in NOT_ON_WEB)}
    assert unexplained == {}
    # what is left out is only ever left out: never given another value
    assert all(value[1] in (None, True, False) for value in diff.values())
    # only the pictures of the sheet's folder: built-in pictograms come back
    from generator.sheet.pictoset import is_builtin_file

    pictures = {key: value[0] for key, value in diff.items()
                if key.endswith(("pictogram", "picture", "logo"))}
    assert not any(is_builtin_file(value) for value in pictures.values())
    assert report.form == "web" and report.lang == expected.lang
    assert report.of_kind("unplaced") == [] and report.of_kind("missing") == []
    assert report.of_kind("disagreement") == []
    # section 4 is left out of a page when the sheet has no references
    assert len(report.sections) == (9 if expected.references else 8)


def test_web_page_texts_come_back_as_written_not_as_shown(web_site, tmp_path):
    """The page shows typography (en dashes in ranges, French spaces) and Markdown as HTML;
    the sheet gets back the text as written, and each picture is reported."""
    from generator.sheet.importer import read_page

    page = web_site / "educational-alliances" / "index.html"
    shown = page.read_text(encoding="utf-8")
    assert ">pp. 30–33<" in shown  # what readers see
    text, report, _ = read_page(page, None, None, tmp_path)
    sheet = yaml.safe_load(text)
    assert sheet["key_points"][0]["pages"] == "30-33"
    assert sheet["sheet"]["date"] == load_sheet(SAMPLE).sheet.date
    expected = load_sheet(SAMPLE)
    assert [q["answer"] for q in sheet["quiz"]] == [q.answer for q in expected.quiz]
    notes = {item.field for item in report.of_kind("note")}
    own = [n for n, part in enumerate(expected.easy_read.summary, 1)
           if "/content/pictograms/" in part.pictogram]
    assert own and notes == {f"easy_read.summary[{n}]" for n in own}
    assert "# import: easy_read.summary[1]: the page shows pictograms/neighbourhood.svg (alt: " \
        "Houses of a neighbourhood): copy the file beside the sheet and write pictogram: " \
        "\"pictograms/neighbourhood.svg\"" in text
    assert sheet["easy_read"]["picture"] == "builtin:handshake"  # a built-in comes back
    assert sheet["easy_read"]["summary"][1]["pictogram"] == "builtin:together"
    assert report.lines("index.html", "x.yaml")[0] == \
        "index.html: a page of the web edition, in English (as the page says)"


def test_web_easy_read_or_quiz_page_reads_the_analysis_beside_it(web_site, tmp_path):
    from generator.sheet.importer import read_page

    folder = web_site / "minimal"
    from_index, _, _ = read_page(folder / "index.html", None, None, tmp_path)
    for name in ("easy-read.html", "quiz.html"):
        text, _, _ = read_page(folder / name, None, None, tmp_path)
        assert text.split("\n", 2)[2] == from_index.split("\n", 2)[2]
    # alone, without its analysis page beside it: a clear error, nothing written
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "quiz.html").write_bytes((folder / "quiz.html").read_bytes())
    with pytest.raises(PageError, match=r"import the sheet's index\.html"):
        read_page(alone / "quiz.html", None, None, tmp_path)


def test_web_page_alone_reads_what_it_holds_and_says_what_it_misses(web_site, tmp_path):
    """index.html copied away from its siblings: the sheet without the leaflet's extras and
    with 1 point a question, each said in the report."""
    alone = tmp_path / "every-field"
    alone.mkdir()
    (alone / "index.html").write_bytes((web_site / "every-field" / "index.html").read_bytes())
    text, report, _ = read_page_at(alone / "index.html", tmp_path)
    sheet = yaml.safe_load(text)
    assert "points" not in sheet["quiz"][0] and "checked_by" not in sheet["easy_read"]
    assert {item.field for item in report.of_kind("note")} >= {"quiz", "easy_read"}
    assert report.of_kind("missing") == []


def read_page_at(page: Path, folder: Path):
    from generator.sheet.importer import read_page

    return read_page(page, None, None, folder)


def test_web_round_trip_keeps_markdown_quotes_and_markup_like_text_as_written(tmp_path):
    """Hostile and formatted text: Markdown (bold, link, escapes), typed quotes and dashes,
    markup-like text, several paragraphs; the page shows them as HTML and typography, the
    import gives back what the sheet wrote."""
    from generator import api
    from generator.sheet.importer import read_page

    texts = {
        "summary": 'A **bold** claim, a [link](https://example.org/a?b=1&c=2) and "quotes"'
                   " -- with 10-12 pages...\n\nSecond <script>alert('x')</script> \\*not em\\*.",
        "point": "It's <b>not</b> markup & it's 'single' -- really.",
        "choice": "Option `one` <i>",
    }
    sheet = read(DATA / "sheets" / "minimal.yaml")
    sheet["slug"] = "hostile"
    sheet["summary"][0]["text"] = texts["summary"]
    sheet["key_points"][0]["text"] = texts["point"]
    sheet["key_points"][0]["pages"] = "3-4"
    sheet["quiz"][0]["choices"][1] = texts["choice"]
    source = tmp_path / "hostile.yaml"
    source.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    assert api.build([source], tmp_path / "site", fmt="web", only=("quiz",)).failures == []
    page = tmp_path / "site" / "hostile" / "index.html"
    assert "<script>alert" not in page.read_text(encoding="utf-8")
    text, _, target = read_page(page, None, None, tmp_path / "back")
    target.parent.mkdir()
    target.write_text(text, encoding="utf-8")
    got = load_sheet(target)
    assert got.summary[0].text == texts["summary"]
    assert (got.key_points[0].text, got.key_points[0].pages) == (texts["point"], "3-4")
    assert got.quiz[0].choices[1] == texts["choice"]
    assert differences(flat(load_sheet(source).model_dump()), flat(got.model_dump())) == {}


def test_the_page_words_of_a_language_are_in_its_locale_file():
    """`handouts import` knows the languages whose locale file has an [import] table."""
    import tomllib

    from generator.sheet.importer.vocab import vocabularies
    from generator.sheet.locales import files

    with_words = sorted(code for code, path in files().items()
                        if "import" in tomllib.loads(path.read_text(encoding="utf-8")))
    assert sorted(vocabularies()) == with_words
    assert {"en", "fr"} <= set(with_words)
    assert vocabularies()["fr"].sections["quiz"][0] == "qcm"


# --- found by hypothesis, kept as fixed examples --------------------------------------------


def test_a_question_with_nothing_found_is_an_empty_item_with_its_comments(run, tmp_path):
    page = QUESTION_ALONE.read_text(encoding="utf-8").splitlines()
    assert len(page) == 3 and page[2] == "Question 4"
    text, _ = import_page(QUESTION_ALONE.read_bytes(), QUESTION_ALONE.name, slug="alone")
    assert yaml.safe_load(text)["quiz"] == [{}]
    lines = text.splitlines()
    item = lines.index("  - {}")
    assert lines[item - 3:item] == [
        f"  # import: quiz[1].{field}: not found on the page: write it here"
        for field in ("question", "choices", "answer")]
    target = tmp_path / "alone.yaml"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(SheetError) as error:
        load_sheet(target)
    assert {"quiz[1].question", "quiz[1].choices", "quiz[1].answer"} <= {
        problem.path for problem in error.value.problems}
    result = run("import", str(QUESTION_ALONE), "-o", "question.yaml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "question.yaml does not pass `handouts check` yet: 11 problems to fix:" in \
        result.output


# --- a bare address under a reference belongs to it ---------------------------------------

ADDRESS = "https://example.org/guide-act.pdf"
REFERENCES = [{"title": "Acting together", "note": "the ANCT guide"},
              {"title": "Families and co-education", "note": "INJEP report"}]


def _with_references() -> dict:
    sheet = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    sheet["references"] = REFERENCES
    return sheet


def _bare_address_pages() -> dict[str, tuple[str, str]]:
    sheet, first = _with_references(), "Acting together — the ANCT guide"
    text, page = page_text(sheet), page_html(sheet)
    assert f"\n{first}\n" in text and f"<li>{first}</li>" in page
    link = f'<a href="{ADDRESS}">{ADDRESS}</a>'
    return {
        "text": ("p.txt", text.replace(f"\n{first}\n", f"\n{first}\n{ADDRESS}\n")),
        "text in brackets": ("p.txt", text.replace(f"\n{first}\n",
                                                   f"\n{first}\n({ADDRESS})\n")),
        "html, after a line break": ("p.html", page.replace(f"<li>{first}</li>",
                                                            f"<li>{first}<br>{link}</li>")),
        "html, a paragraph in the item": ("p.html", page.replace(
            f"<li>{first}</li>", f"<li><p>{first}</p><p>{ADDRESS}</p></li>")),
    }


@pytest.mark.parametrize("shape", list(_bare_address_pages()))
def test_a_bare_address_under_a_reference_is_that_references_address(tmp_path, shape):
    name, page = _bare_address_pages()[shape]
    got, _, report = imported(tmp_path, page.encode("utf-8"), name, "bare")  # passes check
    references = {key: value for key, value in got.items() if key.startswith("references")}
    assert references == {"references[0].title": "Acting together",
                          "references[0].note": "the ANCT guide",
                          "references[0].url": ADDRESS,
                          "references[1].title": "Families and co-education",
                          "references[1].note": "INJEP report",
                          "references[1].url": None}
    assert report.of_kind("unplaced") == []


def test_a_bare_address_with_no_reference_to_belong_to_is_reported_not_a_reference(tmp_path):
    sheet, first, second = _with_references(), "Acting together — the ANCT guide", \
        "https://example.org/second"
    page = page_text(sheet).replace(f"\n{first}\n", f"\n{first}\n{ADDRESS}\n{second}\n")
    got, text, report = imported(tmp_path, page.encode("utf-8"), "p.txt", "lone")
    assert got["references[0].url"] == ADDRESS
    assert got["references[1].title"] == "Families and co-education"
    assert "references[2].title" not in got
    line = page.splitlines().index(second) + 1
    assert [(item.line, item.message) for item in report.of_kind("unplaced")] == [
        (line, f"not placed: an address with no reference above it to belong to: \"{second}\"; "
               "kept as a comment near references[1]")]
    assert f"# import: line {line}: not placed: {second}" in text


# --- deep HTML: read to the end, or refused; never half read ------------------------------


@pytest.mark.parametrize("depth", [300, 1000, 2000])
def test_html_nested_deep_is_read_to_its_end(depth):
    page = ("<html><body><p>before</p>" + "<div>" * depth + "deep" + "</div>" * depth
            + "<p>after</p></body></html>")
    assert [line.text for line in lines_from_html(page)] == ["before", "deep", "after"]


@pytest.mark.parametrize("depth", [2100, 5000])
def test_html_nested_deeper_than_the_parser_reads_is_refused(run, tmp_path, depth):
    page = ("<html><body><p>before</p>\n" + "<div>" * depth + "deep" + "</div>" * depth
            + "\n<p>after</p></body></html>")
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    result = run("import", "deep.html", "-o", "deep.yaml")
    assert (result.exit_code, message(result)) == (
        1, "deep.html: line 2: the page nests its elements more than 2,048 deep; handouts "
           "cannot read past this point: copy the page's text from the browser and import "
           "that instead; nothing was written\n")
    assert not (tmp_path / "deep.yaml").exists()


# --- what import reads: a regular file, bounded before it is read -------------------------


def _limits() -> None:
    """The command's process may not use more than 1 GiB: reading a 1 GiB file or /dev/zero
    whole fails there."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def handouts(*args: str, cwd: Path, preexec=_limits) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own (a blocked read cannot block the tests: 60 s)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "HANDOUTS_SETTINGS": "none"}
    return subprocess.run([sys.executable, "-c", "from generator.cli import main; main()",
                           *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          preexec_fn=preexec, env=env, check=False)


REFUSALS = {
    "/dev/zero": "/dev/zero: this is a device, not a sheet page: name a file saved from the "
                 "browser",
    "page.txt": "page.txt: this is a named pipe (FIFO), not a sheet page: name a file saved "
                "from the browser",
    "big.txt": "big.txt: the file is 1,073,741,824 bytes; a sheet page may be at most "
               "5,000,000 bytes: is it the right file?",
}


@pytest.mark.parametrize("page", list(REFUSALS))
def test_import_refuses_a_device_a_fifo_and_a_huge_file_without_reading_them(tmp_path, page):
    os.mkfifo(tmp_path / "page.txt")
    big = tmp_path / "big.txt"
    big.touch()
    os.truncate(big, 1 << 30)  # sparse: 1 GiB that takes no room
    result = handouts("import", page, "-o", "out.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr, result.stdout) == (
        1, f"error: {REFUSALS[page]}\n", "")
    assert not (tmp_path / "out.yaml").exists()


# --- writing: whole or not at all ---------------------------------------------------------


def test_import_onto_a_full_disk_leaves_nothing_and_the_retry_writes(run, tmp_path,
                                                                    monkeypatch):
    real_write = os.write

    def full_disk(descriptor: int, data: bytes) -> int:
        if descriptor <= 2:
            return real_write(descriptor, data)
        real_write(descriptor, bytes(data)[:100])  # part of it, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", full_disk)
        result = run("import", str(SEED_HTML), "-o", "sheet.yaml")
    assert (result.exit_code, message(result)) == (
        1, "sheet.yaml: cannot be written (No space left on device): choose another place "
           "with -o\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == []
    retry = run("import", str(SEED_HTML), "-o", "sheet.yaml")
    assert retry.exit_code == 0, retry.output
    assert (tmp_path / "sheet.yaml").read_bytes() == import_page(
        SEED_HTML.read_bytes(), SEED_HTML.name, slug="sheet")[0].encode("utf-8")


def test_import_stopped_by_the_file_size_limit_leaves_nothing(tmp_path):
    """A real failed write (the kernel refuses past 2,000 bytes, as a full disk would)."""

    def small_files() -> None:
        _limits()
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    result = handouts("import", str(SEED_HTML), "-o", "sheet.yaml", cwd=tmp_path,
                      preexec=small_files)
    assert (result.returncode, result.stderr) == (
        1, "error: sheet.yaml: cannot be written (File too large): choose another place "
           "with -o\n")
    assert list(tmp_path.iterdir()) == []
    retry = handouts("import", str(SEED_HTML), "-o", "sheet.yaml", cwd=tmp_path)
    assert retry.returncode == 0, retry.stderr
    assert yaml.safe_load((tmp_path / "sheet.yaml").read_text(encoding="utf-8"))["slug"] == \
        "sheet"


# --- the correct answer's letter, found from part 2 -----------------------------------------

def _seed_with_first_correction(correction: str) -> tuple[str, int]:
    """The seed page with question 1's correction line replaced; the line's number."""
    lines = _seed_lines()
    at = next(i for i, line in enumerate(lines) if "Correct answer: b) Micro, meso" in line)
    lines[at] = f"✅ Correct answer: {correction}"
    return "\n".join(lines), at + 1


def test_a_correction_without_its_letter_is_matched_to_its_choice_by_text():
    """Question 1's choices are a) to d); the correction names the second's text only."""
    page, line = _seed_with_first_correction("Micro, meso, macro")
    text, report = import_page(page.encode(), "q.txt")
    first = yaml.safe_load(text)["quiz"][0]
    assert first["choices"][1] == "Micro, meso, macro"
    assert first["answer"] == "b"
    assert [(item.line, item.field, item.message) for item in report.of_kind("note")
            if item.field == "quiz[1].answer"] == [
        (line, "quiz[1].answer", "the correction gives no letter; found it from the choice's "
         "text")]


def test_a_correction_letter_just_past_the_last_choice_is_a_disagreement():
    """Question 1 has four choices, a) to d): e) is one too many."""
    page, line = _seed_with_first_correction("e) Micro, meso, macro")
    _, report = import_page(page.encode(), "q.txt")
    assert [(item.line, item.field, item.message) for item in report.of_kind("disagreement")
            if item.field == "quiz[1].answer"] == [
        (line, "quiz[1].answer", "part 2's letter e) is not one of question 1's 4 choices")]


# --- --lang: every language file, and what to do for one without page words ---------------


def test_import_offers_every_language_and_says_what_a_language_without_page_words_needs(run):
    from generator.sheet.locales import codes, get

    Path("page.txt").write_text("A title\n\n1. SUMMARY\nSome text.\n", encoding="utf-8")
    readable = [code for code in codes() if get(code).import_words]
    lacking = [code for code in codes() if not get(code).import_words]
    assert readable == ["en", "fr"] and lacking == ["es"]  # the locale files as shipped
    result = run("import", "page.txt", "--lang", "es", "-o", "sheet.yaml")
    assert (result.exit_code, message(result)) == (
        1, f"page.txt: es.toml has no [import] table, the words of a published page in that "
           f"language (section headings, labels, month names): add one to "
           f"{get('es').source}, as en.toml has, or import the page with --lang en or fr; "
           "nothing was written\n")
    assert not Path("sheet.yaml").exists()
    refused = run("import", "page.txt", "--lang", "xx")
    assert refused.exit_code == 2 and "'xx' is not one of 'en', 'es', 'fr'" in refused.output
