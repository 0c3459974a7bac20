"""What a build can be asked to do: the options and their allowed values, in one light module
that the command line can import without loading the heavy ones."""

from __future__ import annotations

from dataclasses import dataclass

PAPER_SIZES = {"a4": "A4", "letter": "letter", "a5": "A5"}
# PDF variants passed to WeasyPrint; tagged PDF/UA by default, for screen readers.
PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2", "pdf/a-1b", "pdf/a-2b", "pdf/a-2u", "pdf/a-3b",
                "pdf/a-3u", "pdf/a-4u", "pdf/x-4")
DEFAULT_PDF_VARIANT = "pdf/ua-1"
DEFAULT_TIME_LIMIT = 60.0  # seconds per document; a typical handout takes well under one
DEFAULT_MAX_BYTES = 1_000_000  # largest sheet file accepted
BLEED = "3mm"


@dataclass(frozen=True)
class BuildOptions:
    """Everything that changes what a build makes, besides the sheets themselves."""

    only: tuple[str, ...] = ()  # handout kinds; empty: all of them
    fmt: str = "pdf"  # or "html"
    paper: str = "a4"  # a key of PAPER_SIZES
    print_shop: bool = False  # bleed and crop marks
    pdf_variant: str | None = DEFAULT_PDF_VARIANT  # None: an untagged plain PDF
    strict: bool = False  # the PDF engine's warnings fail the sheet
    time_limit: float | None = DEFAULT_TIME_LIMIT  # seconds per document
    max_bytes: int = DEFAULT_MAX_BYTES
