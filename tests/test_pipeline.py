"""The build pipeline as a library: the kind registry, typed conditions, the Python API, its
own error types, per-sheet failures and records, and one read per sheet."""

from __future__ import annotations

import builtins
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from generator import api
from generator.batch.incremental import MANIFEST, tool_digest
from generator.cli import cli
from generator.documents.kinds import KINDS, HandoutKind, register
from generator.errors import BugError, HandoutsError, OptionsError, SheetError
from generator.options import OPTIONS, BuildOptions
from generator.paths import asset
from tests.conftest import DATA, KIND_NAMES, pdf_text, squash

MINIMAL = DATA / "sheets" / "minimal.yaml"
TEMPLATE = """{% extends "base.html" %}
{% block body %}
<h1>{{ view.title }}</h1>
<ul class="word-list">{% for tag in view.tags %}<li>{{ tag }}</li>{% endfor %}</ul>
{% endblock %}
"""
STYLESHEET = ".word-list li { font-family: var(--sans); font-size: 14pt; }\n"


def _tags_text(views, edition) -> bytes:
    return "\n".join(views.sheet.tags).encode("utf-8")


@pytest.fixture
def throwaway_kind():
    """A fifth kind, added as a contributor would: one registry entry, one template, one
    stylesheet (put in the package for the test, then removed)."""
    template, stylesheet = asset("templates") / "word-list.html", asset("styles") / "word-list.css"
    assert not template.exists() and not stylesheet.exists()
    template.write_text(TEMPLATE, encoding="utf-8")
    stylesheet.write_text(STYLESHEET, encoding="utf-8")
    tool_digest.cache_clear()
    kind = register(HandoutKind("word-list", "word-list.html", "word-list.css",
                                "doc_full_analysis"))
    try:
        yield kind
    finally:
        del KINDS[kind.name]
        template.unlink()
        stylesheet.unlink()
        tool_digest.cache_clear()


@pytest.fixture
def sheet(tmp_path):
    target = tmp_path / "minimal.yaml"
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["tags"] = ["sleepwalking", "daylight"]
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_a_new_kind_is_one_entry_a_template_and_a_stylesheet(throwaway_kind, sheet, tmp_path):
    result = api.build([sheet], tmp_path / "out")
    assert result.ok, [str(f) for f in result.failures]
    names = sorted(output.path.name for output in result.written)
    assert names == sorted(f"minimal-{name}.pdf" for name in (*KIND_NAMES, "word-list"))
    text = squash(pdf_text(tmp_path / "out" / "minimal" / "minimal-word-list.pdf"))
    assert squash("sleepwalking") in text and squash("daylight") in text
    only = CliRunner().invoke(cli, ["build", str(sheet), "-o", str(tmp_path / "cli"),
                                    "--only", "word-list"])
    assert only.exit_code == 0, only.output
    assert [p.name for p in (tmp_path / "cli" / "minimal").iterdir()] == [
        "minimal-word-list.pdf"]


def test_a_data_kind_writes_its_own_file_type(sheet, tmp_path):
    kind = register(HandoutKind("tags", produce=_tags_text, extension="txt"))
    try:
        result = api.build([sheet], tmp_path / "out", only=("tags",))
    finally:
        del KINDS[kind.name]
    assert result.ok
    written = tmp_path / "out" / "minimal" / "minimal-tags.txt"
    assert written.read_text(encoding="utf-8") == "sleepwalking\ndaylight"


@pytest.mark.parametrize(("kind", "option"), [
    ("marking-grid", "--versions N (2 or more) or --pre-post"),
    ("keys", "--versions N (2 or more) or --pre-post"),
    ("answer-sheet", "--answer-sheet"),
    ("tally-sheet", "--pre-post"),
])
def test_asking_for_a_kind_whose_condition_is_unmet_is_an_error(kind, option, sheet, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(sheet), "-o", str(tmp_path / "out"),
                                      "--only", kind])
    assert result.exit_code == 1
    assert result.output == (f"error: {kind} is made only with {option}: add it, or leave "
                             f"{kind} out of --only\n")
    assert not (tmp_path / "out").exists()
    with pytest.raises(OptionsError, match=f"{kind} is made only with"):
        api.build([sheet], tmp_path / "out", only=(kind,))


def test_conditional_kinds_come_with_their_option(sheet, tmp_path):
    result = api.build([sheet], tmp_path / "out", only=("marking-grid", "keys"), versions=2)
    assert sorted(o.path.name for o in result.written) == ["minimal-keys.csv",
                                                           "minimal-marking-grid.pdf"]
    rows = (tmp_path / "out" / "minimal" / "minimal-keys.csv").read_text().splitlines()
    assert rows[0] == "version,number,answer,sheet_question,points"
    assert {row.split(",")[0] for row in rows[1:]} == {"A", "B"}


