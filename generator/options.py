"""What a build can be asked to do: the options and their allowed values, in one light module
that the command line can import without loading the heavy ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .documents.kinds import HandoutKind
    from .settings import Project
    from .view.versions import Edition

PAPER_SIZES = {"a4": "A4", "letter": "letter", "a5": "A5"}
# PDF variants passed to WeasyPrint; tagged PDF/UA by default, for screen readers.
PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2", "pdf/a-1b", "pdf/a-2b", "pdf/a-2u", "pdf/a-3b",
                "pdf/a-3u", "pdf/a-4u", "pdf/x-4")
DEFAULT_PDF_VARIANT = "pdf/ua-1"
DEFAULT_TIME_LIMIT = 60.0  # seconds per document; a typical handout takes well under one
DEFAULT_MAX_BYTES = 1_000_000  # largest sheet file accepted
DEFAULT_WAIT = 600.0  # seconds a build waits for another build holding the output folder
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
    project: Project | None = None  # handouts.toml's look: organisation, colours, theme
    wait: float = DEFAULT_WAIT  # seconds to wait for another build's lock on the output

    def editions(self) -> list[Edition]:
        from .view.versions import editions

        return editions(self.versions, self.seed, self.pre_post)

    def planned(self) -> list[Planned]:
        """Every output, known before reading a sheet, in registry order: the kinds asked for
        (all those whose condition is met when none is named), once per edition for the
        kinds made per edition. Raises OptionsError for a kind asked for whose condition is
        not met."""
        from .documents.kinds import KINDS
        from .errors import OptionsError

        if self.only:
            unknown = [name for name in self.only if name not in KINDS]
            if unknown:
                raise OptionsError(f"unknown handout kind {', '.join(unknown)}: choose among "
                                   f"{', '.join(KINDS)}")
            unmet = [KINDS[name] for name in self.only if not KINDS[name].made_with(self)]
            if unmet:
                raise OptionsError("; ".join(
                    f"{kind.name} is made only with {kind.needs.option}: add it, or leave "
                    f"{kind.name} out of --only" for kind in unmet if kind.needs))
            kinds = [kind for kind in KINDS.values()
                     if kind.name in self.only or kind.asked_by_option(self)]
        else:
            kinds = [kind for kind in KINDS.values() if kind.made_with(self)]
        plan = []
        for kind in kinds:
            for edition in (self.editions() if kind.per_edition else [None]):
                plan.append(Planned(kind.name + (edition.suffix() if edition else ""),
                                    kind, edition))
        return plan


@dataclass(frozen=True)
class Planned:
    """One output of a sheet: `key` names it in file names (S-KEY.EXT) and in the record of
    incremental builds."""

    key: str
    kind: HandoutKind
    edition: Edition | None
