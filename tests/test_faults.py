"""Faults: kills at random moments, a full disk, things in the way, concurrent builds. After
any of them each output is the old file or the new one, whole; a sheet's set is all old or
all new; no process is left; a follow-up build leaves every set new and no temporary file."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from generator import api
from generator.batch.incremental import MANIFEST
from generator.cli import cli
from tests.conftest import DATA, KIND_NAMES

MINIMAL = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
NAMES = ("alpha", "beta", "gamma")
KINDS = ("quiz", "answer-key")
HANDOUTS = [sys.executable, "-m", "generator"]


def write_sheets(folder: Path, marker: str, names=NAMES) -> list[Path]:
    """Sheets whose every handout prints `marker` in its title."""
    files = []
    for name in names:
        data = dict(MINIMAL, title=f"Sheet {name} {marker}")
        # the leaflet's displayed title is its plain title: it carries the marker too
        data["easy_read"] = dict(MINIMAL["easy_read"], title=f"Sheet {name} {marker}")
        target = folder / f"{name}.yaml"
        target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        files.append(target)
    return files


def marker_of(pdf: Path) -> str:
    """The marker a handout was built with (the PDF must be whole to be read)."""
    assert pdf.read_bytes().startswith(b"%PDF-")
    title = PdfReader(pdf).metadata.title
    return title.split(" — ")[0].rsplit(" ", 1)[1]


def markers(out: Path, name: str) -> list[str]:
    return [marker_of(out / name / f"{name}-{kind}.pdf") for kind in KINDS]


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob(".*") if p.name.endswith((".part", ".old"))
                  or p.name == ".handouts-journal.json")


def group_processes(group: int) -> list[int]:
    """Processes still in a process group (zombies waiting for their reaper excluded)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(entry))
    return found


