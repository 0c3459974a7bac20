"""The studio against the web pages its user visits and against a shared computer: real
requests through Starlette's TestClient (the whole app, its guard included), and the real
`handouts serve` for the address it listens on. Every refusal is checked to change nothing in
the project folder (its files and their digests, before and after)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from starlette.exceptions import HTTPException
from starlette.routing import Route
from starlette.testclient import TestClient

from generator.studio.app import Studio, create_app
from generator.studio.security import project_file, token
from tests.conftest import DATA, ROOT, SAMPLE

PORT = 8000
OWN = f"http://127.0.0.1:{PORT}"
# Written out here, not imported: the policy the studio must send, word for word.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; frame-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
TOO_LARGE = ("This page is larger than 5 MB: is it the right file? Save only the sheet's page, "
             "without its pictures.")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the sample project: its settings, its theme and one sheet."""
    folder = tmp_path / "project"
    (folder / "content").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "content" / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "pictograms", folder / "content" / "pictograms")
    shutil.copy(ROOT / "handouts.toml", folder / "handouts.toml")
    shutil.copytree(ROOT / "theme", folder / "theme")
    return folder


@pytest.fixture
def studio(project) -> Studio:
    return Studio(project=project.resolve(), port=PORT)


@pytest.fixture
def client(studio) -> TestClient:
    return TestClient(create_app(studio), base_url=OWN, follow_redirects=False)


def digests(folder: Path) -> dict[str, str]:
    """Every file below `folder` (links not followed) and the SHA-256 of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_symlink():
            found[str(path.relative_to(folder))] = "link to " + os.readlink(path)
    return found


def changing_routes(client: TestClient) -> list[Route]:
    return [route for route in client.app.routes  # type: ignore[attr-defined]
            if isinstance(route, Route) and set(route.methods or ()) - {"GET", "HEAD"}]


def concrete(route: Route) -> str:
    """An address the route answers, its parameters filled with a sheet of the project."""
    return re.sub(r"\{[^}]+\}", "content/" + SAMPLE.name, route.path)


ATTACK = {"title": "Planted by another site", "lang": "en", "text": "planted",
          "organisation.name": "Planted"}


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{PORT}", "127.0.0.1:9999",
                                  f"127.0.0.2:{PORT}", ""])
def test_another_host_is_refused(client, host):
    response = client.get("/", headers={"host": host})
    assert response.status_code == 400
    assert response.text == ("This address is not the studio's own: open the address "
                             "`handouts serve` printed.")


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}"])
def test_the_studios_own_host_is_served(client, host):
    assert client.get("/", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("origin", ["http://evil.example", f"http://127.0.0.1:{PORT + 1}",
                                    f"https://127.0.0.1:{PORT}", "null", None])
def test_a_post_from_another_origin_or_none_is_refused_and_changes_nothing(
        client, studio, project, origin):
    before = digests(project)
    headers = {"origin": origin} if origin else {}
    response = client.post("/new", data={**ATTACK, "csrf_token": token(studio.secret)},
                           headers=headers)
    assert response.status_code == 403
    assert response.text == "Refused: this request did not come from the studio's own pages."
    assert digests(project) == before


@pytest.mark.parametrize("given", [None, "", "0" * 64, "wrong"])
def test_a_post_without_the_token_or_with_another_is_refused_and_changes_nothing(
        client, project, given):
    before = digests(project)
    data = dict(ATTACK) if given is None else {**ATTACK, "csrf_token": given}
    response = client.post("/new", data=data, headers={"origin": OWN})
    assert response.status_code == 403
    assert response.text == ("Refused: this form has expired or did not come from the "
                             "studio. Reload the page and try again.")
    assert digests(project) == before


def test_the_token_of_another_run_of_the_studio_is_refused(client, project):
    before = digests(project)
    other = Studio(project=project, port=PORT)  # a new secret: an old page's token
    response = client.post("/new", data={**ATTACK, "csrf_token": token(other.secret)},
                           headers={"origin": OWN})
    assert response.status_code == 403
    assert digests(project) == before


def test_every_route_that_changes_anything_needs_the_token(client, project):
    routes = changing_routes(client)
    assert {"/new", "/import", "/settings"} <= {route.path for route in routes}
    before = digests(project)
    for route in routes:
        assert getattr(route.endpoint, "changes", False), f"{route.path} is not @changes"
        for method in sorted(set(route.methods or ()) - {"GET", "HEAD"}):
            for send in ({"data": ATTACK}, {"files": {"page": ("p.txt", b"planted")},
                                            "data": ATTACK},
                         {"json": ATTACK}):
                response = client.request(method, concrete(route), headers={"origin": OWN},
                                          **send)
                assert response.status_code == 403, (method, route.path, send)
    assert digests(project) == before


def test_the_token_lets_a_new_sheet_in(client, studio, project):
    """The other side of the refusals: the same post with the token makes the sheet."""
    response = client.post("/new", data={"title": "Sleep and Screens", "lang": "en",
                                         "csrf_token": token(studio.secret)},
                           headers={"origin": OWN})
    assert response.status_code == 303
    assert response.headers["location"] == "/sheet/content/sleep-screens.yaml"
    assert 'title: "Sleep and Screens"' in (project / "content" / "sleep-screens.yaml").read_text()


@pytest.mark.parametrize("relative", ["../outside.yaml", "content/../../outside.yaml",
                                      "/etc/passwd", "content\\..\\..\\outside.yaml",
                                      "", "content/\x00.yaml",
                                      "out/secret.yaml", "content/out.yaml"])
def test_paths_out_of_the_project_are_not_found(project, tmp_path, relative):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("secret: 1\n")
    (project / "out").symlink_to(outside)
    (project / "content" / "out.yaml").symlink_to(outside / "secret.yaml")
    with pytest.raises(HTTPException) as refused:
        project_file(project, relative)
    assert refused.value.status_code == 404


def test_a_path_inside_the_project_is_given(project):
    assert project_file(project, "content/" + SAMPLE.name) == project / "content" / SAMPLE.name


@pytest.mark.parametrize("relative", ["..%2Foutside.yaml", "%2Fetc%2Fpasswd",
                                      "content%5C..%5C..%5Coutside.yaml", "out/secret.yaml",
                                      "content/out.yaml"])
def test_every_route_with_a_path_refuses_one_out_of_the_project(client, project, tmp_path,
                                                                 relative):
    """The routes that take a file's path (the editor's, the preview's): 404, and the file
    out of the project is neither read nor changed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text("secret: the words of another folder\n")
    (project / "out").symlink_to(outside)
    (project / "content" / "out.yaml").symlink_to(secret)
    before = digests(project)
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route) and "{" in route.path:
            address = re.sub(r"\{[^}]+\}", relative, route.path)
            response = client.get(address)
            assert response.status_code in (404, 405), address
            assert "the words of another folder" not in response.text
    assert digests(project) == before
    assert secret.read_text() == "secret: the words of another folder\n"


