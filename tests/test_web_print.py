"""Printing a page gives what is on screen, and more: the quiz and analysis pages print every
answer and explanation, even those in closed boxes, and the page's address at the foot.
Printed through Chromium's own print to PDF (page.pdf(), which prints as a reader's browser
does), then read back with pypdf; with the script and without it (the stylesheet alone).

Expected texts come from the YAML (read with yaml.safe_load); the words "Correct answer" and
"Printed from" are written here, never read from the code under test.
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from tests import test_web
from tests.conftest import FRENCH_SAMPLE, SAMPLE, plain, squash
from tests.test_web import SITE_URL, sheet_data

# the site, its server and the browser of tests/test_web.py (fixtures, by name)
browser, server, site, visit = (test_web.browser, test_web.server, test_web.site, test_web.visit)

pytest.importorskip("playwright.sync_api")

CORRECT = {"en": "Correct answer", "fr": "Bonne réponse"}
PRINTED_FROM = {"en": "Printed from", "fr": "Imprimé depuis"}


def printed(page) -> str:
    """The text of the page as printed, ligatures (ﬃ) written out."""
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no script"])
@pytest.mark.parametrize("source", [SAMPLE, FRENCH_SAMPLE], ids=lambda path: path.stem)
@pytest.mark.parametrize("name", ["quiz.html", "index.html"])
def test_every_answer_and_explanation_is_printed(visit, source, name, javascript):
    data = sheet_data(source)
    lang = data["lang"]
    page = visit(javascript=javascript).open(f"{data['slug']}/{name}")
    # On screen, the answers are closed (without the script, in closed boxes; with it, shown
    # only once a question is checked): printing opens them.
    assert page.locator("details[open]").count() == 0
    text = printed(page)
    flat = squash(text)
    questions = data["quiz"]
    assert text.count(CORRECT[lang]) == len(questions), text.count(CORRECT[lang])
    for question in questions:
        answer = question["choices"]["abcdefgh".index(question["answer"])]
        assert squash(plain(answer)) in flat, answer
        for paragraph in question.get("explanation", "").split("\n\n"):
            if paragraph.strip():
                assert squash(plain(paragraph)) in flat, paragraph[:60]
    # the page's address, at the foot of the printout, after everything else
    address = SITE_URL + data["slug"] + "/" + ("" if name == "index.html" else name)
    foot = " ".join(text.split()[-6:])
    assert foot.endswith(f"{PRINTED_FROM[lang]} : {address}" if lang == "fr"
                         else f"{PRINTED_FROM[lang]}: {address}"), foot
    # and the printout leaves the screen as it was
    assert page.locator("details[open]").count() == 0


def test_printing_after_checking_keeps_the_feedback(visit):
    data = sheet_data(SAMPLE)
    page = visit().open(f"{data['slug']}/quiz.html")
    first = data["quiz"][0]
    page.locator(f"#q1-{first['answer'].upper()}").check()
    page.locator("#q1 button.check").click()
    text = printed(page)
    assert "Right!" in text
    assert text.count(CORRECT["en"]) == len(data["quiz"])
    assert page.locator("details[open]").count() == 1  # the one the reader opened
