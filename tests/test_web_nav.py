"""Moving between the sheets of the web edition, as GOV.UK and NHS.UK pages allow: the
breadcrumbs, the published and last-reviewed dates, the translations of a sheet linked both
ways (and `check`'s word on `translation_of`), related sheets by shared tags, and the offline
search, typed with the keyboard, that is a plain list without script.

Expected values come from the YAML (yaml.safe_load) and the locale files (tomllib), never from
generator.batch.web and its parts."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

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

EN, FR = (DATA / "sheets" / "translated" / "en" / "screens-sleep.yaml",
          DATA / "sheets" / "translated" / "fr" / "ecrans-sommeil.yaml")
SITE_URL = "https://example.org/handouts/"


def labels(lang: str) -> dict[str, str]:
    found = tomllib.loads((ROOT / "generator" / "locales" / f"{lang}.toml").read_text())
    return {key: value if isinstance(value, str) else value["other"]
            for key, value in found["labels"].items()}


def data(source: Path) -> dict:
    return yaml.safe_load(source.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The English sample (with its pictograms) and the translated pair, in their folders."""
    work = tmp_path_factory.mktemp("web-nav")
    content = work / "content"
    shutil.copytree(DATA / "sheets" / "translated", content)
    shutil.copy(SAMPLE, content / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "pictograms", content / "pictograms")
    output = work / "site"
    result = build_site([content / SAMPLE.name, content / "en", content / "fr"], output,
                        BuildOptions(only=("quiz",)), site_url=SITE_URL)
    assert result.ok, [str(failure) for failure in result.failures]
    return output


@pytest.fixture(scope="module")
def server(site):
    served = Served(site)
    yield served.base
    served.close()


@pytest.fixture
def visit(browser, server):  # noqa: F811
    opened: list[Visit] = []

    def make(**options) -> Visit:
        opened.append(Visit(browser, server, **options))
        return opened[-1]

    yield make
    for item in opened:
        item.close()


def crumbs(page) -> list[tuple[str, str | None, str | None]]:
    nav = page.locator("nav.breadcrumbs")
    assert nav.get_attribute("aria-label") in (labels("en")["web_breadcrumb"],
                                               labels("fr")["web_breadcrumb"])
    return [(spaces(link.inner_text()), link.get_attribute("href"),
             link.get_attribute("aria-current")) for link in nav.locator("li a").all()]


def test_breadcrumbs_say_where_each_page_stands(visit, server):
    visitor = visit()
    en, fr = data(EN), data(FR)
    home = labels("en")["web_home"]
    page = visitor.open("screens-sleep/index.html")
    assert crumbs(page) == [(home, "../index.html", None),
                            (en["short_title"], "index.html", "page")]
    page = visitor.open("ecrans-sommeil/quiz.html")
    assert crumbs(page) == [(home, "../index.html", None),
                            (fr["short_title"], "index.html", None),
                            (spaces(labels("fr")["web_quiz"].replace("'", "’")), "quiz.html",
                             "page")]
    # the home crumb is in the site's language, on a French page
    assert page.locator("nav.breadcrumbs li a").first.get_attribute("lang") == "en"
    page = visitor.open("screens-sleep/easy-read.html")
    assert [text for text, _, _ in crumbs(page)] == [home, en["short_title"],
                                                     labels("en")["doc_easy_read"]]
    page = visitor.open("tags/sleep.html")
    assert crumbs(page) == [(home, "../index.html", None),
                            (labels("en")["web_tag_title"].format(tag="Sleep"), "sleep.html",
                             "page")]
    # each crumb leads where it says
    page.locator("nav.breadcrumbs li a").first.click()
    assert page.url == server + "index.html"
    assert visitor.problems == []


def test_published_and_last_reviewed_dates(visit):
    visitor = visit()
    page = visitor.open("screens-sleep/index.html")
    assert spaces(page.locator("p.dates").inner_text()) == \
        "Published 2 March 2026 · Last reviewed 15 October 2026"
    assert page.locator("p.dates time.reviewed").get_attribute("datetime") == \
        str(data(EN)["sheet"]["reviewed"])
    page = visitor.open("ecrans-sommeil/index.html")  # no `reviewed:`: the date alone
    assert spaces(page.locator("p.dates").inner_text()) == "Publié le 9 mars 2026"


@pytest.mark.parametrize("name", ["index.html", "easy-read.html", "quiz.html"])
def test_translations_link_each_other_both_ways(visit, server, site, name):
    visitor = visit()
    for here, there, lang, language in (("screens-sleep", "ecrans-sommeil", "fr", "Français"),
                                        ("ecrans-sommeil", "screens-sleep", "en", "English")):
        page = visitor.open(f"{here}/{name}")
        link = page.locator("nav.languages a")
        assert link.count() == 1
        assert spaces(link.inner_text()) == language
        assert (link.get_attribute("hreflang"), link.get_attribute("lang")) == (lang, lang)
        address = f"{SITE_URL}{there}/" + ("" if name == "index.html" else name)
        assert page.locator(f'link[rel="alternate"][hreflang="{lang}"]').get_attribute(
            "href") == address
        link.click()
        assert page.url == f"{server}{there}/{name}"
        assert page.evaluate("document.documentElement.lang") == lang
    # a sheet without translations has no switcher
    assert "languages" not in (site / "educational-alliances" / name).read_text()
    assert visitor.problems == []


