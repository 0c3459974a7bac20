"""A print shop's preflight of a PDF/X-4 file, as far as it can be checked here (no veraPDF, no
Acrobat): what `--print-shop --pdf-variant pdf/x-4` promises, read back from the file.

Checked: the PDF version (1.6 at least) and the PDF/X-4 version key in the XMP metadata;
`/Trapped` True or False; one GTS_PDFX output intent with an embedded CMYK output profile
(class `prtr`) and its condition named; on every page a TrimBox inside a BleedBox inside the
MediaBox; every colour of every content stream (pages, forms, tiling patterns, annotation
appearances) and every picture, gradient and transparency group in a colour space other than
DeviceRGB (CMYK, gray, Lab, ICC-based and separations are allowed; so are DeviceRGB colours
set through an ICC-based resource); the crop marks in registration colour (/Separation /All)
on every page; every font embedded; no transfer function (PDF/X forbids them); no printed
annotation other than a printer's mark inside the bleed box.
Not checked: the profile's tables, overprint settings, image resolution, ink coverage, the
XMP schema as a whole, and everything else ISO 15930-7 says; see docs/pdf.md ("Print shop").
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

RGB_SPACES = ("/DeviceRGB", "/RGB")
PAINTS = ("rg", "RG")
ANNOTATION_PRINT_FLAG = 4
PRINTER_MARKS = ("/PrinterMark", "/TrapNet")


@dataclass
class Preflight:
    """What a preflight found: `problems`, each saying where (page, object); `colours`,
    how many times each colour operator or space was met (for tests and reports)."""

    problems: list[str] = field(default_factory=list)
    colours: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.problems

    def count(self, what: str) -> None:
        self.colours[what] = self.colours.get(what, 0) + 1


def preflight(data: bytes) -> Preflight:
    """Check the PDF bytes `data` as a PDF/X-4 file for a CMYK press (see the module)."""
    import pikepdf

    report = Preflight()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _check_document(pdf, report)
        seen: set[tuple[int, int]] = set()
        for number, page in enumerate(pdf.pages, start=1):
            where = f"page {number}"
            _check_boxes(page.obj, where, report)
            _check_content(page.obj, where, report, seen, page=page)
            if not _registration_marks(page):
                report.problems.append(f"{where}: no crop marks in registration colour "
                                       "(/Separation /All)")
            for annotation in page.obj.get("/Annots", []):
                _check_annotation(annotation, page.obj, where, report, seen)
    return report


def _check_document(pdf: pikepdf.Pdf, report: Preflight) -> None:
    import pikepdf

    if tuple(int(p) for p in pdf.pdf_version.split(".")) < (1, 6):
        report.problems.append(f"PDF version {pdf.pdf_version}: PDF/X-4 needs 1.6 at least")
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        version = meta.get("pdfxid:GTS_PDFXVersion")
    if version != "PDF/X-4":
        report.problems.append(f"XMP pdfxid:GTS_PDFXVersion is {version!r}, not 'PDF/X-4'")
    if str(pdf.docinfo.get("/Trapped")) not in ("/True", "/False"):
        report.problems.append("the document information has no /Trapped True or False")
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        report.problems.append(f"{len(intents)} GTS_PDFX output intents (PDF/X needs one)")
        return
    intent = intents[0]
    if not str(intent.get("/OutputConditionIdentifier", "")):
        report.problems.append("the output intent names no OutputConditionIdentifier")
    profile = intent.get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        report.problems.append("the output intent has no embedded ICC profile "
                               "(DestOutputProfile)")
        return
    header = profile.read_bytes()[:128]
    if header[12:16] != b"prtr" or header[16:20] != b"CMYK" or profile.get("/N") != 4:
        report.problems.append("the output intent's profile is not a CMYK output (prtr) "
                               "profile")


def _box(obj: pikepdf.Dictionary, name: str) -> tuple[float, float, float, float] | None:
    box = obj.get(name)
    if box is None:
        return None
    x1, y1, x2, y2 = (float(v) for v in box)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = 0.01) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _check_boxes(page: pikepdf.Dictionary, where: str, report: Preflight) -> None:
    media, bleed, trim = (_box(page, n) for n in ("/MediaBox", "/BleedBox", "/TrimBox"))
    if trim is None:
        report.problems.append(f"{where}: no TrimBox")
    if bleed is None:
        report.problems.append(f"{where}: no BleedBox")
    if media is None or trim is None or bleed is None:
        return
    if not _inside(trim, bleed) or not _inside(bleed, media):
        report.problems.append(f"{where}: the TrimBox {trim} is not inside the BleedBox "
                               f"{bleed} inside the MediaBox {media}")


def _space_name(space: Any, resources: Any) -> str:
    """The family of a colour space operand (a name, maybe a resource's name)."""
    import pikepdf

    if isinstance(space, pikepdf.Name) and resources is not None:
        named = resources.get("/ColorSpace", {}).get(str(space))
        if named is not None:
            space = named
    if isinstance(space, pikepdf.Array):
        family = str(space[0])
        if family in ("/Separation", "/DeviceN", "/Indexed") and len(space) > 2:
            base = space[1] if family == "/Indexed" else space[2]
            if family == "/Separation":
                return f"/Separation{space[1]}" if str(base) not in RGB_SPACES else "/DeviceRGB"
            return family if str(base) not in RGB_SPACES else "/DeviceRGB"
        return family
    return str(space)


def _check_content(holder: Any, where: str, report: Preflight, seen: set[tuple[int, int]],
                   page: pikepdf.Page | None = None) -> None:
    """Every colour operator of `holder`'s content and of all it draws, once per object."""
    import pikepdf

    if holder.objgen != (0, 0):
        if holder.objgen in seen:
            return
        seen.add(holder.objgen)
    resources = holder.get("/Resources")
    group = holder.get("/Group")
    if isinstance(group, pikepdf.Dictionary) and str(group.get("/CS")) in RGB_SPACES:
        report.problems.append(f"{where}: a transparency group blends in DeviceRGB")
    if page is None or "/Contents" in page.obj:
        target = page if page is not None else holder
        for instruction in pikepdf.parse_content_stream(target):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                space = instruction.iimage.obj.get("/CS", instruction.iimage.obj.get(
                    "/ColorSpace"))
                if _space_name(space, resources) in RGB_SPACES:
                    report.problems.append(f"{where}: an inline picture in DeviceRGB")
                continue
            operator = str(instruction.operator)
            if operator in PAINTS:
                report.count(operator)
                colour = " ".join(f"{float(o):g}" for o in instruction.operands)
                report.problems.append(f"{where}: DeviceRGB colour `{colour} {operator}`")
            elif operator in ("k", "K", "g", "G"):
                report.count(operator)
            elif operator in ("cs", "CS"):
                name = _space_name(instruction.operands[0], resources)
                report.count(f"{operator} {name}")
                if name in RGB_SPACES:
                    report.problems.append(f"{where}: `{operator}` sets DeviceRGB")
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for name, xobject in resources.get("/XObject", {}).items():
        inside = f"{where}, {'form' if xobject.get('/Subtype') == '/Form' else 'picture'} {name}"
        if xobject.get("/Subtype") == "/Form":
            _check_content(xobject, inside, report, seen)
        elif _space_name(xobject.get("/ColorSpace"), resources) in RGB_SPACES:
            report.problems.append(f"{inside}: a picture in DeviceRGB")
    for name, pattern in resources.get("/Pattern", {}).items():
        if pattern.get("/PatternType") == 1:
            _check_content(pattern, f"{where}, pattern {name}", report, seen)
        elif _space_name(pattern.Shading.get("/ColorSpace"), None) in RGB_SPACES:
            report.problems.append(f"{where}, pattern {name}: a gradient in DeviceRGB")
    for name, shading in resources.get("/Shading", {}).items():
        if _space_name(shading.get("/ColorSpace"), None) in RGB_SPACES:
            report.problems.append(f"{where}, shading {name}: a gradient in DeviceRGB")
    for name, state in resources.get("/ExtGState", {}).items():
        mask = state.get("/SMask")
        if isinstance(mask, pikepdf.Dictionary) and isinstance(mask.get("/G"), pikepdf.Stream):
            _check_content(mask.G, f"{where}, soft mask {name}", report, seen)
        for key in ("/TR", "/TR2"):
            if key in state and str(state[key]) != "/Default":
                report.problems.append(f"{where}, graphics state {name}: a transfer function")
    for name, font in resources.get("/Font", {}).items():
        if not _embedded(font):
            report.problems.append(f"{where}: the font {name} "
                                   f"({font.get('/BaseFont', '?')}) is not embedded")


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _registration_marks(page: pikepdf.Page) -> bool:
    """Whether the page's own content strokes in a /Separation /All space (the crop marks;
    nothing else of a handout is drawn in it)."""
    import pikepdf

    resources: Any = page.obj.get("/Resources", {})
    spaces: Any = resources.get("/ColorSpace", {})
    names = {str(n) for n, s in spaces.items() if isinstance(s, pikepdf.Array)
             and str(s[0]) == "/Separation" and str(s[1]) == "/All"}
    used = {str(i.operands[0]) for i in pikepdf.parse_content_stream(page)
            if not isinstance(i, pikepdf.ContentStreamInlineImage)
            and str(i.operator) == "CS"}
    return bool(names & used)


def _check_annotation(annotation: Any, page: Any, where: str, report: Preflight,
                      seen: set[tuple[int, int]]) -> None:
    """A printed annotation inside the bleed box must be a printer's mark; appearances are
    checked as content."""
    subtype = str(annotation.get("/Subtype"))
    printed = int(annotation.get("/F", 0)) & ANNOTATION_PRINT_FLAG
    bleed = _box(page, "/BleedBox") or _box(page, "/MediaBox")
    rect = _box(annotation, "/Rect")
    overlaps = bleed is not None and rect is not None and not (
        rect[2] < bleed[0] or rect[0] > bleed[2] or rect[3] < bleed[1] or rect[1] > bleed[3])
    if printed and overlaps and subtype not in PRINTER_MARKS:
        report.problems.append(f"{where}: a printed {subtype} annotation inside the bleed box")
    for stream in _appearances(annotation.get("/AP")):
        _check_content(stream, f"{where}, {subtype} annotation", report, seen)


def _appearances(appearance: Any) -> Iterator[Any]:
    import pikepdf

    if not isinstance(appearance, pikepdf.Dictionary):
        return
    for value in appearance.values():
        if isinstance(value, pikepdf.Stream):
            yield value
        elif isinstance(value, pikepdf.Dictionary):
            yield from (v for v in value.values() if isinstance(v, pikepdf.Stream))
