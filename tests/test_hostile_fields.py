"""Any value in any field, at any depth: `handouts check` answers with a valid sheet or with
our own messages (exit 0 or 1), never a crash. The fields are those of
tests/data/sheets/every-field.yaml, which holds every field of the format."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from tests.conftest import DATA, examples

EVERY_FIELD = yaml.safe_load((DATA / "sheets" / "every-field.yaml").read_text(encoding="utf-8"))

Path_ = tuple[str | int, ...]


def _places(value: Any, path: Path_ = ()) -> list[Path_]:
    """Every field and every item, containers included, as a path of keys and indexes."""
    places = [path] if path else []
    if isinstance(value, dict):
        for key, inner in value.items():
            places += _places(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            places += _places(inner, (*path, index))
    return places


PLACES = _places(EVERY_FIELD)


def _with(path: Path_, value: Any) -> Any:
    sheet = yaml.safe_load(yaml.safe_dump(EVERY_FIELD))
    holder = sheet
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return sheet


# Text of every kind (controls, non-characters, private use, format characters; not the lone
# surrogates, which a YAML file cannot hold), scalars YAML gives types to, and structures.
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
scalars = (st.none() | st.booleans() | st.integers() | st.floats() | texts
           | st.dates() | st.datetimes())
values = st.recursive(scalars, lambda children: st.lists(children, max_size=3)
                      | st.dictionaries(texts, children, max_size=3), max_leaves=8)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A sheet's folder with the pictures every-field.yaml names."""
    here = tmp_path_factory.mktemp("fields")
    shutil.copytree(DATA / "sheets" / "pictograms", here / "pictograms")
    return here


def test_every_field_yaml_is_valid_as_it_is(folder):
    sheet = folder / "every-field.yaml"
    sheet.write_text(yaml.safe_dump(EVERY_FIELD, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(sheet)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert len(PLACES) > 80  # every leaf and container of the file, not a handful


@settings(max_examples=examples(200), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLACES), values)
def test_any_value_in_any_field_is_checked_without_a_crash(folder, place, value):
    sheet = folder / "every-field.yaml"
    sheet.write_text(yaml.safe_dump(_with(place, value), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(sheet)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert f"{sheet}: invalid" in result.output, result.output
