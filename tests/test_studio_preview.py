"""The studio's live preview in a real browser (Debian's chromium driven by Playwright, axe-core
for accessibility, all offline): the studio served by uvicorn in a thread, on a copy of the
sample; the preview shown alone on a test page (the editor's page holds it beside its form,
which tells of each change with a `sheet-changed` event)."""

from __future__ import annotations

import io
import json
import re
import shutil
import urllib.error
import urllib.request

import pdfplumber
import pytest
import yaml
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from generator.studio import preview
from generator.studio.app import Studio, create_app, page
from tests.browser import NEEDS_CHROMIUM, WCAG_TAGS, free_port, launched, served
from tests.conftest import SAMPLE
from tests.test_preview import toggle_answer

uvicorn = pytest.importorskip("uvicorn")
playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

SHEET = f"content/{SAMPLE.name}"
WAIT_MS = 60_000  # the first preview starts the workers; a generous bound, not a timing

pytestmark = NEEDS_CHROMIUM


async def preview_page(request: Request) -> Response:
    """The preview alone, for these tests (templates/preview_test.html)."""
    path = request.path_params["path"]
    return page(request, "preview_test.html", lang="en", title=path,
                **preview.panel_context(path, "en"))


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    """The studio on a copy of the sample, served on a free port; its address."""
    project = tmp_path_factory.mktemp("studio")
    (project / "content").mkdir()
    shutil.copy(SAMPLE, project / SHEET)
    shutil.copytree(SAMPLE.parent / "pictograms", project / "content" / "pictograms")
    port = free_port()
    app = create_app(Studio(project.resolve(), port))
    app.router.routes.insert(0, Route("/test/preview/{path:path}", preview_page))
    server = served(app, port)
    next(server)
    yield f"http://127.0.0.1:{port}", project, app
    server.close()


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture
def opened(studio, browser):
    """The preview page of the sample, its first handout shown; requests leaving the machine
    are refused and counted, and console errors kept."""
    base, _, _ = studio
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page_ = context.new_page()
    errors: list[str] = []
    page_.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page_.on("pageerror", lambda error: errors.append(str(error)))
    page_.route(re.compile(r"^(?!" + re.escape(base) + ").*"),
                lambda route: (errors.append(route.request.url), route.abort()))
    page_.goto(f"{base}/test/preview/{SHEET}")
    page_.wait_for_selector("#preview-panel img", timeout=WAIT_MS)
    yield page_
    context.close()
    assert errors == []


def images(page_) -> list[tuple[str, str]]:
    return page_.eval_on_selector_all("#preview-panel img",
                                      "all => all.map(i => [i.getAttribute('src'), i.alt])")


def pdf_text(page_, base: str) -> str:
    data = page_.request.get(base + page_.get_attribute(".preview-pdf", "href")).body()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_the_preview_changes_after_an_edit(studio, opened):
    base, project, _ = studio
    opened.focus("#preview-tab-full-analysis")
    opened.keyboard.press("End")  # the web pages
    opened.keyboard.press("ArrowLeft")  # the answer key
    opened.wait_for_selector('#preview-panel img[alt="Page 1 of 1 of the answer key"]',
                             timeout=WAIT_MS)
    (before_src, _), = images(opened)
    before_text = pdf_text(opened, base)
    saved = (project / SHEET).read_bytes()
    edited = toggle_answer(saved.decode("utf-8"))
    opened.evaluate("text => document.dispatchEvent(new CustomEvent('sheet-changed', "
                    "{detail: text}))", edited)
    opened.wait_for_function(
        "before => { const i = document.querySelector('#preview-panel img');"
        " return i && i.getAttribute('src') !== before; }", arg=before_src, timeout=WAIT_MS)
    (after_src, alt), = images(opened)
    assert alt == "Page 1 of 1 of the answer key"
    before_png = opened.request.get(base + before_src).body()
    after_png = opened.request.get(base + after_src).body()
    assert before_png[:8] == after_png[:8] == b"\x89PNG\r\n\x1a\n"
    assert before_png != after_png
    after_text = pdf_text(opened, base)
    assert after_text != before_text
    assert (project / SHEET).read_bytes() == saved  # previewed, not saved
    assert opened.get_attribute(".preview-zip", "href").endswith("/handouts.zip")


def test_an_invalid_edit_shows_the_messages(opened):
    opened.evaluate("document.dispatchEvent(new CustomEvent('sheet-changed', "
                    "{detail: 'title: [unclosed'}))")
    opened.wait_for_selector("#preview-panel li", timeout=WAIT_MS)
    messages = opened.eval_on_selector_all("#preview-panel li",
                                           "all => all.map(item => item.textContent)")
    assert len(messages) == 1 and SAMPLE.name in messages[0]
    assert opened.is_hidden(".preview-pdf")