def wait_until_gone(group: int, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := group_processes(group)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def start_build(files: list[Path], out: Path, cwd: Path) -> tuple[subprocess.Popen, list]:
    """A real `handouts build -j 2` in its own process group, its lines collected as they
    come (unbuffered), so that a kill can be aimed at the moment files are being written."""
    process = subprocess.Popen(
        [*HANDOUTS, "build", *map(str, files), "-o", str(out), "-j", "2",
         "--only", ",".join(KINDS)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []

    def read() -> None:
        for line in process.stdout:
            lines.append(line.decode())

    threading.Thread(target=read, daemon=True).start()
    return process, lines


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kills_at_random_moments_leave_old_or_new_files_and_no_process(tmp_path):
    """6 kills of a real `handouts build -j 2` (TERM, KILL, Ctrl+C to the whole group), at a
    random moment after the first file is written (or before, when the build is slow)."""
    out = tmp_path / "out"
    files = write_sheets(tmp_path, "M0")
    assert api.build(files, out, only=KINDS).ok
    rng = random.Random(13)
    kills = [signal.SIGTERM, signal.SIGKILL, signal.SIGINT] * 2
    for trial, signal_number in enumerate(kills, start=1):
        old, new = f"M{trial - 1}", f"M{trial}"
        write_sheets(tmp_path, new)
        process, lines = start_build(files, out, tmp_path)
        deadline = time.monotonic() + 60
        while (not any(line.startswith("wrote") for line in lines)
               and process.poll() is None and time.monotonic() < deadline):
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 1.5))
        # (a build that already finished, and was reaped by poll(), cannot be signalled)
        with contextlib.suppress(ProcessLookupError):
            if signal_number == signal.SIGINT:  # a terminal sends Ctrl+C to the whole group
                os.killpg(process.pid, signal.SIGINT)
            else:  # only the parent: its workers must notice by themselves
                os.kill(process.pid, signal_number)
        process.wait(timeout=60)
        assert not wait_until_gone(process.pid), (trial, lines)
        output = "".join(lines)
        if process.returncode != 0:  # stopped before the end (it may have finished first)
            # a signal after the summary, while the process exits, kills it the default way
            done = output.rstrip().endswith("files written.")
            assert process.returncode in (-signal.SIGKILL, 128 + signal_number,
                                          *([-signal_number] if done else [])), output
        for name in NAMES:
            found = markers(out, name)
            assert set(found) <= {old, new}, (trial, name, found)
            if signal_number != signal.SIGKILL:  # a stopped build finishes a sheet's renames
                assert len(set(found)) == 1, (trial, name, found, output)
        if signal_number != signal.SIGKILL:
            assert not leftovers(out), (trial, output)
        again = api.build(files, out, only=KINDS)
        assert again.ok, [str(f) for f in again.failures]
        for name in NAMES:
            assert markers(out, name) == [new, new], (trial, name)
        assert not leftovers(out)
        record = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        assert len(record["sheets"]) == len(NAMES)


def test_a_kill_during_the_renames_is_finished_by_the_next_build(tmp_path):
    """The parent killed after the first rename of a sheet's set: the journal lets the next
    build put the rest in place, and record it."""
    out = tmp_path / "out"
    files = write_sheets(tmp_path, "OLD", names=("alpha",))
    assert api.build(files, out, only=KINDS).ok
    write_sheets(tmp_path, "NEW", names=("alpha",))
    probe = (
        "import os, signal, sys\n"
        "from generator import api\n"
        "from generator.documents import writer\n"
        "real = os.replace\n"
        "def replace(src, dst):\n"
        "    real(src, dst)\n"
        "    if str(dst).endswith('-quiz.pdf'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "writer.os.replace = replace\n"
        "api.build([sys.argv[1]], sys.argv[2], only=('quiz', 'answer-key'))\n")
    killed = subprocess.run([sys.executable, "-c", probe, str(files[0]), str(out)],
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert markers(out, "alpha") == ["NEW", "OLD"]  # mixed, with a journal and a temp file
    assert ".handouts-journal.json" in leftovers(out)
    again = api.build(files, out, only=KINDS)
    assert again.ok
    assert again.written == [] and len(again.unchanged) == 2  # finished and recorded
    assert markers(out, "alpha") == ["NEW", "NEW"]
    assert not leftovers(out)


@pytest.fixture
def built(tmp_path):
    """One sheet built (old), then edited (new): (sheet, out, old bytes of its handouts)."""
    out = tmp_path / "out"
    files = write_sheets(tmp_path, "OLD", names=("alpha",))
    assert api.build(files, out).ok
    write_sheets(tmp_path, "NEW", names=("alpha",))
    folder = out / "alpha"
    return files[0], out, {p.name: p.read_bytes() for p in folder.iterdir()}


def _same(out: Path, before: dict[str, bytes]) -> bool:
    return {p.name: p.read_bytes() for p in (out / "alpha").iterdir()} == before


def _build(sheet: Path, out: Path):
    return CliRunner().invoke(cli, ["build", str(sheet), "-o", str(out)])


def test_a_full_disk_mid_sheet_keeps_the_old_set(built, monkeypatch):
    from generator.documents import writer

    sheet, out, before = built
    calls = []
    real = writer._temporary

    def disk_full_at_the_third(target, data, suffix=writer.PART):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, data, suffix)

    monkeypatch.setattr(writer, "_temporary", disk_full_at_the_third)
    result = _build(sheet, out)
    assert result.exit_code == 1
    assert (f"error: {calls[2]}: could not be written (the disk is full); the earlier files, "
            "if any, are untouched") in result.output
    assert "0 files written, 1 sheet failed, its earlier handouts kept as they were." in (
        result.output)
    assert _same(out, before)
    assert not leftovers(out)


def test_a_failed_rename_mid_set_puts_the_old_files_back(built, monkeypatch):
    from generator.documents import writer

    sheet, out, before = built
    real = os.replace
    renamed = []

    def failing_second(src, dst):
        if str(dst).endswith(".pdf"):
            renamed.append(dst)
            if len(renamed) == 2:
                raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(writer.os, "replace", failing_second)
    result = _build(sheet, out)
    assert result.exit_code == 1
    assert "Input/output error); the earlier files are back in place" in result.output
    assert _same(out, before)
    assert not leftovers(out)


def test_a_folder_in_the_way(built):
    sheet, out, before = built
    (out / "alpha" / "alpha-quiz.pdf").unlink()
    (out / "alpha" / "alpha-quiz.pdf").mkdir()
    del before["alpha-quiz.pdf"]
    result = _build(sheet, out)
    assert result.exit_code == 1
    assert (f"{out}/alpha/alpha-quiz.pdf: a folder is in the way of this file: move or delete "
            "it") in result.output
    assert {p.name: p.read_bytes() for p in (out / "alpha").iterdir() if p.is_file()} == before


def test_a_symlink_in_the_way_is_named_as_such(built, tmp_path):
    sheet, out, _ = built
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"not yours")
    (out / "alpha" / "alpha-quiz.pdf").unlink()
    (out / "alpha" / "alpha-quiz.pdf").symlink_to(elsewhere)
    result = _build(sheet, out)
    assert result.exit_code == 1
    assert f"{out}/alpha/alpha-quiz.pdf: a symbolic link is in the way" in result.output
    assert "would write outside" not in result.output
    assert elsewhere.read_bytes() == b"not yours"


