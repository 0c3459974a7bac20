"""The studio's home and settings pages: what they show and do (real requests), and in a real
browser (Debian's chromium driven by Playwright, axe-core for accessibility, offline): zero
axe violations at 320 and 1280 px, and every action done with the keyboard alone."""

from __future__ import annotations

import html as html_module
import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from generator import api
from generator.settings import load as load_settings
from generator.studio.app import Studio, create_app
from generator.studio.security import token
from generator.studio.server import listen
from tests.browser import CHROMIUM, WCAG_TAGS, launched
from tests.conftest import FRENCH_SAMPLE, ROOT, SAMPLE, SPANISH_SAMPLE

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
uvicorn = pytest.importorskip("uvicorn")

WIDTHS = (320, 768, 1280)
# STUDIO_SHOTS=folder: screenshots of every screen at each width, to look at
SHOTS = Path(os.environ["STUDIO_SHOTS"]) if os.environ.get("STUDIO_SHOTS") else None
BROKEN = "content/broken.yaml"
OWN = "http://127.0.0.1:8000"


def make_project(folder: Path) -> Path:
    """The sample project (its three sheets, settings and theme) and one sheet that cannot be
    read (a list left open: YAML finds it at the end, line 3)."""
    (folder / "content").mkdir(parents=True)
    for sheet in (SAMPLE, FRENCH_SAMPLE, SPANISH_SAMPLE):
        shutil.copy(sheet, folder / "content" / sheet.name)
    shutil.copytree(SAMPLE.parent / "pictograms", folder / "content" / "pictograms")
    shutil.copy(ROOT / "handouts.toml", folder / "handouts.toml")
    shutil.copytree(ROOT / "theme", folder / "theme")
    (folder / BROKEN).write_text("format: 1\ntitle: [unclosed\n", encoding="utf-8")
    return folder.resolve()


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def studio(project) -> Studio:
    return Studio(project=project, port=8000)


@pytest.fixture
def client(studio) -> TestClient:
    return TestClient(create_app(studio), base_url=OWN, follow_redirects=False,
                      headers={"origin": OWN})


# --- what the pages show and do -------------------------------------------------------------

def _entry(html: str, holding: str) -> str:
    """The home's entry (one sheet) that holds `holding`."""
    entries = [part for part in html.split('<li class="sheet">')[1:] if holding in part]
    assert len(entries) == 1, holding
    return entries[0]


def test_the_home_lists_every_sheet_with_checks_counts(client, project):
    html = client.get("/").text
    report = api.check(project / "content")  # what `handouts check` finds, independently
    for sheet in report.sheets:
        if not sheet.valid:
            continue
        assert sheet.title is not None
        row = _entry(html, sheet.title.replace("'", "&#39;"))
        count = len(sheet.warnings)
        assert f"valid, {count} warning{'s' if count != 1 else ''}" in row, sheet.title
    assert 'href="/sheet/content/educational-alliances.yaml"' in html
    assert '<time datetime="2026-02-23">2026-02-23</time>' in html


def test_an_unreadable_sheet_is_shown_with_its_message_not_a_traceback(client):
    html = client.get("/").text
    row = _entry(html, f'href="/sheet/{BROKEN}"')
    assert "1 error" in row
    assert ("<li>content/broken.yaml:3:1: YAML syntax error (expected ',' or ']', but got "
            "'<stream end>'): check this line</li>") in html_module.unescape(row)
    assert "Traceback" not in html


def test_a_new_sheet_is_made_in_the_content_folder_from_a_title(client, studio, project):
    response = client.post("/new", data={"title": "Écrans et sommeil des adolescents",
                                         "lang": "fr", "csrf_token": token(studio.secret)})
    assert response.status_code == 303
    written = project / "content" / "ecrans-sommeil-adolescents.yaml"
    assert response.headers["location"] == "/sheet/content/ecrans-sommeil-adolescents.yaml"
    assert 'title: "Écrans et sommeil des adolescents"' in written.read_text(encoding="utf-8")
    assert api.check(written).sheets[0].valid


def test_a_new_sheet_that_exists_is_refused_with_the_apis_message(client, studio, project):
    before = (project / "content" / SAMPLE.name).read_bytes()
    response = client.post("/new", data={"title": "educational-alliances", "lang": "en",
                                         "csrf_token": token(studio.secret)})
    assert response.status_code == 400
    assert ("content/educational-alliances.yaml already exists; it was left as it is: "
            "choose another name, or delete it first") in response.text
    assert (project / "content" / SAMPLE.name).read_bytes() == before


def test_an_import_without_text_or_file_says_what_to_do(client, studio):
    response = client.post("/import", data={"text": "  ", "csrf_token": token(studio.secret)},
                           files={"page": ("", b"")})
    assert response.status_code == 400
    assert "Paste some text or choose a saved page first." in response.text


