"""The built PDFs, read back as text and checked against the YAML they came from."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from generator.context import build_view
from generator.loader import load_sheet
from tests.conftest import KIND_NAMES, body_pages, plain, spaces, squash

LETTERS = "abcdef"


def contains(haystack: str, markdown: str) -> bool:
    return squash(plain(markdown)) in haystack


def test_every_kind_is_written_as_a_pdf(built):
    for kind in KIND_NAMES:
        pdf = built.pdf(kind)
        assert pdf.read_bytes().startswith(b"%PDF-")


def test_quiz_has_every_question_and_choice_and_no_answer(built):
    text = built.squashed("quiz")
    for question in built.data["quiz"]:
        assert contains(text, question["question"])
        for choice in question["choices"]:
            assert contains(text, choice)
        assert not contains(text, question.get("explanation") or "no explanation given")
    assert squash("Correct answer") not in text
    assert squash("Bonne réponse") not in text


def test_quiz_prints_numbers_letters_pages_and_the_score_total(built):
    raw = built.text("quiz")
    quiz = built.data["quiz"]
    for question in quiz:
        for letter in LETTERS[: len(question["choices"])]:
            assert f"{letter.upper()} " in raw  # uppercase: B and D never mistaken
    assert f"/ {len(quiz)}" in raw
    squashed = built.squashed("quiz")
    for question in quiz:
        if question.get("pages"):
            assert squash(question["pages"]) in squashed


def test_quiz_questions_are_never_split_across_pages(built):
    reader = PdfReader(built.pdf("quiz"))
    pages = [squash(page.extract_text()) for page in reader.pages]
    for question in built.data["quiz"]:
        first, last = squash(plain(question["question"])), squash(plain(question["choices"][-1]))
        assert any(first in page and last in page for page in pages), question["question"]


def test_answer_key_gives_each_correct_choice_explanation_and_pages(built):
    text = built.squashed("answer-key")
    for question in built.data["quiz"]:
        correct = question["choices"][LETTERS.index(question["answer"])]
        assert squash(f"{question['answer']}) {plain(correct)}") in text
        assert contains(text, question.get("explanation", ""))
        assert squash(question.get("pages", "")) in text


def test_answer_key_grid_is_on_the_first_page(built):
    first_page = squash(PdfReader(built.pdf("answer-key")).pages[0].extract_text())
    letters = "".join(q["answer"] for q in built.data["quiz"])
    assert letters in first_page


def test_answer_key_grid_lists_the_letters_in_order(built):
    letters = [q["answer"] for q in built.data["quiz"]]
    numbers = "".join(str(n) for n in range(1, len(letters) + 1))
    grid = squash(" ".join(numbers)) + squash("Answer" if built.data["lang"] == "en" else "Réponse")
    text = built.squashed("answer-key")
    assert grid + "".join(letters) in text


def test_easy_read_has_every_line_and_nothing_else_from_the_analysis(built):
    text = built.squashed("easy-read")
    easy = built.data["easy_read"]
    for part in easy["summary"]:
        assert contains(text, part["heading"])
        for line in part["lines"]:
            assert contains(text, line)
    for line in easy["key_points"]:
        assert contains(text, line)
    assert contains(text, built.data["title"])
    assert not contains(text, built.data["summary"][0]["text"])
    assert not contains(text, built.data["quiz"][0]["question"])


def test_full_analysis_has_every_section(built):
    text = built.squashed("full-analysis")
    data = built.data
    texts = [data["title"], data["sheet"]["author"], *data.get("highlights", [])]
    texts += [data.get("introduction", "")]
    texts += [part for item in data["summary"] for part in (item["heading"], item["text"])]
    texts += [item["text"] for item in data["key_points"] + data["action_paths"]]
    texts += [part for ref in data.get("references", []) for part in (ref["title"],
              ref.get("note", ""))]
    for grid in (data["values"], data["reliability"]):
        texts += [part for c in grid["criteria"] for part in (c["name"], c["assessment"])]
    texts += [data["values"]["conclusion"], data["reliability"]["recommendation"]]
    for question in data["quiz"]:
        texts += [question["question"], *question["choices"], question.get("explanation")]
    texts += [part for item in data["faq"] for part in (item["question"], item["answer"])]
    texts += [line for part in data["easy_read"]["summary"] for line in part["lines"]]
    texts += [part["heading"] for part in data["easy_read"]["summary"]]
    texts += data["easy_read"].get("key_points", []) + data.get("tags", [])
    # side-by-side table cells of several lines interleave in reading order: the text as
    # drawn (cell after cell) is the other witness
    drawn = squash(built.all_text("full-analysis"))
    missing = [t for t in texts if t and not contains(text, t) and not contains(drawn, t)]
    assert not missing


def test_full_analysis_has_one_bookmark_per_section(built):
    outline = PdfReader(built.pdf("full-analysis")).outline
    titles = [item.title for item in outline]
    sections = 8 + (1 if built.data.get("references") else 0)
    assert len(titles) == sections
    assert [title.split(" ", 1)[0] for title in titles] == [str(n) for n in range(1, sections + 1)]


def test_full_analysis_metadata(built):
    reader = PdfReader(built.pdf("full-analysis"))
    info = reader.metadata
    assert spaces(info.title).startswith(spaces(built.data["title"]))
    assert spaces(info.author) == spaces(built.data["sheet"]["author"])
    assert info.subject
    for tag in built.data["tags"]:
        assert tag in info["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == built.data["lang"]


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_page_counts_are_sensible(sample, kind):
    pages = len(PdfReader(sample.pdf(kind)).pages)
    limits = {"full-analysis": (5, 11), "easy-read": (1, 4), "quiz": (1, 3), "answer-key": (1, 3)}
    low, high = limits[kind]
    assert low <= pages <= high


def test_every_page_is_numbered_with_its_total(sample):
    for kind in KIND_NAMES:
        reader = PdfReader(sample.pdf(kind))
        total = len(reader.pages)
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text()
            assert f"{number} / {total}" in text or f"page {number} of {total}" in text


def test_french_handouts_use_french_labels(french):
    assert "bonne réponse" in french.text("answer-key").casefold()
    assert "questionnaire" in french.text("quiz").casefold()
    assert "synthèse analytique" in french.text("full-analysis").casefold()
    assert "page 1 sur" in french.all_text("easy-read").casefold()
    for kind in KIND_NAMES:
        text = french.all_text(kind).casefold()
        for english in ("correct answer", "key points", "analytical summary", "of", "name",
                        "group", "explanation", "tick"):
            assert not re.search(rf"\b{english}\b", text), (kind, english)


def test_markdown_is_rendered_not_printed(french):
    text = french.text("full-analysis")
    assert "**" not in text
    assert "](" not in text


@pytest.mark.parametrize("kind", ["full-analysis", "easy-read", "answer-key"])
def test_no_heading_is_left_alone_at_the_bottom_of_a_page(built, kind):
    view = build_view(load_sheet(built.source))
    headings = [h.title for h in view.headings]
    headings += [str(item.heading) for item in view.summary]
    headings += [str(part.heading) for part in view.easy_read.summary]
    headings += [view.labels[key] for key in ("quiz_part_questions", "quiz_part_correction",
                                              "easy_key_points", "key_at_a_glance")]
    pages = body_pages(built.pdf(kind))
    for number, page in enumerate(pages[:-1], start=1):
        last_line = squash(page.strip().splitlines()[-1])
        for heading in headings:
            assert not last_line.endswith(squash(heading)), (kind, number, heading)


def test_english_handouts_use_no_french_label(sample):
    from generator.labels import CATALOGS

    english = set(CATALOGS["en"].values())
    french_only = [value for value in CATALOGS["fr"].values()  # words English shares too
                   if value not in english and "{" not in value   # ("Publication") left out
                   and (" " in value.strip() or not value.isascii()) and len(value) > 3]
    for kind in KIND_NAMES:
        text = spaces(sample.all_text(kind)).casefold()
        for label in french_only:
            assert spaces(label).casefold() not in text, (kind, label)
