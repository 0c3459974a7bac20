"""The studio's sheet editor in a real browser (Debian's chromium driven by Playwright, axe-core
for accessibility, all offline), served by uvicorn in a thread on a copy of the samples: a
question filled by keyboard alone and saved keeps the author's comments and passes `check`;
check's messages appear at their fields as the author types; a change by another program is
never overwritten silently; a draft survives a crash; the routes refuse what is not theirs."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator import api
from tests.browser import NEEDS_CHROMIUM, WCAG_TAGS, free_port, launched, served
from tests.conftest import ROOT, SAMPLE

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
uvicorn = pytest.importorskip("uvicorn")
expect = playwright_api.expect

from generator.studio.app import Studio, create_app  # noqa: E402
from generator.studio.security import token  # noqa: E402

SHEET = "content/educational-alliances.yaml"
WAIT = 20_000  # ms: a generous bound for a check or a save (each takes well under a second)

pytestmark = NEEDS_CHROMIUM


def plain_load(text: str):
    return yaml.load(text, Loader=yaml.BaseLoader)


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(ROOT / "content", folder / "content")
    return folder


@pytest.fixture
def studio(project) -> Iterator[Studio]:
    running = Studio(project, free_port())
    server = served(create_app(running), running.port)
    next(server)
    yield running
    server.close()


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture
def open_editor(browser, studio):
    pages = []

    def make(width: int = 1280, context=None):
        context = context or browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.on("console", lambda message: page.problems.append(message.text)
                if message.type == "error" else None)
        page.goto(f"{studio.address}sheet/{SHEET}")
        page.wait_for_selector("#f-title", timeout=WAIT)
        page.wait_for_selector("#summary.ok, #summary.has-warnings, #summary.has-errors",
                               timeout=WAIT)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent")


def test_a_question_filled_by_keyboard_alone_is_saved_with_the_comments_kept(open_editor,
                                                                            project):
    sheet = project / SHEET
    before = sheet.read_text(encoding="utf-8")
    assert before.startswith("# yaml-language-server")  # the author's comments, first
    questions = len(plain_load(before)["quiz"])
    page = open_editor()
    add = page.get_by_role("button", name=f"Add: Question {questions + 1}")
    add.focus()
    page.keyboard.press("Enter")
    new = f"f-quiz-{questions + 1}"
    assert focused(page) == f"{new}-question"
    page.keyboard.type("Which colour is the sky on a clear day?")
    page.keyboard.press("Tab")
    assert focused(page) == f"{new}-pages"
    page.keyboard.press("Tab")
    assert focused(page) == "Add: Choice a"
    for index, text in enumerate(["Green", "Blue", "Red"]):
        page.keyboard.press("Enter")
        assert focused(page) == f"{new}-choices-{index + 1}"
        page.keyboard.type(text)
        while focused(page) != f"Add: Choice {'abcd'[index + 1]}":
            page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == f"{new}-answer"
    assert page.locator(f"#{new}-answer option").all_text_contents() == [
        "(not set)", "a) Green", "b) Blue", "c) Red"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator(f"#{new}-answer").input_value() == "b"
    save = page.get_by_role("button", name="Save")
    save.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text("Saved.", timeout=WAIT)
    after = sheet.read_text(encoding="utf-8")
    added = plain_load(after)["quiz"][-1]
    assert added == {"question": "Which colour is the sky on a clear day?",
                     "choices": ["Green", "Blue", "Red"], "answer": "b"}
    assert after.startswith(before.split("format:")[0])  # the comments before, kept
    assert after.count("\n#") == before.count("\n#")
    assert api.check(sheet).sheets[0].valid
    assert page.problems == []


def test_invalid_input_shows_the_message_at_its_field(open_editor, project):
    page = open_editor()
    title = page.locator("#f-title")
    expect(title).to_have_accessible_name("Title")  # the sheet's title field, named so
    title.fill("")
    message = page.locator("#f-title-m .message.error")
    message.wait_for(timeout=WAIT)
    assert message.text_content() == ("Error: is empty: write the text, or delete the line if "
                                      "the field is optional")
    assert title.get_attribute("aria-invalid") == "true"
    described = title.get_attribute("aria-describedby").split()
    assert message.get_attribute("id") in described
    assert "f-title-d" in described
    assert page.locator("#summary-title").text_content().startswith("1 error, ")
    title.fill("A title again")
    expect(title).not_to_have_attribute("aria-invalid", "true", timeout=WAIT)
    assert page.locator("#f-title-m .message").count() == 0


def test_easy_read_line_that_would_wrap_and_give_away_answer_at_their_fields(open_editor,
                                                                            project, tmp_path):
    long_line = ("Young people there are aged 0 to 25 years and they live in many different "
                 "neighbourhoods of the city.")
    # the message `handouts check` gives for that line, from the file edited as text
    edited = tmp_path / "edited" / "educational-alliances.yaml"
    edited.parent.mkdir()
    shutil.copytree(project / "content" / "pictograms", edited.parent / "pictograms")
    edited.write_text((project / SHEET).read_text(encoding="utf-8").replace(
        '"Young people there are aged 0 to 25 years."', f'"{long_line}"'), encoding="utf-8")
    expected = [p.message for p in api.check(edited).sheets[0].warnings
                if p.path == "easy_read.summary[1].lines[2]"]
    assert any("leaflet's" in message and "will wrap in the" in message for message in expected)
    give_away = [p for p in api.check(SAMPLE).sheets[0].warnings if "gives it away" in p.message]
    assert give_away
    page = open_editor()
    for problem in give_away:
        holder = page.locator(f'[data-field="{problem.path}"] > .messages')
        assert holder.text_content() == f"Warning: {problem.message}"
    line = page.locator("#f-easy_read-summary-1-lines-2")
    line.fill(long_line)
    shown = page.locator("#f-easy_read-summary-1-lines-2-m .message.warning")
    shown.first.wait_for(timeout=WAIT)
    assert shown.all_text_contents() == [f"Warning: {message}" for message in expected]
    assert shown.first.get_attribute("id") in line.get_attribute("aria-describedby").split()


def test_a_change_by_another_program_is_detected_at_save(open_editor, project):
    sheet = project / SHEET
    page = open_editor()
    page.locator("#f-title").fill("My title")
    outside = sheet.read_text(encoding="utf-8").replace("Educational alliances in Educational "
                                                        "Cities", "Changed outside")
    sheet.write_text(outside, encoding="utf-8")
    page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=WAIT)
    assert "This file was changed by another program since you opened it." in \
        alert.text_content()
    assert sheet.read_text(encoding="utf-8") == outside  # not overwritten
    keep = page.get_by_role("button", name="Keep my version (replace the file)")
    assert focused(page) == "Reload the file (lose my changes here)"
    keep.click()
    expect(page.locator("#status")).to_have_text(re.compile("^Saved"), timeout=WAIT)
    data = plain_load(sheet.read_text(encoding="utf-8"))
    assert data["title"] == "My title"
    assert data["short_title"] == "Educational alliances in Educational Cities"  # mine, whole


def test_reload_after_a_conflict_shows_the_other_programs_version(open_editor, project):
    sheet = project / SHEET
    page = open_editor()
    page.locator("#f-title").fill("My title")
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        "Educational alliances in Educational Cities", "Changed outside"), encoding="utf-8")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Reload the file (lose my changes here)").click()
    expect(page.locator("#f-short_title")).to_have_value("Changed outside", timeout=WAIT)
    assert page.locator("#f-title").input_value().startswith("The practices")


def test_a_draft_survives_a_crash_and_leaving_warns(open_editor, browser, studio):
    page = open_editor()
    context = page.context
    page.locator("#f-title").fill("Unsaved title")
    deadline = time.monotonic() + WAIT / 1000
    while not page.evaluate("() => localStorage.length") and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)  # the author closes the tab: the browser asks
    page.wait_for_timeout(500) if not page.is_closed() else None
    assert dialogs == ["beforeunload"]
    crashed = context.pages[0] if context.pages else None
    if crashed is not None:  # the dialog was dismissed: the page stays; now it "crashes"
        crashed.close()
    again = open_editor(context=context)
    restore = again.get_by_role("button", name="Restore them")
    restore.wait_for(timeout=WAIT)
    assert "Changes you had not saved were kept by your browser" in \
        again.locator("#notices").text_content()
    restore.click()
    assert again.locator("#f-title").input_value() == "Unsaved title"


def axe_violations(page) -> str:
    results = axe_module.Axe().run(page, options={"runOnly": {"type": "tag",
                                                             "values": WCAG_TAGS}})
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_axe_finds_no_violation(open_editor, width):
    """The editor with its preview shown (the page pictures, then the web pages' frame), then
    with a message at a field."""
    page = open_editor(width)
    expect(page.locator("#preview-panel img").first).to_be_visible(timeout=WAIT * 3)
    assert axe_violations(page) == ""
    page.locator("#preview-tab-web").click()
    expect(page.locator("#preview-panel iframe")).to_be_visible(timeout=WAIT * 3)
    assert axe_violations(page) == ""
    page.locator("#f-title").fill("")  # with a message shown at its field
    page.locator("#f-title-m .message").wait_for(timeout=WAIT)
    assert axe_violations(page) == ""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width
    page.screenshot(path=f"/tmp/studio-editor-{width}.png", full_page=False)


def test_text_zoomed_to_200_percent_at_320_px_needs_no_sideways_scroll(open_editor):
    """Text-only zoom emulated as in tests/test_studio_pages.py (the root's font size at
    200 %): the editor and its preview fit 320 px."""
    page = open_editor(320)
    expect(page.locator("#preview-panel img").first).to_be_visible(timeout=WAIT * 3)
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    assert page.evaluate("getComputedStyle(document.querySelector('#f-title')).fontSize") \
        == "32px"
    assert page.evaluate("document.documentElement.scrollWidth - "
                         "document.documentElement.clientWidth") <= 0
    page.locator("#preview-tab-web").click()
    expect(page.locator("#preview-panel iframe")).to_be_visible(timeout=WAIT * 3)
    assert page.evaluate("document.documentElement.scrollWidth - "
                         "document.documentElement.clientWidth") <= 0
    page.screenshot(path="/tmp/studio-editor-zoom.png", full_page=True)


def test_the_routes_refuse_what_is_not_theirs(studio, project):
    import urllib.error
    import urllib.request

    sheet = project / SHEET
    before = sheet.read_bytes()
    good = {"Origin": studio.address.rstrip("/"), "X-CSRF-Token": token(studio.secret),
            "Content-Type": "application/json"}

    def post(path: str, headers: dict[str, str], body: bytes) -> int:
        request = urllib.request.Request(studio.address + path, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    payload = json.dumps({"data": {"title": "x"}, "overwrite": True}).encode()
    assert post(f"sheet/{SHEET}/save", {**good, "X-CSRF-Token": "nope"}, payload) == 403
    assert post(f"sheet/{SHEET}/save", {**good, "Origin": "http://evil.example"},
                payload) == 403
    assert post("sheet/content/../../outside.yaml/save", good, payload) == 404
    assert post("sheet/content/pictograms/save", good, payload) == 404
    assert post(f"sheet/{SHEET}/save", good, b"[1, 2]") == 400
    assert sheet.read_bytes() == before


def test_every_field_of_the_format_has_its_place_in_the_form(open_editor):
    """From the JSON Schema, independently of the page: every field of the sheet and of a
    question is there, with its description from the locale file (read here with tomllib);
    a field added to the format would be too."""
    import tomllib

    english = tomllib.loads((ROOT / "generator" / "locales" / "en.toml").read_text("utf-8"))
    schema = api.schema()
    page = open_editor()
    ids = set(page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)"))
    expected = {f"f-{name}" for name in schema["properties"]}
    question = schema["$defs"]["Question"]["properties"]
    expected |= {f"f-quiz-1-{name}" for name in question}
    assert expected - ids == set()
    for name, field in question.items():
        group = any(kind.get("type") == "array" or "$ref" in kind
                    for kind in (field, *field.get("anyOf", [])))
        if "description" in field and group:  # a fieldset: its description inside it
            assert page.locator(f"#f-quiz-1-{name} > p.description").text_content() == \
                field["description"]
        elif "description" in field:
            assert page.locator(f"#f-quiz-1-{name}").get_attribute("aria-describedby") \
                .split()[0] == f"f-quiz-1-{name}-d"
            assert page.locator(f"#f-quiz-1-{name}-d").text_content() == \
                english["studio_help"][f"quiz.{name}"]
    parts = page.locator("#parts a").all_text_contents()
    numbered = [field["description"].split(".")[0] + ". " + english["studio_fields"][name]
                for name, field in schema["properties"].items()
                if field.get("description", "")[:2].rstrip(".").isdigit()]
    assert numbered[0] == "1. Analytical summary" and len(numbered) == 9
    assert parts == ["Cover", *numbered, "Other fields"]


def test_the_editor_speaks_the_sheets_language(browser, studio):
    page = browser.new_page()
    page.goto(f"{studio.address}sheet/content/competences-psychosociales.yaml")
    page.wait_for_selector("#f-title", timeout=WAIT)
    assert page.get_by_role("button", name="Enregistrer").count() == 1
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#parts a").first.text_content() == "Couverture"
    # each field's label and description in French, from the locale file
    expect(page.locator("#f-lang")).to_have_accessible_name("Langue")
    assert page.locator("#f-lang-d").text_content() == ("Langue de la fiche et des textes "
                                                         "imprimés\u00a0: en, es ou fr.")
    expect(page.locator("#f-title")).to_have_accessible_name("Titre")
    assert page.locator("#part-2-h").text_content() == "1. Résumé analytique"
    assert page.locator("#f-quiz-1-choices > legend").text_content() == "Choix"
    assert page.get_by_role("button", name="Monter: Choix b", exact=True).count() >= 1
    assert "Lang" not in page.locator("#sheet-form").inner_text().split()
    page.locator("#f-title").fill("")  # an error, its line said in French
    page.locator("#f-title-m .message").wait_for(timeout=WAIT)
    assert re.match(r"Erreur \(ligne \d+\) – title: ",
                    page.locator("#summary-list li.error").first.inner_text())
    assert re.match(r"1 erreur, \d+ avertissements?$",
                    page.locator("#summary-title").inner_text())
    page.close()


def test_a_field_a_locale_lacks_shows_the_schemas_words(browser, studio, monkeypatch):
    """A field added to the format but not yet translated still has its place, with the
    schema's own (English) title and description."""
    from generator.studio import editor

    real = editor.field_words
    monkeypatch.setattr(editor, "field_words", lambda lang: {
        path: words for path, words in real(lang).items() if path != "lang"})
    page = browser.new_page()
    page.goto(f"{studio.address}sheet/content/competences-psychosociales.yaml")
    page.wait_for_selector("#f-title", timeout=WAIT)
    lang = api.schema()["properties"]["lang"]
    expect(page.locator("#f-lang")).to_have_accessible_name("Lang")
    assert page.locator("#f-lang-d").text_content() == lang["description"]
    expect(page.locator("#f-title")).to_have_accessible_name("Titre")
    page.close()


def test_a_sheet_that_is_not_yaml_is_shown_with_its_problem(browser, studio, project):
    broken = project / "content" / "broken.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    page = browser.new_page()
    response = page.goto(f"{studio.address}sheet/content/broken.yaml")
    assert response.status == 422
    assert page.locator(".unreadable pre").text_content() == (
        "content/broken.yaml:2:1: YAML syntax error (expected ',' or ']', but got "
        "'<stream end>'): check this line")
    page.close()


def test_the_answer_follows_its_choice_when_the_choices_move(open_editor, project):
    page = open_editor()
    data = plain_load((project / SHEET).read_text(encoding="utf-8"))
    first = data["quiz"][0]
    right = first["choices"]["abcdef".index(first["answer"])]
    index = first["choices"].index(right)
    assert index > 0  # the sample's first answer is not a)
    page.get_by_role("button", name=f"Move up: Choice {'abcdef'[index]}").first.press("Enter")
    answer = page.locator("#f-quiz-1-answer")
    assert answer.input_value() == "abcdef"[index - 1]
    assert answer.locator("option:checked").text_content() == f"{'abcdef'[index - 1]}) {right}"
    # the focus stays on the moved choice (on Move down when it reached the top)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").endswith(
        f": Choice {'abcdef'[index - 1]}")
    page.get_by_role("button", name=f"Remove: Choice {'abcdef'[index - 1]}").first.click()
    assert answer.input_value() == ""


