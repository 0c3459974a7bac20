"""One language's locale file read and checked, and what it holds (see `locales` for how the
files are found): labels with their plural forms, Babel locale, page words, typography,
readability, easy-read words, names, import words, the starter sheet and the studio's words.
A file with a missing or misspelt label, a wrong type or an unknown key is refused with the
file and the key, never half-used.

Only the standard library is imported here (tomllib), so listing languages stays cheap for the
command line's `--help` and for no-change rebuilds.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import HandoutsError
from ..paths import read_bounded
from .syllables import SYLLABLE_COUNTERS

REFERENCE = "en"
MAX_LOCALE_BYTES = 1_000_000  # the built-in ones are 15 KB
CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
# Names of the spaces a locale file may ask for (the characters themselves are invisible).
SPACES = {"none": "", "space": " ", "no-break": "\u00a0", "narrow no-break": "\u202f"}
SYLLABLE_RULES = tuple(SYLLABLE_COUNTERS)  # the names a locale file may give its counter
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")  # CLDR categories (Babel)

Label = str | Mapping[str, str]  # a text, or its plural forms {one = "…", other = "…"}


class LocaleError(HandoutsError):
    """A locale file cannot be used: each problem names the file and the key."""


@dataclass(frozen=True)
class Pages:
    one: str  # "p. {pages}"
    many: str  # "pp. {pages}"
    joiners: tuple[str, ...]  # words that join several pages: "10 and 12", "10 y 12"


@dataclass(frozen=True)
class Typography:
    quotes: tuple[str, str]  # what typed "…" becomes
    inner_quotes: tuple[str, str]  # "…" typed inside "…"
    single_quotes: tuple[str, str]  # what typed '…' becomes
    apostrophe: str
    space_before: Mapping[str, str]  # punctuation → the space put before it ("" removes it)
    guillemet_space: str | None  # the space inside « », None leaves it as typed
    digit_group_space: str | None  # 1 200: the space between digit groups, None leaves it
    unit_space: str  # 40 %, 25 km: the space that keeps a number with its unit
    units: tuple[str, ...]  # the language's unit words, besides the symbols (%, km…)
    dash: str | None  # what a spaced hyphen " - " becomes, None leaves it
    range_dash: str | None  # 0-25 → 0–25, None leaves ranges as typed
    ellipsis: bool  # ... → …
    # Words that lose their vowel before one ("de" → "d’" in French), for a label followed by
    # a name: "Analyse d’Équipe Santé". Before an h nothing is elided (aspirated h varies).
    elision: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Readability:
    formula: str  # its name, printed by `check`
    base: float
    words_per_sentence: float  # weight of the mean sentence length in words
    syllables_per_word: float  # weight of the mean word length in syllables
    plain: float  # the lowest score easy-to-read text should reach
    syllables: str  # which syllable counter of readability.py fits the language


@dataclass(frozen=True)
class EasyReadWords:
    """The words the easy-to-read rules of `check` look for, in this language (easyrules.py).
    A locale without them gets the rules that need no words (lengths, wraps, numbers)."""

    abbreviations: Mapping[str, str]  # abbreviation → what to write instead
    metaphors: tuple[str, ...]  # figures of speech readers may take word for word
    explaining: re.Pattern[str]  # words that explain an acronym in the same line
    negative: re.Pattern[str]  # a negative sentence
    positive_example: str
    about: tuple[str, str, str]  # about {n} in 10 / fewer than 1 in 10 / almost all
    rounded: tuple[str, str, str]  # many / about {n} thousand / about {n} million
    also_called: str  # also called {acronym}


@dataclass(frozen=True)
class Locale:
    """Everything one language needs, read from one file."""

    code: str
    name: str
    babel: str
    labels: Mapping[str, Label]
    pages: Pages
    typography: Typography
    readability: Readability
    starter: str
    source: Path
    easy_read: EasyReadWords | None = None
    # The words of published sheet pages, for `handouts import` (importer/vocab.py); None:
    # pages in this language cannot be imported yet.
    import_words: Mapping[str, Any] | None = None
    # Small words left out of the file names made from titles (`[names]`, optional).
    stopwords: frozenset[str] = frozenset()
    # The words of the studio (`handouts serve`), `[studio]`, optional: a missing one is said
    # in English. A word that says a number has its plural forms, as a label has.
    studio: Mapping[str, Label] = field(default_factory=dict)
    # The studio's editor: each field of the format by its path (`source.url`; `quiz[]` names
    # one item of a list) its label (`[studio_fields]`) and description (`[studio_help]`).
    studio_fields: Mapping[str, str] = field(default_factory=dict)
    studio_help: Mapping[str, str] = field(default_factory=dict)

    def label(self, key: str, count: int | None = None) -> str:
        """A label; with `count`, the plural form the language uses for that number."""
        return self.form(self.labels[key], count)

    def form(self, value: Label, count: int | None = None) -> str:
        """A text, or of plural forms the one the language uses for `count` (`other`
        without a count)."""
        if isinstance(value, str):
            return value
        form = "other" if count is None else plural_form(self.babel, count)
        return value.get(form, value["other"])


def plural_form(babel_locale: str, count: int) -> str:
    """CLDR's plural category of a number in a language (one, other, many…), from Babel."""
    from babel import Locale as BabelLocale

    return BabelLocale.parse(babel_locale).plural_form(count)


