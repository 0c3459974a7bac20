"""The parts of a Word document that python-docx has no call for: the project's look read
from the same stylesheets the PDF uses, the named styles, a page-number field, pictures with
their alternative text (SVG drawn into PNG first: Word's own SVG support needs a PNG beside
it anyway), links, and stable bytes (the same sheet makes the same file, so that the
incremental build trusts it). python-docx is imported by the functions that need it (a heavy
library, see tests/test_layout.py)."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import RenderError
from ..paths import asset

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document
    from docx.text.paragraph import Paragraph

    from .render import Renderer

# What XML 1.0 cannot hold (the loaders refuse these already; a Word file must never be
# broken by one that slipped through, so it is dropped here too).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_PROPERTY = re.compile(r"--([a-z-]+)\s*:\s*([^;{}]+);")
_FONT_FACE = re.compile(
    r'@font-face\s*\{\s*font-family:\s*"([^"]+)";\s*src:\s*url\("(data:[^"]+)"\)')
_FAMILY = re.compile(r'"([^"]+)"|([A-Za-z][\w -]*)')
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # every part of the file, whatever the clock says
SAVE_AGAIN = "save it again from your drawing program as plain SVG, or as PNG"
PICTURE_PIXELS = 480  # an SVG's longest side once drawn: 300 dpi at the 4 cm of a cover picture


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class Look:
    """The colours and fonts of the PDF's stylesheets (base.css, then the project's
    settings and theme), as Word takes them: #rrggbb without '#', and family names."""

    ink: str
    muted: str
    accent: str
    accent_soft: str
    body_font: str
    heading_font: str


def _first_family(value: str, files: dict[str, str]) -> str:
    """The first family of a CSS font list that a computer may have: a font of
    handouts.toml given as a file ("handouts body" in the PDF, which embeds it) by the family
    name the file gives itself (Word names fonts, it does not embed ours)."""
    for quoted, bare in _FAMILY.findall(value):
        name = str(quoted or bare).strip()
        name = files.get(name, name)
        if name and not name.startswith("handouts ") and name not in GENERIC_FAMILIES:
            return name
    return "Noto Sans"


def _font_files(css: str) -> dict[str, str]:
    """The project's font files (@font-face rules of settings/checker.py, the file as a
    `data:` URI) by their CSS name, as the family name the file gives itself."""
    found = {}
    for name, uri in _FONT_FACE.findall(css):
        family = _family_in_file(decoded(uri)[1])
        if family:
            found[name] = family
    return found


def _family_in_file(data: bytes) -> str | None:
    """The typographic family name (name 16, else 1) of a font file; None when fontTools
    cannot read it (the PDF engine may still: the fallback family is then named)."""
    from fontTools.ttLib import TTFont

    try:
        names = TTFont(io.BytesIO(data), lazy=True)["name"]
        record = names.getName(16, 3, 1, 0x409) or names.getName(1, 3, 1, 0x409)
        return xml_text(record.toUnicode()).strip() or None if record else None
    except Exception:  # a font fontTools cannot read (or no brotli for WOFF2)
        return None


def look(project_css: tuple[str, ...]) -> Look:
    """The custom properties of base.css, overridden by the project's CSS in order: the same
    values the PDF is printed with, read from the same place rather than written twice."""
    found: dict[str, str] = {}
    files = {name: family for css in project_css for name, family in _font_files(css).items()}
    for css in ((asset("styles") / "base.css").read_text(encoding="utf-8"), *project_css):
        for root in re.findall(r":root\s*\{([^}]*)\}", css):
            found.update((name, value.strip()) for name, value in _PROPERTY.findall(root))

    def colour(name: str, default: str) -> str:
        value = found.get(name, default)
        return value[1:].upper() if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else default[1:]

    return Look(ink=colour("ink", "#1f2a33"), muted=colour("muted", "#4f5d69"),
                accent=colour("accent", "#165a72"), accent_soft=colour("accent-soft", "#e8f1f4"),
                body_font=_first_family(found.get("serif", "Noto Serif"), files),
                heading_font=_first_family(found.get("sans", "Noto Sans"), files))


