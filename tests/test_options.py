"""The option table (options.OPTIONS, #23): every option declared once, and the command line,
handouts.toml's checks, its JSON schema, `init`'s starter and the Python API's validation
made from it."""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import fields

import pytest
from click.testing import CliRunner

from generator import api, options
from generator.errors import OptionsError
from generator.options import Option
from generator.settings import SettingsError, json_schema, load, starter
from tests.conftest import DATA

MINIMAL = DATA / "sheets" / "minimal.yaml"


@pytest.mark.parametrize(("values", "message"), [
    ({"fmt": "odt"}, "fmt='odt': choose among pdf, html, web, docx, moodle, gift, qti, kahoot"),
    ({"paper": "b5"}, "paper='b5': choose among a4, letter, a5, a3"),
    ({"versions": 27}, "versions=27: must be a whole number from 1 to 26"),
    ({"versions": True}, "versions=True: must be a whole number from 1 to 26"),
    ({"versions": "3"}, "versions='3': must be a whole number from 1 to 26"),
    ({"answer_sheet": "yes"}, "answer_sheet='yes': must be true or false"),
    ({"time_limit": 0}, "time_limit=0: must be a number above 0"),
    ({"wait": -1}, "wait=-1: must be a number of at least 0"),
    ({"pdf_variant": "none"}, "pdf_variant='none': choose among pdf/ua-1, pdf/ua-2, pdf/a-1b, "
     "pdf/a-2b, pdf/a-2u, pdf/a-3b, pdf/a-3u, pdf/a-4u, pdf/x-4, none"),
])
def test_the_api_refuses_a_value_an_option_does_not_take(values, message, tmp_path):
    """Through the API, fmt="docx" once wrote a PDF named .docx and paper="b5" failed with
    a KeyError: now OptionsError names the option, the value and what it must be, before
    anything is written."""
    with pytest.raises(OptionsError) as raised:
        api.build([MINIMAL], tmp_path / "out", **values)
    assert str(raised.value) == message
    assert not (tmp_path / "out").exists()
    with pytest.raises(OptionsError):
        options.BuildOptions(**values)


def test_the_api_check_refuses_versions_past_z():
    with pytest.raises(OptionsError) as raised:
        api.check([MINIMAL], versions=27)
    assert str(raised.value) == "versions=27: must be a whole number from 1 to 26"


def test_every_wrong_option_is_named_at_once():
    with pytest.raises(OptionsError) as raised:
        options.BuildOptions(paper="b5", seed=3)
    assert str(raised.value) == ("paper='b5': choose among a4, letter, a5, a3; seed=3: must be "
                                 "text")


def test_values_the_options_take_are_accepted():
    made = options.BuildOptions(fmt="html", paper="letter", versions=26, pdf_variant=None,
                                time_limit=None, wait=0, seed="x")
    assert (made.fmt, made.paper, made.versions, made.pdf_variant) == (
        "html", "letter", 26, None)