@pytest.mark.parametrize("how", ["file", "text"])
def test_a_page_over_5_mb_is_refused_with_a_message(client, studio, project, how):
    before = digests(project)
    big = b"Title of a sheet\n" + b"x" * 5_000_000
    send = ({"files": {"page": ("page.html", big)}} if how == "file"
            else {"data": {"text": big.decode()}, "files": {"page": ("", b"")}})
    send.setdefault("data", {})["csrf_token"] = token(studio.secret)  # type: ignore[index]
    response = client.post("/import", headers={"origin": OWN}, **send)
    assert response.status_code == 413
    assert response.text == TOO_LARGE
    assert digests(project) == before


def test_a_page_under_5_mb_is_imported(client, studio, project):
    page = (DATA / "import" / "seed.txt").read_bytes()
    before = digests(project)
    response = client.post("/import", headers={"origin": OWN},
                           data={"csrf_token": token(studio.secret)},
                           files={"page": ("seed.txt", page)})
    assert response.status_code == 200
    written = sorted(set(digests(project)) - set(before))
    assert len(written) == 1 and written[0].startswith("content/"), written
    assert written[0].endswith(".yaml")
    assert f'href="/sheet/{written[0]}"' in response.text


@pytest.mark.parametrize("request_", [
    ("GET", "/", {}), ("GET", "/settings", {}), ("GET", "/static/studio.css", {}),
    ("GET", "/static/studio.js", {}), ("GET", "/no-such-page", {}),
    ("GET", "/static/no-such-file.css", {}), ("GET", "/", {"host": "evil.example"}),
    ("POST", "/new", {}), ("POST", "/new", {"origin": OWN}), ("DELETE", "/", {"origin": OWN}),
])
def test_every_response_carries_the_exact_content_security_policy(client, request_):
    method, path, headers = request_
    response = client.request(method, path, headers=headers)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_no_page_holds_an_inline_script_or_style(client):
    for path in ("/", "/settings"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\sstyle=|<style\b|\son[a-z]+=", html), path


def test_a_sheets_title_is_escaped_on_the_home(client, project):
    sheet = project / "content" / SAMPLE.name
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(re.sub(r"(?m)^title: .*$", 'title: "<img src=x onerror=alert(1)> A & B"',
                            text, count=1), encoding="utf-8")
    html = client.get("/").text
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; A &amp; B" in html


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening_addresses(port: int) -> list[str]:
    """The local addresses of the sockets listening on `port`, read from the kernel's table
    (/proc/net/tcp and tcp6), as dotted or bracketed text."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if int(port_hex, 16) == port and fields[3] == "0A":  # LISTEN
                raw = bytes.fromhex(address)
                if width == 8:
                    found.append(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:
                    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                    found.append(socket.inet_ntop(socket.AF_INET6, words))
    return found


def _handouts() -> list[str]:
    return [sys.executable, "-c", "from generator.cli import main; main()"]


def test_serve_listens_on_127_0_0_1_only_and_stops_cleanly_on_ctrl_c(project):
    process = subprocess.Popen([*_handouts(), "serve", str(project), "--port", "0",
                                "--no-browser"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=project)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line
        port = int(found.group(1))
        assert _listening_addresses(port) == ["127.0.0.1"]
        with urllib.request.urlopen(found.group(0), timeout=20) as response:
            assert response.status == 200
            assert "educational alliances" in response.read().decode()
        process.send_signal(signal.SIGINT)
        rest, errors = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, errors
    assert rest.strip() == "studio stopped"


def test_a_port_in_use_is_said_with_the_next_one():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([*_handouts(), "serve", "--port", str(port), "--no-browser"],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == f"error: port {port} is taken: try `--port {port + 1}`\n"
    assert done.stdout == ""


def test_serve_refuses_a_folder_that_is_not_one(tmp_path):
    done = subprocess.run([*_handouts(), "serve", str(tmp_path / "nowhere"), "--no-browser"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == (f"error: {tmp_path / 'nowhere'} is not a folder: name your "
                           "project's folder (the one with handouts.toml or content/)\n")

