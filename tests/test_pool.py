"""The build's signal handling (generator/batch/pool.py)."""

from __future__ import annotations

import os
import signal

from generator.batch import pool


def test_a_stop_while_the_handlers_are_put_back_goes_to_the_handler_put_back(monkeypatch):
    """TERM arriving just as a build ends (watch, mid-rebuild) once escaped as a bare Stop and
    a traceback; it belongs to the handler the build put back (watch's own: exit 143)."""
    received: list[int] = []
    earlier = signal.signal(signal.SIGTERM, lambda number, frame: received.append(number))
    real_signal = signal.signal
    exiting = False

    def put_back(number, handler):
        answer = real_signal(number, handler)
        if exiting and number == signal.SIGINT:  # the first handler put back, TERM's not yet
            os.kill(os.getpid(), signal.SIGTERM)
        return answer

    try:
        with pool.Signals():
            monkeypatch.setattr(pool.signal, "signal", put_back)
            exiting = True
        assert received == [signal.SIGTERM]
    finally:
        monkeypatch.undo()
        signal.signal(signal.SIGTERM, earlier)