@pytest.mark.parametrize(("line", "problem"), [
    ("versions = true", "quiz.versions: must be a whole number from 1 to 26, not True"),
    ("versions = 27", "quiz.versions: must be a whole number from 1 to 26, not 27"),
    ("versions = 2.0", "quiz.versions: must be a whole number from 1 to 26, not 2.0"),
    ("pre_post = 1", "quiz.pre_post: must be true or false, not 1"),
    ("seed = 7", "quiz.seed: must be text in quotes, not 7"),
])
def test_settings_refuse_a_value_of_the_wrong_type(line, problem, tmp_path, monkeypatch):
    """`versions = true` is a bool, and a bool is an int in Python: refused all the same."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "handouts.toml").write_text(f"[quiz]\n{line}\n")
    with pytest.raises(SettingsError) as raised:
        load(tmp_path / "handouts.toml")
    assert [str(found) for found in raised.value.problems] == [f"handouts.toml:2: {problem}"]


def test_settings_give_option_defaults_and_none_for_the_plain_pdf(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "handouts.toml").write_text('[build]\npdf_variant = "none"\npaper = "a5"\n'
                                            "[quiz]\nversions = 3\n")
    settings = load(tmp_path / "handouts.toml")
    made = api.options_with(settings, paper="letter")  # typed: wins over the settings
    assert (made.pdf_variant, made.paper, made.versions) == (None, "letter", 3)


def _flags(help_text: str) -> set[str]:
    """The long flags --help lists, one option a line."""
    return set(re.findall(r"^ {2}(?:-\w, )?(--[\w-]+)", help_text, re.MULTILINE))


def test_build_watch_and_check_take_the_tables_options():
    """build: every option with a flag, plus -o, --force, -j and --site-url; watch: the
    same but --force and -j; check: --strict, --versions, --seed and its own --paper."""
    from generator.cli import cli

    def flags(command: str) -> set[str]:
        return _flags(CliRunner().invoke(cli, [command, "--help"]).output)

    table = {"--only", "--format", "--paper", "--print-shop", "--pdf-variant", "--strict",
             "--time-limit", "--max-size", "--wait", "--versions", "--seed", "--answer-sheet",
             "--pre-post", "--page-refs", "--booklet", "--proof"}
    assert flags("build") == table | {"--output", "--force", "--jobs", "--site-url", "--help"}
    assert flags("watch") == table | {"--output", "--site-url", "--help"}
    # check's --paper is its own: measure on one paper, every paper when not given
    assert flags("check") == {"--strict", "--versions", "--seed", "--paper", "--help"}


def test_every_build_option_is_in_the_table():
    held = {item.name for item in fields(options.BuildOptions)} - {"project"}
    assert held == {spec.name for spec in options.OPTIONS if spec.field}


def test_a_mistaken_declaration_fails_at_once():
    with pytest.raises(ValueError, match="kind 'colour' is not one of choice, language"):
        Option("tint", "colour", "#000000")
    with pytest.raises(ValueError, match="default 'b5' is not a choice"):
        Option("paper", "choice", "b5", choices=("a4", "letter"))


THROW_AWAY = Option("margin_notes", "flag", False, flags=("--margin-notes",),
                    help="Print the editor's notes in the margin.",
                    setting=("build", "margin_notes"), starter="the editor's notes",
                    not_fingerprinted="a throw-away option", field=False)


def test_a_new_option_is_one_entry(tmp_path, monkeypatch):
    """An option added to the table, and nowhere else, is on the command line of build and
    watch, checked in handouts.toml, in its schema and in `init`'s starter."""
    import generator.cli

    with monkeypatch.context() as patched:
        patched.setattr(options, "OPTIONS", (*options.OPTIONS, THROW_AWAY))
        try:
            fresh = importlib.reload(generator.cli).cli
            for command in ("build", "watch"):
                shown = CliRunner().invoke(fresh, [command, "--help"]).output
                assert "--margin-notes" in shown and "editor's notes in the margin" in shown
            assert "--margin-notes" not in CliRunner().invoke(fresh, ["check", "--help"]).output
        finally:
            patched.undo()
            importlib.reload(generator.cli)
        patched.setattr(options, "OPTIONS", (*options.OPTIONS, THROW_AWAY))
        settings = tmp_path / "handouts.toml"
        settings.write_text("[build]\nmargin_notes = true\n")
        assert load(settings).get("build", "margin_notes") is True
        settings.write_text('[build]\nmargin_notes = "yes"\n')
        with pytest.raises(SettingsError) as raised:
            load(settings)
        assert raised.value.problems[0].message == "must be true or false, not 'yes'"
        assert json_schema()["properties"]["build"]["properties"]["margin_notes"] == {
            "type": "boolean", "description": "default of --margin-notes"}
        assert "\nmargin_notes = false" + " " * 17 + "# the editor's notes\n" in starter(
            "Org", "en")
        assert options.not_fingerprinted()["margin_notes"] == "a throw-away option"
    assert "--margin-notes" not in CliRunner().invoke(
        generator.cli.cli, ["build", "--help"]).output


def test_the_starter_and_schema_show_each_option_from_its_declaration():
    text = starter("Org", "fr")
    assert '\nlanguage = "fr"' + " " * 22 + "# of new sheets: `handouts new NAME`\n" in text
    assert "\nversions = 1" + " " * 25 + "# 2 to 26: shuffled versions A, B…\n" in text
    assert '\npaper = "a4"' + " " * 25 + "# a4, letter, a5 or a3\n" in text
    schema = json.loads(json.dumps(json_schema()))
    assert schema["properties"]["quiz"]["properties"]["versions"] == {
        "type": "integer", "minimum": 1, "maximum": 26,
        "description": "default of --versions: 1 to 26"}
