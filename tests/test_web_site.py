"""The web edition's folder as published: only what is meant to be (no build record, no
absolute path of the building machine), the hosts' headers made from the pages' own policy
and working in a browser, the easy-read page of a sheet without easy-read extras, and one
table per criteria grid with each quiz question shown once on the analysis page.

Expected values come from the YAML (yaml.safe_load), the locale files (tomllib) and the
policy written out here, never from generator.batch.web and its parts."""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import CliRunner

from generator.batch.web import build_site
from generator.cli import cli
from generator.options import BuildOptions
from tests.browser import NEEDS_CHROMIUM, WCAG_TAGS
from tests.conftest import DATA, ROOT, SAMPLE, plain, spaces
from tests.test_web import Visit, browser, playwright_api  # noqa: F401
from tests.test_web_pictures import Served

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
pytestmark = NEEDS_CHROMIUM

NO_EXTRAS = DATA / "sheets" / "no-extras.yaml"
PAIR = (DATA / "sheets" / "translated" / "en" / "screens-sleep.yaml",
        DATA / "sheets" / "translated" / "fr" / "ecrans-sommeil.yaml")
SITE_URL = "https://example.org/handouts/"
# The pages' policy, written out (as in tests/test_web.py), and what a <meta> cannot say.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
               "font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")
SVG_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
EVERY_FILE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
              "X-Frame-Options": "DENY",
              "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                                    "magnetometer=(), microphone=(), payment=(), usb=()"}


def english(key: str) -> str:
    labels = tomllib.loads((ROOT / "generator" / "locales" / "en.toml").read_text())["labels"]
    value = labels[key]
    return value if isinstance(value, str) else value["other"]


def long_grid_sheet(folder: Path) -> Path:
    """no-extras with eight values criteria (more than a printed grid keeps whole) and a
    pictogram on its first easy-read part only."""
    data = yaml.safe_load(NO_EXTRAS.read_text(encoding="utf-8"))
    data["slug"] = "long-grid"
    data["values"]["criteria"] = [{"name": f"Criterion {n}", "assessment": f"Assessed {n}."}
                                  for n in range(1, 9)]
    data["easy_read"]["summary"][0]["pictogram"] = "builtin:house"
    target = folder / "long-grid.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample (with its pictograms), no-extras, a long-grid variant and a translated
    pair, built as a site; the build's result and the work folder."""
    work = tmp_path_factory.mktemp("web-site")
    content = work / "content"
    content.mkdir()
    for source in (SAMPLE, NO_EXTRAS, *PAIR):
        shutil.copy(source, content / source.name)
    shutil.copytree(SAMPLE.parent / "pictograms", content / "pictograms")
    long_grid_sheet(content)
    site = work / "site"
    result = build_site([content], site, BuildOptions(only=("quiz", "easy-read")),
                        site_url=SITE_URL, jobs=2)
    assert result.ok, [str(failure) for failure in result.failures]
    return site, result, work


@pytest.fixture
def visit(browser):  # noqa: F811
    opened: list[Visit] = []

    def make(base: str, **options) -> Visit:
        opened.append(Visit(browser, base, **options))
        return opened[-1]

    yield make
    for item in opened:
        item.close()


@pytest.fixture(scope="module")
def served(built):
    """The site served with the rules of its own `_headers`, as Netlify or Cloudflare Pages
    would serve it."""
    site, _, _ = built
    server = Served(site, (site / "_headers").read_text(encoding="utf-8"))
    yield server
    server.close()


# --- 5. the folder holds only what is published ----------------------------------------------


def test_the_site_holds_only_pages_assets_pdfs_pictures_feed_and_headers(built):
    site, _, work = built
    slugs = "|".join(["educational-alliances", "no-extras", "long-grid", "screens-sleep",
                      "ecrans-sommeil"])
    allowed = re.compile(
        r"index\.html|tags/[a-z0-9-]+\.html|feed\.xml|sitemap\.xml|_headers|\.htaccess"
        r"|assets/(site\.css|site\.js|icon\.svg|search-index\.js)"
        rf"|(?P<slug>{slugs})/(index|easy-read|quiz)\.html"
        rf"|(?P<pdf>{slugs})/(?P=pdf)-(quiz|easy-read)\.pdf"
        rf"|({slugs})/pictograms/[\w.-]+\.svg")
    files = sorted(str(Path(folder, name).relative_to(site))
                   for folder, _, names in os.walk(site) for name in names)
    assert [name for name in files if not allowed.fullmatch(name)] == []
    assert len([name for name in files if name.endswith(".pdf")]) == 10
    # Nothing in it names the machine that built it: not the sheets' folder, not the site's.
    for name in files:
        data = (site / name).read_bytes()
        assert str(work).encode() not in data, name
        assert os.path.expanduser("~").encode() + b"/" not in data, name