def test_a_failing_record_hides_neither_the_sheets_error_nor_the_summary(tmp_path):
    out = tmp_path / "out"
    (out / MANIFEST).mkdir(parents=True)  # the record cannot be saved
    good = write_sheets(tmp_path, "NEW", names=("alpha",))[0]
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "invalid" / "answer-not-a-choice.yaml").read_text(encoding="utf-8"),
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(bad), str(good), "-o", str(out),
                                      "--only", "quiz"])
    assert result.exit_code == 1
    assert "quiz[1].answer: 'c' is not the letter of a choice" in result.output
    assert f"wrote {out}/alpha/alpha-quiz.pdf (1 page)" in result.output
    assert f"{out}/{MANIFEST}: a folder is in the way" in result.output
    assert "(the record of what was built: the next build rebuilds these handouts)" in (
        result.output)
    assert result.output.splitlines()[-1] == ("1 file written, 1 sheet failed, its earlier "
                                              "handouts kept as they were.")


def test_two_builds_into_one_folder_keep_every_record(tmp_path):
    out = tmp_path / "out"
    first = write_sheets(tmp_path, "ONE", names=("alpha", "beta"))
    second = write_sheets(tmp_path, "TWO", names=("gamma", "delta"))
    (tmp_path / "shared").mkdir()
    shared = write_sheets(tmp_path / "shared", "SHARED", names=("omega",))
    runs = [subprocess.Popen([*HANDOUTS, "build", *map(str, group), *map(str, shared), "-o",
                              str(out), "--only", ",".join(KINDS), "-j", "1"],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for group in (first, second)]
    outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    record = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    slugs = sorted(entry["slug"] for entry in record["sheets"].values())
    assert slugs == ["alpha", "beta", "delta", "gamma", "omega"]
    for name in slugs:
        assert len(set(markers(out, name))) == 1
    assert not leftovers(out)
    again = api.build([*first, *second, *shared], out, only=KINDS)
    assert again.written == [] and len(again.unchanged) == 10


def test_a_build_waits_for_the_output_folders_lock_and_says_so(tmp_path):
    """While another build holds the folder's lock, a build neither writes nor records; after
    2 s it says what it waits for, and it finishes once the lock is released."""
    import fcntl

    from generator.documents.writer import LOCK

    out = tmp_path / "out"
    files = write_sheets(tmp_path, "ONE", names=("alpha",))
    out.mkdir()
    waiting = (f"waiting for the build in progress in {out}… (another handouts build holds "
               "its lock)")
    with open(out / LOCK, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        process = subprocess.Popen([*HANDOUTS, "build", str(files[0]), "-o", str(out),
                                    "--only", "quiz"], cwd=tmp_path, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
        lines: list[str] = []
        threading.Thread(target=lambda: lines.extend(line.decode() for line in process.stdout),
                         daemon=True).start()
        deadline = time.monotonic() + 60
        while not lines and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lines[:1] == [waiting + "\n"]  # the wait is said before anything else
        assert process.poll() is None
        assert not (out / "alpha").exists() and not (out / MANIFEST).exists()
    assert process.wait(timeout=120) == 0, lines
    assert "".join(lines).count(waiting) == 1
    assert marker_of(out / "alpha" / "alpha-quiz.pdf") == "ONE"


def crash_on_bad(task: str) -> str:
    """A worker's work that kills its process for one task (a crash in a library)."""
    if task == "bad":
        os._exit(1)
    time.sleep(0.2)
    return task.upper()


def test_a_worker_that_dies_fails_its_task_only():
    from generator.batch.pool import run_in_pool

    tasks = ["one", "two", "bad", "three", "four"]
    results = list(run_in_pool(crash_on_bad, tasks, 2,
                               lambda task, error: f"{task}: {type(error).__name__}"))
    assert results == ["ONE", "TWO", "bad: BrokenProcessPool", "THREE", "FOUR"]


def _forge_journal(out: Path, renames: list) -> Path:
    journal = out / "alpha" / ".handouts-journal.json"
    journal.write_text(json.dumps({"renames": renames, "note": None}), encoding="utf-8")
    return journal


@pytest.mark.parametrize("case", ["parent", "absolute", "unknown", "linked target",
                                  "linked temporary"])
def test_a_forged_journal_is_refused_and_left_for_the_user(built, tmp_path, case):
    """A journal that someone else put in an output folder (a folder committed to a shared
    repository) names files outside the sheet folder, or not of handouts' own kinds, or has a
    symbolic link where a file should be: nothing it names is touched, nothing is written for
    the sheet, and the journal stays for the user to check."""
    sheet, out, before = built
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"SECRET")
    evil = tmp_path / "evil.txt"
    evil.write_bytes(b"ATTACKER")
    folder = out / "alpha"
    if case == "parent":
        renames, problem = [["../../victim.txt", "../../evil.txt"]], (
            "'../../victim.txt' is not a plain file name in this folder")
    elif case == "absolute":
        renames, problem = [[str(victim), str(evil)]], (
            f"'{victim}' is not a plain file name in this folder")
    elif case == "unknown":
        (folder / ".notes.txt.k2j4.part").write_bytes(b"ATTACKER")
        renames, problem = [["notes.txt", ".notes.txt.k2j4.part"]], (
            "'notes.txt' is not one of the handouts of sheet 'alpha'")
    elif case == "linked target":  # a genuine-looking journal, a link where the key goes
        (folder / ".alpha-answer-key.pdf.k2j4.part").write_bytes(b"ATTACKER")
        (folder / "alpha-answer-key.pdf").unlink()
        (folder / "alpha-answer-key.pdf").symlink_to(victim)
        del before["alpha-answer-key.pdf"]
        renames, problem = [["alpha-answer-key.pdf", ".alpha-answer-key.pdf.k2j4.part"]], (
            "'alpha-answer-key.pdf' is a symbolic link or a folder, not a file")
    else:  # the temporary file is a link to a file outside
        (folder / ".alpha-quiz.pdf.k2j4.part").symlink_to(victim)
        renames, problem = [["alpha-quiz.pdf", ".alpha-quiz.pdf.k2j4.part"]], (
            "'.alpha-quiz.pdf.k2j4.part' is a symbolic link or not a file")
    journal = _forge_journal(out, renames)
    forged = journal.read_bytes()
    result = _build(sheet, out)
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"error: {journal}: a build into {folder} was stopped while putting its files in "
        "place and left this hidden file for the next build to finish the job, but it cannot "
        f"be followed safely ({problem}); nothing it names was touched, and nothing is "
        f"written into {folder} while it is there: check the files in that folder, then "
        "delete .handouts-journal.json and build again\n"
        "0 files written, 1 sheet failed, its earlier handouts kept as they were.\n")
    assert victim.read_bytes() == b"SECRET" and evil.read_bytes() == b"ATTACKER"
    assert journal.read_bytes() == forged
    assert {name: (folder / name).read_bytes() for name in before} == before
    journal.unlink()  # the user checked the folder: the next build goes through
    if case == "linked target":
        (folder / "alpha-answer-key.pdf").unlink()
    assert _build(sheet, out).exit_code == 0
    assert victim.read_bytes() == b"SECRET"


def test_a_forged_journal_in_a_sheet_not_built_is_reported(built, tmp_path):
    """The journal of a sheet that is not rebuilt (its handouts are up to date) is refused
    at the start of the build, and said, once."""
    sheet, out, _ = built
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"SECRET")
    write_sheets(tmp_path, "OLD", names=("alpha",))  # back to what was built: unchanged
    journal = _forge_journal(out, [["../../victim.txt", "../../sheet.yaml"]])
    result = _build(sheet, out)
    assert result.exit_code == 1
    assert result.output.count(f"{journal}: a build into {journal.parent} was stopped") == 1
    assert result.output.endswith("0 files written, 4 unchanged (--force rebuilds them).\n")
    assert victim.read_bytes() == b"SECRET" and journal.is_file()


