"""The easy-read page's "Listen" buttons in a real browser, with the browser's speech
synthesis replaced before the page loads (add_init_script): one that fails, one with no voice
that never starts, one that speaks. Each button names its part, says in words when the browser
cannot read aloud, and what happens is announced in a status region.

Expected words are written here (the headings from the YAML, the locale's sentences by hand),
never read from generator.batch.web or the locale files.
"""

from __future__ import annotations

import pytest

from tests import test_web
from tests.conftest import FRENCH_SAMPLE, SAMPLE, plain, spaces
from tests.test_web import sheet_data

# the site, its server and the browser of tests/test_web.py (fixtures, by name)
browser, server, site, visit = (test_web.browser, test_web.server, test_web.site, test_web.visit)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

EASY = "educational-alliances/easy-read.html"
CANNOT = "Your browser cannot read aloud"

# speak() reports a failure, as a browser whose speech engine is missing does
FAILS = """
  window.speechSynthesis.speak = function (utterance) {
    setTimeout(function () {
      utterance.dispatchEvent(new SpeechSynthesisErrorEvent("error",
        {error: "synthesis-failed", utterance: utterance}));
    }, 10);
  };
"""
# no voice: speak() does nothing at all, and says nothing (Firefox without a speech engine)
SILENT = """
  window.speechSynthesis.getVoices = function () { return []; };
  window.speechSynthesis.speak = function () {};
"""
# a browser that speaks: the utterance starts, and goes on until cancelled
SPEAKS = """
  var current = null;
  Object.defineProperty(window.speechSynthesis, "speaking",
                        {get: function () { return current !== null; }});
  window.speechSynthesis.speak = function (utterance) {
    current = utterance;
    setTimeout(function () { utterance.dispatchEvent(new Event("start")); }, 10);
  };
  window.speechSynthesis.cancel = function () { current = null; };
"""


def _parts(source) -> list[str]:
    """Each part's heading as the page shows it, and the key points' heading."""
    easy = sheet_data(source)["easy_read"]
    return [plain(part["heading"]) for part in easy["summary"]]


def test_each_button_names_its_part(visit):
    page = visit().open(EASY)
    expected = [f"Listen: {heading}" for heading in _parts(SAMPLE)] + ["Listen: Key points"]
    buttons = page.locator("button.listen")
    assert buttons.count() == len(expected)
    for index, name in enumerate(expected):
        # the accessible name, as a screen reader reads it
        assert page.get_by_role("button", name=name, exact=True).count() == 1, name
        assert spaces(buttons.nth(index).inner_text()).endswith("Listen")  # what is seen


@pytest.mark.parametrize("mock", [FAILS, SILENT], ids=["speech fails", "no voice"])
def test_the_button_says_when_the_browser_cannot_read_aloud(visit, mock):
    visitor = visit(init_script=mock)
    page = visitor.open(EASY)
    first = f"Listen: {_parts(SAMPLE)[0]}"
    assert page.get_by_role("button", name=first, exact=True).count() == 1
    button = page.locator("button.listen").first  # its name changes below
    status = page.locator(".listen-status")
    assert status.get_attribute("role") == "status" and status.inner_text() == ""
    button.click()
    # the no-voice case waits for the few seconds a real voice may take to start
    expect(button.locator(".listen-word")).to_have_text(CANNOT, timeout=15_000)
    assert button.get_attribute("aria-label") == f"{CANNOT}: {_parts(SAMPLE)[0]}"
    assert status.inner_text() == CANNOT  # announced
    assert button.is_visible() and button.is_enabled()
    # The other buttons still offer to listen (each says so only when it fails itself).
    assert spaces(page.locator("button.listen").nth(1).locator(".listen-word").inner_text()) \
        == "Listen"
    assert visitor.problems == []


def test_the_french_page_says_it_in_french(visit):
    slug = sheet_data(FRENCH_SAMPLE)["slug"]
    page = visit(init_script=FAILS).open(f"{slug}/easy-read.html")
    button = page.locator("button.listen").first
    heading = _parts(FRENCH_SAMPLE)[0]
    name = spaces(button.get_attribute("aria-label"))
    assert name.startswith("Écouter : ") and name.endswith(spaces(heading)[-10:])
    button.click()
    expect(button.locator(".listen-word")).to_have_text(
        "Votre navigateur ne peut pas lire à voix haute", timeout=15_000)


def test_reading_and_stopping_are_announced(visit):
    page = visit(init_script=SPEAKS).open(EASY)
    heading = _parts(SAMPLE)[1]
    assert page.get_by_role("button", name=f"Listen: {heading}", exact=True).count() == 1
    button = page.locator("button.listen").nth(1)
    status = page.locator(".listen-status")
    button.click()
    expect(status).to_have_text(f"Reading aloud: {heading}")
    assert spaces(button.locator(".listen-word").inner_text()) == "Stop"
    assert page.get_by_role("button", name=f"Stop: {heading}", exact=True).count() == 1
    button.click()
    expect(status).to_have_text("Reading stopped.")
    assert spaces(button.locator(".listen-word").inner_text()) == "Listen"
