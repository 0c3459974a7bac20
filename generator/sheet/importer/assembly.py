"""Building the sheet from what the parser read: the format's field order, part 1 and part 2
of the quiz joined, MISSING (and a report item) where a required field was not found."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .. import locales
from ..locales import LocaleError, get
from .parser import Parser
from .report import (
    MISSING,
    ImportReport,
    ImportResult,
    Line,
    Missing,
    MissingFn,
    PageError,
    Path_,
    dotted_path,
    short,
)
from .sections import detect_language
from .state import Question
from .text import normalise
from .vocab import SECTIONS, vocabularies


def _first_line(*questions: Question | None) -> int | None:
    """The input line of the first of the question's parts that was found."""
    return next((question.line for question in questions if question), None)


def paragraphs(parts: list[str]) -> str:
    """Paragraphs as the sheet writes them: a blank line between, empty ones left out."""
    return "\n\n".join(part for part in parts if part)


def assemble(parser: Parser, slug: str) -> dict[str, Any]:
    """The sheet in the format's field order; MISSING where a required field was not found."""
    report, comments = parser.report, parser.comments

    def missing(path: Path_, what: str, line: int | None = None) -> Missing:
        dotted = dotted_path(path)
        report.add(line, "missing", dotted, f"{what}: not found on the page; left for you to "
                   "write (check will point at it)")
        comments.setdefault(path, []).append(f"import: {dotted}: not found on the page: "
                                             "write it here")
        return MISSING

    def section_line(section: str) -> int | None:
        """Where the section is, or where it would be: the next section found after it in
        the template's order (else the page's last line)."""
        if section in parser.section_lines:
            return parser.section_lines[section]
        later = SECTIONS[SECTIONS.index(section) + 1:]
        found = [parser.section_lines[s] for s in later if s in parser.section_lines]
        return found[0] if found else (parser.lines[-1].number if parser.lines else None)

    data: dict[str, Any] = {"format": 1, "lang": report.lang, "slug": slug}
    data["title"] = parser.title or missing(("title",), "the title")
    if parser.source:
        data["source"] = {key: parser.source[key] for key in ("authors", "publisher", "url")
                          if key in parser.source} or MISSING
    sheet: dict[str, Any] = {}
    sheet["author"] = parser.sheet.get("author") or missing(("sheet", "author"),
                                                            "the sheet's author")
    if parser.sheet.get("site"):
        sheet["site"] = parser.sheet["site"]
    sheet["date"] = parser.sheet.get("date") or missing(("sheet", "date"),
                                                        "the sheet's date")
    data["sheet"] = sheet
    if parser.highlights:
        data["highlights"] = parser.highlights
    if parser.introduction:
        data["introduction"] = paragraphs(parser.introduction)

    summary = []
    for index, part in enumerate(parser.summary):
        item: dict[str, Any] = {}
        item["heading"] = part["heading"] or missing(("summary", index, "heading"),
                                                     "a sub-heading for this part",
                                                     part["line"])
        item["text"] = paragraphs(part["text"]) or missing(("summary", index, "text"),
                                                            "the text of this part",
                                                            part["line"])
        summary.append(item)
    data["summary"] = summary or missing(("summary",), "section 1, the analytical summary",
                                         section_line("summary"))
    data["key_points"] = parser.key_points or missing(
        ("key_points",), "section 2, the key points", section_line("key_points"))
    data["action_paths"] = parser.action_paths or missing(
        ("action_paths",), "section 3, the action paths", section_line("action_paths"))
    if len(parser.action_paths) > 4:
        report.add(section_line("action_paths"), "note", "action_paths",
                   f"{len(parser.action_paths)} action paths; the format allows four: keep the "
                   "four that matter most")
    if parser.references:
        data["references"] = parser.references
    elif "references" in parser.section_lines:
        report.add(section_line("references"), "note", "references", "section 4 is empty on "
                   "the page; no references written")
    data["values"] = _grid(parser.values, "values", "conclusion", missing,
                           section_line("values"), "section 5, the values grid")
    data["reliability"] = _grid(parser.reliability, "reliability", "recommendation", missing,
                                section_line("reliability"), "section 6, the reliability grid")
    data["quiz"] = _join_quiz(parser, missing) or missing(
        ("quiz",), "section 7, the quiz", section_line("quiz"))
    faq = []
    for index, entry in enumerate(parser.faq):
        item = {"question": entry["question"]}
        item["answer"] = paragraphs(entry["answer"]) or missing(
            ("faq", index, "answer"), "the answer to this question", entry["line"])
        if entry.get("pages"):
            item["pages"] = entry["pages"]
        faq.append(item)
    report.faq = len(faq)
    data["faq"] = faq or missing(("faq",), "section 8, the FAQ", section_line("faq"))
    parts = []
    for index, part in enumerate(parser.easy_parts):
        item = {"heading": part["heading"] or missing(
            ("easy_read", "summary", index, "heading"), "a heading for this easy-read part",
            part["line"])}
        item["lines"] = part["lines"] or missing(("easy_read", "summary", index, "lines"),
                                                 "the lines of this easy-read part",
                                                 part["line"])
        parts.append(item)
    easy: dict[str, Any] = {"summary": parts or missing(("easy_read", "summary"),
                                              "section 9, the easy-read text",
                                              section_line("easy_read"))}
    if parser.easy_points:
        easy["key_points"] = parser.easy_points
    data["easy_read"] = easy
    if parser.tags:
        data["tags"] = parser.tags
    return data


