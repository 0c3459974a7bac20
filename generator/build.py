"""The build: load → validate → build the view → render HTML → render PDF → write atomically.

Each sheet is rendered completely in memory before anything is written, so a sheet that fails
leaves its earlier outputs exactly as they were. A bad sheet does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import HandoutsError, OutputError, Problem, RenderError, SheetError
from .kinds import HandoutKind, select
from .options import BuildOptions


@dataclass(frozen=True)
class Output:
    path: Path
    kind: HandoutKind
    pages: int | None = None


@dataclass
class BuildResult:
    written: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[HandoutsError] = field(default_factory=list)
    sheets: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def output_path(output_dir: Path, slug: str, kind: HandoutKind, fmt: str) -> Path:
    """DIR/S/S-KIND.EXT; the slug is validated, and the result must stay inside DIR."""
    target = output_dir / slug / f"{slug}-{kind.name}.{fmt}"
    if not target.resolve().is_relative_to(output_dir.resolve()):
        raise OutputError(f"{slug}: this slug would write outside {output_dir}")
    return target


def build(
    paths: list[Path],
    output_dir: Path,
    options: BuildOptions | None = None,
    *,
    on_output: Callable[[Output], None] | None = None,
) -> BuildResult:
    """Build the handouts of every sheet found in `paths` into `output_dir`."""
    options = options or BuildOptions()
    from .context import build_view
    from .loader import find_sheets, load_sheet
    from .render import Renderer
    from .writer import prepare_folder, write_atomic

    result = BuildResult()
    files, missing = find_sheets(paths)
    result.failures.extend(SheetError([problem]) for problem in missing)
    kinds = select(list(options.only))
    renderer = Renderer()
    slugs: dict[str, Path] = {}
    for file in files:
        result.sheets += 1
        try:
            sheet = load_sheet(file, max_bytes=options.max_bytes)
            if sheet.slug in slugs:
                raise SheetError([Problem(str(file), None, None, "slug", f"'{sheet.slug}' is "
                                          f"also the slug of {slugs[sheet.slug]}: give each "
                                          "sheet its own slug")])
            slugs[sheet.slug] = file
            view = build_view(sheet)
            rendered: list[tuple[Output, bytes]] = []
            warnings: list[str] = []
            for kind in kinds:
                target = output_path(output_dir, sheet.slug, kind, options.fmt)
                html = renderer.html(kind, view, options.paper, options.print_shop)
                if options.fmt == "html":
                    rendered.append((Output(target, kind), html.encode("utf-8")))
                    continue
                pdf = renderer.pdf(html, time_limit=options.time_limit,
                                   variant=options.pdf_variant, pictures=view.pictures)
                warnings.extend(f"{file}: {target.name}: {w}" for w in pdf.warnings)
                rendered.append((Output(target, kind, pdf.pages), pdf.data))
            result.warnings.extend(warnings)
            if options.strict and warnings:
                raise RenderError(f"{file}: not written, because of the warnings above "
                                  "(--strict)")
            prepare_folder(output_dir / sheet.slug)
            for output, data in rendered:
                write_atomic(output.path, data)
                result.written.append(output)
                if on_output:
                    on_output(output)
        except HandoutsError as error:
            result.failures.append(error)
    return result