def test_related_sheets_share_tags_and_leave_translations_to_the_switcher(visit):
    sample, en = data(SAMPLE), data(EN)
    shared = set(sample["tags"]) & set(en["tags"])
    assert shared == {"HealthLiteracy"}
    page = visit().open("educational-alliances/index.html")
    related = page.locator("section.related a")
    assert [spaces(text) for text in related.all_inner_texts()] == [plain(en["title"])]
    assert related.first.get_attribute("href") == "../screens-sleep/index.html"
    page = visit().open("screens-sleep/index.html")
    titles = [spaces(text) for text in page.locator("section.related a").all_inner_texts()]
    assert titles == [plain(sample["title"])]  # not its French translation


def _typed(page, text: str) -> list[str]:
    """Tab to the search box (unless there already), type `text` with the keyboard, and read
    the results."""
    for _ in range(30):
        if page.evaluate("document.activeElement.id") == "search-input":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(text)
    return [spaces(text) for text in page.locator(".search-results a").all_inner_texts()]


def test_search_finds_a_tag_typed_with_the_keyboard(visit, server):
    sheets = [data(source) for source in (SAMPLE, EN, FR)]
    page = visit().open("index.html")
    with_tag = sorted(plain(sheet["title"]) for sheet in sheets
                      if "HealthLiteracy" in sheet.get("tags", []))
    assert len(with_tag) == 2
    for typed in ("#HealthLiteracy", "health literacy", "healthliteracy"):
        assert sorted(_typed(page, typed)) == with_tag, typed
        assert spaces(page.locator(".search-status").inner_text()) == f"{len(with_tag)} sheets " \
            "found."
    # accents and capitals aside, words of a highlight or a title; the French sheet is marked
    assert _typed(page, "ECRANS soir") == [plain(data(FR)["title"])]
    assert page.locator(".search-results a").first.get_attribute("lang") == "fr"
    assert _typed(page, "nothing like this") == []
    assert spaces(page.locator(".search-status").inner_text()) == labels("en")[
        "web_search_none"]
    assert page.locator(".search-status").get_attribute("aria-live") == "polite"
    _typed(page, "sleep")
    page.locator(".search-results a").first.click()
    assert page.url == server + "screens-sleep/index.html"
    page.go_back()
    _typed(page, "HealthLiteracy")
    results = axe_module.Axe().run(page, options={"runOnly": {"type": "tag",
                                                              "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_snapshot()


def test_without_script_the_home_page_is_the_plain_list(visit):
    visitor = visit(javascript=False)
    page = visitor.open("index.html")
    assert not page.locator("section.search").is_visible()
    sheets = [data(source) for source in (SAMPLE, EN, FR)]
    titles = [spaces(text) for text in page.locator(".card-title a").all_inner_texts()]
    assert sorted(titles) == sorted(plain(sheet["title"]) for sheet in sheets)
    # each tag shows as `#CamelCase`, then its words for screen readers
    tags = [spaces(text).split(" ", 1)[0]
            for text in page.locator(".all-tags li a").all_inner_texts()]
    assert sorted(tags) == sorted({f"#{tag}" for sheet in sheets for tag in sheet["tags"]})
    assert visitor.problems == []


def test_axe_finds_no_violation_on_the_new_parts(visit):
    axe = axe_module.Axe()
    visitor = visit()
    found = {}
    for path in ("screens-sleep/index.html", "ecrans-sommeil/quiz.html",
                 "ecrans-sommeil/easy-read.html", "tags/sleep.html",
                 "educational-alliances/index.html"):
        results = axe.run(visitor.open(path),
                          options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            found[path] = results.generate_snapshot()
    assert found == {}


# --- check's word on translation_of -----------------------------------------------------------


def _translation(folder: Path, name: str, lang: str, target: str) -> Path:
    text = FR.read_text(encoding="utf-8").replace("lang: fr", f"lang: {lang}").replace(
        'sheet: "../en/screens-sleep.yaml"', f'sheet: "{target}"')
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_says_what_is_wrong_with_translation_of(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("sheets")
    folder.mkdir()
    shutil.copy(EN, folder / "original.yaml")
    line = next(number for number, text in enumerate(FR.read_text().splitlines(), start=1)
                if text.strip().startswith("sheet: \"../en/"))
    cases = {
        _translation(folder, "itself.yaml", "fr", "itself.yaml"):
            "'itself.yaml' is this sheet itself: write the path of the sheet this one "
            "translates, from this sheet's folder (e.g. ../en/my-sheet.yaml)",
        _translation(folder, "missing.yaml", "fr", "../en/nowhere.yaml"):
            "'../en/nowhere.yaml' is not a file (looked for en/nowhere.yaml): "
            "write the path of the sheet this one translates, from this sheet's folder "
            "(e.g. ../en/my-sheet.yaml)",
        _translation(folder, "same.yaml", "en", "original.yaml"):
            "'original.yaml' is in the same language as this sheet (en): a translation names "
            "the sheet it was translated from, in another language",
        _translation(folder, "second.yaml", "es", "fine.yaml"):
            "'fine.yaml' is itself a translation (of 'original.yaml'): name the original "
            "sheet, so that every translation of it names the same one",
    }
    fine = _translation(folder, "fine.yaml", "fr", "original.yaml")
    for path, message in cases.items():
        result = CliRunner().invoke(cli, ["check", str(path)])
        expected = f"{path}:{line}:10: warning: translation_of.sheet: {message}"
        assert expected in result.output.splitlines(), result.output
    result = CliRunner().invoke(cli, ["check", str(fine)])
    assert "translation_of" not in result.output


def test_the_last_reviewed_date_imports_back(site, tmp_path):
    target = tmp_path / "imported.yaml"
    result = CliRunner().invoke(cli, ["import", str(site / "screens-sleep" / "index.html"),
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    sheet = yaml.safe_load(target.read_text(encoding="utf-8"))["sheet"]
    assert (sheet["date"], sheet["reviewed"]) == (data(EN)["sheet"]["date"],
                                                  data(EN)["sheet"]["reviewed"])
