"""Shortened addresses and QR codes."""

import re

from generator.view.addresses import qr_svg, short_url


def test_short_addresses_stay_whole():
    assert short_url("https://www.example.org/report") == "example.org/report"
    assert short_url("https://example.org/") == "example.org"


def test_long_addresses_are_cut_after_a_slash():
    url = "https://www.fabrique-territoires-sante.org/wp-content/uploads/2025/03/rapport.pdf"
    assert short_url(url) == "fabrique-territoires-sante.org/…"
    assert short_url("https://example.org/reports/2025/very-long-name-of-report.pdf") == (
        "example.org/reports/2025/…")
    assert len(short_url(url)) <= 41


def test_qr_code_is_an_accessible_inline_svg_without_the_address_as_text():
    svg = str(qr_svg("https://example.org/a?b=<c>", 'Scan "me"'))
    assert svg.startswith('<svg role="img" aria-label="Scan &#34;me&#34;" ')
    assert "<c>" not in svg and "example.org" not in svg
    assert re.search(r'viewBox="0 0 (\d+) \1"', svg)
