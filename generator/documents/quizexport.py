"""The sheet's quiz for learning platforms: Moodle XML and GIFT (Moodle, and the tools that
read GIFT), and what the other exports (qti.py, kahoot.py) share with them.

An export is the whole sheet's quiz, once, in the sheet's order: the platform shuffles for
each learner, as the sheet's `shuffle` says. A wrong answer scores 0, never less: the paper
quiz counts right answers only ("… / N"), and a platform's score stays the paper's. Texts are
the sheet's Markdown rendered as on paper (markup.py): HTML reduced to bold, italic and links
for the formats that take HTML, plain text for the others.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import escape
from typing import TYPE_CHECKING

from ..view.quizview import QuizQuestion, QuizView

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

    from ..view.commonview import CommonView

TITLE_LENGTH = 80  # characters of a question's title (Moodle's list of questions)
KEPT_TAGS = {"strong": "strong", "em": "em", "a": "a"}  # what the sheet's Markdown makes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries dated alike: the same quiz, the same bytes


def quiz_of(view: CommonView) -> QuizView:
    """The quiz's view a quiz export is given (its kind prints `quiz_view`)."""
    if not isinstance(view, QuizView):
        raise TypeError(f"a quiz export was given a {type(view).__name__}, not a QuizView")
    return view


def question_title(question: QuizQuestion) -> str:
    """A short title naming the question in a platform's question bank: its number and its
    first words, cut at a word."""
    title = f"{question.number}. {question.text}"
    if len(title) <= TITLE_LENGTH:
        return title
    cut = title[: TITLE_LENGTH - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def pages_note(view: QuizView, question: QuizQuestion) -> str:
    """Where the answer is in the document, in the sheet's language ("" without pages)."""
    return view.labels["export_pages"].format(pages=question.pages) if question.pages else ""


def copy_inline(html: str, parent: etree._Element, namespace: str = "") -> None:
    """Append the sheet's inline HTML (markup.inline's) to `parent`, keeping bold, italic and
    links (their address only: no attribute a platform's schema would refuse)."""
    from lxml import etree
    from lxml import html as lxml_html

    source = lxml_html.fragment_fromstring(html or "", create_parent="span")
    prefix = f"{{{namespace}}}" if namespace else ""

    def copy(from_element: etree._Element, to_element: etree._Element) -> None:
        to_element.text = (to_element.text or "") + (from_element.text or "")
        for child in from_element:
            tag = KEPT_TAGS.get(str(child.tag))
            if tag is None:  # never made by markup.inline; kept as its text
                last = to_element[-1] if len(to_element) else None
                words = "".join(child.itertext()) + (child.tail or "")
                if last is None:
                    to_element.text = (to_element.text or "") + words
                else:
                    last.tail = (last.tail or "") + words
                continue
            made = etree.SubElement(to_element, prefix + tag)
            if tag == "a" and child.get("href"):
                made.set("href", str(child.get("href")))
            copy(child, made)
            made.tail = child.tail

    copy(source, parent)


def clean_html(html: str) -> str:
    """The sheet's inline HTML with only bold, italic and links, as an HTML string."""
    from lxml import etree

    holder = etree.Element("p")
    copy_inline(html, holder)
    inner: str = etree.tostring(holder, encoding="unicode", method="html")
    return inner[len("<p>"):-len("</p>")]


def stable_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip of these files in this order, each dated alike: equal input, equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def quiz_name(view: QuizView) -> str:
    """The quiz's title as plain text."""
    return view.quiz_title.striptags()


def category(view: QuizView) -> str:
    """The Moodle category the questions go in: the sheet's title, under the course's top
    category ("/" inside a name is written "//" in a Moodle category path)."""
    return "$course$/top/" + quiz_name(view).replace("/", "//")


# ---- Moodle XML ----------------------------------------------------------------------------

def _text_in(parent: etree._Element, tag: str, html: str, fmt: str = "html") -> None:
    from lxml import etree

    holder = etree.SubElement(parent, tag, format=fmt)
    etree.SubElement(holder, "text").text = html


def _paragraphs(pieces: list[str]) -> str:
    return "".join(f"<p>{piece}</p>" for piece in pieces if piece)


def moodle_xml(view: CommonView) -> bytes:
    """Moodle's XML question format: a category named after the sheet, then one
    multichoice question per sheet question (single answer, the right one at 100 %, the
    explanation as its feedback, where the answer is in the document as general feedback,
    the points as default grade). Moodle cannot pin a choice last: a question with
    `pin_last` is not shuffled, so its last choice stays last."""
    from lxml import etree

    quiz = quiz_of(view)
    root = etree.Element("quiz")
    head = etree.SubElement(root, "question", type="category")
    holder = etree.SubElement(head, "category")
    etree.SubElement(holder, "text").text = category(quiz)
    for question in quiz.quiz:
        item = etree.SubElement(root, "question", type="multichoice")
        name = etree.SubElement(item, "name")
        etree.SubElement(name, "text").text = question_title(question)
        _text_in(item, "questiontext", _paragraphs([clean_html(question.html)]))
        _text_in(item, "generalfeedback",
                 _paragraphs([_escaped(pages_note(quiz, question))]))
        etree.SubElement(item, "defaultgrade").text = str(question.points)
        etree.SubElement(item, "penalty").text = "0"
        etree.SubElement(item, "hidden").text = "0"
        etree.SubElement(item, "idnumber").text = f"{quiz.slug}-{question.sheet_number}"
        etree.SubElement(item, "single").text = "true"
        shuffled = question.shuffle and not question.pin_last
        etree.SubElement(item, "shuffleanswers").text = "true" if shuffled else "false"
        etree.SubElement(item, "answernumbering").text = "ABCD"  # as the paper letters them
        etree.SubElement(item, "showstandardinstruction").text = "0"
        explanation = _paragraphs([clean_html(part) for part in question.explanation])
        for choice in question.choices:
            answer = etree.SubElement(item, "answer", fraction="100" if choice.correct else "0",
                                      format="html")
            etree.SubElement(answer, "text").text = clean_html(choice.html)
            _text_in(answer, "feedback", explanation if choice.correct else "")
    written: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    pretty_print=True)
    return written


