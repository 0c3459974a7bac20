"""`handouts watch` rebuilds a sheet when it is saved (speed is measured by the benchmark)."""

import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import DATA


def start_watch(folder: Path, *arguments: str, env: dict[str, str] | None = None,
                session: bool = False) -> tuple[subprocess.Popen, Path]:
    """`handouts watch ARGUMENTS` run in `folder`, its output in folder/watch.log (its own
    process group with `session`, to find its workers)."""
    log = folder / "watch.log"
    with log.open("w") as stream:
        process = subprocess.Popen([sys.executable, "-m", "generator", "watch", *arguments],
                                   stdout=stream, stderr=subprocess.STDOUT, cwd=folder, env=env,
                                   start_new_session=session)
    return process, log


def _wait_for(log, text: str, times: int = 1, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.read_text(encoding="utf-8").count(text) >= times:
            return True
        time.sleep(0.1)
    return False


def test_a_save_the_instant_watching_is_said_is_rebuilt(tmp_path, monkeypatch):
    """"watching …" is said once the system's watch runs: a save made at the very moment the
    line is printed (here by the terminal, as it writes the line) is rebuilt. (The line came
    before the watch started: that save was lost, and the watch waited for another.)"""
    from generator.batch.watch import watch_and_build

    sheet = tmp_path / "minimal.yaml"
    shutil.copy(DATA / "sheets" / "minimal.yaml", sheet)
    original = sheet.read_text(encoding="utf-8")
    edited = original.replace("Which one is right?", "Which is right?")
    built: list[str] = []

    def rebuild() -> bool:
        """What each build reads; the second one stops the watch, as Ctrl+C does."""
        built.append(sheet.read_text(encoding="utf-8"))
        if len(built) == 2:
            raise KeyboardInterrupt
        return True

    class Terminal(io.StringIO):
        def write(self, text: str) -> int:
            if text.startswith("watching "):
                sheet.write_text(edited, encoding="utf-8")
            return super().write(text)

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    # a watch that never sees the save is stopped by Ctrl+C (SIGINT) after a minute
    stop = threading.Timer(60, os.kill, (os.getpid(), signal.SIGINT))
    stop.start()
    try:
        watch_and_build([sheet], tmp_path / "out", rebuild)
    finally:
        stop.cancel()
    assert terminal.getvalue() == f"watching {tmp_path} (Ctrl+C to stop)\n"
    assert built == [original, edited]


def test_watch_rebuilds_on_save_and_ignores_other_files(tmp_path):
    sheet = tmp_path / "minimal.yaml"
    shutil.copy(DATA / "sheets" / "minimal.yaml", sheet)
    process, log = start_watch(tmp_path, str(sheet), "-o", str(tmp_path / "out"), "--only",
                               "quiz")
    try:
        assert _wait_for(log, "watching"), log.read_text()
        (tmp_path / "notes.txt").write_text("not a sheet")
        time.sleep(1.5)
        assert log.read_text().count("written") == 1  # notes.txt changed nothing
        sheet.write_text(sheet.read_text().replace("Which one is right?", "Which is right?"))
        assert _wait_for(log, "1 file written.", times=2), log.read_text()
    finally:
        process.terminate()
        process.wait(10)


def test_an_output_folder_inside_the_watched_folder_triggers_no_rebuild(tmp_path):
    """The web edition written into site/, inside the folder being watched: its pages and
    pictures have watched suffixes (.html, .css, .svg), yet writing them is no edit."""
    sheet = tmp_path / "minimal.yaml"
    shutil.copy(DATA / "sheets" / "minimal.yaml", sheet)
    process, log = start_watch(tmp_path, str(tmp_path), "-o", "site", "--format", "web")
    try:
        assert _wait_for(log, "watching"), log.read_text()
        sheet.write_text(sheet.read_text().replace("Which one is right?", "Which is right?"))
        assert _wait_for(log, "files written", times=2), log.read_text()
        assert list((tmp_path / "site").rglob("*.html"))
        time.sleep(2)  # a rebuild set off by the pages just written would have come by now
        assert log.read_text().count("files written") == 2, log.read_text()
    finally:
        process.terminate()
        process.wait(10)


def test_watch_survives_a_link_loop_and_follows_a_recreated_folder(tmp_path):
    """Issue #13: a looping *.svg killed watch; after its folder was renamed and created
    again, watch silently watched nothing."""
    folder = tmp_path / "sheets"
    folder.mkdir()
    shutil.copy(DATA / "sheets" / "minimal.yaml", folder / "minimal.yaml")
    process, log = start_watch(tmp_path, "sheets", "-o", "out", "--only", "quiz")
    try:
        assert _wait_for(log, "watching"), log.read_text()
        (folder / "loop.svg").symlink_to("loop.svg")
        time.sleep(1.5)
        folder.rename(tmp_path / "sheets-old")
        folder.mkdir()
        assert _wait_for(log, "was replaced: watching the new folder"), log.read_text()
        text = (tmp_path / "sheets-old" / "minimal.yaml").read_text()
        (folder / "minimal.yaml").write_text(text.replace("Which one is right?",
                                                          "Which is right?"))
        assert _wait_for(log, "1 file written.", times=2), log.read_text()
        assert process.poll() is None  # still watching
        assert "Traceback" not in log.read_text()
    finally:
        process.terminate()
        process.wait(10)


def test_watch_rebuilds_when_the_settings_or_a_theme_file_change(tmp_path):
    """Issue #15: handouts.toml and the theme folder are watched; a broken save is reported
    and the watch goes on."""

    (tmp_path / "content").mkdir()
    (tmp_path / "theme").mkdir()
    shutil.copy(DATA / "sheets" / "minimal.yaml", tmp_path / "content" / "minimal.yaml")
    settings = tmp_path / "handouts.toml"
    settings.write_text('[organisation]\nname = "First"\n')
    env = {key: value for key, value in os.environ.items() if key != "HANDOUTS_SETTINGS"}
    process, log = start_watch(tmp_path, "--only", "quiz", env=env)
    try:
        assert _wait_for(log, "watching"), log.read_text()
        settings.write_text('[organisation]\nname = "Second"\n')
        assert _wait_for(log, "1 file written.", times=2), log.read_text()
        settings.write_text('[organisation]\nnmae = "Third"\n')
        assert _wait_for(log, "did you mean `name`?"), log.read_text()
        settings.write_text('[organisation]\nname = "Third"\n')
        assert _wait_for(log, "1 file written.", times=3), log.read_text()
        (tmp_path / "theme" / "extra.css").write_text("h1 { letter-spacing: 0.05em; }\n")
        assert _wait_for(log, "1 file written.", times=4), log.read_text()
        assert process.poll() is None and "Traceback" not in log.read_text()
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize("stop, code", [(signal.SIGINT, 0), (signal.SIGTERM, 143),
                                        (signal.SIGHUP, 129)])
def test_a_stop_signal_ends_the_watch_quietly_with_its_workers(tmp_path, stop, code):
    """Ctrl+C, or TERM and HUP as an editor's task runner or a service sends them: the
    workers are closed, nothing but one line is said (not the system's complaint about
    leaked semaphores), and the exit code tells which stop it was."""
    from tests.test_faults import wait_until_gone

    sheet = tmp_path / "minimal.yaml"
    shutil.copy(DATA / "sheets" / "minimal.yaml", sheet)
    process, log = start_watch(tmp_path, str(sheet), "-o", "out", session=True)
    try:
        assert _wait_for(log, "watching"), log.read_text()
        time.sleep(1)  # the workers are up
        process.send_signal(stop)
        assert process.wait(20) == code
        assert wait_until_gone(process.pid) == []
        said = log.read_text().split("(Ctrl+C to stop)\n", 1)[1]
        expected = "" if stop == signal.SIGINT else (
            f"error: watch stopped by {stop.name}: every file written is complete\n")
        assert said == expected
    finally:
        if process.poll() is None:
            process.kill()


def test_watch_publishes_the_web_edition_with_its_address(tmp_path):
    """`watch --format web --site-url …`: the feed and sitemap are written, and no warning
    asks for an option that watch would refuse."""
    sheet = tmp_path / "minimal.yaml"
    shutil.copy(DATA / "sheets" / "minimal.yaml", sheet)
    process, log = start_watch(tmp_path, str(sheet), "-o", "site", "--format", "web",
                               "--site-url", "https://example.org/sheets")
    try:
        assert _wait_for(log, "watching"), log.read_text()
        assert (tmp_path / "site" / "feed.xml").is_file()
        assert (tmp_path / "site" / "sitemap.xml").is_file()
        assert "https://example.org/sheets/" in (tmp_path / "site" / "sitemap.xml").read_text()
        assert "--site-url" not in log.read_text()
    finally:
        process.terminate()
        process.wait(10)


def test_watch_rebuilds_when_one_of_handouts_own_files_changes(tmp_path):
    """Someone working on handouts saves one of its stylesheets, then a language file: the
    quiz is made again with each (the digest of handouts' own files that fingerprints the
    outputs, the stylesheets' text and the languages were kept for the life of the process).
    Run on a copy of the package, not to touch this one."""
    from generator.paths import PACKAGE, asset
    from tests.conftest import pdf_text

    copy = tmp_path / "copy"
    shutil.copytree(PACKAGE, copy / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("templates", "styles"):
        shutil.copytree(asset(name), copy / name)
    sheet = tmp_path / "minimal.yaml"
    shutil.copy(DATA / "sheets" / "minimal.yaml", sheet)
    env = {**os.environ, "PYTHONPATH": str(copy)}
    env.pop("HANDOUTS_LOCALES", None)
    quiz = tmp_path / "out" / "minimal" / "minimal-quiz.pdf"
    process, log = start_watch(tmp_path, str(sheet), "-o", "out", "--only", "quiz", env=env)
    try:
        assert _wait_for(log, "watching"), log.read_text()
        before = quiz.read_bytes()
        stylesheet = copy / "styles" / "quiz.css"
        stylesheet.write_text(stylesheet.read_text() + "\n.doc-title { color: #000000; }\n")
        assert _wait_for(log, "1 file written.", times=2), log.read_text()
        assert quiz.read_bytes() != before
        assert "SELF-TEST" not in pdf_text(quiz)
        english = copy / "generator" / "locales" / "en.toml"
        english.write_text(english.read_text().replace('doc_quiz = "Quiz"',
                                                       'doc_quiz = "Self-test"'))
        assert _wait_for(log, "1 file written.", times=3), log.read_text()
        assert "SELF-TEST" in pdf_text(quiz)
    finally:
        process.terminate()
        process.wait(10)


def test_ctrl_c_during_a_rebuild_exits_0_with_the_set_whole(tmp_path):
    """Ctrl+C is how a watch is stopped (docs/command.md: exit code 0), even while it rebuilds: here
    as soon as a file of the saved sheet's set changes; the set is whole."""
    from tests.test_faults import KIND_NAMES, stop_mid_rebuild

    code, found, said = stop_mid_rebuild(tmp_path, signal.SIGINT, "first file")
    assert code == 0, said
    assert len(set(found)) == 1 and len(found) == len(KIND_NAMES), found
    assert "Traceback" not in said and "error" not in said