@pytest.mark.parametrize("case", ["outside", "link", "fifo"])
def test_a_forged_record_only_means_rebuild(built, tmp_path, case):
    """The record of what was built (.handouts-manifest.json) names each output by its path
    in the output folder: a path that leaves the folder, a link in place of a handout or a
    FIFO are never read through; the output is built again (or the link reported)."""
    sheet, out, before = built
    write_sheets(tmp_path, "OLD", names=("alpha",))  # the sheet as built: all unchanged
    quiz = out / "alpha" / "alpha-quiz.pdf"
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(before["alpha-quiz.pdf"])  # the same bytes, so the same digest
    quiz.unlink()
    record = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    if case == "outside":
        for entry in record["sheets"].values():
            entry["outputs"]["quiz"]["path"] = "../outside.pdf"
        (out / MANIFEST).write_text(json.dumps(record), encoding="utf-8")
    elif case == "link":
        quiz.symlink_to(outside)
    else:
        os.mkfifo(quiz)
    run = subprocess.run([*HANDOUTS, "build", str(sheet), "-o", str(out)], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    if case == "link":
        assert run.returncode == 1
        assert f"{quiz}: a symbolic link is in the way" in run.stderr
        assert outside.read_bytes() == before["alpha-quiz.pdf"]
        return
    assert run.returncode == 0, run.stderr
    assert f"wrote {quiz} (" in run.stdout
    assert quiz.is_file() and not quiz.is_symlink()
    assert marker_of(quiz) == "OLD"


def start_watch_on(sheet: Path, out: Path, cwd: Path) -> tuple[subprocess.Popen, Path]:
    """A real `handouts watch` in its own process group, its lines in cwd/watch.log."""
    log = cwd / "watch.log"
    with log.open("w") as stream:
        process = subprocess.Popen([*HANDOUTS, "watch", str(sheet), "-o", str(out)], cwd=cwd,
                                   stdout=stream, stderr=subprocess.STDOUT,
                                   start_new_session=True,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    return process, log


def stop_mid_rebuild(tmp_path: Path, stop: int, moment: str) -> tuple[int, list[str], str]:
    """Watch one sheet, save it again, and send `stop` to the watch at `moment`: as soon as
    any file of the sheet's set changes on disk ("first file"), or 0.4 s after the save,
    while its handouts are made ("rendering"). The exit code, the markers of the set (every
    default handout) and what the watch said."""
    out = tmp_path / "out"
    sheet = write_sheets(tmp_path, "M0", names=("alpha",))[0]
    handouts = [out / "alpha" / f"alpha-{kind}.pdf" for kind in KIND_NAMES]
    process, log = start_watch_on(sheet, out, tmp_path)
    try:
        deadline = time.monotonic() + 120
        while "watching" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(path.is_file() for path in handouts), log.read_text()
        time.sleep(1)  # the workers are up
        seen = {path: path.stat().st_ino for path in handouts}
        write_sheets(tmp_path, "M1", names=("alpha",))
        if moment == "first file":
            deadline = time.monotonic() + 60
            while (all(path.stat().st_ino == seen[path] for path in handouts)
                   and time.monotonic() < deadline):
                time.sleep(0.002)
        else:
            time.sleep(0.4)
        os.kill(process.pid, stop)
        code = process.wait(30)
        assert not wait_until_gone(process.pid)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert not leftovers(out)
    return code, [marker_of(path) for path in handouts], log.read_text()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("moment", ["first file", "rendering"])
def test_term_to_watch_mid_rebuild_leaves_the_set_whole(tmp_path, moment):
    """TERM (a task runner, a service) while watch rebuilds a saved sheet: its four handouts
    are all from the earlier save or all from the new one, never a new answer key beside an
    old analysis, and the watch exits 143 with its workers."""
    code, found, said = stop_mid_rebuild(tmp_path, signal.SIGTERM, moment)
    assert code == 128 + signal.SIGTERM, said
    assert found in (["M0"] * len(KIND_NAMES), ["M1"] * len(KIND_NAMES)), (found, said)
    assert "Traceback" not in said