def _grid(grid: dict[str, Any], key: str, closing: str, missing: MissingFn, line: int | None,
          what: str) -> dict[str, Any] | Missing:
    if not grid["criteria"] and not grid.get(closing):
        return missing((key,), what, line)
    result: dict[str, Any] = {}
    result["criteria"] = grid["criteria"] or missing((key, "criteria"), f"{what}'s criteria",
                                                     line)
    result[closing] = paragraphs(grid.get(closing) or []) or missing(
        (key, closing), f"{what}'s {closing}", line)
    return result


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _join_quiz(parser: Parser, missing: MissingFn) -> list[dict[str, Any]]:
    """Part 1 gives question, choices and pages; part 2 the letter, explanation and pages.
    Where they disagree, part 1 is kept and part 2's text becomes a comment."""
    report, comments = parser.report, parser.comments
    numbers = list(dict.fromkeys([*parser.part1, *parser.part2]))
    quiz = []
    for index, number in enumerate(numbers):
        path: Path_ = ("quiz", index)
        where = f"quiz[{index + 1}]"
        q1, q2 = parser.part1.get(number), parser.part2.get(number)
        if q2 is None and q1 and (q1.answer_raw or q1.explanation):
            q2 = q1  # a page that gives each answer right under its question
        item: dict[str, Any] = {}
        if q1 is None:
            report.add(q2.line if q2 else None, "note", where, f"question {number} is only in "
                       "part 2 (the correction)")
        text1 = " ".join(q1.text) if q1 and q1.text else ""
        text2 = " ".join(q2.text) if q2 and q2.text else ""
        if text1 and text2 and not _same(text1, text2) and q2:
            report.add(q2.line, "disagreement", f"{where}.question", f"part 2 words question "
                       f"{number} \"{short(text2)}\"; kept part 1's \"{short(text1)}\"; part "
                       "2's text is a comment in the sheet")
            comments.setdefault((*path, "question"), []).append(
                f"import: line {q2.line}: part 2 words the question: {text2}")
        item["question"] = text1 or text2 or missing((*path, "question"),
                                                     f"the text of question {number}",
                                                     _first_line(q1, q2))
        pages1 = q1.pages if q1 else None
        pages2 = (q2.pages2 or q2.pages) if q2 else None
        if pages1 and pages2 and pages1 != pages2 and q2:
            line = q2.pages2_line or q2.line
            report.add(line, "disagreement", f"{where}.pages", f"part 2 gives pages "
                       f"\"{pages2}\" for question {number}, part 1 \"{pages1}\"; kept part 1's")
            comments.setdefault((*path, "pages"), []).append(
                f"import: line {line}: part 2 gives the pages {pages2}")
        if pages1 or pages2:
            item["pages"] = pages1 or pages2
        choices = q1.choices if q1 else []
        item["choices"] = choices or missing((*path, "choices"),
                                             f"the choices of question {number}",
                                             q1.line if q1 else None)
        letter = q2.answer_letter if q2 else None
        if q2 and q2.answer_text and choices:
            matches = [i for i, choice in enumerate(choices) if _same(choice, q2.answer_text)]
            if letter is None and matches:
                letter = "abcdef"[matches[0]]
                report.add(q2.answer_line, "note", f"{where}.answer", "the correction gives "
                           "no letter; found it from the choice's text")
        if letter and choices and "abcdef".index(letter) >= len(choices):
            report.add(q2.answer_line if q2 else None, "disagreement", f"{where}.answer",
                       f"part 2's letter {letter}) is not one of question {number}'s "
                       f"{len(choices)} choices")
        elif letter and choices and q2 and q2.answer_text:
            chosen = choices["abcdef".index(letter)]
            if not _same(chosen, q2.answer_text):
                report.add(q2.answer_line, "disagreement", f"{where}.answer",
                           f"part 2 words the correct answer \"{letter}) "
                           f"{short(q2.answer_text)}\"; kept part 1's \"{letter}) "
                           f"{short(chosen)}\"; part 2's text is a comment in the sheet")
                comments.setdefault((*path, "answer"), []).append(
                    f"import: line {q2.answer_line}: part 2 says: {q2.answer_raw}")
        item["answer"] = letter or missing((*path, "answer"),
                                           f"the correct letter of question {number}",
                                           q2.line if q2 else (q1.line if q1 else None))
        if q2 and q2.explanation:
            item["explanation"] = paragraphs(q2.explanation)
        elif q2 is None:
            report.add(q1.line if q1 else None, "note", where, f"question {number} has no "
                       "correction in part 2: answer letter and explanation left for you")
        quiz.append(item)
    report.questions = len(quiz)
    if parser.quiz_count and quiz and parser.quiz_count[0] != len(quiz):
        report.add(parser.quiz_count[1], "note", "quiz", f"the heading announces "
                   f"{parser.quiz_count[0]} questions; {len(quiz)} were found")
    return quiz