def test_errors_are_the_librarys_own():
    import click

    for error in (HandoutsError, SheetError, OptionsError, BugError):
        assert not issubclass(error, click.ClickException)
        assert issubclass(error, Exception)
    with pytest.raises(OptionsError, match="unknown build option colour"):
        api.build([MINIMAL], "out", colour="red")
    with pytest.raises(OptionsError, match="unknown handout kind poster"):
        api.build([MINIMAL], "out", only=("poster",))


def test_api_check_new_and_schema(tmp_path):
    target = api.new("screens-and-sleep", "fr", tmp_path / "content")
    assert target == tmp_path / "content" / "screens-and-sleep.yaml"
    report = api.check([target], strict=True, versions=3)
    assert report.ok, report
    assert report.sheets[0].letters and sum(report.sheets[0].letters.values()) > 0
    bad = api.check([DATA / "invalid" / "answer-not-a-choice.yaml"])
    assert not bad.ok and bad.sheets[0].errors[0].path == "quiz[1].answer"
    assert api.schema()["properties"]["quiz"]["description"]
    with pytest.raises(HandoutsError, match="already exists"):
        api.new("screens-and-sleep", "fr", tmp_path / "content")


def test_import_generator_stays_light():
    probe = ("import sys, generator\nassert generator.api.build\n"
             "print(sorted(m for m in ('weasyprint', 'pydantic', 'click', 'jinja2') "
             "if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip() == "[]"


def test_worker_errors_keep_their_type(sheet, tmp_path):
    shutil.copy(DATA / "invalid" / "answer-not-a-choice.yaml", tmp_path / "bad.yaml")
    result = api.build([tmp_path / "bad.yaml", sheet], tmp_path / "out", only=("quiz",),
                       jobs=2)
    assert len(result.failures) == 1
    failure = result.failures[0]
    assert isinstance(failure, SheetError)
    assert [(p.line, p.column, p.path) for p in failure.problems] == [(28, 13, "quiz[1].answer")]
    assert [o.path.name for o in result.written] == ["minimal-quiz.pdf"]


def test_a_bug_fails_its_sheet_only_and_asks_for_a_report(sheet, tmp_path, monkeypatch):
    from generator.view import sheetview

    other = tmp_path / "other.yaml"
    other.write_text(sheet.read_text(encoding="utf-8").replace("A minimal sheet", "Boom"),
                     encoding="utf-8")
    original = sheetview.build_view

    def buggy(loaded_sheet):
        if loaded_sheet.title == "Boom":
            raise ZeroDivisionError("division by zero")
        return original(loaded_sheet)

    monkeypatch.setattr(sheetview, "build_view", buggy)
    result = CliRunner().invoke(cli, ["build", str(other), str(sheet), "-o",
                                      str(tmp_path / "out"), "--only", "quiz", "-j", "1"])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "minimal" / "minimal-quiz.pdf").exists()
    assert ("other.yaml: handouts failed unexpectedly (ZeroDivisionError: division by zero). "
            "This is a bug in handouts, not in your sheet: please report it") in result.output
    assert "Traceback" not in result.output


def test_the_record_is_saved_as_each_sheet_completes(sheet, tmp_path):
    second = tmp_path / "second.yaml"
    second.write_text(sheet.read_text(encoding="utf-8"), encoding="utf-8")

    def stop_after_first(outcome):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api.build([sheet, second], tmp_path / "out", only=("quiz",), on_sheet=stop_after_first)
    record = json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert list(record["sheets"]) == [str(sheet.resolve())]
    again = api.build([sheet, second], tmp_path / "out", only=("quiz",))
    assert [o.path.name for o in again.written] == ["second-quiz.pdf"]
    assert [p.name for p in again.unchanged] == ["minimal-quiz.pdf"]


def test_each_sheet_is_read_once_and_parsed_once(sheet, tmp_path, monkeypatch):
    from generator.sheet import loader

    opened, parsed = [], []
    real_open, real_read_bytes, real_read_text = builtins.open, pathlib.Path.read_bytes, \
        pathlib.Path.read_text
    parse = loader.parse_yaml

    def spy_open(file, *args, **kwargs):
        if str(file) == str(sheet):
            opened.append(file)
        return real_open(file, *args, **kwargs)

    real_os_open = os.open

    def spy_os_open(file, *args, **kwargs):  # paths.read_bounded opens with os.open
        if str(file) == str(sheet):
            opened.append(file)
        return real_os_open(file, *args, **kwargs)

    def spy_read_bytes(self):
        if self == sheet:
            opened.append(self)
        return real_read_bytes(self)

    def spy_read_text(self, *args, **kwargs):
        if self == sheet:
            opened.append(self)
        return real_read_text(self, *args, **kwargs)

    def spy_parse(text, shown):
        parsed.append(shown)
        return parse(text, shown)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    monkeypatch.setattr(pathlib.Path, "read_bytes", spy_read_bytes)
    monkeypatch.setattr(pathlib.Path, "read_text", spy_read_text)
    monkeypatch.setattr(loader, "parse_yaml", spy_parse)
    result = api.build([sheet], tmp_path / "out", only=("quiz",))
    assert result.ok
    assert len(opened) == 1 and len(parsed) == 1


