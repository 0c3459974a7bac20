"""Warm workers for `handouts watch`: the PDFs of a saved sheet made at the same time.

Each worker starts once, with the watch, and loads the PDF engine, the fonts and the
stylesheets then; after a save, the main process (warm too: Jinja, the sheet's model) renders
the HTML of the handouts that changed, and the workers turn it into PDFs, smallest first, so
that the facilitator's answer key is on disk before the full analysis. A handout goes back
to the worker that made it last, which kept its laid-out pages: an edit to the commented
correction lays out only the correction again (documents/pagegroups.py). Workers die with
the main process, whatever kills it (pool.py), and never write a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..documents.kinds import KINDS
from ..documents.pagegroups import PageKeeper
from ..options import BuildOptions
from ..sheet import locales
from .pool import born_ignoring_ctrl_c, die_with, kill
from .rendering import SheetTask, render_pdf, render_sheet, shared_renderer

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import ProcessPoolExecutor

    from .rendering import Output, PdfJob


Made = TypeVar("Made")  # what a worker's function gives for one job


def _warm_up(parent: int) -> None:
    """Worker start-up: die with the parent, then load the engine, every stylesheet, and the
    fonts and layout code each handout uses, by rendering the starter sheet's handouts once
    (a first render of a kind costs up to twice a later one)."""
    die_with(parent)
    renderer = shared_renderer()
    renderer.pages = PageKeeper()  # an edit lays out again only the page groups it changed
    with contextlib.suppress(Exception):  # a failure here shows again in the real render
        for name in {kind.stylesheet for kind in KINDS.values() if kind.stylesheet}:
            renderer.parse_ahead(name)
        text = locales.get("en").starter
        for token, value in (("{schema}", "schema.json"), ("{file}", "warm-up.yaml"),
                             ("{slug}", "warm-up"), ("{today}", dt.date.today().isoformat())):
            text = text.replace(token, value)
        options = BuildOptions()
        render_sheet(SheetTask(
            Path("warm-up.yaml"), text.encode("utf-8"),
            tuple((planned, "") for planned in options.planned()),
            Path(tempfile.gettempdir()), options))


def _reused() -> int:
    keeper = shared_renderer().pages
    return keeper.reused if keeper is not None else 0


class WarmPool:
    """`workers` processes kept between rebuilds; `render` gives each PDF as it is ready.

    Each worker has its own queue, so that a handout goes back to the worker that made it
    last: that worker kept its pages (documents/pagegroups.py), and lays out again only the
    part of a long handout that an edit changed."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._pools: list[ProcessPoolExecutor] = []
        self._home: dict[Path, int] = {}  # the worker that made each output last
        self.primed = False  # whether a sheet's pages were laid out ahead (when watch starts)

    def start(self) -> WarmPool:
        if not self._pools:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._home.clear()
            with born_ignoring_ctrl_c():
                self._pools = [ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_warm_up, initargs=(os.getpid(),))
                    for _ in range(self.workers)]
                # start every worker now, so that the first save finds them warm
                for pool in self._pools:
                    pool.submit(os.getpid).add_done_callback(lambda _: None)
        return self

    def close(self) -> None:
        if self._pools:
            for pool in self._pools:
                kill(pool)
            self._pools = []

    def __enter__(self) -> WarmPool:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _assign(self, jobs: list[PdfJob]) -> list[int]:
        """A worker for each job: the largest first, each to the worker that made it last
        when that one has no more to do than any other, else to the least busy (work
        counted as HTML length)."""
        load = [0] * self.workers
        chosen = [0] * len(jobs)
        for index in sorted(range(len(jobs)), key=lambda i: -len(jobs[i].html)):
            job = jobs[index]
            least = min(range(self.workers), key=lambda w: (load[w], w))
            home = self._home.get(job.output.path)
            worker = home if home is not None and load[home] == load[least] else least
            chosen[index] = worker
            load[worker] += len(job.html)
            self._home[job.output.path] = worker
        return chosen

    def render(self, jobs: list[PdfJob]) -> Iterator[tuple[PdfJob, tuple[Output, bytes,
                                                                          list[str]] | Exception]]:
        """Start the jobs now, each worker's smallest first (by the length of their HTML);
        the iterator gives each job with its result (or its exception), in the order they
        finish. A worker that dies fails the jobs not finished, and the workers start afresh
        for the next rebuild."""
        return self.run(jobs, render_pdf)

    def run(self, jobs: list[PdfJob], work: Callable[[PdfJob], Made]
            ) -> Iterator[tuple[PdfJob, Made | Exception]]:
        """`render` with another function of a job run on the workers (a module-level one:
        the studio's preview also turns the PDF into pictures there)."""
        from concurrent.futures.process import BrokenProcessPool

        self.start()
        ordered = sorted(jobs, key=lambda job: len(job.html))
        workers = self._assign(ordered)
        try:
            futures: dict[Future[Made], PdfJob] = {
                self._pools[worker].submit(work, job): job
                for job, worker in zip(ordered, workers, strict=True)}
        except BrokenProcessPool as error:
            self.close()
            return iter([(job, error) for job in ordered])
        return self._results(futures)

    def prime(self, jobs: list[PdfJob]) -> None:
        """Lay out these handouts now, on the workers that will make them next, and forget
        the PDFs: the workers keep the pages, so that the first save lays out only what it
        changed."""
        from concurrent.futures.process import BrokenProcessPool

        self.start()
        with contextlib.suppress(BrokenProcessPool):  # the next render starts afresh
            for job, worker in zip(jobs, self._assign(jobs), strict=True):
                self._pools[worker].submit(render_pdf, job)

    def reused(self) -> list[int]:
        """How many page groups each worker has reused so far (for tests)."""
        self.start()
        return [pool.submit(_reused).result() for pool in self._pools]

    def _results(self, futures: dict[Future[Made], PdfJob]) -> Iterator[
            tuple[PdfJob, Made | Exception]]:
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
