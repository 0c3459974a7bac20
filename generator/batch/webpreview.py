"""The web edition of one sheet as the studio previews it: its pages (analysis, easy-read,
quiz), the site's home and tag pages around it, its styles and pictograms, made in memory from
the text in the editor (saved or not), exactly as `build --web` would write them. Nothing is
written; the PDFs are not made (their links appear once a build has made them)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..options import BuildOptions
from .web import site_files
from .webpages import make_site
from .websheet import web_sheet


def web_pages(file: Path, data: bytes, options: BuildOptions) -> tuple[str, dict[str, bytes]]:
    """The sheet's slug and its site's files by their path in the site (`SLUG/analysis.html`,
    `index.html`, `assets/…`). Raises SheetError with `check`'s messages when the sheet is
    not valid."""
    from ..sheet.loader import load

    sheet = load(file, max_bytes=options.max_bytes, data=data).sheet
    with tempfile.TemporaryDirectory(prefix="handouts-web-preview-") as empty:
        made, _ = web_sheet(sheet, Path(empty), options)  # no PDF there: no link to one
    return made.view.slug, site_files(make_site([made], None))