def test_pasted_text_is_imported_and_the_report_shown(client, studio, project):
    text = (ROOT / "tests" / "data" / "import" / "seed.txt").read_text(encoding="utf-8")
    response = client.post("/import", data={"text": text, "csrf_token": token(studio.secret)},
                           files={"page": ("", b"")})
    assert response.status_code == 200
    found = re.search(r'href="/sheet/(content/[a-z0-9-]+\.yaml)"', response.text)
    assert found
    assert (project / found.group(1)).is_file()
    assert f"wrote {found.group(1)}: " in response.text  # the importer's summary line
    assert "page.txt: text copied from a browser" in response.text


PRIMARY_TOO_LIGHT = ("#ffff00 has a contrast of 1.0:1 on white or the light panels, under the "
                     "4.5:1 text needs to be read by everyone: choose a darker colour (e.g. "
                     "#707000)")


def _settings_form(client: TestClient) -> dict[str, str]:
    """Every field of the settings form as the page fills it."""
    html = client.get("/settings").text
    values = dict(re.findall(r'name="([a-z_]+\.[a-z_]+)" type="text" value="([^"]*)"', html))
    for name, body in re.findall(r'<select id="[^"]+" name="([a-z_]+\.[a-z_]+)"[^>]*>(.*?)'
                                 r'</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = chosen.group(1) if chosen else ""
    return {name: value.replace("&#34;", '"').replace("&amp;", "&")
            for name, value in values.items()}


@pytest.mark.parametrize("started_in", ["elsewhere", "parent", "project"])
def test_messages_name_files_from_the_project_wherever_serve_started(
        client, studio, project, monkeypatch, started_in):
    """`handouts serve` started in another folder, its parent or the project: every message
    names the file from the project (content/broken.yaml:3:1), never an absolute path; and a
    sheet made in the studio suggests commands with its path from the project."""
    folder = {"elsewhere": project.parent / "elsewhere", "parent": project.parent,
              "project": project}[started_in]
    folder.mkdir(exist_ok=True)
    monkeypatch.chdir(folder)
    expected = ("content/broken.yaml:3:1: YAML syntax error (expected ',' or ']', but got "
                "'<stream end>'): check this line")
    home = html_module.unescape(client.get("/").text)
    assert f"<li>{expected}</li>" in home
    editor = html_module.unescape(client.get(f"/sheet/{BROKEN}").text)
    assert f"<pre>{expected}</pre>" in editor
    headers = {"X-CSRF-Token": token(studio.secret)}
    check = client.post(f"/sheet/content/{SAMPLE.name}/check", headers=headers,
                        json={"data": {"format": "1", "title": ""}}).json()
    assert check["errors"][0]["text"].startswith(f"content/{SAMPLE.name}:")
    web = client.post(f"/sheet/{BROKEN}/preview", headers=headers,
                      json={"kind": "web", "text": "title: [unclosed"}).json()
    assert web["problems"][0]["message"].startswith("content/broken.yaml:1:17: ")
    (project / "handouts.toml").write_text("[build\n", encoding="utf-8")
    settings = html_module.unescape(client.get("/settings").text)
    assert "handouts.toml:1:7: not valid TOML" in settings
    response = client.post("/new", data={"title": "Sleep and screens", "lang": "en",
                                         "csrf_token": token(studio.secret)})
    assert response.status_code == 303
    written = (project / "content" / "sleep-screens.yaml").read_text(encoding="utf-8")
    assert "`handouts check content/sleep-screens.yaml`" in written
    everything = home + editor + str(check) + str(web) + settings + written
    assert str(project.parent) not in everything
    assert "/project/" not in everything and "project/content" not in everything
    assert not written.startswith("# yaml-language-server")  # no schema.json in the project


def test_settings_show_every_key_of_the_schema(client):
    form = _settings_form(client)
    schema = api.schema(settings_file=True)
    expected = {f"{section}.{key}" for section, table in schema["properties"].items()
                for key in table["properties"]}
    assert set(form) == expected
    assert form["organisation.name"] == "Riverside Health Promotion Network"
    assert form["build.paper"] == "a4"
    assert form["quiz.answer_sheet"] == "false"


def test_settings_that_fail_the_checker_are_refused_at_their_field(client, studio, project):
    before = (project / "handouts.toml").read_bytes()
    form = {**_settings_form(client), "colours.primary": "#ffff00",
            "csrf_token": token(studio.secret)}
    response = client.post("/settings", data=form)
    assert response.status_code == 400
    field = re.search(r'<div class="field invalid">\s*<label for="field-colours-primary">'
                      r'.*?<p class="problem" id="field-colours-primary-problem">(.*?)</p>',
                      response.text, re.S)
    assert field and field.group(1) == PRIMARY_TOO_LIGHT
    assert (project / "handouts.toml").read_bytes() == before
    assert not [p for p in project.iterdir() if p.name.startswith(".handouts")]


def test_settings_are_written_as_every_file_is_written(client, studio, project):
    """The settings go through the writer's one atomic write: the file keeps its permissions,
    a link in its place is not written through (refused, with the writer's words), and no
    temporary file is left."""
    settings = project / "handouts.toml"
    settings.chmod(0o600)
    form = {**_settings_form(client), "quiz.versions": "3", "csrf_token": token(studio.secret)}
    assert client.post("/settings", data=form).status_code == 200
    assert load_settings(settings).get("quiz", "versions") == 3
    assert settings.stat().st_mode & 0o777 == 0o600
    real = project / "real.toml"
    settings.rename(real)
    settings.symlink_to(real.name)
    before = real.read_bytes()
    response = client.post("/settings", data={**form, "quiz.versions": "2"})
    assert response.status_code == 400
    assert ("handouts.toml: a symbolic link is in the way; handouts does not write through "
            "links") in html_module.unescape(response.text)
    assert settings.is_symlink() and real.read_bytes() == before
    assert not [p for p in project.iterdir() if p.name.startswith(".handouts")]


def test_settings_saved_keep_the_files_comments_and_change_only_what_changed(
        client, studio, project):
    before = (project / "handouts.toml").read_text(encoding="utf-8")
    form = {**_settings_form(client), "colours.primary": "#113355", "quiz.versions": "3",
            "footer.text": "With the support of the city", "csrf_token": token(studio.secret)}
    response = client.post("/settings", data=form)
    assert response.status_code == 200
    assert "Settings saved." in response.text
    after = (project / "handouts.toml").read_text(encoding="utf-8")
    changed = {(old, new) for old, new in zip(before.splitlines(), after.splitlines(),
                                              strict=False) if old != new}
    assert ('primary = "#1b5e7a"                   # headings, labels, rules: at least 4.5:1 '
            'on white', 'primary = "#113355"                   # headings, labels, rules: at '
            'least 4.5:1 on white') in changed
    for line in before.splitlines():
        if line.startswith("#"):
            assert line in after.splitlines()
    settings = load_settings(project / "handouts.toml")
    assert settings.get("colours", "primary") == "#113355"
    assert settings.get("quiz", "versions") == 3
    assert settings.get("footer", "text") == "With the support of the city"
    assert settings.get("organisation", "name") == "Riverside Health Promotion Network"


def test_the_colours_are_previewed_with_their_contrast(client):
    html = client.get("/settings").text
    # #1b5e7a on white: (L1 + 0.05) / (L2 + 0.05), worked out by hand from WCAG 2's formula
    assert 'fill="#1b5e7a"' in html and "contrast 7.17:1" in html
    assert 'fill="#c8553d"' in html and "contrast 4.35:1" in html


def test_every_studio_word_is_said_in_french_and_spanish():
    from generator.sheet import locales

    english = set(locales.get("en").studio)
    assert english
    for code in ("fr", "es"):
        assert set(locales.get(code).studio) == english, code


# --- in the browser -------------------------------------------------------------------------

pytestmark_browser = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                        reason="chromium is not installed: sh scripts/dev.sh "
                                        "setup installs it")


