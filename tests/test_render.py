"""HTML rendering (escaping, page rules) and the PDF engine's known pitfalls."""

import re

import pytest

from generator.documents.kinds import KINDS
from generator.documents.render import Renderer, css_counter_text, css_string, page_css
from generator.sheet.loader import load_sheet
from generator.view.sheetview import build_view
from tests.conftest import DATA, NO_FONT_HAS, SAMPLE


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


def test_css_strings_cannot_be_broken_out_of():
    literal = css_string('a"; } @import url(x); /*')
    assert literal.startswith('"') and literal.endswith('"')
    assert '"' not in literal[1:-1] and ";" not in literal and "}" not in literal


def test_page_number_templates_become_css_counters():
    assert css_counter_text("page {page} of {pages}") == (
        r'"page\20 " counter(page) "\20 of\20 " counter(pages)'
    )


def test_page_rule_has_paper_size_header_and_numbers():
    view = build_view(load_sheet(SAMPLE))
    rule = page_css(KINDS["quiz"], view, "letter")
    assert "size: letter" in rule and "@top-left" in rule and "counter(pages)" in rule
    assert "@top-left" not in page_css(KINDS["easy-read"], view, "a4")


def test_html_is_self_contained_and_language_tagged(renderer):
    view = build_view(load_sheet(SAMPLE))
    html = renderer.html(KINDS["full-analysis"], view)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert "<link" not in html and "<script" not in html
    assert re.search(r"<style>.*@page", html, re.S)


def test_content_is_escaped_in_html(renderer, tmp_path):
    source = (DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8")
    source = source.replace('"A minimal sheet"', '"<b>x</b> {{ 7*7 }}"')
    sheet = tmp_path / "escaped.yaml"
    sheet.write_text(source, encoding="utf-8")
    html = renderer.html(KINDS["quiz"], build_view(load_sheet(sheet)))
    assert "&lt;b&gt;x&lt;/b&gt; {{ 7*7 }}" in html
    assert "<b>x</b>" not in html


def test_a_trailing_page_reference_does_not_strand_the_first_word(renderer):
    """WeasyPrint 70.0 put "Le" alone on a line here; the pinned versions must not."""
    text = ("Le temps de sommeil recule de 40 minutes en moyenne chez les jeunes qui utilisent "
            "un écran au lit.")
    css = renderer.stylesheet("base.css")
    for width in (166.4, 166.8, 167.2):
        html = (f'<html lang="fr"><style>{css} div {{ width: {width}mm }}</style>'
                f'<div>{text} <span class="pages">p. 12–15</span></div>')
        pdf = renderer.pdf(html)
        import io

        from pypdf import PdfReader
        first_line = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text().splitlines()[0]
        assert first_line.startswith("Le temps de sommeil"), (width, first_line)


def test_pdf_rendering_fetches_nothing(renderer):
    html = ('<html><body><img src="file:///etc/hostname">'
            '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
            '<p style="background: url(file:///etc/passwd)">text</p></body></html>')
    pdf = renderer.pdf(html)
    assert pdf.pages == 1
    assert any("an outside resource was refused and left out: file:///etc/hostname" in w
               for w in pdf.warnings)
    assert b"root:" not in pdf.data


def test_a_missing_glyph_is_reported_by_character(renderer):
    pdf = renderer.pdf(f'<html lang="en"><body><p>Unassigned: {NO_FONT_HAS}.</p></body></html>')
    assert pdf.warnings == [
        f'the character "{NO_FONT_HAS}" (U+0378) is in none of the installed fonts and prints '
        "as an empty box: replace it, or install a font that has it"
    ]


def test_accents_guillemets_ligatures_and_emoji_have_glyphs_on_the_line(renderer):
    """WeasyPrint 69 drew colour emoji small and a line too high; the pinned version must not."""
    import io

    import pdfplumber

    pdf = renderer.pdf('<html lang="fr"><body style="font: 20pt Noto Sans">'
                       "<p>Éçàùœ « efficace » ﬁ ’ — 🔍💡✅📝</p></body></html>")
    assert pdf.warnings == []
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        chars = document.pages[0].chars
    letters = [c for c in chars if c["text"] == "É"]
    emoji = [c for c in chars if c["text"] in "🔍💡✅📝"]
    assert len(emoji) == 4 and letters
    line_middle = (letters[0]["top"] + letters[0]["bottom"]) / 2
    for char in emoji:
        assert char["top"] < line_middle < char["bottom"], char["text"]
        assert 15 < char["bottom"] - char["top"] < 30  # about the 20 pt of the text


def test_only_the_allowed_pictures_are_served_even_other_pictures(renderer, tmp_path):
    """The engine gets the sheet's checked pictures as data: URIs, and nothing else: not a
    picture file that exists, not another data: URI."""
    import base64

    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           b'<rect width="10" height="10"/></svg>')
    allowed = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    other_data = "data:image/svg+xml;base64," + base64.b64encode(svg + b" ").decode()
    other_file = tmp_path / "other.svg"
    other_file.write_bytes(svg)
    html = (f'<html lang="en"><body><img src="{allowed}" alt="a">'
            f'<img src="{other_file.as_uri()}" alt="b"><img src="{other_data}" alt="c">'
            '</body></html>')
    pdf = renderer.pdf(html, pictures=frozenset({allowed}))
    refused = [w for w in pdf.warnings if "refused" in w]
    assert len(refused) == 2, pdf.warnings  # of three pictures, the allowed one is printed
    assert any(other_file.name in w for w in refused)
    assert any("data:image/svg+xml" in w for w in refused)


def test_a_stylesheets_warnings_are_said_for_every_document():
    """A stylesheet is parsed once per process (watch keeps the process), but each document
    made with it hears its warnings, so that --strict refuses every one, not the first."""
    renderer = Renderer()
    html = '<html lang="en"><title>t</title><p>x</p></html>'
    said = [renderer.pdf(html, stylesheets=["p { colr: red }"]).warnings for _ in range(2)]
    assert said[0] == said[1] == [
        "the PDF engine reported: Ignored `colr: red ` at 1:5, unknown property."]
