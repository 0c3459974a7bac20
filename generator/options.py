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
DEFAULT_SEED = "1"


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
    versions: int = 1  # quiz versions A, B…; 1: the sheet's own order
    seed: str = DEFAULT_SEED  # draws the versions' orders
    answer_sheet: bool = False  # a separate answer sheet per edition
    pre_post: bool = False  # the quiz twice, before and after, with a tally sheet
    booklet: bool = False  # also the A5 leaflet imposed on A4 for folding (booklet.py)

    def editions(self):
        from .versions import editions

        return editions(self.versions, self.seed, self.pre_post)

    def wanted(self) -> set[str]:
        """The conditions met for the optional kinds (see kinds.HandoutKind.needs)."""
        wanted = set()
        if len(self.editions()) > 1:
            wanted.add("editions")
        if self.answer_sheet:
            wanted.add("answer_sheet")
        if self.pre_post:
            wanted.add("pre_post")
        return wanted

    def planned(self) -> list[tuple[str, str, object]]:
        """(key, kind name, edition or None) of every output, known before reading a sheet:
        the key names the output in file names and in the incremental record."""
        from .kinds import select

        plan = []
        for kind in select(list(self.only), self.wanted()):
            if kind.per_edition:
                plan += [(kind.name + edition.suffix(), kind.name, edition)
                         for edition in self.editions()]
            else:
                plan.append((kind.name, kind.name, None))
            if kind.name == "answer-key" and self.fmt == "pdf" and len(self.editions()) > 1:
                plan.append(("keys", "keys", None))  # S-keys.csv, for several editions
        return plan
