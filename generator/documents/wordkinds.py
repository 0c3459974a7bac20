"""What each handout kind prints in a Word document, in the order of its PDF template
(templates/*.html), from the same view: a writer per kind, `WRITERS` by kind name. A kind
without a writer is not made in this format (`makes`). formats.py's docx entry calls
`docx_bytes` and `makes` here, importing them (and python-docx) only for this format."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .word import Word
from .wordparts import EASY_READ, EASY_READ_POINT, TICK_BOX

if TYPE_CHECKING:  # pragma: no cover
    from ..view.leafletview import EasyReadView, LeafletView
    from ..view.quizview import QuizQuestion, QuizView
    from ..view.sheetview import CriteriaGrid, Heading, SheetView
    from .formats import Handout
    from .kinds import HandoutKind

PICTOGRAM_CM = 2.0  # a part's pictogram beside its heading
COVER_CM = 4.0
QR_CM = 2.5


def _overline(word: Word, *parts: str | None, style: str | None = None) -> None:
    """The small line above a title ("Full analysis", "Quiz · Version B"), in capitals."""
    paragraph = word.paragraph(" · ".join(part for part in parts if part), style=style,
                               bold=True)
    for run in paragraph.runs:
        run.font.all_caps = style is None
        if style is None:
            from docx.shared import RGBColor

            run.font.color.rgb = RGBColor.from_string(word.look.accent)


def _section(word: Word, heading: Heading) -> None:
    word.heading(1, f"{heading.number} {heading.title}")


def _pages(word: Word, paragraph: Any, pages: str | None, before: str = " ") -> None:
    """A page reference after a text, small and grey as printed."""
    if pages:
        from docx.shared import Pt, RGBColor

        run = paragraph.add_run(before + pages)
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor.from_string(word.look.muted)


def _grid(word: Word, grid: CriteriaGrid, verdict_title: str) -> None:
    text = word.text
    word.table([[c.name, c.assessment] for c in grid.criteria],
               header=[text["criterion"], text["assessment"]],
               widths_cm=(0.3 * word.text_width_cm, 0.7 * word.text_width_cm))
    word.heading(2, verdict_title)
    for paragraph in grid.verdict:
        word.paragraph(paragraph)


def _choices(word: Word, question: QuizQuestion, boxes: bool) -> None:
    """The choices, kept together on one page (and with what follows the last question: the
    organisation's line, Word.organisation_footer)."""
    for number, choice in enumerate(question.choices, start=1):
        paragraph = word.document.add_paragraph(style="List")
        paragraph.paragraph_format.keep_with_next = number < len(question.choices) or None
        if boxes:
            paragraph.add_run(f"{TICK_BOX} ")
        word.add(paragraph, choice.letter, bold=True)
        word.add(paragraph, " ", choice.html)


def _correction(word: Word, question: QuizQuestion) -> None:
    text = word.text
    answer = word.document.add_paragraph()
    word.label(answer, f"{text['correct_answer']}{text['colon']} ")
    word.add(answer, question.answer.letter, bold=True)
    word.add(answer, " ", question.answer.html)
    for index, paragraph in enumerate(question.explanation):
        explanation = word.document.add_paragraph()
        if index == 0:
            word.label(explanation, f"{text['explanation']}{text['colon']} ")
        word.add(explanation, paragraph)


def _easy_parts(word: Word, easy: EasyReadView, level: int, line_style: str | None,
                point_style: str | None) -> None:
    for part in easy.summary:
        word.heading(level, part.heading, picture_uri=part.pictogram, alt=part.pictogram_alt,
                     size_cm=PICTOGRAM_CM)
        for line in part.lines:
            word.paragraph(line, style=line_style)
    if easy.key_points:
        word.heading(level, word.text["easy_key_points"],
                     picture_uri=easy.key_points_pictogram, alt=easy.key_points_alt,
                     size_cm=PICTOGRAM_CM)
        for line in easy.key_points:
            if point_style:
                word.paragraph("•\t", line, style=point_style)
            else:
                word.paragraph(line, style="List Bullet")


def full_analysis(word: Word, view: Any) -> None:
    sheet: SheetView = view
    text = word.text
    word.organisation_mark()
    if sheet.source.url_qr:
        word.picture(word.document.add_paragraph(), sheet.source.url_qr.uri,
                     sheet.source.url_qr.label, width_cm=QR_CM)
    _overline(word, text["doc_full_analysis"])
    word.heading(0, sheet.title)
    source = sheet.source
    for key, value in (("authors", source.authors), ("publisher", source.publisher),
                       ("published", source.published),
                       ("source_document", source.url_short if source.url else None)):
        if value:
            paragraph = word.document.add_paragraph()
            word.label(paragraph, f"{text[key]} ")
            word.add(paragraph, Markup('<a href="{}">{}</a>').format(source.url, value)
                     if key == "source_document" else value)
    byline = word.paragraph(sheet.sheet.by)
    word.add(byline, sheet.sheet.author, bold=True)
    word.add(byline, f", {sheet.sheet.site}" if sheet.sheet.site else None,
             f" · {sheet.sheet.date}")
    word.items(sheet.highlights)
    for text_ in sheet.introduction:
        word.paragraph(text_)

    _section(word, sheet.headings.summary)
    for part in sheet.summary:
        word.heading(2, part.heading)
        for text_ in part.paragraphs:
            word.paragraph(text_)
    _section(word, sheet.headings.key_points)
    for point in sheet.key_points:
        _pages(word, word.paragraph(point.html, style="List Bullet"), point.pages)
    _section(word, sheet.headings.action_paths)
    for number, point in enumerate(sheet.action_paths, start=1):
        paragraph = word.paragraph(f"{number} ", style="List", bold=True)
        word.add(paragraph, point.html)
        _pages(word, paragraph, point.pages)
    if sheet.headings.references is not None:
        _section(word, sheet.headings.references)
        for ref in sheet.references:
            paragraph = word.paragraph(ref.title, style="List Bullet", bold=True)
            word.add(paragraph, Markup(" — ") + ref.note if ref.note else None)
            if ref.url and ref.url_printed:
                paragraph.add_run().add_break()
                word.add(paragraph, Markup('<a href="{}">{}</a>').format(ref.url,
                                                                         ref.url_printed))
    _section(word, sheet.headings.values)
    _grid(word, sheet.values, text["values_conclusion"])
    _section(word, sheet.headings.reliability)
    _grid(word, sheet.reliability, text["recommendation"])

    _section(word, sheet.headings.quiz)
    word.heading(2, text["quiz_part_questions"])
    for question in sheet.quiz:
        head = word.paragraph(text["question_n"].format(number=question.number), bold=True)
        _pages(word, head, question.pages)
        word.paragraph(question.html)
        _choices(word, question, boxes=False)
    word.heading(2, text["quiz_part_correction"])
    for question in sheet.quiz:
        word.paragraph(text["question_n"].format(number=question.number), bold=True)
        word.paragraph(question.html)
        _correction(word, question)
        if question.pages:
            paragraph = word.document.add_paragraph()
            word.label(paragraph, f"{text['source_pages']}{text['colon']} ")
            word.add(paragraph, question.pages)
    _section(word, sheet.headings.faq)
    for item in sheet.faq:
        word.paragraph(f"{item.number}. ", item.question, bold=True)
        for index, answer in enumerate(item.answer):
            paragraph = word.paragraph(answer)
            if index == len(item.answer) - 1:
                _pages(word, paragraph, item.pages)
    _section(word, sheet.headings.easy_read)
    _easy_parts(word, sheet.easy_read, 2, None, None)
    if sheet.tags:
        paragraph = word.document.add_paragraph()
        word.label(paragraph, f"{text['tags']} ")
        word.add(paragraph, " ".join(f"#{tag}" for tag in sheet.tags))
    word.organisation_footer()


def easy_read(word: Word, view: Any) -> None:
    leaflet: LeafletView = view
    easy, text = leaflet.easy_read, word.text
    closing = easy.closing
    if easy.picture:
        word.picture(word.document.add_paragraph(), easy.picture, easy.picture_alt,
                     height_cm=COVER_CM)
    word.paragraph(text["easy_marker"], style=EASY_READ, bold=True)
    word.heading(0, easy.title)
    word.paragraph(easy.explains, style=EASY_READ)
    _easy_parts(word, easy, 1, EASY_READ, EASY_READ_POINT)
    if closing is None:
        return
    org = leaflet.organisation if leaflet.organisation and (
        leaflet.organisation.logo_uri or leaflet.organisation.name) else None
    inline = org is not None and not closing.logo
    logo = (closing.logo, closing.logo_alt) if closing.logo else (
        (org.logo_uri, org.logo_alt or "") if inline and org and org.logo_uri else None)
    if logo and logo[0]:
        word.picture(word.document.add_paragraph(), logo[0], logo[1], height_cm=PICTOGRAM_CM)
    lines = [closing.written_by, closing.checked_by]
    if org is not None:
        lines += [org.name, org.website_short if org.website else None]
        if not inline and org.logo_uri:
            word.paragraph(closing.written_by, style=EASY_READ)
            lines = [closing.checked_by]
            word.picture(word.document.add_paragraph(), org.logo_uri, org.logo_alt or "",
                         height_cm=PICTOGRAM_CM)
            lines += [org.name, org.website_short if org.website else None]
    for line in lines:
        if line:
            word.paragraph(line, style=EASY_READ)
    if closing.contact:
        word.heading(1, closing.help_heading)
        for contact in closing.contact_lines:
            paragraph = word.document.add_paragraph(style=EASY_READ)
            if contact.pictogram:
                word.picture(paragraph, contact.pictogram, contact.word, height_cm=1.0)
                paragraph.add_run(" ")
            word.add(paragraph, contact.text)
    if closing.short_url and closing.qr:
        word.picture(word.document.add_paragraph(), closing.qr.uri, closing.qr.label,
                     width_cm=QR_CM)
        word.paragraph(closing.full_document, style=EASY_READ)
        word.paragraph(closing.short_url, style=EASY_READ, bold=True)
    word.paragraph(closing.date, style=EASY_READ)
    for credit in closing.credits:
        word.paragraph(credit, style=EASY_READ)
    if leaflet.organisation and leaflet.organisation.licence:
        org_ = leaflet.organisation
        word.paragraph(org_.licence, f" ({org_.licence_url_short})" if org_.licence_url
                       else None, f". {org_.footer_text}" if org_.footer_text else None,
                       style=EASY_READ)


def _identity(word: Word) -> None:
    """Name, Date and Group, each with a line to write on (a tab with a line leader)."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm

    width = Cm(word.text_width_cm)
    for key in ("name", "date", "group"):
        paragraph = word.document.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            min(width, Cm(12)), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.LINES)
        word.label(paragraph, word.text[key])
        paragraph.add_run("\t")


def _quiz_title(word: Word, quiz: QuizView, label: str, seed: bool = False) -> None:
    _overline(word, word.text[label], quiz.edition, quiz.seed_note if seed else None)
    word.heading(0, quiz.quiz_title_a5 if word.handout.paper == "a5" else quiz.quiz_title)


def quiz(word: Word, view: Any) -> None:
    printed: QuizView = view
    text = word.text
    word.organisation_mark(0.9)
    _quiz_title(word, printed, "doc_quiz")
    score = word.document.add_paragraph()
    word.label(score, text["score"])
    score.add_run(f"\t\t/ {printed.quiz_total}")
    _identity(word)
    word.small(printed.quiz_instructions)
    for question in printed.quiz:
        paragraph = word.paragraph(f"{question.number} ", bold=True)
        word.add(paragraph, question.html)
        if printed.page_refs:
            _pages(word, paragraph, question.pages)
        if question.points != 1:
            _pages(word, paragraph, f"({text['points_n'].format(points=question.points)})")
        paragraph.paragraph_format.keep_with_next = True
        _choices(word, question, boxes=True)
    word.organisation_footer()


def answer_key(word: Word, view: Any) -> None:
    printed: QuizView = view
    text = word.text
    # on every page, as printed: on the first page above the title, then in the header
    banner = word.document.sections[0].header.paragraphs[0]
    banner.insert_paragraph_before(text["facilitator_copy"]).runs[0].bold = True
    word.paragraph(text["facilitator_copy"], bold=True)
    word.organisation_mark(0.6)
    _quiz_title(word, printed, "doc_answer_key", seed=True)
    word.small(printed.key_instructions)
    word.heading(1, text["key_at_a_glance"])
    for start in range(0, len(printed.quiz), 10):
        row = printed.quiz[start:start + 10]
        rows: list[list[Any]] = [[text["question"], *(str(q.number) for q in row)],
                                 [text["answer"], *(q.answer.letter for q in row)]]
        if printed.weighted:
            rows.append([text["points"], *(str(q.points) for q in row)])
        first = 3.0  # room for "Question", "Pregunta" on one line
        word.table(rows, widths_cm=(first, *[(word.text_width_cm - first) / 10] * len(row)))
    for question in printed.quiz:
        paragraph = word.document.add_paragraph()
        word.label(paragraph, f"{question.answer.letter}\t")
        word.add(paragraph, f"{question.number}. ", bold=True)
        word.add(paragraph, question.html)
        _pages(word, paragraph, question.pages)
        if question.points != 1:
            _pages(word, paragraph, f"· {text['points_n'].format(points=question.points)}")
        _correction(word, question)
    word.organisation_footer()


def docx_bytes(handout: Handout) -> bytes:
    """The handout as a Word document."""
    word = Word(handout)
    WRITERS[handout.kind.name](word, handout.view)
    return word.save()


def makes(kind: HandoutKind) -> bool:
    """The kinds written as Word documents, and data kinds (the same in every format); the
    booklet (an imposition for folding), the marking grid and the tally sheet (facilitators'
    working sheets, best printed) and the answer sheet (read back by `handouts scan` from its
    printed geometry, which an edited copy would lose) are left to the PDF."""
    return kind.produce is not None or kind.name in WRITERS


WRITERS: dict[str, Callable[[Word, Any], None]] = {
    "full-analysis": full_analysis,
    "easy-read": easy_read,
    "quiz": quiz,
    "answer-key": answer_key,
}
