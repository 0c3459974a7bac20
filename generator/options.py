"""What a build can be asked to do: every option declared once, in OPTIONS, and the
BuildOptions that hold them. From the table are made the command line's options
(`clioptions.py`), the checks, JSON schema and starter lines of handouts.toml's [build] and
[quiz] sections (`settings/`), the options an output's fingerprint leaves out
(`batch/incremental.py`) and BuildOptions' own validation, so that the Python API refuses
`fmt="docx"` as the command line does. It knows the kinds and formats, so it comes after the
documents stage; the defaults earlier stages use are in `defaults.py`. A light module: the
command line imports it without loading the heavy ones."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from .defaults import (
    DEFAULT_MAX_BYTES,
    DEFAULT_PDF_VARIANT,
    DEFAULT_TIME_LIMIT,
    DEFAULT_WAIT,
    PAPER_SIZES,
    PDF_VARIANTS,
)
from .documents.formats import FORMATS
from .documents.kinds import KINDS
from .errors import OptionsError

if TYPE_CHECKING:  # pragma: no cover
    from .documents.kinds import HandoutKind
    from .view.organisation import Project
    from .view.versions import Edition

MAX_VERSIONS = 26  # quiz versions are lettered A to Z
DEFAULT_SEED = "1"

# What an option's value is; each kind has its command-line type, its check and its schema.
KINDS_OF_VALUE = ("choice", "language", "format", "whole", "number", "flag", "text", "path",
                  "kinds")


@dataclass(frozen=True)
class Option:
    """One option, declared once. `flags` put it on the command line of build and watch,
    `check_help` on check's too; `setting` makes it a key of handouts.toml whose value is the
    option's default; `field` says whether BuildOptions holds it (False: a settings key for
    another command, like [build] language for `new --lang`)."""

    name: str
    kind: str  # one of KINDS_OF_VALUE
    default: Any
    help: str | None = None
    flags: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    low: float | None = None  # the smallest number allowed
    high: float | None = None  # the largest
    above: bool = False  # `low` itself is refused: the number must be above it
    none: str | None = None  # the word that stands for None (--pdf-variant none)
    nullable: bool = False  # the API may give None (no time limit)
    metavar: str | None = None
    setting: tuple[str, str] | None = None  # (section, key) in handouts.toml
    setting_help: str | None = None  # its meaning there, when not "default of FLAG"
    starter: str | None = None  # the comment of its line in `init`'s handouts.toml
    not_fingerprinted: str | None = None  # why it never changes an output's bytes
    check_help: str | None = None  # also an option of `check`, with this help
    field: bool = True

    def __post_init__(self) -> None:
        """A mistaken declaration fails at import, not when a user meets the option."""
        if self.kind not in KINDS_OF_VALUE:
            raise ValueError(f"option {self.name}: kind {self.kind!r} is not one of "
                             f"{', '.join(KINDS_OF_VALUE)}")
        if self.kind == "choice" and self.default not in self.choices:
            raise ValueError(f"option {self.name}: default {self.default!r} is not a choice")

    @property
    def flag(self) -> str:
        """Its long command-line flag (--paper)."""
        return self.flags[-1] if self.flags else "--" + self.name.replace("_", "-")

    def words(self) -> tuple[str, ...]:
        """The values a choice may take, as typed (with the word for None)."""
        if self.kind == "language":
            from .sheet.locales import codes

            return tuple(codes())
        if self.kind == "format":  # the registry, as it is now (a test may register one)
            return tuple(FORMATS)
        return (*self.choices, *((self.none,) if self.none else ()))

    @property
    def rule(self) -> str:
        """What a value must be, said to a user."""
        if self.kind in ("choice", "language", "format"):
            return f"choose among {', '.join(self.words())}"
        if self.kind == "flag":
            return "must be true or false"
        if self.kind in ("whole", "number"):
            what = "a whole number" if self.kind == "whole" else "a number"
            if self.high is not None:
                return f"must be {what} from {_number(self.low)} to {_number(self.high)}"
            return f"must be {what} {'above' if self.above else 'of at least'} " \
                   f"{_number(self.low)}"
        if self.kind == "kinds":
            return "must be handout kind names"
        return "must be text"

    def accepts(self, value: Any) -> bool:
        """Whether `value` is one this option takes (None only when it stands for nothing);
        a bool is never a number here, though Python counts it as an int."""
        if value is None:
            return self.nullable or self.none is not None
        if self.kind in ("choice", "language", "format"):  # None's word is not held as itself
            allowed = self.choices if self.kind == "choice" else self.words()
            return isinstance(value, str) and value in allowed
        if self.kind == "flag":
            return isinstance(value, bool)
        if self.kind in ("whole", "number"):
            number_types = (int,) if self.kind == "whole" else (int, float)
            if isinstance(value, bool) or not isinstance(value, number_types):
                return False
            if self.low is not None and (value <= self.low if self.above else value < self.low):
                return False
            return self.high is None or value <= self.high
        if self.kind == "kinds":
            return isinstance(value, tuple) and all(isinstance(item, str) for item in value)
        return isinstance(value, str)

    def from_word(self, value: Any) -> Any:
        """A value as typed or written in the settings, as the option holds it."""
        return None if self.none is not None and value == self.none else value

    def meaning(self) -> str:
        """What its settings key means, for the schema."""
        if self.setting_help:
            return self.setting_help
        said = f"default of {self.flag}"
        if self.kind == "whole" and self.high is not None:
            return f"{said}: {_number(self.low)} to {_number(self.high)}"
        if self.kind == "choice" and len(self.words()) <= 4:
            return f"{said}: {_listed(self.words())}"
        return said

    def starter_comment(self) -> str | None:
        if self.starter is None:
            return None
        return self.starter.format(choices=_listed(self.words()),
                                   high=_number(self.high))


def _number(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


def _listed(words: tuple[str, ...]) -> str:
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


_SEED_HELP = "Draws the versions' orders: same seed, same versions."

# Every option, in the order --help shows them.
OPTIONS: tuple[Option, ...] = (
    Option("output", "path", "output", setting=("build", "output"),
           setting_help="default of -o", field=False),
    Option("only", "kinds", (), flags=("--only",), metavar="KINDS",
           help="Only these handouts, comma-separated: {kinds}.",
           not_fingerprinted="chooses which outputs are made, not what is in them"),
    Option("fmt", "format", "pdf", flags=("--format",),
           help="{formats}."),  # the formats' own lines, from documents/formats.py
    Option("paper", "choice", "a4", flags=("--paper",), choices=tuple(PAPER_SIZES),
           setting=("build", "paper"), starter="{choices}"),
    Option("print_shop", "flag", False, flags=("--print-shop",),
           help="Add 3 mm bleed and crop marks."),
    Option("pdf_variant", "choice", DEFAULT_PDF_VARIANT, flags=("--pdf-variant",),
           choices=PDF_VARIANTS, none="none",
           help="Tagged PDF/UA by default; pdf/a-3u to archive; none for a plain, untagged "
           "PDF.", setting=("build", "pdf_variant"),
           starter='tagged and accessible; "none" for a plain PDF'),
    Option("language", "language", "en", setting=("build", "language"),
           setting_help="default of `new --lang`", starter="of new sheets: `handouts new NAME`",
           field=False),
    Option("strict", "flag", False, flags=("--strict",),
           help="Fail a sheet (write nothing for it) when the PDF engine warns.",
           check_help="Treat warnings as errors (exit code 1).",
           not_fingerprinted="decides whether a sheet with warnings is written, not what is "
           "written"),
    Option("time_limit", "number", DEFAULT_TIME_LIMIT, flags=("--time-limit",), low=0,
           above=True, nullable=True, metavar="SECONDS",
           help="Longest time one document may take to render.",
           not_fingerprinted="stops a render; a finished render is the same"),
    Option("max_bytes", "whole", DEFAULT_MAX_BYTES, flags=("--max-size",), low=1,
           metavar="BYTES", help="Largest sheet file accepted.",
           not_fingerprinted="refuses a sheet file; an accepted one renders the same"),
    Option("wait", "number", DEFAULT_WAIT, flags=("--wait",), low=0, metavar="SECONDS",
           help="Longest wait for another build writing into the same output folder.",
           not_fingerprinted="how long to wait for another build's lock, not what is built"),
    Option("versions", "whole", 1, flags=("--versions",), low=1, high=MAX_VERSIONS,
           help="Quiz versions A, B…, questions and choices shuffled from --seed; with a "
           "marking grid and a CSV of the keys.",
           check_help="Also report how often each letter is correct over this many versions.",
           setting=("quiz", "versions"), starter="2 to {high}: shuffled versions A, B…"),
    Option("seed", "text", DEFAULT_SEED, flags=("--seed",), help=_SEED_HELP,
           check_help=_SEED_HELP, setting=("quiz", "seed")),
    Option("answer_sheet", "flag", False, flags=("--answer-sheet",),
           help="Also a separate answer sheet (a box per question and letter).",
           setting=("quiz", "answer_sheet"),
           not_fingerprinted="adds the answer-sheet kind; the other outputs stay the same"),
    Option("pre_post", "flag", False, flags=("--pre-post",),
           help="The quiz twice, labelled Before and After, with a tally sheet.",
           setting=("quiz", "pre_post")),
    Option("page_refs", "flag", True, flags=("--page-refs/--no-page-refs",),
           help="Print the quiz's page references (where each answer is in the document). "
           "The Before quiz of --pre-post never prints them: they would give answers away.",
           setting=("quiz", "page_refs"),
           starter="false: the quiz prints no page references (the Before quiz never does)"),
    Option("booklet", "flag", False, flags=("--booklet",),
           help="Also S-easy-read-booklet.pdf: the A5 leaflet on A4 sheets, in order to print "
           "on both sides and fold.",
           not_fingerprinted="adds the booklet kind; the other outputs stay the same"),
    Option("stale_translations", "choice", "refuse", choices=("refuse", "warn"),
           setting=("build", "stale_translations"),
           setting_help="a translated sheet whose source changed since its translation, or "
           "with passages not translated yet: refuse to build it, or warn and build it",
           starter='"warn" builds a translation behind its source (with a warning)',
           not_fingerprinted="decides whether a translation behind its source is built, not "
           "what is built"),
    Option("proof", "flag", False, flags=("--proof",),
           help="Also S-easy-read-proof.pdf: the easy-read text in large print, each sentence "
           "and picture numbered with three boxes to tick, to check it with readers.",
           not_fingerprinted="adds the proof-reading kind; the other outputs stay the same"),
)


def option(name: str) -> Option:
    """The declaration of one option, by name."""
    return next(spec for spec in OPTIONS if spec.name == name)


def setting_options() -> dict[str, dict[str, Option]]:
    """The options handouts.toml may set, by section and key, in the table's order."""
    sections: dict[str, dict[str, Option]] = {}
    for spec in OPTIONS:
        if spec.setting:
            section, key = spec.setting
            sections.setdefault(section, {})[key] = spec
    return sections


