"""Pictograms: read once, checked with bounded work, and kept as the exact bytes printed.

A picture is read by the loader, at most `MAX_PICTURE_BYTES + 1` bytes from a regular file
opened without blocking, then checked here before the PDF engine ever sees it: a PNG or JPEG
must say what it is and stay under a pixel count; an SVG is parsed with expat (no DOCTYPE,
no entities, nothing fetched) and refused when it holds scripts, points at other files, or
would expand (through `<use>` and `url(#…)` references) to more elements than any pictogram
needs. The expansion is counted without being done, so a 2 KB `<use>` bomb costs
microseconds here instead of hours in the engine. The bytes kept are the bytes checked: the
renderer serves them as a `data:` URI, and they are never read from disk again.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from ..paths import kind_of_file, path_problem, read_at_most

PICTURE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".svg": "image/svg+xml"}
MAX_PICTURE_BYTES = 2_000_000
MAX_PIXELS = 25_000_000  # 5000 by 5000: far more than a pictogram printed a few cm wide
MAX_SVG_ELEMENTS = 20_000  # counted after expanding every <use> and url(#…) reference
MAX_SVG_USE_DEPTH = 4  # a <use> of something holding a <use> of … at most this deep
MAX_SVG_NESTING = 100  # elements inside elements

_XLINK_HREF = "http://www.w3.org/1999/xlink href"
_URL_REFERENCE = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_IMPORT = re.compile(r"@import", re.IGNORECASE)


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


def check_raster(data: bytes, media_type: str) -> None:
    """The file is what its name says, and its pixel count is bounded (a small PNG can
    unpack to gigabytes)."""
    size = png_size(data) if media_type == "image/png" else jpeg_size(data)
    kind = "PNG" if media_type == "image/png" else "JPEG"
    if size is None:
        raise PictureProblem(f"is not a {kind} picture (its content does not match its name)")
    width, height = size
    if width * height > MAX_PIXELS:
        raise PictureProblem(f"is {width} by {height} pixels; at most {MAX_PIXELS:,} pixels "
                             "are accepted: save a smaller copy")


def png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    return struct.unpack(">II", data[16:24])


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first frame header, walking the markers (bounded by the
    length of the data)."""
    if data[:2] != b"\xff\xd8":
        return None
    index = 2
    while index + 4 <= len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        if marker == 0xFF:
            index += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        length = int.from_bytes(data[index + 2:index + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if index + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        if length < 2:
            return None
        index += 2 + length
    return None


@dataclass
class _Element:
    tag: str
    references: list[str]
    children: list[_Element]


def check_svg(data: bytes) -> None:
    """Refuse an SVG the engine could spend unbounded time on, or that reaches outside."""
    root, by_id = _parse_svg(data)
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


def _parse_svg(data: bytes) -> tuple[_Element, dict[str, _Element]]:
    """A light tree of the SVG (tags, ids, references), parsed by expat with every way to
    reach outside the file refused."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[_Element] = []
    by_id: dict[str, _Element] = {}
    roots: list[_Element] = []
    in_style: list[bool] = []

    def refuse(message: str) -> NoReturn:
        raise PictureProblem(message)

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "script" or local == "foreignObject":
            refuse(f"holds a <{local}> element: pictograms may only draw shapes")
        if len(stack) >= MAX_SVG_NESTING:
            refuse(f"nests elements more than {MAX_SVG_NESTING} levels deep: simplify it")
        references = []
        for attribute, value in attributes.items():
            attribute_name = attribute.rsplit(" ", 1)[-1]
            if attribute_name.lower().startswith("on"):
                refuse(f"has a script attribute ({attribute_name}): pictograms may only draw "
                       "shapes")
            if attribute == _XLINK_HREF or attribute_name == "href":
                references.append(_local_reference(value))
            for found in _URL_REFERENCE.findall(value):
                references.append(_local_reference(found))
        element = _Element(local, [r for r in references if r], [])
        identifier = attributes.get("id")
        if identifier and identifier not in by_id:
            by_id[identifier] = element
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)
        in_style.append(local == "style")

    def end(name: str) -> None:
        stack.pop()
        in_style.pop()

    def text(content: str) -> None:
        if in_style and in_style[-1]:
            if _IMPORT.search(content):
                refuse("has a style that imports another file (@import): remove it")
            for found in _URL_REFERENCE.findall(content):
                _local_reference(found)

    def doctype(*_args: object) -> None:
        refuse("declares a DOCTYPE (which can define entities): save it again as a plain "
               "SVG, without the <!DOCTYPE …> line")

    def entity(*_args: object) -> None:
        refuse("declares entities: save it again as a plain SVG")

    def external(*_args: object) -> int:
        refuse("refers to an outside entity: save it again as a plain SVG")
        return 0

    def processing(target: str, _data: str) -> None:
        if target.lower() == "xml-stylesheet":
            refuse("links a stylesheet from another file: remove the <?xml-stylesheet …?> line")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.ProcessingInstructionHandler = processing
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise PictureProblem(f"is not a readable SVG (line {error.lineno}: "
                             f"{expat.ErrorString(error.code)})") from None
    if not roots or roots[0].tag != "svg":
        raise PictureProblem("is not an SVG picture (its content does not match its name)")
    return roots[0], by_id


def _local_reference(value: str) -> str:
    """The id of a `#id` reference; anything else (another file, a web address, a `data:`
    URI) is refused."""
    value = value.strip()
    if not value:
        return ""
    if not value.startswith("#"):
        shown = value if len(value) <= 60 else value[:57] + "…"
        raise PictureProblem(f"points at another file or address ({shown}): a pictogram must "
                             "hold everything it draws")
    return value[1:]
