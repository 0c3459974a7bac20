"""Worker processes that die with their parent, and a parent that stops promptly on a signal.

Workers only render: they return bytes and never write a file, so a worker that outlives a
killed parent could do no harm, and none does: each one asks Linux to kill it when its parent
dies (PR_SET_PDEATHSIG) and, on any system, watches its parent and exits when it is gone.
Workers ignore Ctrl+C (the terminal sends it to them too): the parent decides. In the parent,
SIGINT, SIGTERM and SIGHUP raise `Stop`, except while a sheet's files are being put in place
(`Signals.critical`), where the signal waits for the end of the sheet's renames.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from types import FrameType

    Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers | None

T = TypeVar("T")
R = TypeVar("R")
PARENT_POLL = 0.2  # seconds between two looks at the parent, where PDEATHSIG is missing
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


class Stop(BaseException):
    """A signal asked the build to stop (BaseException: no `except Exception` keeps it)."""

    def __init__(self, signal_number: int):
        super().__init__(signal_number)
        self.signal_number = signal_number


class Signals:
    """Turn the stop signals into `Stop` in the main thread for the duration of a build."""

    def __init__(self) -> None:
        self._previous: dict[int, Handler] = {}
        self._critical = 0
        self._pending: int | None = None

    def __enter__(self) -> Signals:
        if threading.current_thread() is threading.main_thread():
            for number in STOP_SIGNALS:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        # A signal that arrives while the handlers are put back is kept, not raised inside
        # __exit__ (it would escape as a bare Stop after the build was done), and is sent
        # again to the handler put back: the stop goes to whoever runs the build (watch).
        self._critical += 1
        try:
            for number, previous in self._previous.items():
                signal.signal(number, previous)
        finally:
            self._critical -= 1
        if self._previous and self._pending:
            number, self._pending = self._pending, None
            signal.raise_signal(number)

    def _handle(self, number: int, frame: FrameType | None) -> None:
        if self._critical:
            self._pending = self._pending or number
            return
        raise Stop(number)

    @contextlib.contextmanager
    def critical(self) -> Iterator[None]:
        """A stop signal received inside waits until the block is done."""
        self._critical += 1
        try:
            yield
        finally:
            self._critical -= 1
        if not self._critical and self._pending:
            number, self._pending = self._pending, None
            raise Stop(number)


def die_with(parent: int) -> None:
    """Worker start-up: exit as soon as `parent` is gone; leave Ctrl+C to the parent.
    Public: the warm workers (warm.py) start with it too."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def run_in_pool(work: Callable[[T], R], tasks: list[T], jobs: int,
                broken: Callable[[T, BaseException], R]) -> Iterator[R]:
    """`work(task)` for every task in a pool of `jobs` processes, results in task order.

    A worker that dies (a crash in a library, the system out of memory) breaks the pool and
    every task in it: the task awaited is then tried again alone, and gives `broken(task,
    error)` if it kills that worker too; the tasks after it go on in a new pool. Leaving
    early (a signal, an exception in the caller) kills the workers at once: they hold nothing
    that needs saving."""
    from concurrent.futures.process import BrokenProcessPool

    remaining = list(tasks)
    while remaining:
        pool = _pool(min(jobs, len(remaining)))
        finished = False
        try:
            with born_ignoring_ctrl_c():
                futures = [pool.submit(work, task) for task in remaining]
            for index, (task, future) in enumerate(zip(remaining, futures, strict=True)):
                try:
                    result = future.result()
                except BrokenProcessPool:
                    kill(pool)
                    yield _alone(work, task, broken)
                    remaining = remaining[index + 1:]
                    break
                except Exception as error:  # pragma: no cover - work() returns its errors
                    result = broken(task, error)
                yield result
            else:
                remaining = []
                finished = True
        finally:
            if finished:
                try:
                    pool.shutdown(wait=True)
                except BaseException:
                    kill(pool)
                    raise
            else:
                kill(pool)


def _pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: WeasyPrint and its libraries must be imported afresh in each worker.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(
        "spawn"), initializer=die_with, initargs=(os.getpid(),))


def _alone(work: Callable[[T], R], task: T, broken: Callable[[T, BaseException], R]) -> R:
    """One task in a worker of its own: its result, or `broken` if it kills the worker."""
    pool = _pool(1)
    try:
        with born_ignoring_ctrl_c():
            future = pool.submit(work, task)
        try:
            return future.result()
        except Exception as error:
            return broken(task, error)
    finally:
        kill(pool)


@contextlib.contextmanager
def born_ignoring_ctrl_c() -> Iterator[None]:
    """Workers started here inherit an ignored SIGINT from their first instruction (Python
    keeps an inherited SIG_IGN), so a Ctrl+C during their start prints no traceback. Public:
    the warm workers (warm.py) are started in it too."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: workers ignore it once started
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers at once, and wait (a little) for them to be gone: they hold
    nothing that needs saving. Public for the warm workers (warm.py)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
