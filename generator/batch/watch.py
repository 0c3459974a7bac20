"""`handouts watch`: rebuild on save, in one warm process (fonts and templates stay loaded, so
a one-line edit is back in a fraction of a second).

The watch survives what happens to the folders: a symbolic link loop among the files is
ignored, and a folder that is renamed or deleted, then created again, is watched again
(the system's watch follows the old folder, so each folder's identity is checked twice a
second and the watch restarted when it changed).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import Interrupted
from ..paths import asset
from ..sheet import locales
from .build import default_jobs
from .rendering import forget_built_in_files

if TYPE_CHECKING:  # pragma: no cover
    from watchfiles import Change

    from .warm import WarmPool

WATCHED = {".yaml", ".yml", ".png", ".jpg", ".jpeg", ".svg", ".html", ".css", ".toml", ".ttf",
           ".otf", ".woff", ".woff2"}
CHECK_MS = 500
# The watcher looks for changes every STEP_MS and hands them over once a look finds no new
# one (an editor's save is one burst of events), at most DEBOUNCE_MS after the first: a
# save is seen 10 to 20 ms after it, not after a fixed wait.
STEP_MS = 10
DEBOUNCE_MS = 150
Identities = dict[Path, tuple[int, int] | None]  # which folder is at each path


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at this path now (None when there is none)."""
    try:
        info = os.stat(folder)
    except OSError:
        return None
    present = os.path.isdir(folder) or os.path.isfile(folder)  # a folder, or handouts.toml
    return (info.st_dev, info.st_ino) if present else None


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def warm_workers() -> WarmPool:
    """One warm PDF worker per core, for the life of the watch (see warm.py)."""
    from .warm import WarmPool

    return WarmPool(default_jobs())


def watch_and_build(paths: list[Path], output_dir: Path, rebuild: Callable[[], bool],
                    extra: tuple[Path, ...] = ()) -> None:
    """Run `rebuild` now and after every change under `paths`, the templates and styles, or
    the `extra` paths (handouts.toml and the theme folder). The system's watch is started
    before the first build and "watching" said once it runs: a save made during that build,
    or the instant after the message, is rebuilt too."""
    from watchfiles import watch

    # handouts' own files, watched for whoever works on them (not listed to the user)
    built_in = {asset("templates"), asset("styles"),
                *(Path(os.path.abspath(folder)) for folder in locales.folders()
                  if folder.is_dir())}
    folders = sorted({path if path.is_dir() or not path.suffix else path.parent
                      for path in paths} | built_in
                     | {Path(os.path.abspath(path)) for path in extra})
    output = os.path.abspath(output_dir)

    def relevant(change: Change, changed: str) -> bool:
        """Sheets, pictures, templates and styles; never our own outputs or other files.
        Decided on the name alone: a link that loops is only a name here."""
        path = os.path.abspath(changed)
        return os.path.splitext(path)[1].lower() in WATCHED and not _inside(path, output)

    def started() -> tuple[Identities, Generator[set[tuple[Change, str]], None, None]]:
        """The system's watch of the folders there now, running when this returns: it keeps
        every change from then on until it is read, also while a rebuild runs. (watchfiles
        starts it at the generator's first step, which returns within CHECK_MS; what that
        step saw happened before the rebuild that follows, so it is not rebuilt twice.)"""
        identities = {folder: _identity(folder) for folder in folders}
        present = [str(folder) for folder, known in identities.items() if known]
        changes = watch(*present, debounce=DEBOUNCE_MS, step=STEP_MS, watch_filter=relevant,
                        rust_timeout=CHECK_MS, yield_on_timeout=True, raise_interrupt=True)
        seen(next(changes))
        return identities, changes

    def seen(found: set[tuple[Change, str]]) -> None:
        """One of handouts' own files changed: the caches of their text are dropped."""
        if any(_inside(os.path.abspath(path), str(folder))
               for _, path in found for folder in built_in):
            forget_built_in_files()

    def follow() -> None:
        identities, changes = started()
        rebuild()
        shown = [str(folder) for folder in folders if folder not in built_in]
        click.echo(f"watching {', '.join(shown)} (Ctrl+C to stop)")
        while True:
            restart = False
            for found in changes:
                restart = {folder: _identity(folder) for folder in folders} != identities
                seen(found)
                if restart:
                    break
                if found:
                    rebuild()
            if not restart:
                return
            # a folder was renamed, deleted or created again: the new watch runs before the
            # old one stops, and before the rebuild, so no save in between is missed
            before, old = identities, changes
            identities, changes = started()
            old.close()
            rebuild()
            for folder in folders:
                if identities[folder] and identities[folder] != before[folder]:
                    click.echo(f"{folder} was replaced: watching the new "
                               f"{'folder' if folder.is_dir() else 'file'}")

    with _stops() as received:
        try:
            follow()
        except KeyboardInterrupt:
            if received:  # TERM or HUP (an editor or a service stopping it), not Ctrl+C
                name = signal.Signals(received[-1]).name
                raise Interrupted(f"watch stopped by {name}: every file written is complete",
                                  received[-1]) from None
        except Interrupted as stopped:
            if stopped.signal_number != signal.SIGINT:
                raise
            # Ctrl+C during a rebuild: the usual way to stop a watch, so exit 0 as when idle
            # (the sheet being rebuilt keeps its earlier handouts, all of them)
            click.echo(f"{stopped}; the sheet being rebuilt keeps its earlier handouts",
                       err=True)


@contextlib.contextmanager
def _stops() -> Iterator[list[int]]:
    """TERM and HUP stop the watch as Ctrl+C does, the workers closed on the way out (left to
    their default, they killed it at once, and the system's resource tracker complained of
    leaked semaphores). The file watcher turns whatever its signal handlers raise into
    KeyboardInterrupt, so which signal came is noted here."""
    received: list[int] = []

    def handle(number: int, frame: object) -> None:
        received.append(number)
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, handle)
                for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