class Running:
    """The studio of a project served by uvicorn in a thread, on a free port."""

    def __init__(self, project: Path):
        sock = listen(0)
        self.port = sock.getsockname()[1]
        self.address = f"http://127.0.0.1:{self.port}"
        self.studio = Studio(project=project, port=self.port)
        config = uvicorn.Config(create_app(self.studio), log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]},
                                       daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(20)


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    served = Running(make_project(tmp_path_factory.mktemp("studio") / "project"))
    yield served
    served.stop()


@pytest.fixture(scope="module")
def browser():
    yield from launched()


def _page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


def _axe(page) -> list[str]:
    results = axe_module.Axe().run(page, options={"runOnly": {"type": "tag",
                                                              "values": WCAG_TAGS}})
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]]


def _screens(page, running: Running) -> list[tuple[str, callable]]:  # type: ignore[valid-type]
    def home() -> None:
        page.goto(running.address + "/")

    def settings() -> None:
        page.goto(running.address + "/settings")

    def refused_settings() -> None:
        page.goto(running.address + "/settings")
        page.fill("#field-colours-primary", "#ffff00")
        page.click("form.settings button[type=submit]")
        page.wait_for_selector(".problem")

    def refused_new() -> None:
        page.goto(running.address + "/")
        page.fill("#new-title", "educational-alliances")
        page.click("#new-heading ~ form button[type=submit]")
        page.wait_for_selector("#new-error")

    def imported() -> None:
        page.goto(running.address + "/")
        page.set_input_files("#import-page", str(ROOT / "tests" / "data" / "import" /
                                                 "seed.html"))
        page.click("#import-heading ~ form button[type=submit]")
        page.wait_for_selector(".report")
        link = page.get_attribute(".actions a.button", "href") or ""
        (running.studio.project / link.removeprefix("/sheet/")).unlink()  # for the next width

    return [("home", home), ("settings", settings), ("settings-refused", refused_settings),
            ("new-refused", refused_new), ("imported", imported)]


