"""The web edition's details, in a real browser: dark mode and forced colours pass axe-core on
every page type at 320, 768 and 1280 px; page titles say what the page is first; tags are
read as words; the home page lets a keyboard reach the second sheet in a few Tabs; text-only
200 % zoom at 320 px never scrolls sideways; the French and Spanish cards read as written.

Expected values come from the YAML or are written here by hand (the words, CamelCase split by
a rule of this file), never from generator.batch.web and its parts.
"""

from __future__ import annotations

import re

import pytest

from tests import test_web
from tests.browser import WCAG_TAGS
from tests.conftest import FRENCH_SAMPLE, SAMPLE, spaces
from tests.test_web import axe_module, sheet_data

# the site, its server and the browser of tests/test_web.py (fixtures, by name)
browser, pages, server, site, visit = (test_web.browser, test_web.pages, test_web.server,
                                       test_web.site, test_web.visit)

pytest.importorskip("playwright.sync_api")

SITE_NAME = {"en": "Resource analysis sheets", "fr": "Fiches d’analyse de ressources"}
PAGE_TYPES = ("index.html", "tags/healthliteracy.html", "educational-alliances/index.html",
              "educational-alliances/easy-read.html", "educational-alliances/quiz.html",
              "competences-psychosociales/quiz.html")
MODES = {"light": {"color_scheme": "light"}, "dark": {"color_scheme": "dark"},
         "forced colours": {"color_scheme": "dark", "forced_colors": "active"}}


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a computed `rgb(r, g, b)` colour."""
    channels = [int(x) / 255 for x in re.findall(r"\d+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_no_violation_in_every_mode_and_width(visit, mode):
    axe = axe_module.Axe()
    found = {}
    for width in (320, 768, 1280):
        visitor = visit(width=width)
        visitor.page.emulate_media(**MODES[mode])
        for path in PAGE_TYPES:
            results = axe.run(visitor.open(path),
                              options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            if results.violations_count:
                found[f"{path} at {width}"] = results.generate_snapshot()
        assert visitor.problems == []
    assert found == {}


def test_dark_mode_is_dark_and_print_stays_light(visit):
    visitor = visit()
    page = visitor.open("educational-alliances/quiz.html")
    style = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
    light_ground, light_ink = page.locator("html").evaluate(style)
    assert _luminance(light_ground) > 0.9 and _luminance(light_ink) < 0.05
    page.emulate_media(color_scheme="dark")
    ground, ink = page.locator("html").evaluate(style)
    assert _luminance(ground) < 0.02 and _luminance(ink) > 0.7
    # (light + 0.05) / (dark + 0.05): the body text keeps AAA contrast, 7:1 or more
    assert (_luminance(ink) + 0.05) / (_luminance(ground) + 0.05) >= 7
    page.emulate_media(color_scheme="dark", media="print")
    ground, ink = page.locator("html").evaluate(style)
    assert _luminance(ground) > 0.9 and _luminance(ink) < 0.05


@pytest.mark.parametrize("source", [SAMPLE, FRENCH_SAMPLE], ids=lambda path: path.stem)
def test_titles_say_the_page_first(visit, source):
    data = sheet_data(source)
    lang = data["lang"]
    names = {"en": ("Full analysis", "Easy to read", "Self-check quiz"),
             "fr": ("Analyse complète", "Facile à lire", "Quiz d’autoévaluation")}[lang]
    visitor = visit()
    for page_name, kind in zip(("index.html", "easy-read.html", "quiz.html"), names,
                               strict=True):
        page = visitor.open(f"{data['slug']}/{page_name}")
        # the easy-read page is named as its leaflet is: by its plain title
        name = data["easy_read"]["title"] if page_name == "easy-read.html" else \
            data["short_title"]
        assert spaces(page.title()) == spaces(f"{kind} — {name} — {SITE_NAME[lang]}")
    assert visitor.open("index.html").title() == SITE_NAME["en"]
    assert visitor.open("tags/healthliteracy.html").title() == \
        f"Sheets tagged Health Literacy — {SITE_NAME['en']}"


def _words(tag: str) -> str:
    """CamelCase as words, by this test's own rule: a space before each capital that follows
    a small letter."""
    return re.sub(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])", " ", tag)


def test_tags_are_read_as_words(visit):
    data = sheet_data(SAMPLE)
    page = visit().open(f"{data['slug']}/index.html")
    tags = page.locator("section.sheet-tags .tag-list a")
    assert tags.count() == len(data["tags"])
    for index, tag in enumerate(data["tags"]):
        link = tags.nth(index)
        # the accessible name is the words; the #CamelCase is seen but hidden from the tree
        assert page.get_by_role("link", name=_words(tag), exact=True).count() == 1, tag
        assert spaces(link.locator('[aria-hidden="true"]').inner_text()) == f"#{tag}"
        assert link.locator('[aria-hidden="true"]').is_visible()
    home = visit().open("index.html")
    snapshot = home.locator("section.all-tags").aria_snapshot()
    assert "#" not in snapshot
    for tag in data["tags"]:
        assert f'link "{_words(tag)}"' in snapshot, tag


def test_the_second_sheet_is_a_few_tabs_away(visit):
    page = visit().open("index.html")
    second = page.locator(".card").nth(1).locator(".card-title a")
    href = second.get_attribute("href")
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.getAttribute('href')"))
        if focused[-1] == href:
            break
    else:
        pytest.fail(f"the second sheet is not reached: {focused}")
    # skip link, site name, the first sheet's title, easy read and quiz, then the second
    # sheet's title: 6 (a site-wide search field or language link may add one or two)
    assert len(focused) <= 8, focused
    assert not any(link and link.startswith("tags/") for link in focused), focused


def test_text_only_zoom_200_percent_at_320_px(visit, pages):
    """The text twice as large (the root's font size doubled, as a browser's text-only zoom
    or a reader's minimum font size does) on a 320 px window: no page scrolls sideways."""
    visitor = visit(width=320)
    wide = {}
    for path in pages:
        page = visitor.open(path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement)"
                             ".fontSize)") == 32
        sizes = page.evaluate("[document.documentElement.scrollWidth, "
                              "document.documentElement.clientWidth]")
        if sizes[0] > sizes[1]:
            wide[path] = sizes
    assert wide == {}


