"""The print shop's finish of a PDF (`--print-shop`): nothing left in DeviceRGB, crop marks in
registration colour, and for PDF/X an output intent with its ICC profile embedded.

WeasyPrint 68.1 writes SVG pictograms, QR codes and its own crop marks with `rg`/`RG`
(DeviceRGB), names a PDF/X output condition without its profile, and gives transparency groups
a DeviceRGB blending space. PDF/X-4 (ISO 15930-7) refuses all three with a CMYK output intent,
so the written PDF is finished here, with pikepdf, operator by operator:
- a DeviceRGB colour becomes DeviceCMYK: a grey (r = g = b) on the black plate only
  (`0 0 0 1-r k`), so that black text and rules never print on four plates; any other colour
  through the output profile (relative colorimetric, from sRGB);
- pictures and gradients in DeviceRGB are tagged with the sRGB profile (ICCBased, which PDF/X-4
  allows: the print shop's RIP converts them with the output intent);
- transparency groups blend in DeviceCMYK;
- crop marks are drawn here (not by the engine) at each corner from 5 to 10 mm outside the
  trim, clear of the 3.5 mm bleed, in /Separation /All, as an artifact for screen readers.
The output profile is `generator/icc/FOGRA39L-coated.icc` (see its README).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from ..paths import PACKAGE

if TYPE_CHECKING:
    import pikepdf

PROFILE = PACKAGE / "icc" / "FOGRA39L-coated.icc"
# The output intent: the characterisation the profile was built from (ISO 12647-2 coated).
OUTPUT_CONDITION = "FOGRA39"
OUTPUT_CONDITION_TEXT = "Offset printing, coated paper, ISO 12647-2:2004/Amd 1 (FOGRA39L)"
REGISTRY = "http://www.color.org"

MM = 72 / 25.4
MARK_FROM = 5 * MM  # crop marks start this far outside the trim…
MARK_TO = 10 * MM  # …and end here, at the edge of the page
MARK_WIDTH = 0.25  # points: a hairline, as print shops draw them
REGISTRATION = "/HandoutsAll"  # the colour space's resource name

RGB_SPACES = ("/DeviceRGB", "/RGB")


@cache
def _profiles() -> tuple[bytes, bytes, Any]:
    """The output profile's bytes, the sRGB profile's bytes and the transform between them."""
    from PIL import ImageCms

    output = PROFILE.read_bytes()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    transform = ImageCms.buildTransform(
        srgb, ImageCms.ImageCmsProfile(io.BytesIO(output)), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    return output, srgb.tobytes(), transform


@cache
def cmyk(red: float, green: float, blue: float) -> tuple[float, float, float, float]:
    """An sRGB colour (0–1) as CMYK (0–1): greys on the black plate only, other colours through
    the output profile."""
    if max(red, green, blue) - min(red, green, blue) < 1 / 255:
        return 0.0, 0.0, 0.0, round(1 - (red + green + blue) / 3, 4)
    from PIL import Image, ImageCms

    pixel = Image.new("RGB", (1, 1), tuple(round(255 * c) for c in (red, green, blue)))
    converted = ImageCms.applyTransform(pixel, _profiles()[2])
    assert converted is not None
    ink = converted.getpixel((0, 0))
    assert isinstance(ink, tuple)
    return tuple(round(c / 255, 4) for c in ink)  # type: ignore[return-value]


def finish(data: bytes, variant: str | None) -> bytes:
    """The PDF `data`, written by the engine for a print shop, finished as the module says;
    for a PDF/X variant, with its output intent."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        srgb = pdf.make_stream(_profiles()[1], N=3)
        done: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _finish_resources(pdf, page.obj, srgb, done)
            for annotation in page.obj.get("/Annots", []):
                appearance = annotation.get("/AP")
                if appearance is not None:
                    for stream in _appearance_streams(appearance):
                        _finish_stream(pdf, stream, srgb, done)
            _draw_crop_marks(pdf, page)
        if variant is not None and variant.startswith("pdf/x"):
            pdf.Root.OutputIntents = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
                OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
                OutputCondition=pikepdf.String(OUTPUT_CONDITION_TEXT),
                Info=pikepdf.String(OUTPUT_CONDITION_TEXT),
                RegistryName=pikepdf.String(REGISTRY),
                DestOutputProfile=pdf.make_stream(_profiles()[0], N=4))]))
        out = io.BytesIO()
        # deterministic_id: the same document gives the same bytes
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def _appearance_streams(appearance: Any) -> Iterator[pikepdf.Stream]:
    import pikepdf

    for value in appearance.values():
        if isinstance(value, pikepdf.Stream):
            yield value
        elif isinstance(value, pikepdf.Dictionary):
            yield from (v for v in value.values() if isinstance(v, pikepdf.Stream))


def _finish_stream(pdf: pikepdf.Pdf, stream: pikepdf.Object, srgb: pikepdf.Stream,
                   done: set[tuple[int, int]]) -> None:
    """One content stream (a form, a pattern, an appearance) and its resources, once."""
    if stream.objgen != (0, 0):
        if stream.objgen in done:
            return
        done.add(stream.objgen)
    _finish_resources(pdf, stream, srgb, done)


