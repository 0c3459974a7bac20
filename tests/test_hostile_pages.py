"""Any page through `import`: HTML of any shape, and web-edition pages with parts taken out,
repeated or rewritten, give a sheet whose YAML parses or our own error, never a crash."""

from __future__ import annotations

import html

import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.sheet.importer import import_page
from tests.conftest import DATA, examples, imports_to_a_sheet_or_our_error

SEED_LINES = (DATA / "import" / "seed.txt").read_text(encoding="utf-8").splitlines()
EVERY_FIELD = DATA / "sheets" / "every-field.yaml"

TAGS = ["div", "section", "article", "p", "span", "h1", "h2", "h3", "h4", "ul", "ol", "li",
        "table", "tr", "td", "th", "br", "a", "strong", "em", "blockquote", "pre", "details",
        "summary", "dl", "dt", "dd", "script", "style", "template", "svg", "figure"]
words = st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=30))


def _element(tag: str, children: list[str]) -> str:
    return f"<{tag}>{''.join(children)}</{tag}>"


# A tree of elements, its text the seed page's lines (headings the importer knows) or any text.
trees = st.recursive(words.map(html.escape),
                     lambda inner: st.builds(_element, st.sampled_from(TAGS),
                                             st.lists(inner, max_size=5)),
                     max_leaves=40)


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(trees, max_size=6), st.booleans())
def test_any_html_page_gives_a_sheet_or_our_error(tmp_path_factory, body, with_head):
    head = "<head><title>t</title><meta charset='utf-8'></head>" if with_head else ""
    page = f"<!DOCTYPE html><html>{head}<body>{''.join(body)}</body></html>"
    imports_to_a_sheet_or_our_error(page.encode("utf-8", "surrogatepass"), "page.html",
             tmp_path_factory.mktemp("page"))


WEB_PAGES = ("index.html", "easy-read.html", "quiz.html")


@pytest.fixture(scope="module")
def web_pages(tmp_path_factory) -> dict[str, bytes]:
    """The web edition's three pages of the sheet holding every field."""
    from generator import api

    site = tmp_path_factory.mktemp("web") / "site"
    result = api.build([EVERY_FIELD], site, fmt="web", only=("quiz",))
    assert result.failures == []
    return {name: (site / "every-field" / name).read_bytes() for name in WEB_PAGES}


@pytest.fixture(scope="module")
def web_page(web_pages) -> bytes:
    """The analysis page alone."""
    return web_pages["index.html"]


# Text an HTML tree can hold (lxml refuses what XML forbids: controls, U+FFFE, U+FFFF).
tree_texts = st.text(st.characters(exclude_categories=("Cs", "Cc"),
                                   exclude_characters="\ufffe\uffff")
                     | st.sampled_from("\t\n"), max_size=20)
edits = st.lists(st.tuples(st.sampled_from(["drop", "twice", "text", "empty", "attribute"]),
                           st.integers(min_value=0), tree_texts),
                 min_size=1, max_size=6)


def _edited(page: bytes, changes: list[tuple[str, int, str]]) -> bytes:
    """The page with elements of its body taken out, repeated, emptied, their text or an
    attribute rewritten (the head is kept: it is what marks a page as handouts' own)."""
    tree = lxml.html.document_fromstring(page)
    for change, number, text in changes:
        body = tree.body
        elements = list(body.iterdescendants())
        if not elements:
            break
        element = elements[number % len(elements)]
        parent = element.getparent()
        if change == "drop":
            element.drop_tree()
        elif change == "twice" and parent is not None:
            parent.insert(parent.index(element), lxml.html.fromstring(
                lxml.html.tostring(element)))
        elif change == "text":
            element.text = text
        elif change == "empty":
            for child in list(element):
                element.remove(child)
            element.text = ""
        elif change == "attribute" and element.attrib:
            name = sorted(element.attrib)[number % len(element.attrib)]
            element.attrib[name] = text
    return lxml.html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")


def _without(page: bytes, css_class: str) -> bytes:
    """The page with its one element of this class taken out."""
    tree = lxml.html.document_fromstring(page)
    (element,) = tree.body.find_class(css_class)
    element.drop_tree()
    return lxml.html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")


def test_the_web_page_as_built_imports_back(web_page, tmp_path):
    text, _ = import_page(web_page, "index.html", folder=tmp_path)
    assert yaml.safe_load(text)["title"] == "Mktitle"


# Found by `sh scripts/dev.sh fuzz`: the analysis page with its easy-read part's text (the
# heading and the lines) taken out, the part's pictogram left.
def test_a_web_page_whose_easy_read_part_lost_its_text_says_what_is_missing(web_page, tmp_path):
    text, report = import_page(_without(web_page, "easy-text"), "index.html", folder=tmp_path)
    assert isinstance(yaml.safe_load(text), dict)
    said = "\n".join(report.lines("index.html", "sheet.yaml"))
    assert "missing: easy_read.summary[1].heading" in said
    assert "missing: easy_read.summary[1].lines" in said


# Found by `sh scripts/dev.sh fuzz`: a question of the analysis page without its head line
# ("Question 1 p. 12"), its text kept: `handouts import` ended with a traceback
# (AttributeError: 'NoneType' object has no attribute 'xpath', in importer._find_all).
def test_a_web_page_whose_question_lost_its_head_line_still_imports(web_page, tmp_path):
    text, _ = import_page(_without(web_page, "question-head"), "index.html", folder=tmp_path)
    (question,) = yaml.safe_load(text)["quiz"]
    assert question["question"] == "Mkquizquestion"
    assert "pages" not in question  # the page numbers were on the line taken out


@settings(max_examples=examples(100), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_a_web_page_with_parts_changed_gives_a_sheet_or_our_error(tmp_path_factory, web_page,
                                                                  changes):
    imports_to_a_sheet_or_our_error(_edited(web_page, changes), "index.html",
                                    tmp_path_factory.mktemp("web-page"))


# Found by `sh scripts/dev.sh fuzz`: the easy-read page beside the analysis page without its
# title (<h1>): `handouts import index.html` ended with a traceback (AttributeError:
# 'NoneType' object has no attribute 'get', in importer.web_text called by easy_read).
def test_an_easy_read_page_without_its_title_beside_the_analysis_still_imports(web_pages,
                                                                                tmp_path):
    for name, page in web_pages.items():
        (tmp_path / name).write_bytes(page)
    tree = lxml.html.document_fromstring(web_pages["easy-read.html"])
    (title,) = tree.body.iter("h1")
    title.drop_tree()
    (tmp_path / "easy-read.html").write_bytes(
        lxml.html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>"))
    text, _ = import_page(web_pages["index.html"], "index.html", folder=tmp_path)
    easy_read = yaml.safe_load(text)["easy_read"]
    assert "title" not in easy_read  # the leaflet's title was the line taken out
    assert easy_read["checked_by"] == "Mkeasyreadcheckedby"  # the rest of the page is read


@settings(max_examples=examples(100), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(WEB_PAGES), edits, st.sampled_from(WEB_PAGES))
def test_a_sheet_of_web_pages_one_changed_gives_a_sheet_or_our_error(tmp_path_factory, web_pages,
                                                                     changed, changes, read):
    """The three pages side by side (each page's reader reads the other two), one of them
    changed, any of them imported."""
    folder = tmp_path_factory.mktemp("web-pages")
    for name, page in web_pages.items():
        (folder / name).write_bytes(_edited(page, changes) if name == changed else page)
    imports_to_a_sheet_or_our_error((folder / read).read_bytes(), read, folder)