@pytestmark_browser
@pytest.mark.parametrize("width", WIDTHS)
def test_every_screen_passes_axe_and_fits_the_width(browser, running, width):
    context, page, problems = _page(browser, width)
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for name, show in _screens(page, running):
            show()
            assert _axe(page) == [], name
            overflow = page.evaluate("document.documentElement.scrollWidth - "
                                     "document.documentElement.clientWidth")
            assert overflow <= 0, (name, overflow)
            if SHOTS:
                page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        # the refused forms answer 400 (with the page and its messages): nothing else
        assert [p for p in problems if "status of 400" not in p] == []
    finally:
        context.close()


# Text-only zoom (a browser's "zoom text only", or its default font size doubled): the root's
# font size at 200 %, which every size of the studio's styles follows (rem and em); set
# through the CSS object model, which the pages' Content-Security-Policy allows.
TEXT_ZOOM = "() => { document.documentElement.style.fontSize = '200%'; }"


def overflow(page) -> int:
    """How far the page scrolls sideways (0: not at all)."""
    return int(page.evaluate("document.documentElement.scrollWidth - "
                             "document.documentElement.clientWidth"))


def too_wide(page) -> list[str]:
    """What reaches past the page's right edge (to say what to fix)."""
    return page.evaluate("""() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > width + 0.5)
        .map((e) => e.tagName + "." + e.className + " " + (e.textContent || "").trim()
             .slice(0, 40)).slice(0, 10); }""")


@pytestmark_browser
def test_text_zoomed_to_200_percent_at_320_px_needs_no_sideways_scroll(browser, running):
    context, page, _ = _page(browser, 320)
    try:
        for path in ("/", "/settings"):
            page.goto(running.address + path)
            before = page.evaluate("getComputedStyle(document.body).fontSize")
            page.evaluate(TEXT_ZOOM)
            assert page.evaluate("getComputedStyle(document.body).fontSize") == \
                f"{2 * float(before.removesuffix('px')):g}px"  # the text is twice as large
            assert overflow(page) <= 0, (path, too_wide(page))
            if SHOTS:
                page.screenshot(path=str(SHOTS / f"zoom-{path.strip('/') or 'home'}.png"),
                                full_page=True)
    finally:
        context.close()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element `selector` has the focus (a keyboard user's way)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)",
                         selector):
            return
    raise AssertionError(f"{selector} is never reached with Tab")


@pytestmark_browser
def test_a_new_sheet_is_made_with_the_keyboard_alone(browser, running):
    context, page, _ = _page(browser, 1280)
    try:
        page.goto(running.address + "/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
        _tab_to(page, "#new-title")
        page.keyboard.type("Screens and Sleep in Children")
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")  # from English to the next language (Español):
        # the name keeps the words Spanish would leave out
        page.keyboard.press("Tab")  # to "Create the sheet"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/sheet/content/screens-and-sleep-in-children.yaml")
        written = running.studio.project / "content" / "screens-and-sleep-in-children.yaml"
        assert "lang: es" in written.read_text(encoding="utf-8")
    finally:
        context.close()


@pytestmark_browser
def test_settings_are_corrected_with_the_keyboard_alone(browser, running):
    context, page, _ = _page(browser, 1280)
    settings = running.studio.project / "handouts.toml"
    before = settings.read_bytes()
    try:
        page.goto(running.address + "/settings")
        _tab_to(page, "#field-colours-primary")
        page.keyboard.press("Control+A")
        page.keyboard.type("#ffff00")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_attribute("#field-colours-primary", "aria-invalid") == "true"
        described = page.get_attribute("#field-colours-primary", "aria-describedby") or ""
        assert "field-colours-primary-problem" in described.split()
        assert page.text_content("#field-colours-primary-problem") == PRIMARY_TOO_LIGHT
        assert settings.read_bytes() == before
        # the refusal has the focus (read out first), and says so to screen readers
        focused = page.evaluate("() => [document.activeElement.id, "
                                "document.activeElement.getAttribute('role')]")
        assert focused == ["settings-problems", "alert"]
        assert page.text_content("#settings-problems").strip() == (
            "The settings were not saved: fix the fields marked below.")
        _tab_to(page, "#field-colours-primary")  # and Tab leads on to the field to fix
    finally:
        context.close()