def _escaped(text: str) -> str:
    """Plain text as HTML."""
    return escape(text, quote=False)


# ---- GIFT ----------------------------------------------------------------------------------

_GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_escape(text: str) -> str:
    """Plain text as GIFT reads it: its special characters ~ = # { } : and the backslash
    escaped with a backslash, line ends as \\n (a blank line would end the question)."""
    escaped = _GIFT_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def gift(view: CommonView) -> bytes:
    """GIFT text: a category named after the sheet, then each question with a title, its
    choices (= the right one, ~ the others), the explanation as the right one's feedback
    (#) and where the answer is in the document as general feedback (####). GIFT has no
    syntax for a question's points: a comment says them, and Moodle XML keeps them."""
    quiz = quiz_of(view)
    lines = [f"// {gift_escape(quiz_name(quiz))}", f"$CATEGORY: {category(quiz)}", ""]
    for question in quiz.quiz:
        if question.points != 1:
            lines.append(f"// points: {question.points}")
        lines.append(f"::{gift_escape(question_title(question))}::"
                     f"{gift_escape(question.text)} {{")
        feedback = gift_escape("\n\n".join(question.explanation_text))
        for choice in question.choices:
            mark = "=" if choice.correct else "~"
            line = f"\t{mark}{gift_escape(choice.text)}"
            if choice.correct and feedback:
                line += f"#{feedback}"
            lines.append(line)
        note = pages_note(quiz, question)
        if note:
            lines.append(f"\t####{gift_escape(note)}")
        lines += ["}", ""]
    return "\n".join(lines).encode("utf-8")
