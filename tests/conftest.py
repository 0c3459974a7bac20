"""Shared fixtures: the sample sheets, built once per test session, PDF text helpers, and the
hypothesis profiles (the same examples on every run, fresh ones only when asked for)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pdfplumber
import pytest
import yaml
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from pypdf import PdfReader

from generator.batch.build import build
from generator.documents.kinds import KINDS
from generator.sheet import locales

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "content" / "educational-alliances.yaml"
FRENCH = DATA / "sheets" / "fr-complete.yaml"
FRENCH_SAMPLE = ROOT / "content" / "competences-psychosociales.yaml"
SPANISH_SAMPLE = ROOT / "content" / "estrategia-promocion-salud.yaml"
# The handouts of a plain build, from the registry: a kind added there is tested too.
KIND_NAMES = tuple(kind.name for kind in KINDS.values() if kind.needs is None)


def catalogs() -> dict[str, dict[str, str]]:
    """Every language's labels, plural labels in their general ("other") form."""
    return {code: {key: locale.label(key) for key in locale.labels}
            for code, locale in locales.available().items()}

# Property tests. `ci`, the default: the examples are drawn from a seed fixed by each test's
# name, and no database replays what an earlier run on this machine found, so a fresh clone
# runs exactly the examples every other machine runs and cannot fail by chance.
# `fuzz` (HYPOTHESIS_PROFILE=fuzz, what `sh scripts/dev.sh fuzz` sets): fresh randomness and
# FUZZ_TIMES (default 10) times each test's examples; a failure found is saved in the
# git-ignored .hypothesis/fuzz/ and tried first on the next fuzz run. Whatever fuzzing finds
# becomes a fixed regression test (an @example, or a file in tests/data/).
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or "ci"
FUZZ_TIMES = int(os.environ.get("FUZZ_TIMES") or "10")
settings.register_profile("ci", derandomize=True, database=None, print_blob=True,
                          deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", derandomize=False, print_blob=True, deadline=None,
                          database=DirectoryBasedExampleDatabase(ROOT / ".hypothesis" / "fuzz"),
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(PROFILE)


def examples(usual: int) -> int:
    """A property test's number of examples: its usual one, or FUZZ_TIMES as many when
    fuzzing (a test's own `max_examples` wins over any profile, so the factor is applied
    here)."""
    return usual * FUZZ_TIMES if PROFILE == "fuzz" else usual


def imports_to_a_sheet_or_our_error(page: bytes, name: str, folder: Path) -> None:
    """The check every page thrown at `import` passes: our own error, or YAML that parses
    into a mapping and loads as a sheet or our own problems, each about a field (none about
    the file)."""
    import yaml

    from generator.errors import SheetError
    from generator.sheet.importer import PageError, import_page
    from generator.sheet.loader import load_sheet

    try:
        text, _ = import_page(page, name, folder=folder)
    except PageError:
        return
    assert isinstance(yaml.safe_load(text), dict)
    target = folder / "imported.yaml"
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_sheet(target)
    except SheetError as error:
        assert all(problem.path for problem in error.problems), error.problems


def spaces(text: str) -> str:
    """Every kind of space (no-break ones included) as one plain space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", str(text)).strip()


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")
_LINK = re.compile(r"\[([^\]]*)\]\((?:https?:|mailto:)[^)\s]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")


def plain(markdown: str) -> str:
    """The text a reader sees for a content string, worked out here without the code under
    test: link texts stay, emphasis markers and backslash escapes disappear."""
    text = _ESCAPED.sub(lambda m: f"\x00{ord(m[1])}\x00", str(markdown).strip())
    text = _LINK.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = re.sub("\x00(\\d+)\x00", lambda m: chr(int(m[1])), text)
    return spaces(text)


def squash(text: str) -> str:
    """Letters and digits only, lowercased: immune to line breaks, hyphenation and spacing."""
    return re.sub(r"[\W_]+", "", text).casefold()


MM = 72 / 25.4
NO_FONT_HAS = "\u0378"  # an unassigned code point: no font maps it, whatever is installed


def body_pages(path: Path, x_tolerance: float = 3) -> list[str]:
    """The body text of each page, without the running headers and page numbers in the
    margins (they would cut paragraphs that run from one page to the next): the small type
    (8 pt or less) in the top band of pages after the first, and in the bottom band."""
    texts = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            top, bottom = 21 * MM if number else 0, page.height - 19 * MM

            def body(obj, top=top, bottom=bottom) -> bool:
                margin = obj["top"] < top or obj["bottom"] > bottom
                return obj["object_type"] != "char" or not margin or obj["size"] > 8.05

            texts.append(page.filter(body).extract_text(x_tolerance=x_tolerance) or "")
    return texts


def pdf_text(path: Path) -> str:
    return "\n".join(body_pages(path))


def pytest_addoption(parser):
    parser.addoption("--update-references", action="store_true",
                     help="rewrite tests/data/reference/ from this build (review the diff)")


class BuiltSheet:
    """A sheet's YAML as plain data and the PDFs built from it."""

    def __init__(self, source: Path, output: Path):
        self.source = source
        self.data = yaml.safe_load(source.read_text(encoding="utf-8"))
        self.slug = self.data["slug"]
        self.folder = output / self.slug
        self._texts: dict[str, str] = {}

    def pdf(self, kind: str) -> Path:
        return self.folder / f"{self.slug}-{kind}.pdf"

    def text(self, kind: str) -> str:
        if kind not in self._texts:
            self._texts[kind] = pdf_text(self.pdf(kind))
        return self._texts[kind]

    def all_text(self, kind: str) -> str:
        """Everything printed, running headers and page numbers included."""
        return "\n".join(page.extract_text() or "" for page in PdfReader(self.pdf(kind)).pages)

    def squashed(self, kind: str) -> str:
        return squash(self.text(kind))


def _build(source: Path, output: Path) -> BuiltSheet:
    result = build([source], output)
    assert result.ok, [str(f) for f in result.failures]
    assert len(result.written) == len(KIND_NAMES)
    return BuiltSheet(source, output)


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> BuiltSheet:
    return _build(SAMPLE, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def french(tmp_path_factory) -> BuiltSheet:
    return _build(FRENCH, tmp_path_factory.mktemp("french"))


@pytest.fixture(scope="session")
def french_sample(tmp_path_factory) -> BuiltSheet:
    return _build(FRENCH_SAMPLE, tmp_path_factory.mktemp("french-sample"))


@pytest.fixture(scope="session")
def spanish_sample(tmp_path_factory) -> BuiltSheet:
    return _build(SPANISH_SAMPLE, tmp_path_factory.mktemp("spanish-sample"))


@pytest.fixture(params=["sample", "french", "french_sample", "spanish_sample"])
def built(request) -> BuiltSheet:
    """Each test using this runs on the samples of content/ and on the French fixture."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session", autouse=True)
def _cache_of_the_run(tmp_path_factory):
    """handouts' cache (compiled templates, the details of a bug) in a folder of the test run,
    not in the user's home: a test that makes a bug on purpose leaves no file behind."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _no_project_settings(monkeypatch):
    """The repository's own handouts.toml (the sample organisation) is for the demo: tests
    build without settings unless they make a project of their own (HANDOUTS_SETTINGS
    unset by them)."""
    monkeypatch.setenv("HANDOUTS_SETTINGS", "none")


@pytest.fixture
def run(tmp_path, monkeypatch):
    """The command as a user types it, in an empty folder of its own (the test's tmp_path)."""
    from click.testing import CliRunner

    from generator.cli import cli

    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke
