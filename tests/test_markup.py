"""Inline Markdown: bold, italic and web links become HTML; everything else stays text."""

import re

from markupsafe import escape

from generator.view.markup import inline, paragraphs


def test_bold_italic_and_web_links():
    assert inline("**bold** and *italic*") == "<strong>bold</strong> and <em>italic</em>"
    # the short address rides along, for print to write after the words (#24 item 7)
    assert inline("[the report](https://example.org/r)") == (
        '<a href="https://example.org/r" data-address="example.org/r">the report</a>'
    )
    assert inline("[write](mailto:a@example.org?subject=Hi)") == (
        '<a href="mailto:a@example.org?subject=Hi" data-address="a@example.org">write</a>')
    # words that are the address already print nothing more
    assert inline("[example.org/r](https://www.example.org/r/)") == (
        '<a href="https://www.example.org/r/">example.org/r</a>')


def test_raw_html_is_shown_as_text():
    assert inline("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    html = inline('<img src="file:///etc/passwd">')
    assert html.startswith("&lt;img src=") and "<img" not in html
    assert "file:///etc/passwd" in html


def test_unsafe_links_stay_literal_text():
    assert inline("[click](javascript:alert(1))") == "[click](javascript:alert(1))"
    assert inline("[local](file:///etc/passwd)") == "[local](file:///etc/passwd)"


def test_template_syntax_and_block_markdown_are_text():
    assert inline("{{ 7*7 }} {% if %}") == "{{ 7*7 }} {% if %}"
    assert inline("# not a heading") == "# not a heading"
    assert inline("- not a list") == "- not a list"


def test_escaped_asterisks_print_as_asterisks():
    assert inline(r"\*not italic\*") == "*not italic*"


def test_paragraphs_split_on_blank_lines():
    assert paragraphs("one\nstill one\n\n  \ntwo") == ["one\nstill one", "two"]


def test_images_print_exactly_as_typed():
    assert inline("![x](https://example.org/p.png)") == "![x](https://example.org/p.png)"
    assert inline("see ![logo](https://example.org/l.png) here") == (
        "see ![logo](https://example.org/l.png) here")


def test_web_links_need_a_host():
    assert inline("[p](https:///etc/passwd)") == "[p](https:///etc/passwd)"
    assert inline("[p](http://)") == "[p](http://)"


def test_mailto_links_carry_only_a_subject_and_a_body():
    assert inline("[m](mailto:a@example.org?subject=Hi&body=Yo)") == (
        '<a href="mailto:a@example.org?subject=Hi&amp;body=Yo" data-address="a@example.org">m</a>')
    for hostile in ("mailto:a@example.org?attach=/etc/passwd",
                    "mailto:a@example.org?subject=x&%61ttach=/etc/passwd",
                    "mailto:a@example.org?bcc=spy@example.org",
                    "mailto:?body=no-address"):
        assert inline(f"[m]({hostile})") == escape(f"[m]({hostile})")  # text, not a link


def test_a_scheme_in_capitals_makes_the_same_link_in_lowercase():
    """Issue #22: `HTTPS://` links lost the web edition's `rel` and external marker. A
    scheme is the same in any case; the rest of the address is kept as written."""
    assert inline("[r](HTTPS://example.org/Report)") == (
        '<a href="https://example.org/Report" data-address="example.org/Report">r</a>')
    assert inline("[r](hTTp://example.org/)") == (
        '<a href="http://example.org/" data-address="example.org">r</a>')
    assert inline("[m](Mailto:A@example.org?Subject=Hi)") == (
        '<a href="mailto:A@example.org?Subject=Hi" data-address="A@example.org">m</a>')
    for hostile in ("JAVASCRIPT:alert(1)", "File:///etc/passwd", "HTTPS:///etc/passwd",
                    "MAILTO:a@example.org?ATTACH=/etc/passwd"):
        assert inline(f"[x]({hostile})") == escape(f"[x]({hostile})")  # still text


def test_the_web_edition_marks_links_in_capitals_like_the_others(tmp_path):
    """Content links, the source's and the references' addresses, on the published page:
    each gets rel="noopener noreferrer", and those to other sites the external marker."""
    import yaml

    from generator.batch.web import site_files
    from generator.batch.webpages import make_site, mark_external
    from generator.batch.websheet import web_sheet
    from generator.options import BuildOptions
    from generator.sheet.loader import load_sheet
    from tests.conftest import DATA

    assert mark_external('<a href="HTTPS://example.org/">o</a>', "ext") == (
        mark_external('<a href="https://example.org/">o</a>', "ext").replace("https", "HTTPS"))
    assert mark_external('<a href="MAILTO:a@example.org">o</a>', "ext") == (
        '<a href="MAILTO:a@example.org" rel="noopener noreferrer">o</a>')
    sheet = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
    sheet["summary"][0]["text"] = ("See [one](HTTPS://one.example.org/A), "
                                   "[two](https://two.example.org/) or [me](MAILTO:m@example.org).")
    sheet["source"] = {"url": "HTTPS://three.example.org/Doc"}
    sheet["references"] = [{"title": "Four", "url": "Http://four.example.org/"}]
    path = tmp_path / "links.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    loaded = load_sheet(path)
    assert loaded.source.url == "https://three.example.org/Doc"
    assert loaded.references[0].url == "http://four.example.org/"
    made, _ = web_sheet(loaded, tmp_path / "out", BuildOptions())
    page = site_files(make_site([made], None))["links/index.html"].decode()
    links = []
    for tag in re.findall(r"<a\b[^>]*>", page):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if "example.org" in attributes["href"]:
            links.append((attributes["href"], attributes.get("rel"),
                          "external" in attributes.get("class", "").split()))
    safe = "noopener noreferrer"
    assert sorted(links) == [
        ("http://four.example.org/", safe, True), ("https://one.example.org/A", safe, True),
        ("https://three.example.org/Doc", safe, True), ("https://two.example.org/", safe, True),
        ("mailto:m@example.org", safe, False)]


def test_a_web_address_with_a_tab_is_refused_not_rewritten(tmp_path):
    """urlsplit drops tabs (`ht\\ttps://` reads as `https://`): an address holding any space
    is refused, as a link with one stays text."""
    import pytest
    import yaml

    from generator.errors import SheetError
    from generator.sheet.loader import load_sheet
    from tests.conftest import DATA

    sheet = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
    sheet["source"] = {"url": "HT\tTPS://example.org/"}
    path = tmp_path / "tab.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        load_sheet(path)
    assert [problem.message for problem in caught.value.problems] == [
        "'HT\tTPS://example.org/' is not a web address: write a full address starting with "
        "https:// (or http://)"]
    assert inline("[x](HT\tTPS://example.org/)") == escape("[x](HT\tTPS://example.org/)")
