"""What every browser test shares: Debian's chromium driven by Playwright, offline, and the
WCAG rules axe-core checks (tests/test_web*.py, tests/test_studio_*.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package: `playwright install` cannot download
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NEEDS_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                    reason="chromium is not installed: sh scripts/dev.sh setup "
                                    "installs it")


def launched() -> Iterator[Any]:
    """A headless chromium for one test module (`yield from` it in a module fixture)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def free_port() -> int:
    """A port nobody listens on now, on 127.0.0.1 (the studio's address must know it)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def served(app: Any, port: int) -> Iterator[None]:
    """`app` served by uvicorn in a thread on 127.0.0.1:`port` until the generator is closed,
    then the preview's warm workers stopped (`yield from` it in a fixture)."""
    import threading
    import time

    import uvicorn

    from generator.studio import preview

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20  # a generous bound for starting, not a timing
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(20)
        preview.close(app)  # its warm workers, started by the first preview
