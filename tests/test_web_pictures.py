"""Pictograms in a real browser (Debian's chromium, driven by Playwright, offline).

Each hostile SVG is first opened raw, as a file a browser is given: it does run a script or
send a request, which proves the probe sees them. Then `handouts check` refuses it at the
sheet's line; and, as a second line, with the loader's check switched off, the web edition
still leaves it out. Every SVG the web edition publishes, opened directly at its own address,
runs no script and sends no request; and the site's `_headers` policy, applied by a server,
keeps even a raw hostile SVG from running anything.
"""

from __future__ import annotations

import base64
import functools
import io
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from tests.browser import CHROMIUM
from tests.conftest import DATA, SAMPLE
from tests.test_web import browser, playwright_api  # noqa: F401

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed: "
                                "sh scripts/dev.sh setup installs it")

OPEN = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
XHTML = "http://www.w3.org/1999/xhtml"
# name → the SVG; each would fetch /leak-… (and set window.ran, or its parent's) if it could.
HOSTILE = {
    "iframe.svg": OPEN + f'<foreignObject width="40" height="40"><iframe xmlns="{XHTML}" '
    'src="jav&#x61;script:fetch(\'/leak-iframe\');parent.ran=1"/></foreignObject></svg>',
    "bare-iframe.svg": OPEN + f'<iframe xmlns="{XHTML}" '
    'src="jav&#x61;script:fetch(\'/leak-bare\');parent.ran=1"/></svg>',
    "srcdoc.svg": OPEN + f'<foreignObject width="40" height="40"><iframe xmlns="{XHTML}" '
    'srcdoc="&lt;script&gt;fetch(\'/leak-srcdoc\');parent.ran=1&lt;/script&gt;"/>'
    '</foreignObject></svg>',
    "script.svg": OPEN + "<script>fetch('/leak-script');window.ran=1</script></svg>",
    "onload.svg": OPEN.replace(">", " onload=\"window.ran=1;fetch('/leak-onload')\">", 1)
    + "</svg>",
    "style.svg": OPEN + '<rect width="40" height="40" style="fill:\\75 rl(/leak-style#g)"/>'
    "</svg>",
    "import.svg": OPEN + '<style>@\\69mport "/leak-import";</style><rect width="4" '
    'height="4"/></svg>',
}
# name → the message `check` says at the pictogram's line (after "'NAME' ").
SAVE_AGAIN = "save the picture again from your drawing program as plain SVG"
REFUSED = {
    "iframe.svg": "holds a <foreignObject> element: pictograms may only draw shapes",
    "bare-iframe.svg": f"holds an element of another language (<iframe>, from {XHTML}): "
                       + SAVE_AGAIN,
    "srcdoc.svg": "holds a <foreignObject> element: pictograms may only draw shapes",
    "script.svg": "holds a <script> element: pictograms may only draw shapes",
    "onload.svg": "has a script attribute (onload): pictograms may only draw shapes",
    "style.svg": "points at another file or address (/leak-style#g): a pictogram must hold "
                 "everything it draws",
    "import.svg": "has a style that imports another file (@import): remove it",
}


def small_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


# Allowed, and using what the allow-list allows: gradients and url(#…), a <style> element,
# <use>, text, a filter, and an embedded PNG.
ALLOWED = {
    "gradient.svg": OPEN + '<defs><linearGradient id="g"><stop offset="0" stop-color="#165a72"/>'
    '<stop offset="1" stop-color="#f2b134"/></linearGradient><rect id="r" width="20" '
    'height="20"/></defs><style>.a { stroke: #1f2a33; stroke-width: 2px }</style>'
    '<rect class="a" width="40" height="40" fill="url(#g)"/><use href="#r" x="10" y="10" '
    'style="fill: rgb(255 255 255 / 50%)"/></svg>',
    "embedded.svg": OPEN + '<filter id="f"><feGaussianBlur stdDeviation="1"/></filter>'
    f'<image href="data:image/png;base64,{base64.b64encode(small_png()).decode()}" '
    'width="20" height="20" filter="url(#f)"/><text x="2" y="38" font-size="8">Hi</text></svg>',
}


def _matches(pattern: str, path: str) -> bool:
    """A `_headers` rule's path against a request's, as Netlify and Cloudflare Pages read it:
    `*` is anything (a splat), `:name` one folder's name (a placeholder)."""
    parts = re.split(r"(\*|:\w+)", pattern)
    expression = "".join(".*" if part == "*" else "[^/]+" if part.startswith(":") and
                         len(part) > 1 else re.escape(part) for part in parts)
    return re.fullmatch(expression, path) is not None


class Served:
    """A folder served on 127.0.0.1; with `headers`, the rules of a `_headers` file (the
    Netlify / Cloudflare Pages format) are sent with each file whose path they match."""

    def __init__(self, folder: Path, headers: str | None = None) -> None:
        rules: list[tuple[str, list[tuple[str, str]]]] = []
        for line in (headers or "").splitlines():
            if line.startswith("/"):
                rules.append((line.strip(), []))
            elif line.startswith("  ") and ":" in line and rules:
                name, _, value = line.strip().partition(":")
                rules[-1][1].append((name, value.strip()))

        class Handler(SimpleHTTPRequestHandler):
            def end_headers(self) -> None:
                path = self.path.split("?")[0]
                for pattern, pairs in rules:
                    if _matches(pattern, path):
                        for name, value in pairs:
                            self.send_header(name, value)
                super().end_headers()

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                         functools.partial(Handler, directory=folder))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_port}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def opened(browser, url: str, *, sandboxed: bool = False  # noqa: F811
           ) -> tuple[list[str], bool]:
    """Open `url` on its own; return every other request it made and whether a script of it
    (or of a frame in it) set `ran`. In a `sandboxed` page no script may run, not even the
    probe's: only its requests are counted (each hostile SVG fetches before it sets `ran`)."""
    context = browser.new_context()
    requests: list[str] = []

    def route(handled) -> None:
        if handled.request.url != url:
            requests.append(handled.request.url)
        handled.continue_()

    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)  # a frame's script or fetch runs just after load
        ran = not sandboxed and any(frame.evaluate("() => window.ran === 1")
                                    for frame in page.frames if not frame.is_detached())
    finally:
        context.close()
    return requests, ran