def test_the_preview_beside_the_form_follows_what_is_typed(open_editor, project):
    """The editor's page holds the live preview: a changed title, not saved, gives the full
    analysis again (a new PDF address, its pages drawn), and the file is left as it was."""
    sheet = project / SHEET
    before = sheet.read_bytes()
    page = open_editor()
    pdf = page.locator("#preview .preview-pdf")
    expect(pdf).to_be_visible(timeout=WAIT * 3)  # the first preview starts the workers
    first = pdf.get_attribute("href")
    expect(page.locator("#preview .preview-pages img").first).to_be_visible(timeout=WAIT)
    page.fill("#f-title", "A title typed in the studio")
    page.wait_for_function("(first) => document.querySelector('#preview .preview-pdf')"
                           ".getAttribute('href') !== first", arg=first, timeout=WAIT * 3)
    response = page.request.get(studio_url(page) + pdf.get_attribute("href").lstrip("/"))
    assert response.ok and response.body().startswith(b"%PDF")
    assert sheet.read_bytes() == before
    assert not page.problems


def studio_url(page) -> str:
    return page.url.split("/sheet/")[0] + "/"


def test_the_previews_problems_are_at_the_lines_the_summary_says(open_editor, project):
    """The preview beside the form previews the form's data as a save would write it: an
    emptied title is at the title's line and column (8:8) in the preview's problems, the line
    the summary says, not somewhere in one long line of posted JSON."""
    lines = (project / SHEET).read_text(encoding="utf-8").splitlines()
    assert lines[8 - 1].startswith('title: "')  # its text at column 8, after `title: `
    page = open_editor()
    expect(page.locator("#preview .preview-pdf")).to_be_visible(timeout=WAIT * 3)
    page.fill("#f-title", "")
    expect(page.locator("#preview-panel li")).to_have_text(
        [f"{SHEET}:8:8: title: is empty: write the text, or delete the line if the field is "
         "optional"], timeout=WAIT * 3)
    assert page.locator("#summary-list li.error").first.inner_text().startswith(
        "Error (line 8) – title: is empty")
    assert not page.problems
