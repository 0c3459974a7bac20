"""Pictures are checked by parsing: every hostile SVG form is refused with its exact message,
every built-in or sample pictogram passes, a broken PNG or JPEG is refused with a short
message at the sheet's line, and the PDF engine's messages are capped.

The hostile forms are those of issue #22; that they really act in a browser is shown by
tests/test_web_pictures.py.
"""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

import pytest
import yaml
from lxml import etree

from generator.errors import SheetError
from generator.sheet.loader import load_sheet
from generator.sheet.pictures import PictureProblem, load_picture
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parent.parent
SVG_NS = "http://www.w3.org/2000/svg"
XHTML = "http://www.w3.org/1999/xhtml"
OPEN = f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
SAVE_AGAIN = "save the picture again from your drawing program as plain SVG"
ELSEWHERE = "a pictogram must hold everything it draws"


def png(size: tuple[int, int] = (60, 40)) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size)
    for x in range(size[0]):
        image.putpixel((x, x % size[1]), (x * 4 % 256, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    """A JPEG whose scan (the pixels) is most of the file."""
    from PIL import Image

    generator = random.Random(8)
    image = Image.frombytes("RGB", (120, 80), bytes(generator.getrandbits(8)
                                                    for _ in range(120 * 80 * 3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


HOSTILE = [
    (f'<iframe xmlns="{XHTML}" src="jav&#x61;script:alert(1)"/>',
     f"holds an element of another language (<iframe>, from {XHTML}): {SAVE_AGAIN}"),
    # the character reference is resolved by the parser before the address is read
    ('<image href="jav&#x61;script:alert(1)" width="5" height="5"/>',
     f"points at another file or address (javascript:alert(1)): {ELSEWHERE}"),
    (f'<h:iframe xmlns:h="{XHTML}" srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"/>',
     f"holds an element of another language (<h:iframe>, from {XHTML}): {SAVE_AGAIN}"),
    (f'<foreignObject><iframe xmlns="{XHTML}" srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"/>'
     "</foreignObject>", "holds a <foreignObject> element: pictograms may only draw shapes"),
    ('<rect width="5" height="5" onclick="alert(1)"/>',
     "has a script attribute (onclick): pictograms may only draw shapes"),
    ("<script>alert(1)</script>", "holds a <script> element: pictograms may only draw shapes"),
    ('<use xlink:href="http://example.org/p.svg#a"/>',
     f"points at another file or address (http://example.org/p.svg#a): {ELSEWHERE}"),
    ('<image href="file:///etc/passwd" width="5" height="5"/>',
     f"points at another file or address (file:///etc/passwd): {ELSEWHERE}"),
    ('<rect width="5" height="5" style="background:\\75 rl(http://x)"/>',
     f"points at another file or address (http://x): {ELSEWHERE}"),
    ('<style>@\\69mport "http://x";</style>',
     "has a style that imports another file (@import): remove it"),
    ('<style>@font-face { font-family: X; src: url(http://x/f.woff) }</style>',
     "has a style that loads a font (@font-face): remove it (your drawing program can turn "
     "the text into shapes)"),
    ('<rect width="5" height="5" style="fill: image-set(\'http://x\' 1x)"/>',
     "has a style that uses image-set(), which a pictogram may not use: remove it, or "
     f"{SAVE_AGAIN}"),
    ('<animate attributeName="href" to="javascript:alert(1)"/>',
     "holds an animation (<animate>): pictograms are printed still: remove it"),
    ('<set attributeName="href" to="javascript:alert(1)"/>',
     "holds an animation (<set>): pictograms are printed still: remove it"),
    ('<a href="#x"><rect width="5" height="5"/></a>',
     f"holds an element pictograms may not use (<a>): {SAVE_AGAIN}"),
    ("<blink/>", f"holds an element pictograms may not use (<blink>): {SAVE_AGAIN}"),
    ('<x:shape xmlns:x="urn:example:custom"/>',
     f"holds an element of another language (<x:shape>, from urn:example:custom): {SAVE_AGAIN}"),
    ('<rect xmlns:x="urn:example:custom" x:label="a" width="5" height="5"/>',
     "has an attribute of another language (x:label on <rect>, from urn:example:custom): "
     + SAVE_AGAIN),
    ('<rect width="5" height="5" src="http://x/"/>',
     f"has an attribute pictograms may not use (src on <rect>): {SAVE_AGAIN}"),
    ('<g xml:base="http://x/"><use href="#a"/></g>',
     f"has an attribute pictograms may not use (xml:base on <g>): {SAVE_AGAIN}"),
    ('<image width="5" height="5" href="data:image/svg+xml;base64,PHN2Zy8+"/>',
     "holds a picture other than PNG, JPEG, GIF or WebP (data:image/svg+xml;base64,P…) in "
     f"<image>: {SAVE_AGAIN}"),
    ('<image width="5" height="5" href="data:image/png;base64,iVBORw0KGgo="/>',
     "is not a PNG picture (its content does not match its name)"),
    # the text of a <style> is all of it, even after a child element
    ('<style><desc/>@import "http://x";</style>',
     "has a style that imports another file (@import): remove it"),
    # <metadata> may hold licence records, not a script of another language
    (f'<metadata><script xmlns="{XHTML}">alert(1)</script></metadata>',
     f"holds an element of another language (<script>, from {XHTML}): {SAVE_AGAIN}"),
    ('<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
     'xmlns:x="urn:x" x:on="1"/></metadata>',
     f"has an attribute of another language (x:on in <metadata>, from urn:x): {SAVE_AGAIN}"),
]


@pytest.mark.parametrize(("body", "message"), HOSTILE)
def test_each_hostile_svg_form_is_refused_with_its_message(tmp_path, body, message):
    path = tmp_path / "p.svg"
    path.write_text(OPEN + body + "</svg>", encoding="utf-8")
    with pytest.raises(PictureProblem) as caught:
        load_picture(path)
    assert str(caught.value) == message


@pytest.mark.parametrize(("svg", "message"), [
    ('<?xml-stylesheet type="text/xsl" href="x.xsl"?>' + OPEN + "</svg>",
     "links a stylesheet from another file: remove the <?xml-stylesheet …?> line"),
    ("<svg><rect/></svg>",
     f'is not a plain SVG (its <svg> lacks xmlns="{SVG_NS}"): {SAVE_AGAIN}'),
    (OPEN + "<rect></svg>",
     "is not a readable SVG (line 1: Opening and ending tag mismatch: rect line 1 and svg)"),
])
def test_what_surrounds_the_drawing_is_checked_too(tmp_path, svg, message):
    path = tmp_path / "p.svg"
    path.write_text(svg, encoding="utf-8")
    with pytest.raises(PictureProblem) as caught:
        load_picture(path)
    assert str(caught.value) == message


def test_what_pictograms_need_passes(tmp_path):
    """Gradients and patterns referred to by url(#…), a <style> element (with @media), <use>,
    text, filters and an embedded PNG: all allowed."""
    embedded = base64.b64encode(png()).decode()
    svg = (OPEN + '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/>'
           '</linearGradient><pattern id="p" width="2" height="2"><rect width="1" height="1"/>'
           '</pattern><filter id="f"><feGaussianBlur stdDeviation="1"/></filter></defs>'
           "<style>.a { fill: url('#g') } @media print { .a { fill: #000 } }</style>"
           '<rect class="a" width="5" height="5" fill="url(#p)" style="stroke: url(#g)"/>'
           '<use xlink:href="#g"/><text x="1" y="9" font-family="\'Noto Sans\'">Hi</text>'
           f'<image href="data:image/png;base64,{embedded}" width="4" height="4" '
           'filter="url(#f)"/></svg>')
    path = tmp_path / "p.svg"
    path.write_text(svg, encoding="utf-8")
    assert load_picture(path).data == svg.encode()


def test_licence_records_in_metadata_pass(tmp_path):
    """What Inkscape writes even in a plain SVG: an RDF record of the work and its licence."""
    svg = (OPEN + '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/'
           '1.1/"><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format><cc:license '
           'rdf:resource="http://creativecommons.org/licenses/by-sa/4.0/"/></cc:Work>'
           '</rdf:RDF></metadata><rect width="5" height="5"/></svg>')
    path = tmp_path / "p.svg"
    path.write_text(svg, encoding="utf-8")
    assert load_picture(path).data == svg.encode()


def test_embedded_pictures_share_one_pixel_limit(tmp_path):
    """Many small files of large blank pictures would each pass alone; together they are
    refused before they are all decoded."""
    one = base64.b64encode(png((4000, 2000))).decode()  # 8,000,000 pixels, a few KB
    images = "".join(f'<image href="data:image/png;base64,{one}" width="5" height="5"/>'
                     for _ in range(4))
    path = tmp_path / "p.svg"
    path.write_text(OPEN + images + "</svg>", encoding="utf-8")
    with pytest.raises(PictureProblem) as caught:
        load_picture(path)
    assert str(caught.value) == ("holds pictures of more than 25,000,000 pixels together: "
                                 "save smaller copies of them")


def every_svg_of_the_repository() -> list[Path]:
    """The built-in pictograms, the samples' pictograms, the theme's logo and the site icon."""
    found = sorted((ROOT / "generator" / "pictograms").glob("*.svg"))
    assert len(found) > 40
    return [*found, *sorted((ROOT / "content").rglob("*.svg")), ROOT / "theme" / "logo.svg",
            ROOT / "styles" / "web-icon.svg", *sorted((DATA).rglob("*.svg"))]


@pytest.mark.parametrize("path", every_svg_of_the_repository(),
                         ids=lambda path: str(path.relative_to(ROOT)))
def test_every_svg_of_the_repository_passes(path):
    from generator.sheet.pictures import clean_svg

    picture = load_picture(path)
    assert picture.data == path.read_bytes()
    clean = clean_svg(picture.data)
    # The same drawing: the same elements and attributes, in the same order.
    def shape(data: bytes) -> list[tuple[str, dict[str, str]]]:
        root = etree.fromstring(data)
        return [(node.tag, dict(node.attrib)) for node in root.iter(etree.Element)]
    assert shape(clean) == shape(picture.data)


def test_the_clean_copy_is_the_checked_tree_in_utf8_without_comments():
    from generator.sheet.pictures import clean_svg

    latin = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- made by hand -->\n'
             f'<svg xmlns="{SVG_NS}" xmlns:unused="urn:x"><title>Café</title>'
             '<?app hint?><!-- inside --><rect width="1" height="1"/></svg>').encode("latin-1")
    assert clean_svg(latin) == (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<svg xmlns="{SVG_NS}"><title>Café</title><rect width="1" height="1"/></svg>'
    ).encode()


# Broken raster pictures (issue #22, item 8): refused at the line, with a short message.

def _garbage(count: int) -> bytes:
    generator = random.Random(22)
    return bytes(generator.getrandbits(8) for _ in range(count))


def _jpeg_header_then_garbage() -> bytes:
    data = jpeg()
    scan = data.index(b"\xff\xda")  # the start of the scan: every header before it is valid
    length = int.from_bytes(data[scan + 2:scan + 4], "big")
    return data[:scan + 2 + length] + _garbage(20_000)


def _sheet_with_pictogram(folder: Path, name: str) -> Path:
    sheet = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
    sheet["easy_read"]["summary"][0]["pictogram"] = name
    path = folder / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("truncated.png", png()[: len(png()) // 2], "PNG"),
    ("garbage.png", png()[:33] + _garbage(20_000), None),  # signature and IHDR, then noise
    ("truncated.jpg", jpeg()[: len(jpeg()) // 2], "JPEG"),
    ("garbage.jpg", _jpeg_header_then_garbage(), "JPEG"),
])
def test_a_broken_png_or_jpeg_is_refused_at_its_line(tmp_path, name, data, kind):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(SheetError) as caught:
        load_sheet(_sheet_with_pictogram(tmp_path, name))
    problem = caught.value.problems[0]
    assert (problem.line, problem.path) == (8, "easy_read.summary[1].pictogram")
    if kind is None:  # the noise starts where the chunks that give the size are
        assert problem.message == f"'{name}' is not a PNG picture (its content does not " \
                                  "match its name)"
    else:
        assert problem.message == (f"'{name}' is a damaged or incomplete {kind} picture (it "
                                   "cannot be read to its end): save it again from your "
                                   "picture program")


def test_a_whole_png_and_jpeg_pass(tmp_path):
    for name, data in (("p.png", png()), ("p.jpg", jpeg())):
        (tmp_path / name).write_bytes(data)
        assert load_picture(tmp_path / name).data == data


def test_the_pdf_engines_messages_are_capped():
    """A damaged picture that reaches the engine (here, given to it directly) is reported in
    one short line, not with the whole data: URI the engine quotes."""
    from generator.documents.render import Renderer

    uri = "data:image/png;base64," + base64.b64encode(png()[:33] + _garbage(60_000)).decode()
    html = f'<html lang="en"><body><p>text</p><img src="{uri}" alt="x"></body></html>'
    warnings = Renderer().pdf(html, pictures=frozenset({uri})).warnings
    assert warnings, "the engine said nothing about the damaged picture"
    for warning in warnings:
        head, _, tail = warning.rpartition("… (")
        assert len(head) == 300 and tail.endswith(" more characters)"), warning[:400]
        left_out = int(tail.removesuffix(" more characters)").replace(",", ""))
        assert left_out > len(uri) - 300 - 200  # the URI was there, and is cut


def test_the_web_edition_publishes_the_checked_tree_not_the_file_as_it_is_now(tmp_path):
    """Published from the bytes read and checked when the sheet was loaded, written again
    from the checked tree (no comment, no unused namespace); a file swapped afterwards, even
    for a hostile one, changes nothing."""
    from generator.batch.websheet import web_sheet
    from generator.options import BuildOptions

    picture = tmp_path / "p.svg"
    picture.write_text(OPEN + '<!-- a note --><rect width="5" height="5"/></svg>',
                       encoding="utf-8")
    sheet = load_sheet(_sheet_with_pictogram(tmp_path, "p.svg"))
    picture.write_text(OPEN + "<script>alert(1)</script></svg>", encoding="utf-8")
    made, warnings = web_sheet(sheet, tmp_path / "out", BuildOptions())
    assert warnings == []
    assert made.picture_files == {"sheet/pictograms/p.svg": (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<svg xmlns="{SVG_NS}" width="10" height="10"><rect width="5" height="5"/></svg>'
    ).encode()}


def test_a_cut_off_png_is_refused_even_after_the_pdf_engine_is_loaded(tmp_path):
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES when it is imported (as in `watch`,
    or after a render in the same process): the check must not depend on it."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    (tmp_path / "cut.png").write_bytes(png()[: len(png()) // 2])
    with pytest.raises(PictureProblem) as caught:
        load_picture(tmp_path / "cut.png")
    assert str(caught.value) == ("is a damaged or incomplete PNG picture (it cannot be read to "
                                 "its end): save it again from your picture program")
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # given back as it was
