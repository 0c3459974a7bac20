"""The quiz for learning platforms (#30, items 2 and 4): Moodle XML, GIFT, a QTI 2.1 package
and Kahoot's spreadsheet, each read back by an independent reader (lxml, a GIFT parser
written here, zipfile, openpyxl) and compared with the sheet's YAML; Kahoot's limits refused
with their lines, nothing written."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from generator import api
from generator.cli import cli
from generator.errors import OptionsError
from generator.view.markup import plain
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = DATA / "exports" / "hostile-quiz.yaml"
OVER_LIMITS = DATA / "exports" / "over-kahoot-limits.yaml"
SAMPLE = ROOT / "content" / "educational-alliances.yaml"

# The hostile sheet's quiz as a reader must get it, typed here from the YAML: Markdown
# rendered (`\\` is one backslash, **bold** is bold), GIFT's special characters kept.
QUESTIONS = [
    {"text": "Is 2 = 1+1 ~ {maybe}: see C:\\ drive # 3?",
     "choices": ["Yes = right {really}", "No ~ wrong: #2", "Back\\ slash \\ twice"],
     "right": 0, "points": 3, "explanation": ["Because 1+1 {is} 2: see #7 ~ end."],
     "pages": "Where the answer is in the document: pp. 12–14",
     "shuffle": True, "pinned": False},
    {"text": "Which word is in the guide (example.org/guide)?",
     "html_text": "Which word is in the guide?",
     "choices": ["Alpha", "Beta", "Gamma", "Delta", "None of these"],
     "right": 4, "points": 1, "explanation": [], "pages": "",
     "shuffle": True, "pinned": True},
    {"text": "Rank these from small to large: which comes first?",
     "choices": ["Small", "Medium", "Large"],
     "right": 0, "points": 1, "explanation": ["Small is the smallest.", "The others follow."],
     "pages": "", "shuffle": False, "pinned": False},
]
LETTERS = "ABCDEF"


def _export(sheet: Path, out: Path, fmt: str, **options: object) -> bytes:
    result = api.build([sheet], out, fmt=fmt, **options)
    assert result.ok, [str(failure) for failure in result.failures]
    files = [path for path in (out / sheet.stem).iterdir()]
    assert len(files) == 1, files  # the quiz, once: no key, no leaflet
    return files[0].read_bytes()


def _html_text(fragment: str) -> str:
    return lxml_html.fragment_fromstring(fragment or "<p></p>", create_parent="div") \
        .text_content() if fragment else ""


# ---- Moodle XML ----------------------------------------------------------------------------

def test_moodle_xml_has_one_multichoice_per_question_as_moodle_imports_it(tmp_path):
    root = etree.fromstring(_export(HOSTILE, tmp_path, "moodle"))
    assert root.tag == "quiz"
    category = root.find("question[@type='category']/category/text")
    assert category is not None and category.text == "$course$/top/A minimal sheet"
    questions = root.findall("question[@type='multichoice']")
    assert len(questions) == len(QUESTIONS)
    assert len(root.findall("question")) == len(QUESTIONS) + 1
    for number, (element, expected) in enumerate(zip(questions, QUESTIONS, strict=True), 1):
        assert element.findtext("name/text") == f"{number}. {expected['text']}"
        shown = _html_text(element.findtext("questiontext/text"))
        assert shown == expected.get("html_text", expected["text"])
        assert element.find("questiontext").get("format") == "html"
        assert element.findtext("defaultgrade") == str(expected["points"])
        assert element.findtext("single") == "true"
        # Moodle cannot pin a choice last: a pinned question keeps the sheet's order
        shuffled = expected["shuffle"] and not expected["pinned"]
        assert element.findtext("shuffleanswers") == ("true" if shuffled else "false")
        answers = element.findall("answer")
        assert [_html_text(a.findtext("text")) for a in answers] == expected["choices"]
        right = [a for a in answers if a.get("fraction") == "100"]
        assert len(right) == 1
        assert _html_text(right[0].findtext("text")) == expected["choices"][expected["right"]]
        assert {a.get("fraction") for a in answers if a is not right[0]} == {"0"}
        feedback = right[0].findtext("feedback/text") or ""
        paragraphs = lxml_html.fragment_fromstring(feedback, create_parent="div").findall(
            "p") if feedback else []
        assert [p.text_content() for p in paragraphs] == expected["explanation"]
        assert _html_text(element.findtext("generalfeedback/text")) == expected["pages"]


def test_moodle_keeps_the_sheets_bold_and_links_as_html(tmp_path):
    root = etree.fromstring(_export(HOSTILE, tmp_path, "moodle"))
    text = root.findall("question[@type='multichoice']")[1].findtext("questiontext/text")
    fragment = lxml_html.fragment_fromstring(text, create_parent="div")
    assert fragment.findtext(".//strong") == "word"
    link = fragment.find(".//a")
    assert link.get("href") == "https://example.org/guide" and link.text == "the guide"
    assert link.attrib.keys() == ["href"]  # nothing a platform's cleaner would strip


# ---- GIFT ------------------------------------------------------------------------------------

def _gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], text, flags=re.S)


def _gift_pieces(body: str) -> list[tuple[str, str]]:
    """A GIFT answer block cut at its unescaped marks: (mark, raw text) pairs, the marks
    being = ~ # and ####."""
    pieces: list[tuple[str, str]] = []
    mark, text, index = "", "", 0
    while index < len(body):
        character = body[index]
        if character == "\\":
            text += body[index:index + 2]
            index += 2
            continue
        if character in "=~#":
            pieces.append((mark, text))
            mark = "####" if body.startswith("####", index) else character
            index += len(mark)
            text = ""
            continue
        text += character
        index += 1
    pieces.append((mark, text))
    return [(m, t) for m, t in pieces if m or t.strip()]


