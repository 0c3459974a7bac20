"""Warm workers for `handouts watch`: the PDFs of a saved sheet made at the same time.

Each worker starts once, with the watch, and loads the PDF engine, the fonts and the
stylesheets then; after a save, the main process (warm too: Jinja, the sheet's model) renders
the HTML of the handouts that changed, and the workers turn it into PDFs, smallest first, so
that the facilitator's answer key is on disk before the full analysis. Workers die with the
main process, whatever kills it (pool.py), and never write a file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import ProcessPoolExecutor

    from .build import Output, PdfJob

    _Made = tuple[Output, bytes, list[str]]  # what render_pdf gives for one job


def _warm_up(parent: int) -> None:
    """Worker start-up: die with the parent, then load the engine, every stylesheet, and the
    fonts and layout code each handout uses, by rendering the starter sheet's handouts once
    (a first render of a kind costs up to twice a later one)."""
    import datetime as dt
    import tempfile
    from pathlib import Path

    from ..documents.kinds import KINDS
    from ..options import BuildOptions
    from ..sheet import locales
    from .build import SheetOutcome, SheetTask, _render_into, _shared_renderer
    from .pool import _die_with

    _die_with(parent)
    renderer = _shared_renderer()
    with contextlib.suppress(Exception):  # a failure here shows again in the real render
        for name in {kind.stylesheet for kind in KINDS.values() if kind.stylesheet}:
            renderer._parsed(renderer.stylesheet(name))
        text = locales.get("en").starter
        for token, value in (("{schema}", "schema.json"), ("{file}", "warm-up.yaml"),
                             ("{slug}", "warm-up"), ("{today}", dt.date.today().isoformat())):
            text = text.replace(token, value)
        options = BuildOptions()
        _render_into(SheetOutcome(SheetTask(
            Path("warm-up.yaml"), text.encode("utf-8"),
            tuple((planned, "") for planned in options.planned()),
            Path(tempfile.gettempdir()), options)))


class WarmPool:
    """`workers` processes kept between rebuilds; `render` gives each PDF as it is ready."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> WarmPool:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from .pool import _born_ignoring_ctrl_c

            with _born_ignoring_ctrl_c():
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_warm_up, initargs=(os.getpid(),))
                # start every worker now, so that the first save finds them warm
                for future in [self._pool.submit(os.getpid) for _ in range(self.workers)]:
                    future.add_done_callback(lambda _: None)
        return self

    def close(self) -> None:
        if self._pool is not None:
            from .pool import _kill

            _kill(self._pool)
            self._pool = None

    def __enter__(self) -> WarmPool:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def render(self, jobs: list[PdfJob]) -> Iterator[tuple[PdfJob, tuple[Output, bytes,
                                                                          list[str]] | Exception]]:
        """Start the jobs now, smallest first (by the length of their HTML); the iterator
        gives each job with its result (or its exception), in the order they finish. A
        worker that dies fails the jobs not finished, and the pool starts afresh for the
        next rebuild."""
        from concurrent.futures.process import BrokenProcessPool

        from .build import render_pdf

        self.start()
        assert self._pool is not None
        ordered = sorted(jobs, key=lambda job: len(job.html))
        try:
            futures: dict[Future[_Made], PdfJob] = {self._pool.submit(render_pdf, job): job
                                             for job in ordered}
        except BrokenProcessPool as error:
            self.close()
            return iter([(job, error) for job in ordered])
        return self._results(futures)

    def _results(self, futures: dict[Future[_Made], PdfJob]) -> Iterator[
            tuple[PdfJob, tuple[Output, bytes, list[str]] | Exception]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        pending = set(futures)
        broken = False
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: len(futures[f].html)):
                    try:
                        yield futures[future], future.result()
                    except BrokenProcessPool as error:
                        broken = True
                        yield futures[future], error
                    except Exception as error:
                        yield futures[future], error
        finally:
            if broken or pending:  # a dead worker, or the caller stopped: start afresh
                self.close()
