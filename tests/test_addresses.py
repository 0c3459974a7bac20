"""Shortened addresses and QR codes."""

import base64
import re

from generator.view.addresses import bare_url, qr_code, short_url


def test_short_addresses_stay_whole():
    assert short_url("https://www.example.org/report") == "example.org/report"
    assert short_url("https://example.org/") == "example.org"


def test_bare_addresses_lose_scheme_www_last_slash_and_fragment_but_are_never_cut():
    assert bare_url("https://www.example.org/about/") == "example.org/about"
    assert bare_url("http://example.org/a?b=c#part") == "example.org/a?b=c"
    long = "https://example.org/reports/2025/very-long-name-of-report.pdf"
    assert bare_url(long) == "example.org/reports/2025/very-long-name-of-report.pdf"


def test_long_addresses_print_their_host_only():
    """No ellipsis and no parent folder, which may not be a page (#24 item 5): a reader types
    what is printed and reaches the site; the QR code holds the whole address."""
    url = "https://www.fabrique-territoires-sante.org/wp-content/uploads/2025/03/rapport.pdf"
    assert short_url(url) == "fabrique-territoires-sante.org"
    assert short_url("https://example.org/reports/2025/very-long-name-of-report.pdf") == (
        "example.org")
    assert short_url("https://example.org/reports/2025/x.pdf") == "example.org/reports/2025/x.pdf"
    assert short_url("https://example.org/reports/2025/x.pdf", limit=24) == "example.org"


def test_qr_code_is_a_vector_picture_with_words_and_without_the_address_as_text():
    code = qr_code("https://example.org/a?b=<c>", 'Scan "me"')
    assert code.label == 'Scan "me"'
    prefix = "data:image/svg+xml;base64,"
    assert code.uri.startswith(prefix)
    svg = base64.b64decode(code.uri[len(prefix):]).decode("utf-8")
    assert svg.startswith("<svg ") and "<script" not in svg
    assert "<c>" not in svg and "example.org" not in svg
    assert re.search(r'viewBox="0 0 (\d+) \1"', svg)
