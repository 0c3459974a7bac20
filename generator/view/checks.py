"""What a careful editor would point out in a valid sheet: warnings, never errors.

Easy-read lines that are too long or hold several sentences, long words, a low readability
score, quiz choices that give the answer away, answers always at the same letter, missing
explanations and page references, malformed page references, what Kahoot would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..errors import Problem
from ..sheet.loader import LoadedSheet
from ..sheet.model import LETTERS
from ..sheet.readability import SMOG_PUBLIC, score, sentence_count, smog, words
from .balance import evenest
from .labels import catalog
from .versions import arrangements, editions

if TYPE_CHECKING:
    from ..sheet.model import FaqItem, PagedText, Question
    from ..sheet.yamlsource import Path

MAX_EASY_WORDS = 15
LONG_WORD = 13  # letters; easy-to-read guidelines ask for short, common words
GIVEAWAY_RATIO = 1.6  # the correct choice this much longer than the others' mean
_PAGE_PART = r"\d+(?:\s*[-–]\s*\d+)?"
PAGES = re.compile(rf"^{_PAGE_PART}(?:\s*[,;]\s*{_PAGE_PART})*$")


def _warning(loaded: LoadedSheet, path: Path, message: str) -> Problem:
    from ..sheet.yamlsource import dotted_path

    line, column = loaded.document.locate(path) or (None, None)
    return Problem(loaded.shown, line, column, dotted_path(path), message, severity="warning")


def _easy_read(loaded: LoadedSheet) -> Iterator[Problem]:
    easy = loaded.sheet.easy_read
    lines: list[tuple[Path, str]] = [
        (("easy_read", "summary", p, "lines", i), line)
        for p, part in enumerate(easy.summary)
        for i, line in enumerate(part.lines)
    ]
    lines += [(("easy_read", "key_points", i), line) for i, line in enumerate(easy.key_points)]
    for path, line in lines:
        sentences = sentence_count(line)
        if sentences > 1:
            yield _warning(loaded, path, f"this line has {sentences} sentences: put each "
                           "sentence on its own line")
        count = len(words(line))
        if count > MAX_EASY_WORDS:
            yield _warning(loaded, path, f"this line has {count} words; easy-to-read lines "
                           f"have at most {MAX_EASY_WORDS}: split it or say it more simply")
        long_words = [w for w in words(line) if len(w.replace("-", "")) >= LONG_WORD
                      and "-" not in w]
        if long_words:
            listed = ", ".join(f"'{w if len(w) <= UNBREAKABLE else w[:30] + '…'}'"
                               for w in dict.fromkeys(long_words))
            yield _warning(loaded, path, f"long word(s) {listed}: use a shorter, common word, "
                           "or explain it in the next line")
    result = score([line for _, line in lines], loaded.sheet.lang)
    if result and not result.plain:
        yield _warning(loaded, ("easy_read",), f"{result.formula} score is {result.value:g}; "
                       f"easy-to-read text should reach {result.threshold:g} or more: use shorter "
                       "sentences and shorter words")


def _quiz(loaded: LoadedSheet) -> Iterator[Problem]:
    quiz = loaded.sheet.quiz
    for number, question in enumerate(quiz):
        path = ("quiz", number)
        correct_index = LETTERS.index(question.answer)
        lengths = [len(choice) for choice in question.choices]
        others = [length for i, length in enumerate(lengths) if i != correct_index]
        mean_others = sum(others) / len(others)
        if lengths[correct_index] > max(others) and (
            lengths[correct_index] >= GIVEAWAY_RATIO * mean_others
        ):
            yield _warning(loaded, (*path, "choices"), f"the correct choice ({question.answer}) "
                           "is much longer than the others, which gives it away: make the "
                           "choices about the same length")
        if not question.explanation:
            yield _warning(loaded, path, "no `explanation`: the answer key will only give the "
                           "letter; add a sentence that says why")
        if not question.pages:
            yield _warning(loaded, path, "no `pages`: say where in the document the answer is")
    letters = {question.answer for question in quiz}
    if len(quiz) >= 3 and len(letters) == 1:
        yield _warning(loaded, ("quiz",), f"every correct answer is '{letters.pop()}': vary the "
                       "position of the correct choice")


def _pages(loaded: LoadedSheet) -> Iterator[Problem]:
    sheet = loaded.sheet
    paged: list[tuple[str, int, PagedText | Question | FaqItem]] = [
        ("key_points", i, item) for i, item in enumerate(sheet.key_points)]
    paged += [("action_paths", i, item) for i, item in enumerate(sheet.action_paths)]
    paged += [("quiz", i, item) for i, item in enumerate(sheet.quiz)]
    paged += [("faq", i, item) for i, item in enumerate(sheet.faq)]
    for section, index, item in paged:
        if item.pages is None:
            if section in ("key_points", "action_paths"):
                yield _warning(loaded, (section, index), "no `pages`: add the pages of the "
                               "source this point comes from")
            continue
        path = (section, index, "pages")
        if not PAGES.match(item.pages.strip()):
            yield _warning(loaded, path, f"'{item.pages}' is not a page reference like "
                           "\"30-33\" or \"10, 36-39\"")
            continue
        for start, end in re.findall(r"(\d+)\s*[-–]\s*(\d+)", item.pages):
            # "30-30" is one page, not a backwards range: it is said so, with the plain form
            if int(end) < int(start):
                yield _warning(loaded, path, f"the range {start}-{end} runs backwards: write "
                               "the first page first")
            elif int(end) == int(start):
                yield _warning(loaded, path, f"the range {start}-{end} is one page: write "
                               f"\"{int(start)}\"")


UNBREAKABLE = 40  # characters without a space: more is cut wherever it meets the margin
_ADDRESS = re.compile(r"://|^www\.|mailto:|@", re.IGNORECASE)
_NOT_PROSE = frozenset({"url", "pictogram", "picture", "key_points_pictogram", "logo",
                        "email", "slug", "lang", "format", "date"})


def _texts(value: object, path: Path) -> Iterator[tuple[Path, str]]:
    """Every text of the sheet with its path, except addresses and file names."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_PROSE:
                yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def _unbreakable(loaded: LoadedSheet) -> Iterator[Problem]:
    """Words so long that the line must be broken inside them (web and e-mail addresses
    excepted: they are expected to be long)."""
    for path, text in _texts(loaded.sheet.model_dump(), ()):
        for word in text.split():
            if len(word) > UNBREAKABLE and not _ADDRESS.search(word):
                shown = word[:30] + "…"
                yield _warning(loaded, path, f"the word '{shown}' has {len(word)} characters "
                               "without a space: it will be cut wherever it meets the margin: "
                               "add spaces or shorten it")
                break