def test_the_record_kept_outside_still_makes_a_rebuild_write_nothing(built):
    site, _, work = built
    again = build_site([work / "content"], site, BuildOptions(only=("quiz", "easy-read")),
                       site_url=SITE_URL)
    assert again.ok and again.written == []
    assert not [path for path in site.rglob(".*")
                if path.name not in (".htaccess",)]


def test_without_a_cache_folder_the_record_stays_and_the_build_says_so(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    site = tmp_path / "site"
    result = build_site([PAIR[0]], site, BuildOptions(only=("quiz",)))
    assert result.ok
    assert (f"{site}: the build's record (it names your files by their full paths) is kept "
            "in the site's folder, as handouts' cache folder cannot be used: leave out "
            ".handouts-manifest.json and .handouts-lock when you publish the folder"
            ) in result.warnings
    assert (site / ".handouts-manifest.json").is_file()


# --- 9. the headers a <meta> cannot set -------------------------------------------------------


def _rules(headers: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    current = ""
    for line in headers.splitlines():
        if line.startswith("/"):
            current = line.strip()
            rules[current] = {}
        elif line.startswith("  ") and current:
            name, _, value = line.strip().partition(": ")
            rules[current][name] = value
    return rules


def test_the_three_host_examples_carry_the_same_headers(built):
    site, _, _ = built
    rules = _rules((site / "_headers").read_text(encoding="utf-8"))
    assert rules["/*"] == EVERY_FILE
    pages = [path for path, pairs in rules.items() if pairs == {
        "Content-Security-Policy": PAGE_POLICY}]
    assert {"/", "/index.html", "/tags/*", "/:sheet/index.html", "/:sheet/quiz.html",
            "/:sheet/easy-read.html"} <= set(pages)
    assert [path for path, pairs in rules.items()
            if pairs.get("Content-Security-Policy") == SVG_POLICY] == [
        "/assets/icon.svg", "/:sheet/pictograms/*"]
    htaccess = (site / ".htaccess").read_text(encoding="utf-8")
    for name, value in EVERY_FILE.items():
        assert f'  Header always set {name} "{value}"\n' in htaccess
    assert ('<FilesMatch "\\.html$">\n    Header always set Content-Security-Policy '
            f'"{PAGE_POLICY}"\n  </FilesMatch>') in htaccess
    # nginx reads no file of the site: docs/web.md gives its lines, the same headers
    docs = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    block = re.search(r"```nginx\n(.*?)```", docs, re.DOTALL)
    assert block, "docs/web.md has no nginx example"
    nginx = block.group(1)
    html_block = re.search(r"location ~ \\\.html\$ \{\n(.*?)\}", nginx, re.DOTALL).group(1)
    expected = [f'add_header {name} "{value}" always;' for name, value in EVERY_FILE.items()]
    assert sorted(line.strip() for line in html_block.strip().splitlines()) == sorted(
        [*expected, f'add_header Content-Security-Policy "{PAGE_POLICY}" always;'])


def test_pages_served_with_the_headers_load_cleanly_and_refuse_frames(built, served, visit):
    site, _, _ = built
    visitor = visit(served.base)
    for path in ("index.html", "no-extras/easy-read.html", "screens-sleep/quiz.html",
                 "tags/sleep.html", "educational-alliances/index.html"):
        response = visitor.page.goto(served.base + path, wait_until="load")
        assert response.headers["content-security-policy"] == PAGE_POLICY, path
        assert response.headers["x-frame-options"] == "DENY"
    assert visitor.problems == []
    # Another site that frames a page gets nothing: frame-ancestors, which a <meta> ignores
    # (served without the headers, the same frame shows the page).
    other = site.parent / "other-site"
    other.mkdir(exist_ok=True)
    framing = Served(other)
    plain_site = Served(site)
    try:
        context = visitor.page.context.browser.new_context()
        page = context.new_page()
        for name, base, shown in (("headers", served.base, False),
                                  ("plain", plain_site.base, True)):
            (other / f"{name}.html").write_text(f'<!DOCTYPE html><title>f</title><iframe '
                                                f'src="{base}index.html"></iframe>')
            page.goto(f"{framing.base}{name}.html", wait_until="load")
            child = page.frames[1]
            assert (child.locator(".cards").count() == 1) is shown, base
            assert child.url.startswith("chrome-error:") is not shown
        context.close()
    finally:
        framing.close()
        plain_site.close()


# --- 6. the easy-read page of a sheet without easy-read extras -------------------------------


def test_easy_read_page_without_extras_opens_plainly_and_the_build_warns(built, served, visit):
    site, result, _ = built
    data = yaml.safe_load(NO_EXTRAS.read_text(encoding="utf-8"))
    heading = english("easy_heading")
    page = visit(served.base).open("no-extras/easy-read.html")
    assert spaces(page.locator("main h1").inner_text()) == heading
    title = page.title()
    # the page's kind first, then its heading (the leaflet's), then the site's name
    assert spaces(title).split(" — ")[1] == heading and plain(data["title"])[:40] not in title
    assert page.locator("main img").count() == 0
    # No empty picture column: every part's text starts where the heading does.
    edges = {round(box["x"]) for box in (element.bounding_box() for element in
                                         page.locator("main .easy-text").all())}
    assert edges == {round(page.locator("main h1").bounding_box()["x"])}
    # The address printed is one a reader can type: the source's host (the full one is long).
    host = urlsplit(data["source"]["url"]).netloc.removeprefix("www.")
    link = page.locator("footer.credits a.external")
    assert spaces(link.inner_text()).removesuffix(" (external link)") == host
    assert link.get_attribute("href") == data["source"]["url"]
    # The build says what `check` says about the leaflet's missing plain title.
    checked = CliRunner().invoke(cli, ["check", str(NO_EXTRAS)])
    said = next(line for line in checked.output.splitlines() if "no plain title" in line)
    message = said.split(": warning: ", 1)[1]
    assert [warning for warning in result.warnings if "no plain title" in warning and
            warning.startswith(str(site.parent / "content" / "no-extras.yaml"))] != []
    assert any(warning.endswith(message) for warning in result.warnings)


def test_easy_read_parts_keep_one_text_edge_when_some_have_pictures(built, served, visit):
    page = visit(served.base).open("long-grid/easy-read.html")
    assert page.locator("section.easy-part img.pictogram").count() == 1
    edges = {round(box["x"]) for box in (element.bounding_box() for element in
                                         page.locator("section.easy-part .easy-text").all())}
    assert len(edges) == 1, edges
    pictured = page.locator("section.easy-part img.pictogram").bounding_box()
    assert pictured["x"] + pictured["width"] <= min(edges)


# --- 7. one table per grid; each quiz question once ------------------------------------------


def test_a_long_grid_is_one_table_and_each_question_is_shown_once(built, served, visit):
    _, _, work = built
    data = yaml.safe_load((work / "content" / "long-grid.yaml").read_text(encoding="utf-8"))
    page = visit(served.base).open("long-grid/index.html")
    for key in ("values", "reliability"):
        section = page.locator(f"section.{key}")
        assert section.locator("table").count() == 1, key
        names = [spaces(text) for text in section.locator("tbody th").all_inner_texts()]
        assert names == [plain(criterion["name"]) for criterion in data[key]["criteria"]]
        assert section.locator("thead th").count() == 2
    quiz = page.locator("section.quiz")
    assert quiz.locator("ol.questions").count() == 1
    items = quiz.locator("ol.questions > li")
    assert items.count() == len(data["quiz"])
    labels = [spaces(text) for text in quiz.locator(".question-label").all_inner_texts()]
    assert labels == [f"Question {n}" for n in range(1, len(data["quiz"]) + 1)]
    for index, question in enumerate(data["quiz"]):
        item = items.nth(index)
        assert spaces(item.locator(".question-text").inner_text()) == plain(question["question"])
        details = item.locator("details")
        assert details.count() == 1 and details.get_attribute("open") is None
        details.locator("summary").click()
        assert spaces(details.locator(".correct-answer .choice-letter").inner_text()) == \
            question["answer"].upper()
        assert plain(question["explanation"]) in spaces(details.inner_text())
    assert quiz.locator('a[href="quiz.html"]').count() == 1
    results = axe_module.Axe().run(page, options={"runOnly": {"type": "tag",
                                                              "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_snapshot()