def parse_gift(source: str) -> tuple[str | None, list[dict[str, object]]]:
    """A small GIFT reader for multiple-choice questions: the category and each question's
    title, text, answers (text, right or not, feedback) and general feedback."""
    category, questions = None, []
    for block in re.split(r"\n[ \t]*\n", source):
        lines = [line for line in block.splitlines() if not line.lstrip().startswith("//")]
        text = "\n".join(lines).strip()
        if not text:
            continue
        if text.startswith("$CATEGORY:"):
            category = text[len("$CATEGORY:"):].strip()
            continue
        found = re.fullmatch(r"::((?:\\.|[^\\:])*)::((?:\\.|[^\\{])*)\{(.*)\}", text, re.S)
        assert found, f"not a GIFT question: {text!r}"
        answers, general = [], None
        for mark, raw in _gift_pieces(found[3]):
            value = _gift_unescape(raw.strip())
            if mark in ("=", "~"):
                answers.append({"text": value, "right": mark == "=", "feedback": None})
            elif mark == "#":
                answers[-1]["feedback"] = value
            elif mark == "####":
                general = value
        questions.append({"title": _gift_unescape(found[1]),
                          "text": _gift_unescape(found[2].strip()),
                          "answers": answers, "general": general})
    return category, questions


def test_gift_reads_back_as_the_sheet_with_its_special_characters(tmp_path):
    category, questions = parse_gift(_export(HOSTILE, tmp_path, "gift").decode("utf-8"))
    assert category == "$course$/top/A minimal sheet"
    assert len(questions) == len(QUESTIONS)
    for number, (read, expected) in enumerate(zip(questions, QUESTIONS, strict=True), 1):
        assert read["text"] == expected["text"]
        assert str(read["title"]).startswith(f"{number}. ")
        answers = read["answers"]
        assert [a["text"] for a in answers] == expected["choices"]
        assert [a["right"] for a in answers] == [
            i == expected["right"] for i in range(len(expected["choices"]))]
        explanation = "\n\n".join(expected["explanation"]) or None
        assert answers[expected["right"]]["feedback"] == explanation
        assert read["general"] == (expected["pages"] or None)


def test_gift_says_the_points_it_cannot_give(tmp_path):
    text = _export(HOSTILE, tmp_path, "gift").decode("utf-8")
    assert text.count("// points: 3\n::1. ") == 1
    assert "// points: 1" not in text


