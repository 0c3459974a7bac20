"""The web edition's markup contract: the names `handouts build --format web` writes and
`handouts import` reads back, so that a page gives back the sheet it was built from.

The writers are the templates in templates/web/ (the class names, the generator meta) and
generator/batch/webpages.py (`data-md`, the sheet's page names) and websheet.py (the contact
lines' fields); the reader is web.py, which names no class of its own: it finds each field by
a path below.
tests/test_web_markup.py checks that every class named here is one a web template writes:
rename a class in a template and here together.

A path is CSS-like: `tag.class` steps, each a descendant of the one before (web._find_all).
"""

from __future__ import annotations

import re

# --- the pages ------------------------------------------------------------------------------

# The meta every page of the web edition carries (templates/web/_layout.html).
GENERATOR_META = re.compile(rb"""<meta\s+name=["']generator["']\s+content=["']handouts["']""")
# The pages of one sheet, in one folder: the analysis, the easy-read leaflet, the quiz.
ANALYSIS_PAGE, EASY_READ_PAGE, QUIZ_PAGE = "index.html", "easy-read.html", "quiz.html"
SHEET_PAGES = (ANALYSIS_PAGE, EASY_READ_PAGE, QUIZ_PAGE)
ANALYSIS_BODY = "analysis"      # the class of the analysis page's <body>

# --- attributes -----------------------------------------------------------------------------

DATA_MD = "data-md"             # a text as the sheet writes it, when the page shows it otherwise
DATA_POINTS = "data-points"     # a quiz question's points (quiz.html)

# The template's furniture inside a field's element, taken off the field's text: page
# references, choice letters, labels and screen-reader extras (external links' marker).
PAGES = "pages"
VISUALLY_HIDDEN = "visually-hidden"
FURNITURE = frozenset({PAGES, "choice-letter", "label", VISUALLY_HIDDEN})

# --- the analysis page (index.html) ---------------------------------------------------------

ARTICLE = "article"
SECTION = "section"
# A section's class → the sheet's key.
SECTIONS = {"summary": "summary", "key-points": "key_points", "action-paths": "action_paths",
            "references": "references", "values": "values", "reliability": "reliability",
            "quiz": "quiz", "faq": "faq", "easy-read-section": "easy_read"}
SUMMARY = "section.summary"     # a page without it holds no analysis
TITLE = "h1"
PART_HEADING = "h3"             # a summary part's heading, an FAQ question
AUTHOR = "div.authors span.author"
SOURCE_FIELDS = {"publisher": "div.publisher dd", "published": "div.published dd"}
SOURCE_URL = "header.cover dl.source a.url"
BYLINE = "p.byline"
BYLINE_AUTHOR = "p.byline strong"
BYLINE_SITE = "p.byline span.site"
BYLINE_DATE = "p.byline time"
BYLINE_REVIEWED = "p.byline time.reviewed"  # sheet.reviewed, when the sheet has it
HIGHLIGHT = "ul.highlights li"
INTRODUCTION = "p.introduction"
PAGE_REFERENCE = f"span.{PAGES}"
POINT = "li"                    # a key point, an action path
REFERENCE = "ul.reference-list li"
REFERENCE_TITLE = "strong.reference-title"
REFERENCE_NOTE = "span.reference-note"
URL = "a.url"
GRID_ROW = "tbody tr"
VERDICT = "div.verdict p"
QUESTION = "li.question"
CORRECTION = ".correction"  # details.correction (li.correction before: read too)
QUESTION_TEXT = "p.question-text"
QUESTION_HEAD = "p.question-head"
CHOICE = "ol.choices li"
CORRECT_LETTER = "p.correct-answer span.choice-letter"
EXPLANATION = "p.explanation"
EASY_PART = "div.easy-part"
EASY_LINE = "p.easy-line"
EASY_KEY_POINT = "ul.easy-key-points li"
TAG = "section.sheet-tags li a"

# --- the quiz page (quiz.html) --------------------------------------------------------------

WEB_QUESTION = "li.web-question"

# --- the easy-read leaflet (easy-read.html) -------------------------------------------------

EXPLAINS = "p.explains"         # a leaflet with its own title says what it explains
LEAFLET_PICTURE = "header img.pictogram"
LEAFLET_PART = "section.easy-part"
LEAFLET_POINTS = "ul.easy-points"
PICTOGRAM = "img.pictogram"
CHECKED_BY = "p.checked-by"
# The contact lines, in the order the leaflet writes them (batch/websheet.py), each its class.
CONTACT_FIELDS = ("name", "phone", "email", "address")
CONTACT_LINES = {key: f"p.contact-{key}" for key in CONTACT_FIELDS}
LOGO = "footer.credits img.pictogram"