def _set_fonts(rpr: Any, family: str, lang: str | None = None) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), family)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    if lang:
        found = rpr.find(qn("w:lang"))
        if found is None:
            found = OxmlElement("w:lang")
            rpr.append(found)
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            found.set(qn(attribute), lang)


EASY_READ = "Easy Read"  # the leaflet's body: its size on the paper, line spacing 1.5, left
EASY_READ_POINT = "Easy Read Point"
SMALL = "Small Print"  # labels, page references, instructions
TICK_BOX = "\u2610"  # ☐


def styles(document: Document, view_look: Look, lang: str, easy_pt: float) -> None:
    """The named styles every handout uses, in the project's fonts and colours, and the
    document's language (w:lang of the defaults: spelling and hyphenation in Word); the
    easy-read lines at `easy_pt`, the printed leaflet's size on the paper."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, view_look.body_font, lang)
    ink, muted, accent = (RGBColor.from_string(c) for c in
                          (view_look.ink, view_look.muted, view_look.accent))
    normal = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), view_look.body_font)
    normal.font.size, normal.font.color.rgb = Pt(11), ink
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5)):
        style = document.styles[name]
        _set_fonts(style.element.get_or_add_rPr(), view_look.heading_font)
        style.font.size, style.font.bold, style.font.color.rgb = Pt(size), True, accent
        style.font.italic = False
        style.paragraph_format.space_before = Pt(0 if name == "Title" else 12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    title_ppr = document.styles["Title"].element.get_or_add_pPr()
    border = title_ppr.find(qn("w:pBdr"))
    if border is not None:  # the default template underlines the title in blue
        title_ppr.remove(border)
    for name in ("List", "List Bullet", "List Number"):
        _set_fonts(document.styles[name].element.get_or_add_rPr(), view_look.body_font)
        document.styles[name].paragraph_format.space_after = Pt(3)

    easy = document.styles.add_style(EASY_READ, WD_STYLE_TYPE.PARAGRAPH)
    easy.base_style = normal
    _set_fonts(easy.element.get_or_add_rPr(), "Open Sans")
    easy.font.size = Pt(easy_pt)
    easy.paragraph_format.line_spacing = 1.5
    easy.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    easy.paragraph_format.space_after = Pt(6)
    point = document.styles.add_style(EASY_READ_POINT, WD_STYLE_TYPE.PARAGRAPH)
    point.base_style = easy
    point.paragraph_format.left_indent = Pt(18)
    point.paragraph_format.first_line_indent = Pt(-18)

    small = document.styles.add_style(SMALL, WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    _set_fonts(small.element.get_or_add_rPr(), view_look.heading_font)
    small.font.size, small.font.color.rgb = Pt(9), muted
    for name in ("Header", "Footer"):
        tabs = document.styles[name].element.get_or_add_pPr().find(qn("w:tabs"))
        if tabs is not None:  # the default template's, for US Letter: each page sets its own
            tabs.getparent().remove(tabs)
        _set_fonts(document.styles[name].element.get_or_add_rPr(), view_look.heading_font)
        document.styles[name].font.size = Pt(8)
        document.styles[name].font.color.rgb = muted


def page_number(paragraph: Paragraph, template: str) -> None:
    """"Page {page} of {pages}" as text and the PAGE and NUMPAGES fields Word counts."""
    for index, part in enumerate(re.split(r"(\{pages?\})", template)):
        if index % 2 == 0:
            if part:
                paragraph.add_run(xml_text(part))
            continue
        field(paragraph, "NUMPAGES" if part == "{pages}" else "PAGE")


def field(paragraph: Paragraph, code: str) -> None:
    """A field (w:fldChar begin, instruction, separate, its last value, end), which Word and
    LibreOffice work out when they lay out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    paragraph.add_run()._r.append(instruction)
    char("separate")
    paragraph.add_run("1")
    char("end")