# Reading one file --------------------------------------------------------------------------


class _Reader:
    """Reads a parsed TOML document key by key, collecting a message per problem."""

    def __init__(self, path: Path, data: dict[str, Any]):
        self.path = path
        self.data = data
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path}: {key}: {message}")

    def table(self, key: str, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
        value = self.data.get(key)
        if not isinstance(value, dict):
            self.problem(key, "missing table: add a [" + key + "] section")
            return {}
        for name in value:
            if allowed is not None and name not in allowed:
                self.problem(f"{key}.{name}", f"unknown key; the keys of [{key}] are "
                             f"{', '.join(allowed)}")
        return value

    def text(self, table: dict[str, Any], where: str, key: str, default: Any = ...,
             needs: tuple[str, ...] = ()) -> Any:
        if key not in table:
            if default is ...:
                self.problem(f"{where}{key}", "missing: add it")
            return None if default is ... else default
        value = table[key]
        if not isinstance(value, str) or not value:
            self.problem(f"{where}{key}", "must be a text in quotes")
            return None if default is ... else default
        for token in needs:
            if token not in value:
                self.problem(f"{where}{key}", f"must contain {token}")
        return value

    def texts(self, table: dict[str, Any], where: str, key: str, count: int | None = None,
              default: Any = ..., example: str = '["“", "”"]') -> tuple[str, ...] | None:
        if key not in table:
            if default is ...:
                self.problem(f"{where}{key}", "missing: add it")
            return None if default is ... else default
        value = table[key]
        if (not isinstance(value, list) or not all(isinstance(v, str) and v for v in value)
                or (count is not None and len(value) != count)):
            shape = f"{count} texts" if count else "texts"
            self.problem(f"{where}{key}", f"must be a list of {shape} in quotes, like "
                         f"{example}")
            return None if default is ... else default
        return tuple(value)

    def number(self, table: dict[str, Any], where: str, key: str) -> float | None:
        value = table.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"{where}{key}", "must be a number, like 206.835")
            return None
        return float(value)

    def flag(self, table: dict[str, Any], where: str, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"{where}{key}", "must be true or false")
            return default
        return value

    def space(self, table: dict[str, Any], where: str, key: str, default: str | None) -> str | None:
        name = table.get(key)
        if name is None:
            return default
        if name not in SPACES:
            self.problem(f"{where}{key}", f"unknown space '{name}': write one of "
                         f"{', '.join(repr(n) for n in SPACES)}")
            return default
        return SPACES[name]


