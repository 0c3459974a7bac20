"""The self-check quiz page, in a real browser: its live regions are in the accessibility tree
before anything is written into them (one per question, and the score's), the score is
announced once, a question worth more says so as the printed quiz does, the score counts
points, and the page without JavaScript does not ask for a button that is not there.

Expected values come from the YAML (points added here to a copy of a sample) and are worked
out here; the words are written by hand, never read from the locale files.
"""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from generator.batch.web import build_site
from generator.options import BuildOptions
from tests import test_web
from tests.conftest import SAMPLE, plain, spaces
from tests.test_web import Visit, sheet_data

# the site, its server and the browser of tests/test_web.py (fixtures, by name)
browser, server, site, visit = (test_web.browser, test_web.server, test_web.site, test_web.visit)

pytest.importorskip("playwright.sync_api")

QUIZ = "educational-alliances/quiz.html"
POINTS = {1: 2, 3: 3}  # question number → its points; the others are worth 1


def _statuses(page) -> list[str]:
    """The live regions' roles as the accessibility tree holds them, in page order."""
    snapshot = page.locator("form.quiz-form").aria_snapshot()
    return re.findall(r"^\s*- status\b.*$", snapshot, flags=re.MULTILINE)


def test_live_regions_exist_before_they_are_filled(visit):
    data = sheet_data(SAMPLE)
    page = visit().open(QUIZ)
    count = len(data["quiz"])
    # before the first check: one empty status per question, and the score's
    assert len(_statuses(page)) == count + 1
    for number in range(1, count + 1):
        question = page.locator(f"#q{number}")
        assert re.search(r"^\s*- status$", question.aria_snapshot(), flags=re.MULTILINE), number
        feedback = question.locator(".feedback")
        assert feedback.get_attribute("role") == "status"
        assert feedback.evaluate("e => getComputedStyle(e).display") != "none"


def test_the_score_is_announced_once(visit):
    data = sheet_data(SAMPLE)
    page = visit().open(QUIZ)
    # every change of the score's live region is recorded
    page.evaluate("""() => { window.said = [];
        new MutationObserver(() => window.said.push(document.querySelector('.score')
            .textContent)).observe(document.querySelector('.score'),
            {childList: true, characterData: true, subtree: true}); }""")
    for number, question in enumerate(data["quiz"], start=1):
        page.locator(f"#q{number}-{question['answer'].upper()}").check()
        page.locator(f"#q{number} button.check").click()
        assert spaces(page.locator(f"#q{number} .feedback").inner_text()) == "Right!"
    total = len(data["quiz"])
    said = [text for text in page.evaluate("window.said") if text]
    assert said == [f"Your score: {total} out of {total} points."]
    # the progress was shown along the way, but not in a live region
    assert page.locator(".progress").get_attribute("aria-live") is None
    assert page.locator(".progress").get_attribute("role") is None


@pytest.fixture(scope="module")
def weighted(tmp_path_factory, browser, server):
    """The English sample with questions 1 and 3 worth 2 and 3 points, built as a site."""
    work = tmp_path_factory.mktemp("weighted")
    content = work / "content"
    content.mkdir()
    data = sheet_data(SAMPLE)
    for number, points in POINTS.items():
        data["quiz"][number - 1]["points"] = points
    (content / SAMPLE.name).write_text(yaml.safe_dump(data, allow_unicode=True,
                                                      sort_keys=False), encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "pictograms", content / "pictograms")
    output = work / "site"
    result = build_site([content], output, BuildOptions(only=("quiz",)))
    assert result.ok, [str(failure) for failure in result.failures]
    return output, data


def test_points_are_shown_and_counted(weighted, browser):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    output, data = weighted

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=output))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    visitor = Visit(browser, f"http://127.0.0.1:{httpd.server_port}/")
    try:
        page = visitor.open(f"{data['slug']}/quiz.html")
        for number, question in enumerate(data["quiz"], start=1):
            legend = spaces(page.locator(f"#q{number} legend").inner_text())
            points = POINTS.get(number)
            if points:
                assert legend.endswith(f"{plain(question['question'])} ({points} points)")
            else:
                assert "point" not in legend
        # right on questions 1 and 2, wrong on the others: 2 + 1 points of 2+1+3+1+1
        right = {1, 2}
        for number, question in enumerate(data["quiz"], start=1):
            letters = "ABCDEFGH"[: len(question["choices"])]
            answer = question["answer"].upper()
            pick = answer if number in right else next(x for x in letters if x != answer)
            page.locator(f"#q{number}-{pick}").check()
            page.locator(f"#q{number} button.check").click()
        scored = sum(POINTS.get(number, 1) for number in right)
        total = sum(POINTS.get(number, 1) for number in range(1, len(data["quiz"]) + 1))
        assert (scored, total) == (3, 8)
        assert spaces(page.locator(".score").inner_text()) == \
            f"Your score: {scored} out of {total} points."
        assert visitor.problems == []
    finally:
        visitor.close()
        httpd.shutdown()
        httpd.server_close()


def test_without_javascript_no_button_is_asked_for(visit):
    visitor = visit(javascript=False)
    page = visitor.open(QUIZ)
    shown = spaces(page.locator("main").inner_text())
    assert "check it" not in shown and "Check my answer" not in shown
    assert "open the answer below it" in spaces(page.locator(".lead:visible").inner_text())
    assert not page.locator(".score-box").is_visible()
    # with the script, the other sentence, and the button it names
    page = visit().open(QUIZ)
    lead = spaces(page.locator(".lead:visible").inner_text())
    assert lead.startswith("Choose one answer per question, then check it.")
    assert page.locator("#q1 button.check").is_visible()
