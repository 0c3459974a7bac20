"""Values every stage agrees on, below the option table that offers them (`options.py`): the
loader's, the renderer's and the writer's defaults and limits. Nothing is imported here."""

PAPER_SIZES = {"a4": "A4", "letter": "letter", "a5": "A5", "a3": "A3"}
# PDF variants passed to WeasyPrint; tagged PDF/UA by default, for screen readers.
PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2", "pdf/a-1b", "pdf/a-2b", "pdf/a-2u", "pdf/a-3b",
                "pdf/a-3u", "pdf/a-4u", "pdf/x-4")
DEFAULT_PDF_VARIANT = "pdf/ua-1"
DEFAULT_TIME_LIMIT = 60.0  # seconds per document; a typical handout takes well under one
DEFAULT_MAX_BYTES = 1_000_000  # largest sheet file accepted
DEFAULT_WAIT = 600.0  # seconds a build waits for another build holding the output folder
MAX_STYLESHEET_BYTES = 1_000_000  # a theme's stylesheet, read by the settings and the renderer