def test_french_and_spanish_cards_read_as_written(site):
    """A byline without a guessed article: "Analyse : Équipe handouts", not "Analyse
    d’Équipe handouts" (which would need "de l’Équipe")."""
    home = (site / "index.html").read_text(encoding="utf-8")
    for source, words in ((FRENCH_SAMPLE, "Analyse\u00a0: "), (SAMPLE, "Analysis by ")):
        author = sheet_data(source)["sheet"]["author"]
        assert f'<p class="card-meta">{words}{author} · ' in home, source.name


def test_french_progress_agrees_with_its_count(visit):
    data = sheet_data(FRENCH_SAMPLE)
    page = visit().open(f"{data['slug']}/quiz.html")
    count = len(data["quiz"])
    first = data["quiz"][0]["answer"].upper()
    page.locator(f"#q1-{first}").check()
    page.locator("#q1 button.check").click()
    assert spaces(page.locator(".progress").inner_text()) == f"1 question vérifiée sur {count}."
    page.locator(f"#q2-{data['quiz'][1]['answer'].upper()}").check()
    page.locator("#q2 button.check").click()
    assert spaces(page.locator(".progress").inner_text()) == \
        f"2 questions vérifiées sur {count}."


# The words of an element that its lines split, read from the browser's line boxes: a word
# (between spaces and hyphens, so that "bien-être" may end a line at its hyphen) whose
# characters stand on two lines was cut.
_CUT_WORDS = r"""(selector) => {
  const cut = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      for (const match of node.data.matchAll(/[^\s\u00a0\u202f\u2009\u00ad-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter(box => box.width > 0)
                             .map(box => Math.round(box.top)));
        if (tops.size > 1) cut.push(match[0]);
      }
    }
  }
  return cut;
}"""
# The easy-read page's own words: its title, parts and key points (addresses left out: an
# e-mail address longer than the line may break, as it must somewhere).
EASY_WORDS = ".overline, h1, .explains, h2, .easy-line"