def _easy_rules(loaded: LoadedSheet, papers: Iterable[str] | None) -> Iterator[Problem]:
    """The easy-to-read rules of easyrules.py (lines measured on `papers`, pictures,
    contact, words)."""
    from .easyrules import easy_rules

    yield from easy_rules(loaded, lambda path, message: _warning(loaded, path, message),
                          papers)


def _titles(loaded: LoadedSheet) -> Iterator[Problem]:
    """Titles are printed whole (titles.py): a title too long for the quiz or the running
    header needs a `short_title`, and a short title must itself be short."""
    from .titles import (
        QUIZ_TITLE_MM,
        QUIZ_TITLE_PT,
        RUNNING_TITLE_LENGTH,
        TITLE_LINES,
        fits_quiz,
        lines_needed,
    )

    sheet = loaded.sheet
    if sheet.short_title:
        if not fits_quiz(sheet.short_title, sheet.lang):
            taken = lines_needed(sheet.short_title, QUIZ_TITLE_PT, QUIZ_TITLE_MM, sheet.lang)
            yield _warning(loaded, ("short_title",), f"this short title takes {taken} lines on "
                           f"the quiz and answer key, where a title has {TITLE_LINES}: "
                           "shorten it")
        return
    where = []
    if not fits_quiz(sheet.title, sheet.lang):
        taken = lines_needed(sheet.title, QUIZ_TITLE_PT, QUIZ_TITLE_MM, sheet.lang)
        where.append(f"it takes {taken} lines on the quiz and answer key, where a title has "
                     f"{TITLE_LINES} at most")
    if len(" ".join(sheet.title.split())) > RUNNING_TITLE_LENGTH:
        where.append("it is too long for the running header at the top of the pages, "
                     "which is left without a title")
    if where:
        yield _warning(loaded, ("title",), f"no `short_title`: {'; '.join(where)}. Titles are "
                       "never cut: add `short_title:` with a shorter title of the document, "
                       f"at most {RUNNING_TITLE_LENGTH} characters")


def readability_summary(loaded: LoadedSheet) -> str | None:
    """'Flesch reading ease 72.5' for the easy-read text, to print with the check's result."""
    result = score(leaflet_lines(loaded), loaded.sheet.lang)
    return f"{result.formula} {result.value:g}" if result else None


_LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+")


def analysis_texts(loaded: LoadedSheet) -> list[str]:
    """The full analysis's prose, one item per paragraph or point, its link addresses left
    out (they are not read as words)."""
    sheet = loaded.sheet
    texts = [*sheet.highlights, *(sheet.introduction or "").split("\n\n")]
    texts += [item.text for item in sheet.summary]
    texts += [point.text for point in (*sheet.key_points, *sheet.action_paths)]
    texts += [reference.note for reference in sheet.references if reference.note]
    for grid in (sheet.values.criteria, sheet.reliability.criteria):
        texts += [criterion.assessment for criterion in grid]
    texts += [sheet.values.conclusion, sheet.reliability.recommendation]
    texts += [item.answer for item in sheet.faq]
    return [_LINK_TARGET.sub("", text) for text in texts if text.strip()]


def leaflet_lines(loaded: LoadedSheet) -> list[str]:
    easy = loaded.sheet.easy_read
    return [line for part in easy.summary for line in part.lines] + list(easy.key_points)