def test_the_default_slug_is_the_loaders(tmp_path):
    """A sheet without `slug:` whose file name cannot be one fails with the loader's message,
    and is never built under the file name."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    (tmp_path / "My Sheet.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    result = api.build([tmp_path / "My Sheet.yaml"], tmp_path / "out", only=("quiz",))
    assert len(result.failures) == 1
    assert "the file name 'My Sheet' cannot be used for output files" in str(result.failures[0])
    assert not (tmp_path / "out").exists()


def test_options_are_plain_data():
    options = BuildOptions(versions=3, seed="9")
    assert [p.key for p in options.planned()] == [
        "full-analysis", "easy-read", "quiz-A", "quiz-B", "quiz-C", "answer-key-A",
        "answer-key-B", "answer-key-C", "keys", "marking-grid"]


def _another(name, value):
    """A different value of the same type, to change one option (another of its choices:
    BuildOptions refuses a value outside them)."""
    spec = next((spec for spec in OPTIONS if spec.name == name), None)
    choices = () if spec is None else spec.words() if spec.kind == "format" else spec.choices
    if choices:
        return next(choice for choice in choices if choice != value)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, tuple):
        return (*value, "quiz")
    if value is None:
        return "pdf/a-3u"
    return value + "-x"


def test_every_option_is_fingerprinted_unless_explicitly_excluded():
    """A new BuildOptions field changes the fingerprint unless NOT_FINGERPRINTED names it
    (with its reason); the options that change the bytes are each checked by name."""
    from dataclasses import fields, replace

    from generator.batch.incremental import NOT_FINGERPRINTED, fingerprint

    names = {item.name for item in fields(BuildOptions)}
    assert set(NOT_FINGERPRINTED) <= names
    assert set(NOT_FINGERPRINTED) == {"only", "strict", "time_limit", "max_bytes",
                                      "answer_sheet", "booklet", "proof",  # each adds a kind
                                      "stale_translations",  # builds or refuses, same bytes
                                      "wait"}  # for another build's lock
    base = BuildOptions()
    for name in names:
        changed = replace(base, **{name: _another(name, getattr(base, name))})
        differs = fingerprint(b"sheet", "quiz", changed) != fingerprint(b"sheet", "quiz", base)
        assert differs == (name not in NOT_FINGERPRINTED), name
    for name in ("seed", "print_shop", "pdf_variant", "paper", "fmt", "versions", "pre_post"):
        assert name not in NOT_FINGERPRINTED


def test_a_new_option_is_fingerprinted_without_being_listed():
    from dataclasses import dataclass

    from generator.batch.incremental import fingerprint

    @dataclass(frozen=True)
    class Wider(BuildOptions):
        colour: str = "black"

    assert fingerprint(b"s", "quiz", Wider()) != fingerprint(b"s", "quiz", Wider(colour="red"))


def test_the_time_limit_message_names_the_sheet_and_the_handout(sheet, tmp_path,
                                                                monkeypatch):
    import time

    import weasyprint

    original = weasyprint.HTML.render

    def slow(self, *args, **kwargs):  # a document that takes far longer than its limit
        time.sleep(30)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", slow)
    result = api.build([sheet], tmp_path / "out", only=("quiz",), time_limit=0.5)
    assert [str(f) for f in result.failures] == [
        f"{sheet}: minimal-quiz.pdf: the PDF took more than 0.5 seconds to make and was "
        "stopped: is the sheet unusually long? (--time-limit to allow more)"]


def test_terminal_output_is_sanitised(tmp_path, monkeypatch):
    """Escape sequences from a sheet (a field name, a value, a file name) are shown escaped."""
    monkeypatch.chdir(tmp_path)
    text = MINIMAL.read_text(encoding="utf-8").replace(
        'title: "A minimal sheet"', 'title: "A minimal sheet"\n"ti\\e]0;pwned\\atle": 1\n'
        'slug: "bad\\e[2Jslug"')
    hostile = tmp_path / "evil\x1b[31m.yaml"
    hostile.write_text(text, encoding="utf-8")
    for command in (["build", str(hostile.name), "-o", "out"], ["check", hostile.name]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1
        assert not any(c in result.output for c in "\x1b\x07"), result.output
        assert "evil\\x1b[31m.yaml" in result.output
        assert "this field name is refused" in result.output  # the loader refuses it first