def _elision(reader: _Reader, table: Any) -> dict[str, str]:
    """`elision = { "de" = "d’" }`: each word and its elided form, both texts."""
    if not isinstance(table, dict) or not all(
            isinstance(word, str) and isinstance(elided, str) and word and elided
            for word, elided in table.items()):
        reader.problem("typography.elision", 'must be a table of words and their elided '
                       'forms, like { "de" = "d\u2019" }')
        return {}
    return dict(table)


def _pair(value: tuple[str, ...] | None) -> tuple[str, str]:
    """Two texts; a placeholder when the file was wrong (its problem is raised after reading)."""
    return (value[0], value[1]) if value and len(value) == 2 else ("", "")


def _number(value: float | None) -> float:
    """A number; a placeholder when the file was wrong (its problem is raised after reading)."""
    return 0.0 if value is None else value


def _pattern(reader: _Reader, table: dict[str, Any], key: str) -> re.Pattern[str]:
    text = reader.text(table, "easy_read.", key) or r"(?!)"
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as error:
        reader.problem(f"easy_read.{key}", f"not a valid pattern ({error})")
        return re.compile(r"(?!)")


def _three(value: tuple[str, ...] | None) -> tuple[str, str, str]:
    """Three texts; placeholders when the file was wrong (its problem is raised after)."""
    return (value[0], value[1], value[2]) if value and len(value) == 3 else ("", "", "")


def _easy_read_words(reader: _Reader) -> EasyReadWords:
    keys = ("abbreviations", "metaphors", "explaining", "negative", "positive_example",
            "about", "rounded", "also_called")
    table = reader.table("easy_read", keys)
    abbreviations = table.get("abbreviations", {})
    if not isinstance(abbreviations, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in abbreviations.items()):
        reader.problem("easy_read.abbreviations", 'must be a table like { "e.g." = "for '
                       'example" }')
        abbreviations = {}
    return EasyReadWords(
        abbreviations=abbreviations,
        metaphors=reader.texts(table, "easy_read.", "metaphors", default=()) or (),
        explaining=_pattern(reader, table, "explaining"),
        negative=_pattern(reader, table, "negative"),
        positive_example=reader.text(table, "easy_read.", "positive_example") or "",
        about=_three(reader.texts(table, "easy_read.", "about", 3)),
        rounded=_three(reader.texts(table, "easy_read.", "rounded", 3)),
        also_called=reader.text(table, "easy_read.", "also_called",
                                needs=("{acronym}",)) or "",
    )


IMPORT_LISTS = ("boilerplate", "intro_end", "by", "authors", "source", "part1", "part2",
                "question", "correct", "explanation", "answer", "conclusion",
                "recommendation", "easy_title", "template_words")


def _import_words(reader: _Reader) -> dict[str, Any]:
    """The `[import]` table: lists of phrases, the sections' phrases and the month names."""
    table = reader.table("import", (*IMPORT_LISTS, "sections", "months"))
    words: dict[str, Any] = {}
    for key in IMPORT_LISTS:
        words[key] = reader.texts(table, "import.", key) or ()
    sections = table.get("sections")
    if not isinstance(sections, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v)
            for v in sections.values()):
        reader.problem("import.sections", "must be a table of lists of phrases, like "
                       'summary = ["analytical summary"]')
        sections = {}
    months = table.get("months")
    if not isinstance(months, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 12
            for v in months.values()):
        reader.problem("import.months", "must be a table of month names and numbers, like "
                       "january = 1")
        months = {}
    words["sections"] = {name: tuple(phrases) for name, phrases in sections.items()}
    words["months"] = dict(months)
    return words


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"{"}


