"""`handouts watch` rebuilds a sheet when it is saved (speed is measured by the benchmark)."""

import shutil
import subprocess
import sys
import time

from tests.conftest import DATA


def _wait_for(log, text: str, times: int = 1, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.read_text(encoding="utf-8").count(text) >= times:
            return True
        time.sleep(0.1)
    return False


def test_watch_rebuilds_on_save_and_ignores_other_files(tmp_path):
    sheet = tmp_path / "minimal.yaml"
    shutil.copy(DATA / "sheets" / "minimal.yaml", sheet)
    log = tmp_path / "watch.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", str(sheet), "-o", str(tmp_path / "out"),
             "--only", "quiz"], stdout=stream, stderr=subprocess.STDOUT, cwd=tmp_path)
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


def test_watch_survives_a_link_loop_and_follows_a_recreated_folder(tmp_path):
    """Issue #13: a looping *.svg killed watch; after its folder was renamed and created
    again, watch silently watched nothing."""
    folder = tmp_path / "sheets"
    folder.mkdir()
    shutil.copy(DATA / "sheets" / "minimal.yaml", folder / "minimal.yaml")
    log = tmp_path / "watch.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", "sheets", "-o", "out", "--only",
             "quiz"], stdout=stream, stderr=subprocess.STDOUT, cwd=tmp_path)
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