@pytest.mark.parametrize("source", [SAMPLE, FRENCH_SAMPLE])
def test_easy_read_words_stay_whole_at_200_percent_on_320_px(visit, source):
    """The easy-read page may not hyphenate: with the text twice as large on a 320 px
    window, its pictures stand above their parts and its text keeps the reader's size, so
    no word is cut (the picture column left about 4 rem for the text: "LECT URA", "compéte
    nces")."""
    slug = sheet_data(source)["slug"]
    page = visit(width=320).open(f"{slug}/easy-read.html")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate(_CUT_WORDS, EASY_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth <= "
                         "document.documentElement.clientWidth")
    # the pictures stand above their parts' text, which starts at the column's edge
    lefts = page.evaluate("[...document.querySelectorAll('.easy-line')].map("
                          "line => Math.round(line.getBoundingClientRect().left))")
    column = page.evaluate("Math.round(document.querySelector('main .wrap')"
                           ".getBoundingClientRect().left + 32)")  # its 1 rem padding, zoomed
    assert set(lefts) <= {column, column + round(1.1 * 32)}, lefts  # the key points' bullets
    # at the normal size, the pictures keep their column (3.5 rem) beside the text
    page.evaluate("document.documentElement.style.fontSize = ''")
    assert min(page.evaluate("[...document.querySelectorAll('.easy-line')].map("
                             "line => line.getBoundingClientRect().left)")) >= 16 + 56


@pytest.mark.parametrize("source", [SAMPLE, FRENCH_SAMPLE])
def test_narrow_lines_are_hyphenated_in_the_pages_language(visit, source):
    """A line of about 40 characters or fewer (a phone, or text zoom) hyphenates long words
    in the page's language where the browser has its dictionary (Debian's chromium, offline,
    has none: the words it cannot hyphenate still break, without sideways scroll); a wide
    line, a heading on a wide page and the easy-read page never hyphenate. The boxes'
    insides shrink there, so that their text keeps most of the column."""
    data = sheet_data(source)
    slug = data["slug"]
    style = ("[...document.querySelectorAll(arguments_selector)].map(e => "
             "getComputedStyle(e).hyphens)")

    def hyphens(page, selector: str) -> set[str]:
        return set(page.evaluate(f"(arguments_selector) => {style}", selector))

    wide = visit(width=1280).open(f"{slug}/index.html")
    assert wide.evaluate("document.documentElement.lang") == data["lang"]
    assert hyphens(wide, "main p, main li, main h1, main h2") == {"manual"}
    for width, size in ((320, ""), (320, "200%"), (768, "200%")):
        page = visit(width=width).open(f"{slug}/index.html")
        page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
        assert hyphens(page, "main p, main li, main h1, main h2") == {"auto"}, (width, size)
        easy = visit(width=width).open(f"{slug}/easy-read.html")
        easy.evaluate(f"document.documentElement.style.fontSize = '{size}'")
        assert hyphens(easy, "main p, main li, main h1, main h2") == {"none"}, (width, size)
    # 200 % at 320 px: the highlights' text keeps 80 % of the column or more (it had 67 %)
    page = visit(width=320).open(f"{slug}/index.html")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    column = page.evaluate("document.querySelector('main .wrap').clientWidth - 64")
    inner = page.evaluate("(() => { const box = document.querySelector('.highlights');"
                          " const style = getComputedStyle(box); return box.clientWidth"
                          " - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);"
                          " })()")
    assert inner >= 0.8 * column, (inner, column)
