"""The sheet's quiz as an IMS QTI 2.1 content package (Canvas, Blackboard, TAO, Inspera…):
a zip holding one assessmentItem per question, an assessmentTest that lists them in the
sheet's order, and the imsmanifest.xml that references every file.

Each item is a single-choice `choiceInteraction`: the right choice's identifier in
`correctResponse`, the choices shuffled by the platform when the sheet's `shuffle` says so,
a pinned last choice `fixed`; the score is the question's points, and the feedback is the
explanation (right answer) and where the answer is in the document (both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .quizexport import (
    copy_inline,
    pages_note,
    question_title,
    quiz_name,
    quiz_of,
    stable_zip,
)

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

    from ..view.commonview import CommonView
    from ..view.quizview import QuizQuestion, QuizView

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TEST_FILE = "assessment.xml"


def item_file(question: QuizQuestion) -> str:
    return f"items/question-{question.sheet_number:03d}.xml"


def item_id(question: QuizQuestion) -> str:
    return f"question-{question.sheet_number:03d}"


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def _root(tag: str, **attributes: str) -> etree._Element:
    from lxml import etree

    root = etree.Element(_q(tag), nsmap={None: QTI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")
    for name, value in attributes.items():
        root.set(name, value)
    return root


def _set(parent: etree._Element, identifier: str, base_type: str, value: str) -> None:
    from lxml import etree

    made = etree.SubElement(parent, _q("setOutcomeValue"), identifier=identifier)
    etree.SubElement(made, _q("baseValue"), baseType=base_type).text = value


def _feedback(root: etree._Element, identifier: str, html: list[str], note: str) -> None:
    """A modal feedback shown when FEEDBACK is `identifier`: paragraphs of the sheet's HTML,
    then a plain note (nothing when there is no text)."""
    from lxml import etree

    if not html and not note:
        return
    shown = etree.SubElement(root, _q("modalFeedback"), outcomeIdentifier="FEEDBACK",
                             identifier=identifier, showHide="show")
    for paragraph in html:
        copy_inline(paragraph, etree.SubElement(shown, _q("p")), QTI)
    if note:
        etree.SubElement(shown, _q("p")).text = note


def assessment_item(quiz: QuizView, question: QuizQuestion) -> bytes:
    """One question as a QTI 2.1 assessmentItem."""
    from lxml import etree

    root = _root("assessmentItem", identifier=item_id(question),
                 title=question_title(question), adaptive="false", timeDependent="false")
    root.set(XML_LANG, quiz.lang)
    response = etree.SubElement(root, _q("responseDeclaration"), identifier="RESPONSE",
                                cardinality="single", baseType="identifier")
    correct = etree.SubElement(response, _q("correctResponse"))
    etree.SubElement(correct, _q("value")).text = question.answer.letter
    for identifier, base_type, default in (("SCORE", "float", "0"),
                                           ("MAXSCORE", "float", str(question.points)),
                                           ("FEEDBACK", "identifier", None)):
        outcome = etree.SubElement(root, _q("outcomeDeclaration"), identifier=identifier,
                                   cardinality="single", baseType=base_type)
        if default is not None:
            value = etree.SubElement(outcome, _q("defaultValue"))
            etree.SubElement(value, _q("value")).text = default
    body = etree.SubElement(root, _q("itemBody"))
    interaction = etree.SubElement(body, _q("choiceInteraction"), responseIdentifier="RESPONSE",
                                   shuffle="true" if question.shuffle else "false",
                                   maxChoices="1", minChoices="1")
    prompt = etree.SubElement(interaction, _q("prompt"))
    copy_inline(question.html, prompt, QTI)
    last = len(question.choices) - 1
    for index, choice in enumerate(question.choices):
        made = etree.SubElement(interaction, _q("simpleChoice"), identifier=choice.letter)
        if question.shuffle and question.pin_last and index == last:
            made.set("fixed", "true")
        copy_inline(choice.html, made, QTI)
    processing = etree.SubElement(root, _q("responseProcessing"))
    condition = etree.SubElement(processing, _q("responseCondition"))
    when = etree.SubElement(condition, _q("responseIf"))
    match = etree.SubElement(when, _q("match"))
    etree.SubElement(match, _q("variable"), identifier="RESPONSE")
    etree.SubElement(match, _q("correct"), identifier="RESPONSE")
    _set(when, "SCORE", "float", str(question.points))
    _set(when, "FEEDBACK", "identifier", "CORRECT")
    otherwise = etree.SubElement(condition, _q("responseElse"))
    _set(otherwise, "SCORE", "float", "0")
    _set(otherwise, "FEEDBACK", "identifier", "INCORRECT")
    note = pages_note(quiz, question)
    _feedback(root, "CORRECT", list(question.explanation), note)
    _feedback(root, "INCORRECT", [], note)
    written: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    pretty_print=True)
    return written


def assessment_test(quiz: QuizView) -> bytes:
    """The test: every item in the sheet's order, the score their sum."""
    from lxml import etree

    root = _root("assessmentTest", identifier=f"{quiz.slug}-quiz", title=quiz_name(quiz))
    etree.SubElement(root, _q("outcomeDeclaration"), identifier="SCORE",
                     cardinality="single", baseType="float")
    part = etree.SubElement(root, _q("testPart"), identifier="part-1",
                            navigationMode="nonlinear", submissionMode="simultaneous")
    section = etree.SubElement(part, _q("assessmentSection"), identifier="section-1",
                               title=quiz_name(quiz), visible="true")
    for question in quiz.quiz:
        etree.SubElement(section, _q("assessmentItemRef"), identifier=item_id(question),
                         href=item_file(question))
    processing = etree.SubElement(root, _q("outcomeProcessing"))
    total = etree.SubElement(processing, _q("setOutcomeValue"), identifier="SCORE")
    etree.SubElement(etree.SubElement(total, _q("sum")), _q("testVariables"),
                     variableIdentifier="SCORE")
    written: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    pretty_print=True)
    return written


