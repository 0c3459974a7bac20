"""Web addresses as printed: shortened for reading, and as a QR code for phones.

A 120-character address printed in full is broken mid-word and unreadable; print it whole, or
only its host when the whole does not fit (never an ellipsis, never a folder that may not be a
page: a reader types what is printed and lands on the site), and give the whole address as a
QR code (a vector SVG picture given as a `data:` URI, so the PDF engine needs to fetch nothing,
with alternative text).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import urlsplit

SHORT_URL_LENGTH = 40


def bare_url(url: str) -> str:
    """`https://www.example.org/about/` → `example.org/about`: the address as a reader types
    it, without its scheme, `www.`, last slash or `#` part (the one place addresses are
    shortened: sources, references, the organisation's website and licence)."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def short_url(url: str, limit: int = SHORT_URL_LENGTH) -> str:
    """`https://www.example.org/reports/2025/long-name.pdf` → `example.org`: the bare
    address, or its host when the bare address is longer than `limit`. Never an ellipsis, and
    never a parent folder, which may not be a page: whatever is printed can be typed as it is
    and leads to the site (the QR code beside it, or the link, holds the full address)."""
    host = urlsplit(url).netloc.removeprefix("www.")
    text = bare_url(url)
    if len(text) <= limit:
        return text
    return host


@dataclass(frozen=True)
class QrCode:
    """An address as a QR code: a vector picture (an SVG `data:` URI, which the PDF engine is
    allowed to load) and the words that say what it is (its alternative text: a tagged
    PDF's Figure)."""

    uri: str
    label: str


def qr_code(url: str, label: str, border: int = 4) -> QrCode:
    """The address as a QR code of black modules (medium error correction), with `border`
    modules of quiet zone. Only segno's own markup goes into the picture."""
    import segno

    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=border, omitsize=True, dark="#000")
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return QrCode(f"data:image/svg+xml;base64,{data}", label)
