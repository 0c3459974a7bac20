"""The built PDFs, read back as text and checked against the YAML they came from."""

from __future__ import annotations

import re

import pytest
import yaml
from pypdf import PdfReader

from generator.batch.build import build
from generator.batch.rendering import output_path
from generator.errors import OutputError
from generator.options import BuildOptions
from generator.sheet.loader import load_sheet
from generator.view.sheetview import build_view
from tests.conftest import KIND_NAMES, SAMPLE, body_pages, pdf_text, plain, spaces, squash

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
    answer = {"en": "Answer", "fr": "Réponse", "es": "Respuesta"}[built.data["lang"]]
    grid = squash(" ".join(numbers)) + squash(answer)
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
    assert contains(text, easy["title"])  # its plain title, never the technical one (#24)
    assert not contains(text, built.data["title"])
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
    low, high = limits.get(kind, (1, 20))
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


@pytest.mark.parametrize("name", ["sample", "french_sample", "spanish_sample"])
def test_handouts_use_no_label_of_another_language(request, name):
    """English handouts carry no French or Spanish label, and each the other way round."""
    from tests.conftest import catalogs

    CATALOGS = catalogs()

    built = request.getfixturevalue(name)
    own = built.data["lang"]
    for other in set(CATALOGS) - {own}:
        foreign = [value for value in CATALOGS[other].values()  # words both languages share
                   if value not in CATALOGS[own].values() and "{" not in value  # ("Total")
                   and (" " in value.strip() or not value.isascii()) and len(value) > 3]
        assert foreign
        for kind in KIND_NAMES:
            text = spaces(built.all_text(kind)).casefold()
            for label in foreign:
                assert spaces(label).casefold() not in text, (kind, other, label)


def test_spanish_handouts_use_spanish_labels_dates_and_page_words(spanish_sample):
    key = spanish_sample.all_text("answer-key")
    assert "SOLUCIONARIO" in key and "Respuesta correcta: B" in key
    assert "QUIZ" not in key and "Correct answer" not in key
    full = spaces(spanish_sample.all_text("full-analysis"))
    assert "25 de noviembre de 2026" in full
    assert "Test: 5 preguntas" in full
    assert "Autoría Dirección General de Salud Pública, Calidad e Innovación y Comité" in full
    leaflet = spanish_sample.all_text("easy-read")
    total = len(PdfReader(spanish_sample.pdf("easy-read")).pages)
    assert total > 1 and f"página 1 de {total}" in leaflet
    assert f"página {total} de {total}" in leaflet


def test_a_single_question_and_author_are_counted_in_the_singular(tmp_path):
    import shutil

    import yaml

    from generator.batch.build import build
    from generator.options import BuildOptions

    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["quiz"] = data["quiz"][:1]
    data["source"]["authors"] = data["source"]["authors"][:1]
    (tmp_path / "one.yaml").write_text(yaml.safe_dump({**data, "slug": "one"}),
                                       encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "pictograms", tmp_path / "pictograms")
    result = build([tmp_path / "one.yaml"], tmp_path / "out",
                   BuildOptions(only=("full-analysis",)))
    assert result.ok, [str(f) for f in result.failures]
    text = spaces(pdf_text(tmp_path / "out" / "one" / "one-full-analysis.pdf"))
    assert "MCQ — 1 question " in text + " " and "1 questions" not in text
    assert "Author Marie-Pascale Guyon" in text and "Authors" not in text


def test_the_answer_changes_the_key_and_never_the_blank_quiz(tmp_path):
    """Participants' quiz must not depend on which choice is correct: not in its text, its
    order, its emphasis or its bytes."""
    source = SAMPLE.read_text(encoding="utf-8")
    first_answer = yaml.safe_load(source)["quiz"][0]["answer"]
    other = "a" if first_answer != "a" else "c"
    changed = source.replace(f"answer: {first_answer}\n", f"answer: {other}\n", 1)
    assert changed != source
    outputs = {}
    for name, text in (("original", source), ("changed", changed)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / SAMPLE.name).write_text(text, encoding="utf-8")
        for picture in (SAMPLE.parent / "pictograms").glob("*"):
            (folder / "pictograms").mkdir(exist_ok=True)
            (folder / "pictograms" / picture.name).write_bytes(picture.read_bytes())
        for fmt in ("html", "pdf"):
            result = build([folder / SAMPLE.name], tmp_path / f"out-{name}",
                           BuildOptions(only=("quiz", "answer-key"), fmt=fmt))
            assert result.ok, [str(f) for f in result.failures]
            for output in result.written:
                outputs[name, output.path.name] = output.path.read_bytes()
    quiz_files = [key[1] for key in outputs if key[0] == "original" and "-quiz." in key[1]]
    key_files = [key[1] for key in outputs if key[0] == "original" and "-answer-key." in key[1]]
    assert len(quiz_files) == 2 and len(key_files) == 2
    for name in quiz_files:
        assert outputs["original", name] == outputs["changed", name], name
    for name in key_files:
        assert outputs["original", name] != outputs["changed", name], name


def test_the_answer_key_prints_each_answer_letter_in_its_big_letter(sample, tmp_path):
    """The circled letter beside each question is the answer's, not a decoration."""
    result = build([sample.source], tmp_path, BuildOptions(only=("answer-key",), fmt="html"))
    html = result.written[0].path.read_text(encoding="utf-8")
    printed = re.findall(r'class="key-letter"[^>]*>\s*([^<\s]+)\s*<', html)
    expected = [question["answer"] for question in sample.data["quiz"]]
    assert [letter.casefold() for letter in printed] == expected


def test_outputs_never_leave_the_output_folder(tmp_path):
    with pytest.raises(OutputError):
        output_path(tmp_path / "out", "../elsewhere", "quiz", "pdf")
    assert output_path(tmp_path / "out", "fine", "quiz", "pdf") == (
        tmp_path / "out" / "fine" / "fine-quiz.pdf")


def test_a_sheet_folder_that_is_a_symbolic_link_is_never_written_through(tmp_path):
    """out/minimal links to a folder elsewhere: nothing is written there, and the sheet fails
    with a message that names the link and what to do."""
    from tests.conftest import DATA

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "minimal").symlink_to(elsewhere, target_is_directory=True)
    result = build([DATA / "sheets" / "minimal.yaml"], out, BuildOptions(only=("quiz",)))
    assert [str(failure) for failure in result.failures] == [
        f"{out / 'minimal'}: a symbolic link is in the way; handouts does not write through "
        "links: delete it, or choose another output folder with -o; nothing was written for "
        "this sheet"]
    assert list(elsewhere.iterdir()) == [] and result.written == []
