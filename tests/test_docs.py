"""The documentation (docs/, built by MkDocs) builds with every link and anchor resolving, and
the short README points only at files that exist and says what the home page says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click
import pytest
from markdown.extensions.toc import slugify
from markdown_it import MarkdownIt

from generator.cli import cli
from tests.conftest import ROOT

DOCS = ROOT / "docs"
README = ROOT / "README.md"


def _mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a project folder, as `sh scripts/dev.sh docs` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site)],
        capture_output=True, text=True, timeout=120, cwd=project)


def _copy_of_the_docs(tmp_path: Path) -> Path:
    """docs/ and mkdocs.yml in a folder of their own, to break without touching the repo."""
    project = tmp_path / "project"
    shutil.copytree(DOCS, project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def _links(markdown: str) -> list[str]:
    """Every link target of a Markdown text (inline links; code spans and blocks are text)."""
    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for child in token.children or ():
            if child.type == "link_open":
                found.append(str(child.attrs["href"]))
    return found


def _anchors(page: Path) -> set[str]:
    """The anchors a Markdown page offers: its headings as MkDocs' table of contents names
    them, and the `<a id="…">` written in its text."""
    text = page.read_text(encoding="utf-8")
    anchors = {f"#{match}" for match in re.findall(r'<a id="([^"]+)"></a>', text)}
    tokens = MarkdownIt("commonmark").parse(text)
    for opening, inline in pairwise(tokens):
        if opening.type == "heading_open":
            anchors.add("#" + slugify(inline.content, "-"))
    return anchors


def test_the_documentation_builds_with_every_link_and_anchor_resolving(tmp_path):
    result = _mkdocs_build(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    pages = {path.stem for path in DOCS.glob("*.md")}
    assert pages >= {"index", "command", "format", "tests"}
    assert {path.stem for path in (tmp_path / "site").glob("*.html")} == pages | {"404"}


@pytest.mark.parametrize(("broken", "message"), [
    ("[the quiz](quiz.md#no-such-anchor)",
     "Doc file 'api.md' contains a link 'quiz.md#no-such-anchor', but the doc 'quiz.md' does "
     "not contain an anchor '#no-such-anchor'."),
    ("[a page](no-such-page.md)",
     "Doc file 'api.md' contains a link 'no-such-page.md', but the target is not found among "
     "documentation files."),
    ("[here](#no-such-heading)",
     "Doc file 'api.md' contains a link '#no-such-heading', but there is no such anchor on "
     "this page."),
    ("[a folder](/docs/quiz.md)",
     "Doc file 'api.md' contains an absolute link '/docs/quiz.md', it was left as is."),
], ids=["anchor", "page", "anchor-on-the-page", "absolute"])
def test_a_broken_link_fails_the_build_naming_it(tmp_path, broken, message):
    project = _copy_of_the_docs(tmp_path)
    page = project / "docs" / "api.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nSee {broken}.\n", encoding="utf-8")
    result = _mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Aborted with 1 warnings in strict mode!" in result.stdout + result.stderr


def test_a_page_left_out_of_the_navigation_fails_the_build(tmp_path):
    project = _copy_of_the_docs(tmp_path)
    (project / "docs" / "forgotten.md").write_text("# Forgotten\n", encoding="utf-8")
    result = _mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert ("The following pages exist in the docs directory, but are not included in the "
            "\"nav\" configuration:\n  - forgotten.md") in result.stderr, result.stderr


def test_every_relative_link_of_the_readme_reaches_a_file_and_its_anchor():
    targets = [href for href in _links(README.read_text(encoding="utf-8"))
               if not urlsplit(href).scheme]
    assert "docs/quiz.md#copy-fitting" in targets
    for href in targets:
        url = urlsplit(href)
        target = (ROOT / unquote(url.path)).resolve()
        assert target.is_relative_to(ROOT) and target.exists(), f"README.md links {href}"
        if url.fragment:
            assert f"#{url.fragment}" in _anchors(target), f"README.md links {href}"


def test_the_readme_links_every_page_of_the_documentation():
    linked = {urlsplit(href).path for href in _links(README.read_text(encoding="utf-8"))}
    pages = {f"docs/{path.name}" for path in DOCS.glob("*.md")} - {"docs/index.md"}
    assert pages <= linked, f"not linked from README.md: {sorted(pages - linked)}"


def test_the_readme_and_the_home_page_say_the_same_up_to_their_lists_of_pages():
    readme = README.read_text(encoding="utf-8").split("\n## Documentation\n")[0]
    home = (DOCS / "index.md").read_text(encoding="utf-8").split("\n## Contents\n")[0]
    assert "## Quick start" in readme
    assert readme.replace("](docs/", "](") == home


def _synopsis() -> dict[str, str]:
    """The first code block of docs/command.md, as the synopsis of each command: its name
    (`build`, `theme export`) → the text after it, continuation lines included."""
    text = (DOCS / "command.md").read_text(encoding="utf-8")
    block = text.split("```\n", 2)[1]
    synopsis: dict[str, str] = {}
    name = ""
    for line in block.splitlines():
        if line.startswith("handouts "):
            words = line.split()[1:]
            name = " ".join(words[:2]) if words[0] in ("theme", "translate") else words[0]
            synopsis[name] = line
        else:
            synopsis[name] += " " + line.strip()
    return synopsis


def _commands() -> dict[str, click.Command]:
    """Every command of the command line, by the words that call it."""
    found: dict[str, click.Command] = {}

    def walk(command: click.Command, words: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*words, name))
        else:
            found[" ".join(words)] = command

    walk(cli, ())
    return found


def _options(command: click.Command) -> dict[str, click.Option]:
    """A command's visible options, by their longest flag."""
    return {max(param.opts, key=len): param for param in command.params
            if isinstance(param, click.Option) and not param.hidden}


def test_the_commands_synopsis_lists_every_command_option_and_choice_of_the_cli():
    synopsis, commands = _synopsis(), _commands()
    assert set(synopsis) == set(commands)
    build = _options(commands["build"])
    assert set(_options(commands["watch"])) == set(build) - {"--force", "--jobs"}
    assert "[the options of build, except --force and -j]" in synopsis["watch"]
    for name, command in commands.items():
        if name == "watch":
            continue
        for option in _options(command).values():
            flags = [flag for flag in option.opts if f"[{flag}" in synopsis[name]
                     or (option.required and f" {flag} " in synopsis[name])]
            assert flags, f"docs/command.md: `handouts {name}` lacks {option.opts}"
            if isinstance(option.type, click.Choice):
                choices = "|".join(str(choice) for choice in option.type.choices)
                assert (f"{flags[0]} {choices}" in synopsis[name]
                        or f"{flags[0]} VARIANT" in synopsis[name]), (name, flags[0], choices)


def test_every_option_of_build_is_described_on_the_commands_page():
    text = (DOCS / "command.md").read_text(encoding="utf-8")
    described = text.split("For `build` (and `watch`):")[1].split("\nIt prints one line")[0]
    for flag in _options(_commands()["build"]):
        assert f"`{flag}" in described or f"{flag} " in described, flag