# ---- QTI 2.1 ---------------------------------------------------------------------------------

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def test_the_qti_package_references_every_item_and_each_has_the_right_answer(tmp_path):
    package = zipfile.ZipFile(io.BytesIO(_export(HOSTILE, tmp_path, "qti")))
    names = set(package.namelist())
    manifest = etree.fromstring(package.read("imsmanifest.xml"))
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    items = [r for r in resources if r.get("type") == "imsqti_item_xmlv2p1"]
    tests = [r for r in resources if r.get("type") == "imsqti_test_xmlv2p1"]
    assert len(items) == len(QUESTIONS) and len(tests) == 1
    referenced = {r.get("href") for r in resources}
    assert referenced | {"imsmanifest.xml"} == names  # every file, and nothing else
    for resource in resources:
        assert [f.get("href") for f in resource.findall(f"{CP}file")] == [resource.get("href")]
    assert [d.get("identifierref") for d in tests[0].findall(f"{CP}dependency")] == [
        r.get("identifier") for r in items]
    test = etree.fromstring(package.read(tests[0].get("href")))
    assert [ref.get("href") for ref in test.iter(f"{QTI}assessmentItemRef")] == [
        r.get("href") for r in items]
    for resource, expected in zip(items, QUESTIONS, strict=True):
        item = etree.fromstring(package.read(resource.get("href")))
        assert item.tag == f"{QTI}assessmentItem"
        assert item.get("identifier") == resource.get("identifier")
        assert [v.text for v in item.iter(f"{QTI}value")
                if v.getparent().tag == f"{QTI}correctResponse"] == [LETTERS[expected["right"]]]
        interaction = item.find(f"{QTI}itemBody/{QTI}choiceInteraction")
        assert interaction.get("maxChoices") == "1"
        assert interaction.get("shuffle") == ("true" if expected["shuffle"] else "false")
        prompt = "".join(interaction.find(f"{QTI}prompt").itertext())
        assert prompt == expected.get("html_text", expected["text"])
        choices = interaction.findall(f"{QTI}simpleChoice")
        assert ["".join(c.itertext()) for c in choices] == expected["choices"]
        assert [c.get("identifier") for c in choices] == list(LETTERS[:len(choices)])
        fixed = [c.get("fixed") for c in choices]
        assert fixed == [None] * (len(choices) - 1) + ["true" if expected["pinned"] else None]
        scores = [s.findtext(f"{QTI}baseValue") for s in item.iter(f"{QTI}setOutcomeValue")
                  if s.get("identifier") == "SCORE"]
        assert scores == [str(expected["points"]), "0"]
        right = item.find(f"{QTI}modalFeedback[@identifier='CORRECT']")
        shown = ["".join(p.itertext()) for p in right.findall(f"{QTI}p")] if right is not None \
            else []
        assert shown == expected["explanation"] + ([expected["pages"]] if expected["pages"]
                                                   else [])


# ---- Kahoot ----------------------------------------------------------------------------------

# Kahoot's template, as its own spreadsheet heads the columns (row 8, from column B).
KAHOOT_HEADINGS = ["Question - max 120 characters", "Answer 1 - max 75 characters",
                   "Answer 2 - max 75 characters", "Answer 3 - max 75 characters",
                   "Answer 4 - max 75 characters",
                   "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
                   "Correct answer(s) - choose at least one"]


def _rows(data: bytes) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book.active.iter_rows(values_only=True))


def test_the_kahoot_spreadsheet_is_kahoots_template_with_the_sheets_quiz(tmp_path):
    rows = _rows(_export(SAMPLE, tmp_path, "kahoot"))
    assert list(rows[7][1:8]) == KAHOOT_HEADINGS
    quiz = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["quiz"]
    assert len(rows) == 8 + len(quiz)
    for number, (row, question) in enumerate(zip(rows[8:], quiz, strict=True), 1):
        choices = question.get("kahoot", {}).get("choices") or question["choices"]
        assert row[0] == number
        assert row[1] == question["question"]
        assert list(row[2:2 + len(choices)]) == choices
        assert row[6] == 20
        assert row[7] == "abcd".index(question["answer"]) + 1
    assert rows[8 + 4][4] == "A long-term label, with funding and recognised engineering"


def test_kahoot_takes_the_sheets_shorter_wording(tmp_path):
    sheet = yaml.safe_load(OVER_LIMITS.read_text(encoding="utf-8"))
    sheet["quiz"] = [sheet["quiz"][0], sheet["quiz"][4]]
    source = tmp_path / "shorter.yaml"
    source.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    rows = _rows(_export(source, tmp_path / "out", "kahoot"))
    assert rows[8][:8] == (1, "Which one is right?", "This one", "That one", None, None, 20, 1)
    assert rows[9][:8] == (2, "Which levels of analysis did the authors use?", "One", "Two",
                           "Three", None, 30, 1)


KAHOOT_REFUSED = """\
error: 3 problems in {file}:
  {file}:30:15: quiz[2].question: has 139 characters; Kahoot takes questions of at most 120: \
shorten it, or give Kahoot a shorter one under this question, as `kahoot:` then `question: …`
  {file}:34:14: quiz[3].choices: has 5 choices; Kahoot takes 2 to 4: give Kahoot 4 or fewer \
under this question, as `kahoot:` then `choices:` and the letter of the right one in `answer:`
  {file}:37:24: quiz[4].choices[2]: has 82 characters; Kahoot takes answers of at most 75: \
shorten it, or give Kahoot shorter choices under this question, as `kahoot:` then `choices:`
0 files written, 1 sheet failed, its earlier handouts kept as they were.
"""


def test_a_sheet_over_kahoots_limits_names_each_question_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    earlier = _export(OVER_LIMITS, out, "moodle")  # the sheet's Moodle export, kept
    folder = out / OVER_LIMITS.stem
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(OVER_LIMITS), "-o", str(out), "--format",
                                 "kahoot"])
    assert result.exit_code == 1
    assert result.stderr == KAHOOT_REFUSED.format(file=OVER_LIMITS.relative_to(ROOT))
    assert [path.name for path in folder.iterdir()] == [f"{OVER_LIMITS.stem}-quiz.xml"]
    assert (folder / f"{OVER_LIMITS.stem}-quiz.xml").read_bytes() == earlier


# What check says of the same sheet: warnings (a sheet that never goes to Kahoot is fine), in
# the sheet's language, each at the line the build's refusal names. The lengths are counted
# here from the YAML, in the sheet's order: question 2 (139 characters), question 3 (5
# choices), choice B of question 4 (82 characters).
KAHOOT_WARNED = {
    "en": [
        "30:15: warning: quiz[2].question: If you export this quiz to Kahoot: question 2 is "
        "{q2} characters long; Kahoot takes 120. Shorten it, or give a shorter wording under "
        "`kahoot:`.",
        "34:14: warning: quiz[3].choices: If you export this quiz to Kahoot: question 3 has "
        "{c3} choices; Kahoot takes 2 to 4. Give it 4 or fewer under `kahoot:`, with the "
        "letter of the right one in `answer:`.",
        "37:24: warning: quiz[4].choices[2]: If you export this quiz to Kahoot: choice B of "
        "question 4 is {b4} characters long; Kahoot takes 75. Shorten it, or give shorter "
        "choices under `kahoot:`."],
    "fr": [
        "30:15: warning: quiz[2].question: Si vous exportez ce questionnaire vers Kahoot\u00a0: "
        "la question 2 fait {q2} caractères\u202f; Kahoot en accepte 120. Raccourcissez-la, "
        "ou donnez-en une formulation plus courte sous le champ `kahoot`.",
        "34:14: warning: quiz[3].choices: Si vous exportez ce questionnaire vers Kahoot\u00a0: "
        "la question 3 a {c3} choix\u202f; Kahoot en accepte de 2 à 4. Donnez-lui-en 4 ou "
        "moins sous le champ `kahoot`, avec la lettre du bon dans le champ `answer`.",
        "37:24: warning: quiz[4].choices[2]: Si vous exportez ce questionnaire vers "
        "Kahoot\u00a0: le choix B de la question 4 fait {b4} caractères\u202f; Kahoot en "
        "accepte 75. Raccourcissez-le, ou donnez des choix plus courts sous le champ `kahoot`."],
    "es": [
        "30:15: warning: quiz[2].question: Si exporta este cuestionario a Kahoot: la pregunta "
        "2 tiene {q2} caracteres; Kahoot admite 120. Acórtela, o escriba una versión más corta "
        "en `kahoot:`.",
        "34:14: warning: quiz[3].choices: Si exporta este cuestionario a Kahoot: la pregunta 3 "
        "tiene {c3} opciones; Kahoot admite de 2 a 4. Dé 4 o menos en `kahoot:`, con la letra "
        "de la correcta en `answer:`.",
        "37:24: warning: quiz[4].choices[2]: Si exporta este cuestionario a Kahoot: la opción "
        "B de la pregunta 4 tiene {b4} caracteres; Kahoot admite 75. Acórtela, o escriba "
        "opciones más cortas en `kahoot:`."],
}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_check_warns_of_kahoots_limits_in_the_sheets_language(tmp_path, lang):
    text = OVER_LIMITS.read_text(encoding="utf-8")
    assert "\nlang: en\n" in text
    source = tmp_path / OVER_LIMITS.name
    source.write_text(text.replace("\nlang: en\n", f"\nlang: {lang}\n"), encoding="utf-8")
    quiz = yaml.safe_load(text)["quiz"]
    counts = {"q2": len(quiz[1]["question"]), "c3": len(quiz[2]["choices"]),
              "b4": len(quiz[3]["choices"][1])}
    assert counts == {"q2": 139, "c3": 5, "b4": 82}
    if lang == "fr":  # Kahoot gets the printed text: French puts a space before the "?"
        counts["q2"] += 1
    report = api.check([source])
    assert report.ok and report.sheets[0].valid  # warnings: `check` passes
    warned = [str(w) for w in report.sheets[0].warnings if "Kahoot" in w.message]
    assert warned == [f"{source}:{line.format(**counts)}" for line in KAHOOT_WARNED[lang]]
    assert not api.check([source], strict=True).ok  # --strict makes them count
    # question 5, as long as question 2 with 6 choices, has shorter words under `kahoot:`
    sample = api.check([SAMPLE]).sheets[0].warnings
    assert [w for w in sample if "Kahoot" in w.message] == []


