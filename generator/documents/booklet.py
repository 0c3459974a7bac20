"""`--booklet`: the A5 easy-read leaflet imposed on A4 sheets in saddle-stitch order.

Leaflets are handed out folded: print the booklet on both sides (flip on the short edge),
fold the stack in the middle and staple it. Each A4 sheet carries four A5 pages, two a side,
so the leaflet is padded with blank pages to a multiple of four; sheet s (from 0) of an
n-page booklet has pages n-2s and 2s+1 in front, 2s+2 and n-2s-1 behind (counting from 1).
pypdf does the imposition: the pages are placed as they are, nothing is rendered again.
The booklet is a handout kind of its own (kinds.py: A5 paper, then this imposition).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

A4_LANDSCAPE = (297 * 72 / 25.4, 210 * 72 / 25.4)  # points


def saddle_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page indexes, from 0, of each printed side; indexes at or past `pages`
    are blank."""
    total = -(-pages // 4) * 4
    sides = []
    for sheet in range(total // 4):
        sides.append((total - 1 - 2 * sheet, 2 * sheet))
        sides.append((2 * sheet + 1, total - 2 - 2 * sheet))
    return sides


def impose(a5_pdf: bytes) -> tuple[bytes, int]:
    """The booklet's PDF bytes and its number of printed sides (A4 landscape pages)."""
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation
    from pypdf.generic import DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(a5_pdf))
    pages = list(reader.pages)
    width = float(pages[0].mediabox.width)
    sheet_width, sheet_height = A4_LANDSCAPE
    fold = sheet_width / 2  # A5 is 148 mm, half of A4 is 148.5: the pages meet at the fold
    writer = PdfWriter()
    for left, right in saddle_order(len(pages)):
        side = PageObject.create_blank_page(width=sheet_width, height=sheet_height)
        for index, offset in ((left, fold - width), (right, fold)):
            if index < len(pages):
                side.merge_transformed_page(pages[index],
                                            Transformation().translate(offset, 0))
        writer.add_page(side)
    info: Mapping[str, object] = reader.metadata or {}
    writer.add_metadata({key: str(info[key]) for key in ("/Title", "/Author", "/Creator")
                         if key in info})
    root = reader.trailer["/Root"]  # a DictionaryObject: pypdf resolves the reference
    if isinstance(root, DictionaryObject) and "/Lang" in root:
        writer._root_object[NameObject("/Lang")] = root["/Lang"]
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue(), len(writer.pages)