def test_the_tabs_work_by_keyboard(opened):
    tabs = ["full-analysis", "easy-read", "quiz", "answer-key", "web"]
    names = {"full-analysis": "the full analysis", "easy-read": "the easy-read leaflet",
             "quiz": "the quiz", "answer-key": "the answer key"}
    opened.focus("#preview-tab-full-analysis")
    for key, expected in (("ArrowRight", "easy-read"), ("ArrowRight", "quiz"),
                          ("ArrowLeft", "easy-read"), ("End", "web"),
                          ("ArrowLeft", "answer-key"), ("ArrowRight", "web"),
                          ("ArrowRight", "full-analysis"), ("ArrowLeft", "web"),
                          ("Home", "full-analysis")):
        opened.keyboard.press(key)
        focused = opened.evaluate("document.activeElement.id")
        assert focused == f"preview-tab-{expected}", key
        selected = [kind for kind in tabs if opened.get_attribute(
            f"#preview-tab-{kind}", "aria-selected") == "true"]
        assert selected == [expected]
        assert opened.get_attribute(f"#preview-tab-{expected}", "tabindex") == "0"
        assert opened.get_attribute("#preview-panel", "aria-labelledby") == \
            f"preview-tab-{expected}"
        if expected == "web":
            opened.wait_for_selector("#preview-panel iframe", timeout=WAIT_MS)
            continue
        opened.wait_for_function(
            "name => { const all = document.querySelectorAll('#preview-panel img');"
            " return all.length > 0 && all[0].alt === "
            "`Page 1 of ${all.length} of ${name}`; }", arg=names[expected], timeout=WAIT_MS)
    # one tab stop: Tab leaves the tab list for what follows
    opened.keyboard.press("Tab")
    assert opened.evaluate("document.activeElement.getAttribute('role')") != "tab"


def test_the_web_tab_shows_the_sheets_web_pages_in_a_sandboxed_frame(studio, opened):
    """The web edition's pages of the sheet as typed, in a frame that runs no script: the
    analysis page with the sheet's title, its styles loaded from the studio, and a new title
    typed shows in the frame; nothing is written in the project."""
    base, project, _ = studio
    saved = (project / SHEET).read_bytes()
    title = yaml.safe_load(saved)["title"]
    opened.focus("#preview-tab-full-analysis")
    opened.keyboard.press("End")
    frame_element = opened.wait_for_selector("#preview-panel iframe.preview-web",
                                             timeout=WAIT_MS)
    assert frame_element.get_attribute("sandbox") == "allow-same-origin"  # no script
    assert frame_element.get_attribute("title") == ("The sheet's web pages, as the web "
                                                    "edition shows them")
    src = frame_element.get_attribute("src")
    assert src.endswith(f"/web/{SAMPLE.stem}/index.html")
    frame = frame_element.content_frame()
    frame.wait_for_load_state()
    assert " ".join(frame.locator("h1").first.inner_text().split()) == " ".join(title.split())
    assert frame.evaluate("document.styleSheets.length") >= 1
    answer = opened.request.get(base + src)
    assert answer.ok
    policy = answer.headers["content-security-policy"]
    assert "sandbox allow-same-origin" in policy and "script-src" not in policy
    assert "frame-ancestors 'self'" in policy
    # a page of the edition that is not the preview's: refused
    assert opened.request.get(base + src.replace("index.html", "nothing.html")).status == 404
    edited, found = re.subn(r"^title: .*$", "title: A title typed now", saved.decode("utf-8"),
                            count=1, flags=re.M)
    assert found == 1
    opened.evaluate("text => document.dispatchEvent(new CustomEvent('sheet-changed', "
                    "{detail: text}))", edited)
    opened.wait_for_function("src => document.querySelector('#preview-panel iframe')"
                             ".getAttribute('src') !== src", arg=src, timeout=WAIT_MS)
    frame = opened.wait_for_selector("#preview-panel iframe").content_frame()
    frame.wait_for_load_state()
    assert frame.locator("h1").first.inner_text() == "A title typed now"
    assert (project / SHEET).read_bytes() == saved


def test_axe_finds_no_violation_in_the_preview(opened):
    results = axe_module.Axe().run(opened, context="#preview",
                                   options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_snapshot()


def request(base: str, path: str, body: bytes | None, headers: dict[str, str]) -> int:
    call = urllib.request.Request(base + path, data=body, headers=headers,
                                  method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(call, timeout=60) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_preview_needs_the_token_and_a_file_of_the_project(studio):
    base, _, app = studio
    token = preview_token(app)
    host = base.removeprefix("http://")
    body = json.dumps({"kind": "quiz"}).encode()
    own = {"Host": host, "Origin": base, "Content-Type": "application/json"}
    assert request(base, f"/sheet/{SHEET}/preview", body, own) == 403  # no token
    assert request(base, f"/sheet/{SHEET}/preview", body,
                   {**own, "X-CSRF-Token": "0" * 64}) == 403
    with_token = {**own, "X-CSRF-Token": token}
    assert request(base, "/sheet/content/../../etc/passwd/preview", body, with_token) == 404
    assert request(base, "/sheet/content/missing.yaml/preview", body, with_token) == 404
    bad_kind = json.dumps({"kind": "poster"}).encode()
    assert request(base, f"/sheet/{SHEET}/preview", bad_kind, with_token) == 400
    assert request(base, "/preview/" + "0" * 64 + "/handouts.zip", None, {"Host": host}) == 404


def preview_token(app) -> str:
    from generator.studio.security import token

    return token(app.state.studio.secret)
