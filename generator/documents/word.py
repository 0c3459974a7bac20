"""`--format docx`: each handout as an editable Word document, made with python-docx.

Why python-docx and not pandoc with a reference document: it is a Python library (pinned in
pyproject.toml, no system program to install), and it writes exactly the document asked for,
from the same typed views the PDF templates print (nothing parsed back from HTML but the
inline bold, italic and links of a view's text): named styles (Title, Heading 1–3, List, List
Bullet, Easy Read at the printed leaflet's size with line spacing 1.5), real tables, pictures
with alternative text, the language, the page-number field. pandoc would go from HTML to Word
through its own model, losing the names of the styles and the pictures' alternative text
choices we make.

A document is a `Word` (this module: the page, the header and footer, paragraphs made from a
view's Markup, tables, pictures); what each kind prints is in wordkinds.py, which formats.py
calls. The text of each
document is the PDF's (tests/test_docx.py compares them), without what only print has.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..errors import RenderError
from ..view.easyrules import COLUMNS
from .wordparts import (
    SMALL,
    hyperlink,
    look,
    page_number,
    picture,
    picture_bytes,
    stable,
    styles,
    xml_text,
)

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from ..view.commonview import CommonView
    from .formats import Handout
    from .kinds import HandoutKind

PAPER_CM = {"a4": (21.0, 29.7), "letter": (21.59, 27.94), "a5": (14.8, 21.0)}
MARGINS_CM = {"a4": (2.0, 2.0), "letter": (2.0, 2.0), "a5": (1.4, 1.5)}  # sides, top/bottom
Text = Markup | str  # Markup: a view's inline HTML (bold, italic, links); str: plain text


class _Runs(HTMLParser):
    """A view's inline HTML as runs: text with bold and italic, and links (the address a
    link's words do not show is written after them, as the PDF prints it)."""

    def __init__(self, word: Word, paragraph: Paragraph, bold: bool, italic: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.word, self.paragraph = word, paragraph
        self.bold, self.italic = [bold], [italic]
        self.link: tuple[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "strong":
            self.bold.append(True)
        elif tag == "em":
            self.italic.append(True)
        elif tag == "a" and found.get("href"):
            self.link = (found["href"] or "", found.get("data-address"))
        elif tag == "br":
            self.paragraph.add_run().add_break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "strong" and len(self.bold) > 1:
            self.bold.pop()
        elif tag == "em" and len(self.italic) > 1:
            self.italic.pop()
        elif tag == "a" and self.link:
            address = self.link[1]
            self.link = None
            if address:
                self.text(f" ({address})")

    def handle_data(self, data: str) -> None:
        if self.link:
            hyperlink(self.paragraph, self.link[0], data, self.bold[-1], self.italic[-1])
        else:
            self.text(data)

    def text(self, data: str) -> None:
        run = self.paragraph.add_run(xml_text(data))
        run.bold = self.bold[-1] or None
        run.italic = self.italic[-1] or None


class Word:
    """One handout being written: its paper, header and footer, and the calls the kinds use
    (paragraphs from a view's text, headings, lists, tables, pictures)."""

    def __init__(self, handout: Handout) -> None:
        import docx

        self.handout = handout
        self.view: CommonView = handout.view
        self.text = self.view.labels
        project = handout.renderer.project
        project_css = () if project is None else (
            project.css, *(css for _, css in project.stylesheets))
        self.look = look(tuple(css for css in project_css if css))
        self.document: Document = docx.Document()
        # the leaflet's body size on this paper, as printed (easy-read.css, easyrules.py)
        easy_pt = COLUMNS.get(handout.paper, COLUMNS["a4"]).body_pt
        styles(self.document, self.look, self.view.lang, easy_pt)
        self._page(handout.kind, handout.paper)
        self._properties(handout.kind)

    def _page(self, kind: HandoutKind, paper: str) -> None:
        """The paper, the margins, the running header (not on the first page, as printed)
        and the footer: the edition's name and the page number."""
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Cm

        section = self.document.sections[0]
        width, height = PAPER_CM.get(paper, PAPER_CM["a4"])
        side, top = MARGINS_CM.get(paper, MARGINS_CM["a4"])
        section.page_width, section.page_height = Cm(width), Cm(height)
        section.left_margin = section.right_margin = Cm(side)
        section.top_margin = section.bottom_margin = Cm(top)
        self.text_width_cm = width - 2 * side
        right = Cm(self.text_width_cm)
        section.different_first_page_header_footer = True
        if kind.running_header:
            header = section.header.paragraphs[0]
            header.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
            header.add_run(xml_text(f"{self.view.short_title}\t{self.text[kind.label]}"))
        for footer in (section.footer, section.first_page_footer):
            line = footer.paragraphs[0]
            line.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
            if self.view.edition:
                line.add_run(xml_text(self.view.edition)).bold = True
            line.add_run("\t")
            page_number(line, self.text[kind.page_label])

    def _properties(self, kind: HandoutKind) -> None:
        """The document's properties (title, author, keywords, language), dated with the
        sheet, so that the same sheet makes the same file."""
        properties = self.document.core_properties
        metadata = self.view.metadata
        created = datetime.datetime.fromisoformat(metadata.created)
        properties.title = xml_text(f"{self.view.plain_title} — {self.text[kind.label]}")
        properties.author = xml_text(metadata.author)
        properties.keywords = xml_text(metadata.keywords)
        properties.language = self.view.lang
        properties.subject = xml_text(self.text[kind.label])
        properties.comments = ""
        properties.last_modified_by = ""
        properties.revision = 1
        properties.created = properties.modified = created
        properties.last_printed = created

    # -- what the kinds call

    def paragraph(self, *parts: Text | None, style: str | None = None, bold: bool = False,
                  italic: bool = False) -> Paragraph:
        """A paragraph of the parts in order: a view's Markup with its bold, italic and
        links, or plain text; None parts are left out."""
        paragraph = self.document.add_paragraph(style=style)
        self.add(paragraph, *parts, bold=bold, italic=italic)
        return paragraph

    def add(self, paragraph: Paragraph, *parts: Text | None, bold: bool = False,
            italic: bool = False) -> None:
        for part in parts:
            if part is None or part == "":
                continue
            if isinstance(part, Markup):
                runs = _Runs(self, paragraph, bold, italic)
                runs.feed(str(part))
                runs.close()
            else:
                run = paragraph.add_run(xml_text(part))
                run.bold, run.italic = bold or None, italic or None

    def heading(self, level: int, *parts: Text | None, picture_uri: str | None = None,
                alt: str = "", size_cm: float = 1.6) -> Paragraph:
        """Title (level 0) or Heading 1–3, with the pictogram the PDF prints in it."""
        paragraph = self.document.add_paragraph(style="Title" if level == 0
                                                else f"Heading {level}")
        if picture_uri:
            self.picture(paragraph, picture_uri, alt, height_cm=size_cm)
            paragraph.add_run(" ")
        self.add(paragraph, *parts)
        return paragraph

    def small(self, *parts: Text | None, bold: bool = False) -> Paragraph:
        return self.paragraph(*parts, style=SMALL, bold=bold)

    def label(self, paragraph: Paragraph, words: str) -> None:
        """A bold label in the heading colour ("Correct answer:")."""
        from docx.shared import RGBColor

        run = paragraph.add_run(xml_text(words))
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(self.look.accent)

    def items(self, lines: Sequence[Text], style: str = "List Bullet") -> None:
        for line in lines:
            self.paragraph(line, style=style)

    def picture(self, paragraph: Paragraph, uri: str, alt: str, width_cm: float | None = None,
                height_cm: float | None = None) -> None:
        try:
            drawn = picture_bytes(uri, self.handout.renderer, self.handout.options.time_limit)
        except RenderError as error:
            raise RenderError(f'the picture "{alt}" could not be put in the Word document: '
                              f"{error}") from None
        picture(paragraph, uri, alt, drawn, width_cm, height_cm)

    def table(self, rows: Sequence[Sequence[Text | None]], header: Sequence[str] = (),
              row_headers: bool = True, widths_cm: Sequence[float] = ()) -> Table:
        """A real table: its header row repeated on every page it runs on (w:tblHeader),
        each row's first cell bold when it names the row."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm

        table: Table = self.document.add_table(rows=0,
                                               cols=max(len(r) for r in [header, *rows]))
        table.style = self.document.styles["Table Grid"]
        if header:
            cells = table.add_row().cells  # type: ignore[no-untyped-call]
            for cell, words in zip(cells, header, strict=False):
                self.add(cell.paragraphs[0], words, bold=True)
            mark = OxmlElement("w:tblHeader")
            mark.set(qn("w:val"), "true")
            table.rows[0]._tr.get_or_add_trPr().append(mark)
        for row in rows:
            cells = table.add_row().cells  # type: ignore[no-untyped-call]
            for index, (cell, content) in enumerate(zip(cells, row, strict=False)):
                self.add(cell.paragraphs[0], content, bold=row_headers and index == 0)
        if widths_cm:  # Word reads the cells' widths, LibreOffice the grid's
            table.autofit = False
            for index, width in enumerate(widths_cm):
                table.columns[index].width = Cm(width)
                for cell in table.columns[index].cells:
                    cell.width = Cm(width)
        self.document.add_paragraph()
        return table

    def organisation_mark(self, height_cm: float = 1.2) -> None:
        """The organisation's logo and name, as at the top of the PDF (templates/_macros)."""
        org = self.view.organisation
        if org is None or not (org.logo_uri or org.name):
            return
        paragraph = self.document.add_paragraph(style=SMALL)
        if org.logo_uri:
            self.picture(paragraph, org.logo_uri, org.logo_alt or "", height_cm=height_cm)
            paragraph.add_run(" ")
        self.add(paragraph, org.name)

    def organisation_footer(self) -> None:
        """The organisation's line at the end, as the PDF prints it (templates/_macros).

        The PDF floats it to the foot of the last page, under the text. Word and LibreOffice
        have no such place (a footer is on every page, and LibreOffice does not work out a
        footer field that would show it on the last page only), so the line follows the
        text and keeps with its last paragraph: no page ever holds the line alone."""
        org = self.view.organisation
        if org is None or not org.has_footer:
            return
        parts = [f"© {org.name}" if org.name else None,
                 (f"{org.licence} ({org.licence_url_short})" if org.licence_url
                  else org.licence) if org.licence else None,
                 org.website_short if org.website else None, org.contact]
        from docx.shared import Pt

        body = self.document.paragraphs
        if body:
            body[-1].paragraph_format.keep_with_next = True
        line = self.small(" · ".join(part for part in parts if part))
        line.paragraph_format.space_before = Pt(12)  # set apart from the text, as a note
        if org.footer_text:
            line.paragraph_format.keep_with_next = True
            self.small(org.footer_text)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return stable(buffer.getvalue())