def smog_summary(loaded: LoadedSheet) -> str:
    """"SMOG grade: leaflet 4.2, full analysis 13.1 (6 to 8 for the public)", or why there is
    none, to print with the check's result."""
    lang = loaded.sheet.lang
    leaflet = smog(leaflet_lines(loaded), lang)
    analysis = smog(analysis_texts(loaded), lang)
    if leaflet is None or analysis is None:
        return "SMOG grade: English only"
    low, high = SMOG_PUBLIC
    return (f"SMOG grade: leaflet {leaflet:g}, full analysis {analysis:g} ({low} to {high} "
            "for the public)")


def _smog(loaded: LoadedSheet) -> Iterator[Problem]:
    """The leaflet is for the public: above SMOG's recommended grade, say so. The full
    analysis is for professionals: its grade is only reported."""
    grade = smog(leaflet_lines(loaded), loaded.sheet.lang)
    low, high = SMOG_PUBLIC
    if grade is not None and grade > high:
        yield _warning(loaded, ("easy_read",), f"the leaflet's SMOG grade is {grade:g}; text "
                       f"for the public should be at grade {low} to {high}, easy-to-read text "
                       "lower: use fewer words of three syllables or more, and shorter "
                       "sentences")


def _reviews(loaded: LoadedSheet) -> Iterator[Problem]:
    """The readers' reviews against the text as it is now (reviews.py)."""
    from .reviews import review_warnings

    yield from review_warnings(loaded.sheet, lambda path, message: _warning(loaded, path,
                                                                            message))



def _translation(loaded: LoadedSheet) -> Iterator[Problem]:
    from .translations import translation_warnings

    yield from translation_warnings(loaded)


def _kahoot(loaded: LoadedSheet) -> Iterator[Problem]:
    """What Kahoot would refuse (the build's own check, kahootlimits.py), said in the sheet's
    language, for a sheet meant for Kahoot: one with `kahoot:` wording on a question. Others
    are not told (most quizzes never go to Kahoot, and `check --strict` would fail them);
    `build --format kahoot` says it all for any sheet."""
    from .kahootlimits import over_kahoot_limits

    if not any(question.kahoot is not None for question in loaded.sheet.quiz):
        return

    words = catalog(loaded.sheet.lang)
    for over in over_kahoot_limits(loaded.sheet):
        yield _warning(loaded, over.path, words[f"kahoot_over_{over.what}"].format(
            number=over.question, count=over.count, most=over.most,
            letter=LETTERS[over.choice].upper()))


CHECKS = (_easy_read, _quiz, _pages, _unbreakable, _titles, _smog, _reviews,
          _translation, _kahoot)


def check(loaded: LoadedSheet, papers: Iterable[str] | None = None) -> list[Problem]:
    """Every warning for a valid sheet, in file order; the leaflet's lines are measured on
    `papers` (all the papers it may be printed on when None)."""
    warnings = [problem for run in CHECKS for problem in run(loaded)]
    warnings += _easy_rules(loaded, papers)
    return sorted(warnings, key=lambda p: (p.line or 0, p.column or 0))


def letter_distribution(loaded: LoadedSheet, versions: int, seed: str) -> dict[str, int]:
    """How often each letter is the correct one over all the versions' questions."""
    counts = {letter.upper(): 0 for letter in LETTERS}  # as printed: A, B…
    for letters in version_letters(loaded, versions, seed).values():
        for letter in letters:
            counts[letter] += 1
    return {letter: count for letter, count in counts.items() if count}


def version_letters(loaded: LoadedSheet, versions: int, seed: str) -> dict[str, list[str]]:
    """Each version's correct letters in printed order, as printed (A, B…)."""
    from .quizview import quiz_questions

    every = editions(versions, seed)
    orders = arrangements(loaded.sheet, every)
    return {edition.version or "": [question.answer.letter for question in
                                    quiz_questions(loaded.sheet, orders[edition.name])]
            for edition in every}


def balance_warning(loaded: LoadedSheet) -> list[Problem]:
    """A warning at the quiz when its versions cannot spread the correct letters evenly:
    questions whose correct choice cannot move hold one letter too often."""
    quiz = loaded.sheet.quiz
    found = evenest(quiz)
    if not found.impossible:
        return []
    letter = LETTERS[found.letter].upper()
    row = f" and {found.run} in a row" if found.run >= 3 else ""
    message = (f"the versions cannot spread the correct letters evenly: {found.fixed} of the "
               f"{len(quiz)} questions cannot print their correct choice at every letter "
               "(`shuffle: false` keeps the choices in order, `pin_last: true` the last choice "
               f"last), so every version has {letter} correct {found.most} times "
               f"({found.free_most} if every choice could move){row}: remove `shuffle: false` "
               "where the order of the choices does not matter, or reorder the choices of "
               "these questions so that different letters are correct")
    return [_warning(loaded, ("quiz",), message)]
