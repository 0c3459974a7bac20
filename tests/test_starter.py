"""`handouts new`: a starter that passes `check` without a warning, never overwriting."""

import datetime as dt

import pytest

from generator.errors import HandoutsError
from generator.sheet.loader import load
from generator.sheet.model import LANGUAGES
from generator.sheet.starter import new_sheet
from generator.view.checks import check


@pytest.mark.parametrize("lang", LANGUAGES)
def test_starter_is_valid_and_clean(tmp_path, lang):
    target = new_sheet("my-sheet", lang, tmp_path, today=dt.date(2026, 3, 1))
    assert target == tmp_path / "my-sheet.yaml"
    loaded = load(target)
    assert loaded.sheet.lang == lang and loaded.sheet.slug == "my-sheet"
    assert loaded.sheet.sheet.date == dt.date(2026, 3, 1)
    assert check(loaded) == []
    assert target.read_text().startswith("# yaml-language-server: $schema=")


def test_starter_points_to_the_nearest_schema(tmp_path):
    (tmp_path / "schema.json").write_text("{}")
    target = new_sheet("s", "en", tmp_path / "content")
    assert target.read_text().splitlines()[0] == "# yaml-language-server: $schema=../schema.json"


def test_starter_never_overwrites(tmp_path):
    target = tmp_path / "taken.yaml"
    target.write_text("mine")
    with pytest.raises(HandoutsError, match="already exists; it was left as it is"):
        new_sheet("taken", "en", tmp_path)
    assert target.read_text() == "mine"


def test_starter_refuses_bad_names(tmp_path):
    with pytest.raises(HandoutsError, match="cannot be used as a sheet name"):
        new_sheet("../escape", "en", tmp_path)


@pytest.mark.parametrize(("slug", "reason"), [
    ("abc\n", "use only lowercase letters a-z, digits and hyphens"),
    ("a" * 81, "it has 81 characters; use at most 80"),
    ("con", "it is a name Windows reserves for devices: choose another, like con-sheet"),
    ("com1", "it is a name Windows reserves for devices"),
])
def test_starter_refuses_what_check_would_refuse(tmp_path, slug, reason):
    with pytest.raises(HandoutsError) as caught:
        new_sheet(slug, "en", tmp_path)
    assert str(caught.value).startswith(f"'{slug}' cannot be used as a sheet name: {reason}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("lang", "title", "name"), [
    ("en", "Sleep, Screens and Children", "sleep-screens-children"),
    ("fr", "Le sommeil, les écrans et les enfants", "sommeil-ecrans-enfants"),
    ("es", "La salud de los jóvenes y las pantallas", "salud-jovenes-pantallas"),
])
def test_a_title_names_the_sheet_and_the_comments_stay_aligned(tmp_path, lang, title, name):
    target = new_sheet(title, lang, tmp_path)
    assert target.name == f"{name}.yaml"
    lines = target.read_text(encoding="utf-8").splitlines()
    column = {line.split(":")[0]: line.find("#") for line in lines
              if line.startswith(("format:", "lang:", "slug:"))}
    assert column["slug"] == column["format"] == column["lang"] > 0
    assert f'title: "{title}"' in lines
