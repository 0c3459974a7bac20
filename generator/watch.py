"""`handouts watch`: rebuild on save, in one warm process (fonts and templates stay loaded, so
a one-line edit is back in a fraction of a second)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from .paths import asset

WATCHED = {".yaml", ".yml", ".png", ".jpg", ".jpeg", ".svg", ".html", ".css"}


def watch_and_build(paths: list[Path], output_dir: Path, rebuild: Callable[[], bool]) -> None:
    """Run `rebuild` now and after every change under `paths` or the templates and styles."""
    from watchfiles import watch

    rebuild()
    folders = {path if path.is_dir() else path.parent for path in paths}
    folders |= {asset("templates"), asset("styles")}
    output = output_dir.resolve()

    def relevant(change, changed: str) -> bool:
        """Sheets, pictures, templates and styles; never our own outputs or other files."""
        path = Path(changed)
        return path.suffix.lower() in WATCHED and not path.resolve().is_relative_to(output)

    click.echo(f"watching {', '.join(sorted(map(str, folders)))} (Ctrl+C to stop)")
    try:
        for _changes in watch(*folders, debounce=150, step=50, watch_filter=relevant):
            rebuild()
    except KeyboardInterrupt:
        pass
