"""Web addresses as printed: shortened for reading, and as a QR code for phones.

A 120-character address printed in full is broken mid-word and unreadable; print its host and
the start of its path, and give the whole address as a QR code (drawn as vector SVG, inline in
the HTML, so the PDF engine needs to fetch nothing).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markupsafe import Markup

SHORT_URL_LENGTH = 40


def short_url(url: str, limit: int = SHORT_URL_LENGTH) -> str:
    """`https://www.example.org/reports/2025/long-name.pdf` → `example.org/reports/2025/…`:
    no scheme, no `www.`, cut after a `/` when it is too long."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    text = host + rest
    if len(text) <= limit:
        return text
    cut = text[:limit]
    slash = cut.rfind("/")
    if slash >= len(host):
        cut = cut[: slash + 1]
    return cut + "…"


def qr_svg(url: str, label: str) -> Markup:
    """The address as a QR code: an inline SVG of black modules (medium error correction),
    with `label` as its accessible name. Only segno's own markup and escaped text go in."""
    import segno
    from markupsafe import escape

    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", svgclass="qr-code")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