def slug_for(title: str | None, lang: str, fallback: str = "imported-sheet") -> str:
    """A short file name from the title: its first significant words, a-z0-9 and hyphens
    (`fallback` when it has none)."""
    known = locales.available()
    stopwords = (known.get(lang) or known["en"]).stopwords
    words = [w for w in normalise(title or "").split() if w not in stopwords]
    words = [re.sub(r"[^a-z0-9]", "", w) for w in words]
    slug = ""
    for word in filter(None, words):
        if len(slug) + len(word) + 1 > 40:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or fallback


def _no_vocabulary(lang: str) -> str:
    """Why a page cannot be read in LANG, and what to do: its locale file has no `[import]`
    table (the words of the page template in that language), or there is no such locale."""
    readable = ", ".join(vocabularies())
    try:
        source = get(lang).source
    except LocaleError:
        return f"no language file for '{lang}': choose one of {readable}"
    return (f"{source.name} has no [import] table, the words of a published page in that "
            f"language (section headings, labels, month names): add one to {source}, as "
            f"en.toml has, or import the page with --lang {readable.replace(', ', ' or ')}")


def parse_lines(lines: Sequence[Line], *, lang: str | None = None, slug: str | None = None,
                form: str = "text") -> ImportResult:
    """Read a sheet page's lines into the sheet's data, its comments and the report."""
    detected = detect_language(lines)
    chosen = lang or detected or "en"
    report = ImportReport(form=form, lang=chosen, lang_detected=lang is None)
    if chosen not in vocabularies():
        raise PageError(_no_vocabulary(chosen))
    if lang and detected and detected != lang:
        report.add(lines[0].number if lines else None, "note", "lang", f"the headings look "
                   f"'{detected}', but the page was read as '{lang}' as asked: if sections are "
                   f"missing, import again without --lang")
    parser = Parser(lines, vocabularies()[chosen], report)
    parser.run()
    if not parser.section_lines:
        raise PageError("no section of a resource analysis sheet was found (analytical "
                           "summary, key points, quiz…): is it a published sheet page?")
    report.slug = slug or slug_for(parser.title, chosen)
    data = assemble(parser, report.slug)
    report.items.sort(key=lambda item: (item.line or 0))
    return ImportResult(data, parser.comments, report)