def _finish_resources(pdf: pikepdf.Pdf, holder: pikepdf.Object, srgb: pikepdf.Stream,
                      done: set[tuple[int, int]]) -> None:
    """The colours of `holder`'s content (a page or a form) and of everything it draws."""
    import pikepdf

    group = holder.get("/Group")
    if isinstance(group, pikepdf.Dictionary) and group.get("/CS") in RGB_SPACES:
        group.CS = pikepdf.Name.DeviceCMYK
    _rewrite_content(pdf, holder)
    resources = holder.get("/Resources")
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form":
            _finish_stream(pdf, xobject, srgb, done)
        elif xobject.get("/ColorSpace") == "/DeviceRGB":
            xobject.ColorSpace = pikepdf.Array([pikepdf.Name.ICCBased, srgb])
    for pattern in resources.get("/Pattern", {}).values():
        if pattern.get("/PatternType") == 1:
            _finish_stream(pdf, pattern, srgb, done)
        else:
            _tag_shading(pattern.get("/Shading"), srgb)
    for shading in resources.get("/Shading", {}).values():
        _tag_shading(shading, srgb)
    for state in resources.get("/ExtGState", {}).values():
        mask = state.get("/SMask")
        if isinstance(mask, pikepdf.Dictionary) and isinstance(mask.get("/G"), pikepdf.Stream):
            _finish_stream(pdf, mask.G, srgb, done)  # a soft mask's group, drawn in CMYK
            backdrop = mask.get("/BC")
            if isinstance(backdrop, pikepdf.Array) and len(backdrop) == 3:
                mask.BC = pikepdf.Array(cmyk(*(float(c) for c in backdrop)))
    for name, space in list(resources.get("/ColorSpace", {}).items()):
        if space in RGB_SPACES:
            resources.ColorSpace[name] = pikepdf.Array([pikepdf.Name.ICCBased, srgb])


def _tag_shading(shading: Any, srgb: pikepdf.Stream) -> None:
    import pikepdf

    if isinstance(shading, pikepdf.Object) and shading.get("/ColorSpace") in RGB_SPACES:
        shading.ColorSpace = pikepdf.Array([pikepdf.Name.ICCBased, srgb])


def _rewrite_content(pdf: pikepdf.Pdf, holder: pikepdf.Object) -> None:
    """`rg`/`RG` as `k`/`K`, and DeviceRGB set by `cs`/`CS` as DeviceCMYK, in the content of
    a page (all its streams) or a form."""
    import pikepdf

    is_page = holder.get("/Type") == "/Page"
    target = pikepdf.Page(holder) if is_page else holder
    if is_page and "/Contents" not in holder:
        return
    instructions = pikepdf.parse_content_stream(target)
    changed = False
    rgb_space = {"cs": False, "CS": False}  # whether fill / stroke colours are DeviceRGB
    rewritten: list[Any] = []
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            rewritten.append(instruction)
            continue
        operands: Any = instruction.operands
        operator = str(instruction.operator)
        if operator in ("rg", "RG") and len(operands) == 3:
            ink = cmyk(*(float(o) for o in operands))
            operator = "k" if operator == "rg" else "K"
            operands = [pikepdf.Object.parse(f"{c:g}".encode()) for c in ink]
            changed = True
        elif operator in ("cs", "CS") and operands and str(operands[0]) in RGB_SPACES:
            rgb_space[operator] = True
            operands = [pikepdf.Name.DeviceCMYK]
            changed = True
        elif operator in ("cs", "CS"):
            rgb_space[operator] = False
        elif operator in ("sc", "scn", "SC", "SCN") and len(operands) == 3 and rgb_space[
                "cs" if operator.islower() else "CS"]:
            operands = [pikepdf.Object.parse(f"{c:g}".encode())
                        for c in cmyk(*(float(o) for o in operands))]
            changed = True
        rewritten.append(pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator)))
    if not changed:
        return
    content = pikepdf.unparse_content_stream(rewritten)
    if is_page:
        holder.Contents = pdf.make_stream(content)
    else:
        holder.write(content)


def _registration_space(pdf: pikepdf.Pdf) -> pikepdf.Array:
    """/Separation /All: the colour that prints on every plate, for marks only."""
    import pikepdf

    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1],
                              N=1)
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All,
                          pikepdf.Name.DeviceCMYK, tint])


def _draw_crop_marks(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Eight hairlines at the trim box's corners, from MARK_FROM to MARK_TO outside it."""
    import pikepdf

    trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
    left, bottom, right, top = min(trim[0], trim[2]), min(trim[1], trim[3]), max(
        trim[0], trim[2]), max(trim[1], trim[3])
    lines = []
    for x, outward_x in ((left, -1), (right, 1)):
        for y, outward_y in ((bottom, -1), (top, 1)):
            lines.append((x + outward_x * MARK_FROM, y, x + outward_x * MARK_TO, y))
            lines.append((x, y + outward_y * MARK_FROM, x, y + outward_y * MARK_TO))
    paths = " ".join(f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l S" for x1, y1, x2, y2 in lines)
    resources = page.obj.get("/Resources")
    if resources is None:
        page.obj.Resources = resources = pikepdf.Dictionary()
    if "/ColorSpace" not in resources:
        resources.ColorSpace = pikepdf.Dictionary()
    resources.ColorSpace[REGISTRATION] = _registration_space(pdf)
    page.contents_add(pdf.make_stream(b"q"), prepend=True)
    page.contents_add(pdf.make_stream(
        (f"Q q /Artifact BMC {REGISTRATION} CS 1 SCN {MARK_WIDTH} w 0 J [] 0 d {paths} EMC Q")
        .encode()), prepend=False)
