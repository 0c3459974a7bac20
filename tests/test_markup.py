"""Inline Markdown: bold, italic and web links become HTML; everything else stays text."""

from markupsafe import escape

from generator.view.markup import inline, paragraphs


def test_bold_italic_and_web_links():
    assert inline("**bold** and *italic*") == "<strong>bold</strong> and <em>italic</em>"
    assert inline("[the report](https://example.org/r)") == (
        '<a href="https://example.org/r">the report</a>'
    )
    assert inline("[write](mailto:a@example.org)") == '<a href="mailto:a@example.org">write</a>'


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
        '<a href="mailto:a@example.org?subject=Hi&amp;body=Yo">m</a>')
    for hostile in ("mailto:a@example.org?attach=/etc/passwd",
                    "mailto:a@example.org?subject=x&%61ttach=/etc/passwd",
                    "mailto:a@example.org?bcc=spy@example.org",
                    "mailto:?body=no-address"):
        assert inline(f"[m]({hostile})") == escape(f"[m]({hostile})")  # text, not a link