def hyperlink(paragraph: Paragraph, url: str, text: str, bold: bool, italic: bool) -> None:
    """A link Word follows (python-docx has no call for one): a w:hyperlink around a run."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = paragraph.add_run(xml_text(text))
    run.bold, run.italic = bold or None, italic or None
    run.font.underline = True
    link.append(run._r)
    paragraph._p.append(link)


def decoded(uri: str) -> tuple[str, bytes]:
    """A `data:` URI of the view (checked bytes) as its media type and bytes."""
    head, _, data = uri.partition(",")
    return head[len("data:"):].split(";")[0], base64.b64decode(data)


def _svg_ratio(svg: bytes) -> float:
    """Width over height of a checked SVG, from its viewBox or its size (1 when neither);
    RenderError for a viewBox that is not four numbers (the PDF engine fails on it too)."""
    from lxml import etree

    root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
    box = root.get("viewBox")
    if box is not None:
        try:
            numbers = [float(n) for n in box.replace(",", " ").split()]
        except ValueError:
            numbers = []
        if len(numbers) != 4:
            raise RenderError(f'its viewBox "{xml_text(box)[:60]}" is not four numbers: '
                              f"{SAVE_AGAIN}")
        if numbers[2] > 0 and numbers[3] > 0:
            return numbers[2] / numbers[3]
    try:
        width, height = (float(re.sub(r"[a-z%]+$", "", root.get(name) or "0"))
                         for name in ("width", "height"))
    except ValueError:
        return 1.0
    return width / height if width > 0 and height > 0 else 1.0


_DRAWN: dict[str, tuple[bytes, float]] = {}  # data: URI → PNG and ratio, per process
MAX_DRAWN = 64


def picture_bytes(uri: str, renderer: Renderer, time_limit: float | None) -> tuple[bytes, float]:
    """A picture as Word holds it (PNG or JPEG as checked; an SVG drawn into a PNG by the
    PDF engine, as the PDF draws it, then pypdfium2: both already the project's) and its
    width/height; RenderError saying why when it cannot be drawn."""
    media_type, data = decoded(uri)
    if media_type != "image/svg+xml":
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            return data, image.width / image.height
    if uri not in _DRAWN:
        if len(_DRAWN) >= MAX_DRAWN:
            _DRAWN.clear()
        ratio = _svg_ratio(data)
        width, height = ((PICTURE_PIXELS, max(1, round(PICTURE_PIXELS / ratio))) if ratio >= 1
                         else (max(1, round(PICTURE_PIXELS * ratio)), PICTURE_PIXELS))
        _DRAWN[uri] = _drawn(uri, width, height, renderer, time_limit), ratio
    return _DRAWN[uri]


def _drawn(uri: str, width: int, height: int, renderer: Renderer,
           time_limit: float | None) -> bytes:
    import pypdfium2

    html = (f'<style>@page {{ size: {width}px {height}px; margin: 0 }} body {{ margin: 0 }}'
            f'img {{ display: block; width: {width}px; height: {height}px }}</style>'
            f'<img src="{uri}" alt="">')
    pdf = renderer.pdf(html, variant=None, pictures=frozenset({uri}), time_limit=time_limit)
    if pdf.warnings:
        raise RenderError(f"{pdf.warnings[0]}: {SAVE_AGAIN}")
    document = pypdfium2.PdfDocument(pdf.data)
    try:
        image = document[0].render(scale=4 / 3, fill_color=(255, 255, 255, 255)).to_pil()
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


def picture(paragraph: Paragraph, uri: str, alt: str, drawn: tuple[bytes, float],
            width_cm: float | None = None, height_cm: float | None = None) -> None:
    """A picture in the line of the paragraph, with its alternative text (docPr descr: what
    Word's "Alt Text" and screen readers show), sized by its width or its height."""
    from docx.shared import Cm

    data, ratio = drawn
    if height_cm is not None and (width_cm is None or height_cm * ratio < width_cm):
        width_cm = height_cm * ratio
    shape = paragraph.add_run().add_picture(io.BytesIO(data), width=Cm(width_cm or 3.0))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", xml_text(alt))
    doc_pr.set("title", xml_text(alt))


def stable(data: bytes) -> bytes:
    """The file again with every part dated 1980-01-01 (python-docx dates them now): the same
    sheet makes the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