def manifest(quiz: QuizView) -> bytes:
    """imsmanifest.xml: the test and every item as resources, each with its file."""
    from lxml import etree

    root = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "xsi": XSI},
                         identifier=f"{quiz.slug}-manifest")
    root.set(f"{{{XSI}}}schemaLocation", f"{CP} {CP_XSD}")
    metadata = etree.SubElement(root, f"{{{CP}}}metadata")
    etree.SubElement(metadata, f"{{{CP}}}schema").text = "QTIv2.1 Package"
    etree.SubElement(metadata, f"{{{CP}}}schemaversion").text = "1.0.0"
    etree.SubElement(root, f"{{{CP}}}organizations")
    resources = etree.SubElement(root, f"{{{CP}}}resources")
    test = etree.SubElement(resources, f"{{{CP}}}resource", identifier=f"{quiz.slug}-quiz",
                            type="imsqti_test_xmlv2p1", href=TEST_FILE)
    etree.SubElement(test, f"{{{CP}}}file", href=TEST_FILE)
    for question in quiz.quiz:
        etree.SubElement(test, f"{{{CP}}}dependency", identifierref=item_id(question))
    for question in quiz.quiz:
        item = etree.SubElement(resources, f"{{{CP}}}resource", identifier=item_id(question),
                                type="imsqti_item_xmlv2p1", href=item_file(question))
        etree.SubElement(item, f"{{{CP}}}file", href=item_file(question))
    written: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    pretty_print=True)
    return written


def qti_package(view: CommonView) -> bytes:
    """The content package's zip: the manifest first, then the test and the items."""
    quiz = quiz_of(view)
    return stable_zip([("imsmanifest.xml", manifest(quiz)), (TEST_FILE, assessment_test(quiz)),
                       *((item_file(q), assessment_item(quiz, q)) for q in quiz.quiz)])