def _labels(reader: _Reader, reference: Locale | None) -> dict[str, Label]:
    if not isinstance(reader.data.get("labels"), dict):
        reader.table("labels")  # reports the missing table, not each of its labels
        return {}
    table = reader.table("labels")
    labels = _label_table(reader, table, "labels.")
    if reference is not None:
        for key in reference.labels:
            if key not in table:
                reader.problem(f"labels.{key}", f"missing: every locale has the labels of "
                               f"{reference.source.name}; add it")
        for key, value in labels.items():
            if key not in reference.labels:
                reader.problem(f"labels.{key}", f"not a label of {reference.source.name}: "
                               "check its spelling")
                continue
            expected = _placeholders(reference.label(key))
            forms = [value] if isinstance(value, str) else list(value.values())
            for form in forms:
                if _placeholders(form) != expected:
                    listed = ", ".join("{" + n + "}" for n in sorted(expected)) or "none"
                    reader.problem(f"labels.{key}", f"its placeholders must be those of "
                                   f"{reference.source.name} ({listed})")
                    break
    return labels


def _label_table(reader: _Reader, table: dict[str, Any], where: str) -> dict[str, Label]:
    """A table of labels: each a text, or its plural forms { one = "…", other = "…" }."""
    labels: dict[str, Label] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            unknown = [form for form in value if form not in PLURAL_FORMS]
            if unknown or "other" not in value or not all(
                    isinstance(v, str) and v.strip() for v in value.values()):
                reader.problem(where + key, "plural forms are texts named among "
                               f"{', '.join(PLURAL_FORMS)}, with at least `other`")
                continue
            labels[key] = dict(value)
        elif isinstance(value, str) and value.strip():
            labels[key] = value
        else:
            reader.problem(where + key, "must be a text in quotes, or plural forms "
                           '{ one = "…", other = "…" }')
    return labels