def not_fingerprinted() -> dict[str, str]:
    """The options that never change an output's bytes, with the reason."""
    return {spec.name: spec.not_fingerprinted for spec in OPTIONS if spec.not_fingerprinted}


def validate(values: dict[str, Any]) -> None:
    """Raise OptionsError naming every option given a value it does not take, with the value
    and what it must be (`paper='b5': choose among a4, letter, a5, a3`)."""
    wrong = [f"{name}={value!r}: {option(name).rule}" for name, value in values.items()
             if not option(name).accepts(value)]
    if wrong:
        raise OptionsError("; ".join(wrong))


def _default(name: str) -> Any:
    return option(name).default


@dataclass(frozen=True)
class BuildOptions:
    """Everything that changes what a build makes, besides the sheets themselves. The defaults
    and allowed values are OPTIONS'; a value outside them raises OptionsError when made."""

    only: tuple[str, ...] = _default("only")  # handout kinds; empty: all of them
    fmt: str = _default("fmt")  # a key of documents.formats.FORMATS
    paper: str = _default("paper")  # a key of PAPER_SIZES
    print_shop: bool = _default("print_shop")  # bleed and crop marks
    pdf_variant: str | None = _default("pdf_variant")  # None: an untagged plain PDF
    strict: bool = _default("strict")  # the PDF engine's warnings fail the sheet
    time_limit: float | None = _default("time_limit")  # seconds per document
    max_bytes: int = _default("max_bytes")
    versions: int = _default("versions")  # quiz versions A, B…; 1: the sheet's own order
    seed: str = _default("seed")  # draws the versions' orders
    answer_sheet: bool = _default("answer_sheet")  # a separate answer sheet per edition
    pre_post: bool = _default("pre_post")  # the quiz twice, before and after, with a tally
    stale_translations: str = _default("stale_translations")  # refuse or warn
    page_refs: bool = _default("page_refs")  # the quiz's page references (not Before's)
    booklet: bool = _default("booklet")  # also the A5 leaflet imposed on A4 (booklet.py)
    proof: bool = _default("proof")  # also the proof-reading sheet (easy-read-proof)
    project: Project | None = None  # handouts.toml's look: organisation, colours, theme
    wait: float = _default("wait")  # seconds to wait for another build's lock on the output

    def __post_init__(self) -> None:
        """Refuse a value the option does not take, naming the option, the value and what
        it must be: the API is checked as strictly as the command line."""
        held = {item.name for item in fields(self)}
        validate({spec.name: getattr(self, spec.name) for spec in OPTIONS
                  if spec.field and spec.name in held})

    def editions(self) -> list[Edition]:
        from .view.versions import editions

        return editions(self.versions, self.seed, self.pre_post)

    def planned(self) -> list[Planned]:
        """Every output, known before reading a sheet, in registry order: the kinds asked for
        (all those whose condition is met when none is named), once per edition for the
        kinds made per edition. Raises OptionsError for a kind asked for whose condition is
        not met."""
        if self.only:
            unknown = [name for name in self.only if name not in KINDS]
            if unknown:
                raise OptionsError(f"unknown handout kind {', '.join(unknown)}: choose among "
                                   f"{', '.join(KINDS)}")
            unmet = [KINDS[name] for name in self.only if not KINDS[name].made_with(self)
                     and not KINDS[name].named_is_enough]
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
