"""The web edition's markup contract (generator/sheet/importer/contract.py) is kept by its
writers: every class the importer reads a page by is one a web template writes, and the
generator meta it knows our pages by is in the layout. Read from the templates' text, not from
the importer."""

from __future__ import annotations

import re
from pathlib import Path

from generator.sheet.importer import contract

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "web"


def _template_classes() -> tuple[set[str], list[str]]:
    """The class names the web templates write (Jinja's tags taken out of each class
    attribute, the pages' <body> classes from their blocks), and the prefixes of the names they
    make from a value (`contact-{{ key }}`)."""
    names: set[str] = set()
    prefixes: list[str] = []
    for page in sorted(TEMPLATES.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for value in re.findall(r'class="([^"]*)"', text):
            value = re.sub(r"{%.*?%}", " ", value)
            for token in value.split():
                if "{{" in token:
                    prefixes.append(token.split("{{")[0])
                else:
                    names.add(token)
        names.update(re.findall(r"{%\s*block body_class\s*%}([\w-]+){%\s*endblock", text))
    return names, [prefix for prefix in prefixes if prefix]


def _contract_classes() -> set[str]:
    """Every class the contract names: the furniture, the sections, the analysis page's body,
    and the `.class` steps of each path."""
    names = set(contract.FURNITURE) | set(contract.SECTIONS) | {contract.ANALYSIS_BODY}
    for name, value in vars(contract).items():
        if not name.isupper():
            continue
        paths = [value] if isinstance(value, str) else \
            list(value.values()) if isinstance(value, dict) else []
        for path in paths:
            if path.endswith(".html"):
                continue  # a page's name
            names.update(step.partition(".")[2] for step in path.split() if "." in step)
    return names


def test_every_class_the_importer_reads_is_written_by_a_web_template():
    written, prefixes = _template_classes()
    expected = _contract_classes()
    assert len(expected) > 40  # the contract's paths were read
    unwritten = sorted(name for name in expected if name not in written
                       and not any(name.startswith(prefix) for prefix in prefixes))
    assert unwritten == []


def test_the_contact_lines_are_written_with_their_fields_class():
    text = (TEMPLATES / "easy-read.html").read_text(encoding="utf-8")
    assert 'class="closing-line contact-{{ key }}"' in text
    assert contract.CONTACT_LINES == {"name": "p.contact-name", "phone": "p.contact-phone",
                                      "email": "p.contact-email",
                                      "address": "p.contact-address"}


def test_every_page_carries_the_generator_meta_the_importer_knows_it_by():
    layout = (TEMPLATES / "_layout.html").read_bytes()
    assert contract.GENERATOR_META.search(layout)
    for page in ("analysis.html", "easy-read.html", "quiz.html"):
        assert b'{% extends "web/_layout.html" %}' in (TEMPLATES / page).read_bytes()