def _not_text(value: object, where: str = "") -> Iterator[tuple[str, str]]:
    """Each string of a locale file holding what is not text (a control character other than
    tab and line break, a non-character): its words reach every handout and the web feed,
    which XML would refuse."""
    from .yamlsource import is_non_character

    if isinstance(value, dict):
        for key, item in value.items():
            yield from _not_text(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _not_text(item, f"{where}[{index}]")
    elif isinstance(value, str):
        for character in value:
            code = ord(character)
            if (code < 32 and character not in "\t\n\r") or 0x7F <= code <= 0x9F:
                yield where, f"holds an invisible control character (U+{code:04X}): delete it"
                return
            if is_non_character(code):
                yield where, f"holds a code that is not a character (U+{code:04X}): delete it"
                return


def load(path: Path, code: str | None = None, reference: Locale | None = None) -> Locale:
    """Read and check one locale file; every problem is reported at once."""
    code = code or path.stem

    raw = read_bounded(path, MAX_LOCALE_BYTES, error=LocaleError, what="a language file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise LocaleError(f"{path}: is not UTF-8 text: save it again with the UTF-8 "
                          "encoding") from None
    except tomllib.TOMLDecodeError as error:
        raise LocaleError(f"{path}: not valid TOML: {error}") from None
    reader = _Reader(path, data)
    for where, problem in _not_text(data):
        reader.problem(where, problem)
    if not CODE.match(code):
        reader.problem("file name", f"'{code}' is not a language code: name the file like "
                       "es.toml or pt-br.toml")
    sections = ("name", "babel", "pages", "typography", "readability", "easy_read", "names",
                "import", "labels", "starter", "studio", "studio_fields", "studio_help")
    for key in data:
        if key not in sections:
            reader.problem(key, f"unknown key; a locale file has {', '.join(sections)}")
    name = reader.text(data, "", "name")
    babel = reader.text(data, "", "babel")
    if isinstance(babel, str):
        from babel import localedata

        if not localedata.exists(babel):
            reader.problem("babel", f"'{babel}' is not a locale Babel knows: write one like "
                           "es_ES")
    pages_table = reader.table("pages", ("one", "many", "joiners"))
    pages = Pages(reader.text(pages_table, "pages.", "one", needs=("{pages}",)),
                  reader.text(pages_table, "pages.", "many", needs=("{pages}",)),
                  reader.texts(pages_table, "pages.", "joiners", default=()) or ())
    typo_keys = ("quotes", "inner_quotes", "single_quotes", "apostrophe", "space_before",
                 "guillemet_space", "digit_group_space", "unit_space", "units", "dash",
                 "range_dash", "ellipsis", "elision")
    typo = reader.table("typography", typo_keys)
    space_before = {}
    marks = typo.get("space_before", {})
    if not isinstance(marks, dict):
        reader.problem("typography.space_before", 'must be a table like { ":" = "no-break" }')
        marks = {}
    for mark, space_name in marks.items():
        if len(mark) != 1 or space_name not in SPACES:
            reader.problem(f"typography.space_before.{mark}", "each key is one punctuation "
                           f"mark and each value one of {', '.join(repr(n) for n in SPACES)}")
            continue
        space_before[mark] = SPACES[space_name]
    typography = Typography(
        quotes=_pair(reader.texts(typo, "typography.", "quotes", 2)),
        inner_quotes=_pair(reader.texts(typo, "typography.", "inner_quotes", 2)),
        single_quotes=_pair(reader.texts(typo, "typography.", "single_quotes", 2,
                                         default=("\u2018", "\u2019"))),
        apostrophe=reader.text(typo, "typography.", "apostrophe", default="\u2019"),
        space_before=space_before,
        guillemet_space=reader.space(typo, "typography.", "guillemet_space", None),
        digit_group_space=reader.space(typo, "typography.", "digit_group_space", None),
        unit_space=reader.space(typo, "typography.", "unit_space", "\u00a0") or "\u00a0",
        units=reader.texts(typo, "typography.", "units", default=()) or (),
        dash=reader.text(typo, "typography.", "dash", default=None),
        range_dash=reader.text(typo, "typography.", "range_dash", default=None),
        ellipsis=reader.flag(typo, "typography.", "ellipsis", True),
        elision=_elision(reader, typo.get("elision", {})),
    )
    read = reader.table("readability", ("formula", "base", "words_per_sentence",
                                        "syllables_per_word", "plain", "syllables"))
    syllable_rule = reader.text(read, "readability.", "syllables")
    if syllable_rule is not None and syllable_rule not in SYLLABLE_RULES:
        reader.problem("readability.syllables", f"unknown syllable counter '{syllable_rule}': "
                       f"write one of {', '.join(SYLLABLE_RULES)}")
    readability = Readability(
        formula=reader.text(read, "readability.", "formula"),
        base=_number(reader.number(read, "readability.", "base")),
        words_per_sentence=_number(reader.number(read, "readability.", "words_per_sentence")),
        syllables_per_word=_number(reader.number(read, "readability.", "syllables_per_word")),
        plain=_number(reader.number(read, "readability.", "plain")),
        syllables=syllable_rule,
    )
    easy_read = _easy_read_words(reader) if "easy_read" in data else None
    import_words = _import_words(reader) if "import" in data else None
    names_table = reader.table("names", ("stopwords",)) if "names" in data else {}
    stopwords = frozenset(reader.texts(names_table, "names.", "stopwords", default=(),
                                       example='["the", "of"]') or ())
    labels = _labels(reader, reference)
    studio = _label_table(reader, reader.table("studio"), "studio.") if "studio" in data else {}
    fields, help_texts = ({key: reader.text(table, f"{name}.", key) for key in table}
                          for name in ("studio_fields", "studio_help")
                          for table in [reader.table(name) if name in data else {}])
    starter_table = reader.table("starter", ("text",))
    starter = reader.text(starter_table, "starter.", "text",
                          needs=("{schema}", "{slug}", "{today}"))
    if isinstance(starter, str) and not re.search(rf"^lang: {re.escape(code)}\b", starter,
                                                  re.M):
        reader.problem("starter.text", f"its sheet must say `lang: {code}`")
    if reader.problems:
        raise LocaleError("\n".join(reader.problems))
    return Locale(code=code, name=name, babel=babel, labels=labels, pages=pages,
                  typography=typography, readability=readability, starter=starter,
                  source=path, easy_read=easy_read, import_words=import_words,
                  stopwords=stopwords, studio=studio, studio_fields=fields,
                  studio_help=help_texts)
