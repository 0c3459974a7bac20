"""The PDF engine's surroundings while it lays out and writes: its messages (heard,
reworded, capped), a time limit it cannot swallow, and stable identifiers and dates, so
that the same sheet makes the same bytes. Split from render.py, which uses them."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import os
import re
import signal
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from .tabletags import join_split_tables

MAX_ENGINE_MESSAGE = 300  # characters of one message of the PDF engine that are shown


@dataclass
class RenderedPdf:
    data: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)


class _Heard(logging.Handler):
    """The engine's warnings while a stylesheet is parsed, word for word."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def capped(message: str, most: int = MAX_ENGINE_MESSAGE) -> str:
    """A message of the PDF engine cut to `most` characters, saying how many were left out:
    the engine quotes whole `data:` URIs, and a broken picture made a 1.1-million-character
    warning line."""
    if len(message) <= most:
        return message
    return f"{message[:most]}… ({len(message) - most:,} more characters)"


class _WarningCollector(logging.Handler):
    """WeasyPrint's warnings and errors, reworded for people."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self._seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        """Each message once per document (WeasyPrint reports a missing glyph at every
        layout attempt of its line)."""
        self.add(self.reworded(record.getMessage()))

    def add(self, message: str) -> None:
        if message not in self._seen:
            self._seen.add(message)
            self.messages.append(message)

    @staticmethod
    def reworded(message: str) -> str:
        return capped(_WarningCollector._reworded(message))

    @staticmethod
    def _reworded(message: str) -> str:
        if message.startswith("Failed to render SVG image"):
            message = "a pictogram could not be drawn and was left out"
        refused = re.search(r"does not load outside resources \((.*?)\)", message)
        missing = re.search(r"unsupported by fonts: (\S+) \((U\+[0-9A-F]+)\)", message)
        if refused:
            message = f"an outside resource was refused and left out: {refused.group(1)}"
        elif missing:
            message = (f"the character {missing.group(1)} ({missing.group(2)}) is in none of "
                       "the installed fonts and prints as an empty box: replace it, or install "
                       "a font that has it")
        else:
            message = f"the PDF engine reported: {message}"
        return message


def _stable_identifiers(document: Any, pdf: Any) -> None:
    """WeasyPrint names tagged table headers after Python object ids, which change from run
    to run; number them in order instead, so the same sheet always gives the same bytes.
    Likewise PDF/X-4's document ID, a random UUID: made from the document's content. And a
    table cut by a page turn is tagged as one table again (tabletags.py)."""
    import pydyf

    join_split_tables(pdf)
    _stable_document_id(pdf)

    names: dict[str, str] = {}
    elements = [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)]
    for element in elements:
        if "ID" in element:
            old = str(element["ID"].string)
            element["ID"] = pydyf.String(names.setdefault(old, f"h{len(names) + 1}"))
    for element in elements:
        attributes = element.get("A")
        if isinstance(attributes, pydyf.Dictionary) and "Headers" in attributes:
            attributes["Headers"] = pydyf.Array(
                pydyf.String(names.get(str(h.string), str(h.string)))
                for h in attributes["Headers"])


def _stable_document_id(pdf: Any) -> None:
    """The `xmpMM:DocumentID` that WeasyPrint writes for PDF/X-4 (a random UUID), derived
    from everything else the PDF streams hold: the same document gets the same ID, another
    document another one."""
    import pydyf

    streams = [obj for obj in pdf.objects if isinstance(obj, pydyf.Stream)]
    metadata = [stream for stream in streams if stream.extra.get("Type") == "/Metadata"
                and any(b"xmp.did:" in part for part in stream.stream
                        if isinstance(part, bytes))]
    if not metadata:
        return
    digest = hashlib.sha256()
    for stream in streams:
        for part in stream.stream:
            if stream in metadata and isinstance(part, bytes):
                part = re.sub(rb"xmp\.did:[0-9a-f-]+", b"", part)
            digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
    document_id = f"xmp.did:{uuid.UUID(bytes=digest.digest()[:16], version=4)}".encode()
    for stream in metadata:
        stream.stream = [re.sub(rb"xmp\.did:[0-9a-f-]+", document_id, part)
                         if isinstance(part, bytes) else part for part in stream.stream]


@contextlib.contextmanager
def _source_date(created: str | None) -> Iterator[None]:
    """Font subsets (fontTools, for the colour emoji) stamp their `head` table with the time
    of the build unless SOURCE_DATE_EPOCH is set: set it from the document's creation date
    (the sheet's date) while the PDF is written, so the same sheet gives the same bytes."""
    if "SOURCE_DATE_EPOCH" in os.environ or not created:
        yield
        return
    try:
        day = datetime.date.fromisoformat(created[:10])
    except ValueError:
        yield
        return
    moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


class _TimeUp(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` inside WeasyPrint
    swallows it."""


RETRY_SECONDS = 0.05


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Stop a render that takes longer than `seconds` (main thread only, where signals work).

    WeasyPrint draws each SVG inside `except BaseException`, which swallows one alarm (and
    one Ctrl+C). So once the time is up, or Ctrl+C was pressed, the alarm keeps firing every
    RETRY_SECONDS until the render has stopped: the next raise outside that block ends it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    state = {"expired": False, "interrupted": False}

    def time_up(signum: int, frame: FrameType | None) -> None:
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        if state["interrupted"]:
            raise KeyboardInterrupt
        state["expired"] = True
        raise _TimeUp

    def interrupt(signum: int, frame: FrameType | None) -> None:
        state["interrupted"] = True
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, time_up)
    previous_interrupt = signal.getsignal(signal.SIGINT)
    if previous_interrupt is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupt)
    if seconds:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
        if state["interrupted"]:  # swallowed inside the engine: still stop
            raise KeyboardInterrupt
        if state["expired"]:
            raise _TimeUp
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if previous_interrupt is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous_interrupt)
