"""Label catalogs and locale-aware formatting."""

import datetime as dt

from generator.labels import CATALOGS, format_date, format_list, format_pages
from generator.model import LANGUAGES


def test_every_language_has_a_catalog_with_the_same_keys():
    assert set(CATALOGS) == set(LANGUAGES)
    keys = {lang: set(catalog) for lang, catalog in CATALOGS.items()}
    assert all(k == keys["en"] for k in keys.values())
    assert all(value.strip() for catalog in CATALOGS.values() for value in catalog.values())


def test_dates_are_written_as_people_write_them():
    day = dt.date(2026, 2, 23)
    assert format_date(day, "en") == "23 February 2026"
    assert format_date(day, "fr") == "23 février 2026"


def test_page_references_get_the_right_abbreviation_and_en_dashes():
    assert format_pages("30-33", "en") == "pp. 30–33"
    assert format_pages("10, 36-39", "en") == "pp. 10, 36–39"
    assert format_pages("12", "en") == "p. 12"
    assert format_pages("30-33", "fr") == "p. 30–33"
    assert format_pages(None, "en") is None


def test_lists_are_joined_as_sentences():
    assert format_list(["Ann", "Bob", "Cy"], "en") == "Ann, Bob and Cy"
    assert format_list(["Ann", "Bob", "Cy"], "fr") == "Ann, Bob et Cy"
    assert format_list([], "en") == ""