def test_check_says_nothing_of_kahoot_to_a_sheet_not_meant_for_it(tmp_path):
    """Without `kahoot:` wording anywhere, a quiz is not meant for Kahoot: five choices are
    fine, and `check --strict` passes; the Kahoot build still refuses it."""
    source = tmp_path / "five.yaml"
    data = yaml.safe_load(OVER_LIMITS.read_text(encoding="utf-8"))
    for question in data["quiz"]:
        question.pop("kahoot", None)
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    assert len(data["quiz"][2]["choices"]) == 5
    report = api.check([source])
    assert [w for w in report.sheets[0].warnings if "Kahoot" in w.message] == []
    assert not api.build([source], tmp_path / "out", fmt="kahoot").ok


# ---- every export ----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["moodle", "gift", "qti", "kahoot"])
def test_an_export_is_the_sheets_order_once_whatever_the_versions(fmt, tmp_path):
    sheet = SAMPLE
    alone = _export(sheet, tmp_path / "one", fmt)
    with_versions = _export(sheet, tmp_path / "three", fmt, versions=3, pre_post=True)
    assert with_versions == alone  # one file, made again byte for byte


def test_exports_make_only_the_quiz(tmp_path):
    with pytest.raises(OptionsError) as refused:
        api.build([HOSTILE], tmp_path / "out", fmt="moodle", only=("answer-key",))
    assert str(refused.value) == ("the moodle format does not make answer-key: leave it out "
                                  "of --only, or choose another --format")


@pytest.mark.parametrize("fmt, suffix", [("moodle", "xml"), ("gift", "gift.txt"),
                                         ("qti", "zip"), ("kahoot", "xlsx")])
def test_each_export_has_its_suffix(fmt, suffix, tmp_path):
    _export(SAMPLE, tmp_path, fmt)
    assert [p.name for p in (tmp_path / SAMPLE.stem).iterdir()] == [
        f"{SAMPLE.stem}-quiz.{suffix}"]


def test_plain_text_is_the_words_of_the_sheets_markdown():
    assert plain("A **bold** and *new* [guide](https://example.org/a) here") == (
        "A bold and new guide (example.org/a) here")
    assert plain("See [https://example.org](https://example.org)\nnow") == (
        "See https://example.org now")
    assert plain("Tout est dit : oui ?", "fr") == "Tout est dit\u00a0: oui\u202f?"


@pytest.mark.parametrize("fmt", ["qti", "kahoot"])
def test_a_package_holds_no_date_of_its_making(fmt, tmp_path):
    """The same quiz makes the same bytes (an output's fingerprint is their digest): the
    zip's entries, and the workbook's own dates, say no build time."""
    data = _export(SAMPLE, tmp_path, fmt)
    entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    if fmt == "kahoot":
        properties = openpyxl.load_workbook(io.BytesIO(data)).properties
        assert properties.created == properties.modified == dt.datetime(2000, 1, 1)
