"""Pictograms: read once, checked with bounded work, and kept as the exact bytes printed.

A picture is read by the loader, at most `MAX_PICTURE_BYTES + 1` bytes from a regular file
opened without blocking, then checked here before the PDF engine ever sees it. A PNG or JPEG
must be what its name says, stay under a pixel count and decode to its end (Pillow). An SVG is
parsed by lxml with every way out closed (no DOCTYPE, no entity, no network), and each of its
elements and attributes must be on the allow-lists of `svgrules` (shapes only: no script, no
event handler, no element of another language, no link out, no style that loads a file); it
is refused too when it would expand (through `<use>` and `url(#…)` references) to more
elements than any pictogram needs. The expansion is counted without being done, so a 2 KB
`<use>` bomb costs microseconds here instead of hours in the engine. The bytes kept are the
bytes checked: the renderer serves them as a `data:` URI and they are never read from disk
again; the web edition publishes the checked tree written again (`clean_svg`).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from lxml import etree

from ..paths import kind_of_file, path_problem, read_at_most
from . import svgrules

PICTURE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".svg": "image/svg+xml"}
MAX_PICTURE_BYTES = 2_000_000
MAX_PIXELS = 25_000_000  # 5000 by 5000: far more than a pictogram printed a few cm wide
MAX_SVG_ELEMENTS = 20_000  # counted after expanding every <use> and url(#…) reference
MAX_SVG_USE_DEPTH = 4  # a <use> of something holding a <use> of … at most this deep
MAX_SVG_NESTING = 100  # elements inside elements

_SYNTAX_POSITION = re.compile(r",? line \d+, column \d+$")
_SAVE_AGAIN = "save the picture again from your drawing program as plain SVG"


class PictureProblem(Exception):
    """Why a picture is refused, in words for the person who chose it (without its name)."""


@dataclass(frozen=True)
class Picture:
    """A checked picture: where it was read from and the exact bytes that will be printed."""

    path: Path
    data: bytes
    media_type: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def uri(self) -> str:
        """A `data:` URI: the HTML carries the bytes, so no file is read at render time and
        `--format html` holds no local path."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def read_regular_file(path: Path, limit: int) -> bytes:
    """At most `limit + 1` bytes of a regular file, opened without blocking (a FIFO or a
    device is refused, never read). Raises PictureProblem or OSError."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise PictureProblem(path_problem(error)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise PictureProblem(f"is {kind_of_file(info.st_mode)}, not a file")
        return read_at_most(descriptor, limit + 1)
    finally:
        os.close(descriptor)


def load_picture(path: Path) -> Picture:
    """Read and check one picture; raises PictureProblem saying what is wrong."""
    media_type = PICTURE_TYPES[path.suffix.lower()]
    data = read_regular_file(path, MAX_PICTURE_BYTES)
    if len(data) > MAX_PICTURE_BYTES:
        raise PictureProblem(f"is over {MAX_PICTURE_BYTES:,} bytes: use a smaller picture")
    if media_type == "image/svg+xml":
        check_svg(data)
    else:
        check_raster(data, media_type)
    return Picture(path, data, media_type)


RASTER_KINDS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF",
                "image/webp": "WebP"}


def check_raster(data: bytes, media_type: str) -> int:
    """The file is what its name says, its pixel count (returned) is bounded (a small PNG can
    unpack to gigabytes), and it decodes to its end: a truncated or damaged file is refused
    here with a short message, instead of reaching the PDF engine (which printed it with a
    warning holding the whole file)."""
    kind = RASTER_KINDS[media_type]
    try:
        image = _open_raster(data, kind)
    except Exception:  # Pillow raises many types on hostile bytes; each means "not a <kind>"
        raise PictureProblem(f"is not a {kind} picture (its content does not match its "
                             "name)") from None
    width, height = image.size
    frames: int = max(1, getattr(image, "n_frames", 1))
    if width * height * frames > MAX_PIXELS:
        shown = f"{width} by {height} pixels" + (f" in {frames} frames" if frames > 1 else "")
        raise PictureProblem(f"is {shown}; at most {MAX_PIXELS:,} pixels are accepted: save "
                             "a smaller copy")
    from PIL import ImageFile

    # WeasyPrint, once imported, tells Pillow to accept cut-off files; not while checking.
    accept_truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        for frame in range(frames):
            image.seek(frame)
            image.load()
    except Exception:  # as above: any failure to decode is a damaged file
        raise PictureProblem(f"is a damaged or incomplete {kind} picture (it cannot be read "
                             "to its end): save it again from your picture program") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = accept_truncated
    return int(width * height * frames)


def _open_raster(data: bytes, kind: str) -> Any:
    """The picture's header read by Pillow's plug-in for `kind` (and no other format). The
    plug-in is called directly: `Image.open` would apply Pillow's own, larger, pixel limit
    first, and say it in its words."""
    from PIL import GifImagePlugin, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

    openers: dict[str, Any] = {
        "PNG": PngImagePlugin.PngImageFile, "JPEG": JpegImagePlugin.JpegImageFile,
        "GIF": GifImagePlugin.GifImageFile, "WebP": WebPImagePlugin.WebPImageFile}
    return openers[kind](io.BytesIO(data))


@dataclass
class _Element:
    tag: str
    references: list[str]
    children: list[_Element]


def check_svg(data: bytes) -> None:
    """Refuse an SVG the engine could spend unbounded time on, or that reaches outside."""
    _checked_svg(data)


def _checked_svg(data: bytes) -> Any:
    """The parsed tree of an SVG that passes every check (see `check_svg`)."""
    tree, root, by_id = _parse_svg(data)
    weights: dict[int, tuple[int, int]] = {}
    visiting: set[int] = set()
    chain = [0]  # references being followed right now
    too_deep = PictureProblem(f"nests copies (<use>) of copies more than {MAX_SVG_USE_DEPTH} "
                              "levels deep: simplify it (for example, save it again as a plain "
                              "SVG)")

    def weigh(element: _Element) -> tuple[int, int]:
        """(elements drawn for this one once every reference is expanded, depth of the
        references nested inside it)."""
        key = id(element)
        if key in weights:
            total, depth = weights[key]
            if chain[0] + depth > MAX_SVG_USE_DEPTH:
                raise too_deep
            return total, depth
        if key in visiting:
            raise PictureProblem("refers to itself (a <use> inside what it copies): remove "
                                 "the loop")
        visiting.add(key)
        total, depth = 1, 0
        for name in element.references:
            target = by_id.get(name)
            if target is None:
                continue
            chain[0] += 1
            if chain[0] > MAX_SVG_USE_DEPTH:
                raise too_deep
            weight, inner = weigh(target)
            chain[0] -= 1
            total, depth = total + weight, max(depth, inner + 1)
            if total > MAX_SVG_ELEMENTS:
                break
        for child in element.children:
            if total > MAX_SVG_ELEMENTS:
                break
            weight, inner = weigh(child)
            total, depth = total + weight, max(depth, inner)
        if total > MAX_SVG_ELEMENTS:
            raise PictureProblem(f"would draw more than {MAX_SVG_ELEMENTS:,} shapes once its "
                                 "copies (<use>) are expanded: simplify it, or save it as PNG")
        visiting.discard(key)
        weights[key] = (total, depth)
        return total, depth

    weigh(root)
    return tree


def clean_svg(data: bytes) -> bytes:
    """The checked SVG written again from the parsed tree, for the web edition: UTF-8,
    without comments, processing instructions or unused namespaces, so that a browser
    reads exactly the tree that was checked (not its own reading of the original bytes)."""
    tree = _checked_svg(data)  # not check_svg: a test may switch the loader's check off
    for node in list(tree.iter(etree.Comment, etree.ProcessingInstruction)):
        parent = node.getparent()
        if parent is not None:
            if node.tail:  # keep the text that followed the comment
                previous = node.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + node.tail
                else:
                    parent.text = (parent.text or "") + node.tail
            parent.remove(node)
    etree.cleanup_namespaces(tree)
    written: bytes = etree.tostring(tree, encoding="utf-8", xml_declaration=True)
    return written


def _parse_tree(data: bytes) -> etree._Element:
    """The SVG parsed by libxml2 with every way out closed: no network, no DTD loaded, no
    entity expanded, no huge-tree allowance (libxml2's own limits on depth and sizes hold).
    Character references such as `&#x61;` are resolved here, before any check."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=False,
                             remove_pis=False, strip_cdata=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        reason = _SYNTAX_POSITION.sub("", error.msg or "").strip() or "not well-formed"
        raise PictureProblem(f"is not a readable SVG (line {error.lineno}: {reason})") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise PictureProblem("declares a DOCTYPE (which can define entities): save it again as "
                             "a plain SVG, without the <!DOCTYPE …> line")
    for sibling in root.itersiblings(preceding=True):
        _check_instruction(sibling)
    return root


def _check_instruction(node: etree._Element) -> None:
    if node.tag is etree.ProcessingInstruction and (node.target or "").lower() == "xml-stylesheet":
        raise PictureProblem("links a stylesheet from another file: remove the "
                             "<?xml-stylesheet …?> line")


def _parse_svg(data: bytes) -> tuple[Any, _Element, dict[str, _Element]]:
    """The parsed SVG and a light tree of it (tags, ids, references), every element and
    attribute checked against the allow-lists of `svgrules` on the way."""
    root = _parse_tree(data)
    namespace, local = _split(root.tag)
    if local != "svg":
        raise PictureProblem("is not an SVG picture (its content does not match its name)")
    if namespace != svgrules.SVG:
        raise PictureProblem(f'is not a plain SVG (its <svg> lacks xmlns="{svgrules.SVG}"): '
                             f"{_SAVE_AGAIN}")
    by_id: dict[str, _Element] = {}
    top = _Element("svg", [], [])
    pixels = [0]  # of the pictures embedded so far, decoded to check them
    stack: list[tuple[etree._Element, _Element, int, bool]] = [(root, top, 1, False)]
    while stack:
        node, element, depth, in_metadata = stack.pop()
        if in_metadata and _split(node.tag)[0] in svgrules.METADATA:
            _check_metadata_attributes(node)
        else:
            element.references.extend(_checked_attributes(node, element.tag, pixels))
        identifier = node.get("id")
        if identifier and identifier not in by_id:
            by_id[identifier] = element
        if element.tag == "style":
            # all of its text, as a browser joins it (even the text after a child element)
            _check_style("".join(node.itertext()))
        children = []
        for child in node:
            if not isinstance(child.tag, str):
                _check_instruction(child)
                continue  # a comment, or an instruction no browser acts on
            if depth >= MAX_SVG_NESTING:
                raise PictureProblem(f"nests elements more than {MAX_SVG_NESTING} levels "
                                     "deep: simplify it")
            inside = in_metadata or element.tag == "metadata"
            light = _Element(_checked_element(child, inside), [], [])
            element.children.append(light)
            children.append((child, light, depth + 1, inside))
        stack.extend(reversed(children))  # document order: the first problem is said
    return root, top, by_id


def _split(tag: str) -> tuple[str | None, str]:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return namespace or None, local


def _checked_element(node: etree._Element, in_metadata: bool = False) -> str:
    """The element's name, when pictograms may use it. Inside `<metadata>`, the licence and
    author records drawing programs write (RDF, Dublin Core, Creative Commons) are allowed."""
    namespace, local = _split(node.tag)
    if in_metadata and namespace in svgrules.METADATA:
        return local
    if namespace != svgrules.SVG:
        origin = f"from {namespace}" if namespace else "without a namespace"
        shown = svgrules.shown_name(namespace, local, node.nsmap.items())
        raise PictureProblem(f"holds an element of another language (<{shown}>, {origin}): "
                             f"{_SAVE_AGAIN}")
    if local in svgrules.ACTIVE_ELEMENTS:
        raise PictureProblem(f"holds a <{local}> element: pictograms may only draw shapes")
    if local in svgrules.ANIMATIONS:
        raise PictureProblem(f"holds an animation (<{local}>): pictograms are printed still: "
                             "remove it")
    if local not in svgrules.ELEMENTS:
        raise PictureProblem(f"holds an element pictograms may not use (<{local}>): "
                             f"{_SAVE_AGAIN}")
    return local


def _check_metadata_attributes(node: etree._Element) -> None:
    """A record inside `<metadata>` (`rdf:about`, `rdf:resource`…): its addresses are names
    that nothing fetches; an attribute of any other language is refused."""
    for name in node.attrib:
        namespace, local = _split(name)
        if namespace is not None and namespace not in svgrules.METADATA:
            shown = svgrules.shown_name(namespace, local, node.nsmap.items())
            raise PictureProblem(f"has an attribute of another language ({shown} in "
                                 f"<metadata>, from {namespace}): {_SAVE_AGAIN}")


def _checked_attributes(node: etree._Element, tag: str, pixels: list[int]) -> list[str]:
    """Refuse what an attribute may not hold; return the `#id`s its values refer to.
    `pixels`: the pixels of the pictures embedded so far, added to here."""
    references = []
    for name, value in node.attrib.items():
        namespace, local = _split(name)
        if local.lower().startswith("on") and namespace in (None, svgrules.SVG):
            raise PictureProblem(f"has a script attribute ({local}): pictograms may only draw "
                                 "shapes")
        if (namespace is None and local == "href") or (namespace == svgrules.XLINK
                                                        and local == "href"):
            references.append(_href(value, tag, pixels))
        elif namespace is None and local in svgrules.CSS_ATTRIBUTES:
            references.extend(_css_references(value))
        elif not svgrules.plain_attribute(namespace, local):
            shown = svgrules.shown_name(namespace, local, node.nsmap.items())
            if namespace in (None, svgrules.SVG, svgrules.XML):
                problem = f"has an attribute pictograms may not use ({shown} on <{tag}>)"
            else:
                problem = (f"has an attribute of another language ({shown} on <{tag}>, "
                           f"from {namespace})")
            raise PictureProblem(f"{problem}: {_SAVE_AGAIN}")
    return [reference for reference in references if reference]


def _href(value: str, tag: str, pixels: list[int]) -> str:
    """An `href` holds a `#id` of the picture, or (on <image> and <feImage>) a PNG, JPEG,
    GIF or WebP picture of its own, checked like a picture file; all those of one SVG
    together stay under the pixel limit of one picture."""
    kind = svgrules.picture_data_type(value.strip())
    if kind is None or tag not in svgrules.PICTURE_ELEMENTS:
        if value.strip().lower().startswith("data:"):
            raise PictureProblem(f"holds a picture other than PNG, JPEG, GIF or WebP "
                                 f"({_shorter(value.strip(), 30)}) in <{tag}>: {_SAVE_AGAIN}")
        return _local_reference(value)
    header, _, payload = value.strip().partition(",")
    try:
        inner = (base64.b64decode(payload, validate=False) if header.lower().endswith(";base64")
                 else unquote_to_bytes(payload))
    except ValueError:
        raise PictureProblem(f"holds a {kind.upper()} picture that cannot be read in <{tag}>: "
                             f"{_SAVE_AGAIN}") from None
    pixels[0] += check_raster(inner, f"image/{kind}")
    if pixels[0] > MAX_PIXELS:
        raise PictureProblem(f"holds pictures of more than {MAX_PIXELS:,} pixels together: "
                             "save smaller copies of them")
    return ""


def _css_references(css: str) -> list[str]:
    try:
        return svgrules.css_references(css, _local_reference)
    except svgrules.StyleProblem as problem:
        raise PictureProblem(str(problem)) from None


def _check_style(css: str) -> None:
    """A `<style>` element: its `url(#…)` references are checked (they are not counted: they
    do not say which element uses them)."""
    _css_references(css)


def _shorter(value: str, most: int) -> str:
    return value if len(value) <= most else value[:most - 3] + "…"


def _local_reference(value: str) -> str:
    """The id of a `#id` reference; anything else (another file, a web address, a `data:`
    URI) is refused."""
    value = value.strip()
    if not value:
        return ""
    if not value.startswith("#"):
        raise PictureProblem(f"points at another file or address ({_shorter(value, 60)}): a "
                             "pictogram must hold everything it draws")
    return value[1:]
