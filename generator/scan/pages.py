"""Scanned files as page pictures, bounded like every input: a scanner's PDF (each page drawn
at PDF_DPI) or a picture (PNG, JPEG, a phone's photo), one grey picture at a time, so that
a long PDF never sits whole in memory.

A file that cannot be read at all gives one `Unreadable` naming it; a page that cannot be
drawn, one naming its page; the other files and pages are read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..paths import display

PDF_DPI = 150  # a 5 mm box is 30 pixels: plenty to measure, quick to draw and read
MAX_FILE_BYTES = 300_000_000  # a scanner's 300-page PDF in colour stays far below
MAX_PAGES = 300  # pages read from one PDF
MAX_PAGE_MM = 450  # a page's longer side: A3 and below (a larger one is not a scan of ours)
MAX_PIXELS = 60_000_000  # a picture's pixels, checked before it is decoded
WORK_SIDE = 1800  # a larger picture is made this long on its longer side (A4 at 150 dpi)
PICTURES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")


@dataclass(frozen=True)
class Unreadable:
    """A file or page that gives no picture, and why."""

    where: str  # "scans/a.pdf" or "scans/a.pdf page 3"
    reason: str


@dataclass(frozen=True)
class Picture:
    where: str  # as above: the `source` column
    file: Path
    page: int  # 1-based (1 for a picture)
    gray: Any  # numpy array, 8-bit grey


def _read(file: Path) -> bytes:
    with file.open("rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"it is larger than {MAX_FILE_BYTES // 1_000_000} MB: scan fewer "
                         "pages per file")
    return data


def pictures(file: Path) -> Iterator[Picture | Unreadable]:
    """Each page of a scanned file as a grey picture, or why it gives none."""
    shown = display(file)
    try:
        data = _read(file)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        yield Unreadable(shown, f"cannot be read: {reason}")
        return
    if data[:5] == b"%PDF-" or file.suffix.lower() == ".pdf":
        yield from _pdf_pages(file, shown, data)
    else:
        yield _picture(file, shown, data)


def _pdf_pages(file: Path, shown: str, data: bytes) -> Iterator[Picture | Unreadable]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception:  # pdfium says only that it failed
        yield Unreadable(shown, "is not a readable PDF (damaged, cut short or protected "
                         "by a password?): scan it again")
        return
    try:
        count = len(document)
        if count > MAX_PAGES:
            yield Unreadable(shown, f"has {count} pages; handouts reads at most {MAX_PAGES} "
                             "pages of one PDF: scan the pile in smaller parts")
            return
        if count == 0:
            yield Unreadable(shown, "has no pages")
        for index in range(count):
            where = f"{shown} page {index + 1}"
            try:
                page = document[index]
                width, height = page.get_size()
                if max(width, height) / 72 * 25.4 > MAX_PAGE_MM:
                    yield Unreadable(where, f"is larger than A3 ({width / 72 * 25.4:.0f} by "
                                     f"{height / 72 * 25.4:.0f} mm): not a scanned sheet")
                    continue
                bitmap = page.render(scale=PDF_DPI / 72, grayscale=True)
                gray = _grey(bitmap.to_numpy())
                page.close()
            except Exception:
                yield Unreadable(where, "could not be drawn (a damaged page?)")
                continue
            yield Picture(where, file, index + 1, gray)
    finally:
        document.close()


def _grey(array: Any) -> Any:
    import numpy as np

    if array.ndim == 3:
        if array.shape[2] == 1:
            return np.ascontiguousarray(array[:, :, 0])
        import cv2

        return cv2.cvtColor(array[:, :, :3], cv2.COLOR_BGR2GRAY)
    return array


def _picture(file: Path, shown: str, data: bytes) -> Picture | Unreadable:
    """A picture, its size checked from its header before anything is decoded."""
    import cv2
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return Unreadable(shown, "is neither a PDF nor a picture handouts reads (PNG, JPEG, "
                          "TIFF): scan it as PDF or JPEG")
    if width * height > MAX_PIXELS:
        return Unreadable(shown, f"has {width * height / 1e6:.0f} million pixels; handouts "
                          f"reads pictures up to {MAX_PIXELS // 1_000_000} million: take "
                          "the photo at a lower resolution")
    gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None or gray.size == 0:
        return Unreadable(shown, "is a damaged picture (cut short?): take it again")
    longest = max(gray.shape[:2])
    if longest > WORK_SIDE:
        scale = WORK_SIDE / longest
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return Picture(shown, file, 1, gray)