def sheet_with(folder: Path, pictograms: list[str]) -> Path:
    """The minimal sheet (as sheet.yaml in `folder`) with one easy-read part per pictogram."""
    sheet = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
    sheet["easy_read"]["summary"] = [
        {"heading": f"Part {number}", "lines": ["It is a test."], "pictogram": name}
        for number, name in enumerate(pictograms, 1)]
    path = folder / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, svg in HOSTILE.items():
        (folder / name).write_text(svg, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_svg_acts_when_opened_raw_and_check_refuses_it(browser, hostile_folder,  # noqa: F811
                                                                     name, tmp_path):
    served = Served(hostile_folder)
    try:
        requests, ran = opened(browser, served.base + name)
    finally:
        served.close()
    # The probe sees it: a request leaves, and a script (all but the two styles) runs.
    assert any("/leak-" in url for url in requests), (name, requests)
    assert ran == (name not in ("style.svg", "import.svg")), name
    shutil.copy(hostile_folder / name, tmp_path / name)
    sheet = sheet_with(tmp_path, [name])
    line, column = next((number, text.index(name) + 1) for number, text
                        in enumerate(sheet.read_text().splitlines(), 1) if name in text)
    result = CliRunner().invoke(cli, ["check", str(sheet)])
    assert result.exit_code == 1
    said = f"sheet.yaml:{line}:{column}: easy_read.summary[1].pictogram: '{name}' "
    assert said + REFUSED[name] in result.output, result.output


def test_published_pictograms_run_nothing_even_when_the_loader_check_is_off(
        browser, tmp_path, monkeypatch):  # noqa: F811
    """Defence in depth: with the loader's SVG check switched off, the web edition checks
    again (by parsing) what it publishes, and leaves the hostile SVGs out; each SVG it does
    publish, opened directly, runs no script and sends no request."""
    import generator.sheet.pictures

    content = tmp_path / "content"
    content.mkdir()
    for name, svg in {**HOSTILE, **ALLOWED}.items():
        (content / name).write_text(svg, encoding="utf-8")
    for name in ("document.svg", "neighbourhood.svg"):
        shutil.copy(SAMPLE.parent / "pictograms" / name, content / name)
    allowed = [*ALLOWED, "document.svg", "neighbourhood.svg", "builtin:house"]
    sheet_with(content, [*HOSTILE, *allowed])
    monkeypatch.setattr(generator.sheet.pictures, "check_svg", lambda data: None)
    result = CliRunner().invoke(cli, ["build", str(content), "--format", "web", "--only",
                                      "quiz", "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "site" / "sheet" / "pictograms"
    published = sorted(path.name for path in folder.iterdir())
    assert published == sorted([*ALLOWED, "document.svg", "neighbourhood.svg", "house.svg"])
    for name in HOSTILE:
        assert f"{name} " in result.output and "left out of the web pages" in result.output
    served = Served(tmp_path / "site")
    try:
        for name in published:
            requests, ran = opened(browser, f"{served.base}sheet/pictograms/{name}")
            assert (requests, ran) == ([], False), name
    finally:
        served.close()


def test_the_sites_headers_keep_a_raw_hostile_svg_from_acting(browser, tmp_path):  # noqa: F811
    """Served with the site's own `_headers` rules (CSP sandbox), even a hostile SVG copied
    into the site by hand runs nothing and fetches nothing; an allowed one still draws."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "gradient.svg").write_text(ALLOWED["gradient.svg"], encoding="utf-8")
    sheet_with(content, ["gradient.svg"])
    site = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(content), "--format", "web", "--only",
                                      "quiz", "-o", str(site)])
    assert result.exit_code == 0, result.output
    headers = (site / "_headers").read_text(encoding="utf-8")
    htaccess = (site / ".htaccess").read_text(encoding="utf-8")
    policy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert f"Content-Security-Policy: {policy}" in headers
    assert f'Header always set Content-Security-Policy "{policy}"' in htaccess
    assert "X-Content-Type-Options: nosniff" in headers and '"nosniff"' in htaccess
    pictograms = site / "sheet" / "pictograms"
    for name, svg in HOSTILE.items():
        (pictograms / name).write_text(svg, encoding="utf-8")
    served = Served(site, headers)
    try:
        for name in HOSTILE:
            requests, _ = opened(browser, f"{served.base}sheet/pictograms/{name}",
                                 sandboxed=True)
            assert requests == [], name
        context = browser.new_context()
        page = context.new_page()
        response = page.goto(f"{served.base}sheet/pictograms/gradient.svg")
        assert response.headers["content-security-policy"].startswith("sandbox")
        assert response.headers["x-content-type-options"] == "nosniff"
        shot = page.screenshot(clip={"x": 0, "y": 0, "width": 40, "height": 40})
        context.close()
    finally:
        served.close()
    from PIL import Image

    colours = Image.open(io.BytesIO(shot)).convert("RGB").getcolors(100_000)
    assert colours is not None and len(colours) > 10  # a gradient, not a blank page
