"""paths.read_bounded: the one way every command reads a file (#22 item 3): the kind of file
first (never blocking on a FIFO), then its size, then a bounded read; and the template loader
built on it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.errors import HandoutsError, RenderError
from generator.paths import ReadRefused, bounded_sha256, read_bounded

GIGABYTES_3 = 3 * 1024 ** 3  # 3,221,225,472


def _isolated(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter whose address space is capped at 2 GB (a whole read
    of a 3 GB file fails there instead of filling the machine), killed after 60 s (a read
    that blocks on a FIFO fails the test instead of hanging it)."""
    prelude = textwrap.dedent("""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    """)
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=cwd,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})


def test_a_regular_file_is_read_whole_up_to_its_limit(tmp_path):
    file = tmp_path / "ten.txt"
    file.write_bytes(b"0123456789")
    assert read_bounded(file, 10, error=HandoutsError, what="a text") == b"0123456789"
    with pytest.raises(HandoutsError) as caught:
        read_bounded(file, 9, error=HandoutsError, what="a text")
    assert str(caught.value) == (f"{file}: the file is 10 bytes; a text may be at most 9 bytes: "
                                 "is it the right file?")


def test_every_kind_of_file_but_a_regular_one_is_refused_with_its_message(tmp_path,
                                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)  # a FIFO: in test_a_fifo_never_blocks, which cannot hang
    Path("loop.toml").symlink_to("loop.toml")
    Path("folder.toml").mkdir()
    expected = {
        "/dev/zero": "/dev/zero: this is a device, not a language file",
        "loop.toml": "loop.toml: this file is a symbolic link that leads round in a loop: "
                     "remove or fix the link",
        "folder.toml": "folder.toml: this is a folder, not a language file",
        "missing.toml": "missing.toml: no such file: check the name and folder",
    }
    for name, message in expected.items():
        with pytest.raises(RenderError) as caught:
            read_bounded(Path(name), 1000, error=RenderError, what="a language file")
        assert str(caught.value) == message


def test_a_fifo_never_blocks(tmp_path):
    """Nobody writes to the FIFO: a blocking open or read would wait for ever."""
    os.mkfifo(tmp_path / "font.ttf")
    done = _isolated("""
        from pathlib import Path
        from generator.errors import HandoutsError
        from generator.paths import read_bounded
        try:
            read_bounded(Path("font.ttf"), 1000, error=HandoutsError, what="a font file")
        except HandoutsError as error:
            print(error)
    """, tmp_path)
    assert done.stdout == "font.ttf: this is a named pipe (FIFO), not a font file\n", done.stderr


def test_a_sparse_3_gb_file_is_refused_without_being_read(tmp_path):
    """3 GB of holes: costs no disk; reading it whole would need 3 GB of memory."""
    with open(tmp_path / "huge.css", "wb"):
        pass
    os.truncate(tmp_path / "huge.css", GIGABYTES_3)
    done = _isolated("""
        from pathlib import Path
        from generator.errors import HandoutsError
        from generator.paths import read_bounded
        try:
            read_bounded(Path("huge.css"), 1_000_000, error=HandoutsError, what="a stylesheet")
        except HandoutsError as error:
            print(error)
        peak = Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]
        print(int(peak) // 1024 < 200)  # MB; ru_maxrss would count the parent's, kept by exec
    """, tmp_path)
    assert done.stdout == ("huge.css: the file is 3,221,225,472 bytes; a stylesheet may be at "
                           "most 1,000,000 bytes: is it the right file?\nTrue\n"), done.stderr


def test_a_link_itself_is_refused_when_links_are_not_followed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("real.json").write_text("{}", encoding="utf-8")
    Path("link.json").symlink_to("real.json")
    assert read_bounded(Path("link.json"), 100, error=HandoutsError, what="a record") == b"{}"
    with pytest.raises(HandoutsError) as caught:
        read_bounded(Path("link.json"), 100, error=HandoutsError, what="a record",
                     follow_links=False)
    assert str(caught.value) == ("link.json: this is a symbolic link, not a record: handouts "
                                 "does not follow links here")


def test_a_digest_is_refused_for_a_fifo_and_a_file_over_its_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkfifo("out.pdf")
    Path("big.pdf").write_bytes(b"x" * 3000)
    with pytest.raises(ReadRefused) as caught:
        bounded_sha256(Path("out.pdf"), 10_000, "an output")
    assert str(caught.value) == "out.pdf: this is a named pipe (FIFO), not an output"
    with pytest.raises(ReadRefused) as caught:
        bounded_sha256(Path("big.pdf"), 2000, "an output")
    assert caught.value.size == 3000
    import hashlib

    assert bounded_sha256(Path("big.pdf"), 3000, "an output") == hashlib.sha256(
        b"x" * 3000).hexdigest()


def test_a_template_that_is_a_fifo_or_too_big_is_refused_by_the_loader(tmp_path):
    """The settings refuse such theme files first; the loader holds even if one appears
    between the two (or for handouts' own templates)."""
    os.mkfifo(tmp_path / "quiz.html")
    with open(tmp_path / "base.html", "wb"):
        pass
    os.truncate(tmp_path / "base.html", GIGABYTES_3)
    done = _isolated("""
        from generator.documents.render import BoundedLoader, template_environment
        from generator.errors import RenderError
        environment = template_environment(BoundedLoader("."))
        for name in ("quiz.html", "base.html"):
            try:
                environment.get_template(name)
            except RenderError as error:
                print(error)
    """, tmp_path)
    assert done.stdout == (
        "quiz.html: this is a named pipe (FIFO), not a template\n"
        "base.html: the file is 3,221,225,472 bytes; a template may be at most 1,000,000 "
        "bytes: is it the right file?\n"), done.stderr
