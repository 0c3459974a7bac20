"""The edit loop: a changed sheet re-renders only the handouts whose engine input changed.

A one-answer edit changes what the answer key and the full analysis (its commented
correction) print, not the blank quiz nor the easy-read leaflet: those must come out of the
build untouched (same bytes, same file: inode and modification time kept). With versions, the
new correct choice takes the old one's letter: the quizzes change, the keys CSV does not.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.batch.build import build
from generator.batch.incremental import MANIFEST
from generator.cli import cli
from generator.options import BuildOptions
from generator.sheet.loader import load_sheet
from generator.view.versions import arrangements, editions
from tests.conftest import SAMPLE

SLUG = "educational-alliances"


@pytest.fixture
def sample(tmp_path) -> Path:
    """A copy of the sample sheet and its pictograms, to edit."""
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "pictograms", tmp_path / "pictograms")
    return tmp_path / SAMPLE.name


def change_first_answer(sheet: Path) -> None:
    """Give the first quiz question another correct letter, in the YAML text."""
    before = yaml.safe_load(sheet.read_text(encoding="utf-8"))["quiz"][0]
    old = before["answer"]
    new = next(letter for letter in "abcd" if letter != old)
    text, count = re.subn(rf"(?m)^(\s*answer:\s*){old}\s*$", rf"\g<1>{new}",
                          sheet.read_text(encoding="utf-8"), count=1)
    assert count == 1
    sheet.write_text(text, encoding="utf-8")
    assert yaml.safe_load(sheet.read_text(encoding="utf-8"))["quiz"][0]["answer"] == new


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every handout in the folder: its bytes, inode and modification time (ns)."""
    return {path.name: (path.read_bytes(), path.stat().st_ino, path.stat().st_mtime_ns)
            for path in sorted(folder.iterdir())
            if path.is_file() and not path.name.startswith(".")}


def written_keys(result) -> set[str]:
    return {output.key for output in result.written}


def test_a_one_answer_edit_rewrites_the_key_and_the_analysis_only(sample, tmp_path):
    out = tmp_path / "out"
    first = build([sample], out, BuildOptions())
    assert first.ok and written_keys(first) == {"full-analysis", "easy-read", "quiz",
                                                "answer-key"}
    before = snapshot(out / SLUG)
    change_first_answer(sample)
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(sample), "-o", str(out)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    wrote = {Path(line.split()[1]).name for line in result.output.splitlines()
             if line.startswith("wrote ")}
    assert wrote == {f"{SLUG}-full-analysis.pdf", f"{SLUG}-answer-key.pdf"}
    assert result.output.splitlines()[-1] == "2 files written, 2 unchanged (--force rebuilds them)."
    after = snapshot(out / SLUG)
    for name in (f"{SLUG}-quiz.pdf", f"{SLUG}-easy-read.pdf"):
        assert after[name] == before[name]  # same bytes, same inode, same modification time
    for name in wrote:
        assert after[name][0] != before[name][0]
    # The record now holds the new sheet: a second build has nothing to do, from the fast path.
    again = build([sample], out, BuildOptions())
    assert again.written == [] and len(again.unchanged) == 4
    record = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    outputs = next(iter(record["sheets"].values()))["outputs"]
    assert all(len(entry["engine"]) == 64 for entry in outputs.values())


def test_with_versions_an_answer_edit_reorders_that_question_and_keeps_the_letters(sample,
                                                                                    tmp_path):
    """Each version prints its correct letters evenly spread (balance.py): a new correct
    choice takes the old one's letter, so the quizzes are written again (that question's
    choices only) and the keys CSV and marking grid are left untouched."""
    out = tmp_path / "out"
    options = BuildOptions(versions=2, only=("quiz", "answer-key", "keys", "marking-grid"))
    first = build([sample], out, options)
    assert first.ok and len(first.written) == 6
    before = snapshot(out / SLUG)
    original = load_sheet(sample)
    change_first_answer(sample)
    result = build([sample], out, options)
    assert result.ok
    assert written_keys(result) == {"quiz-A", "quiz-B", "answer-key-A", "answer-key-B"}
    assert {path.name for path in result.unchanged} == {f"{SLUG}-keys.csv",
                                                         f"{SLUG}-marking-grid.pdf"}
    after = snapshot(out / SLUG)
    for name in (f"{SLUG}-keys.csv", f"{SLUG}-marking-grid.pdf"):
        assert after[name] == before[name]
    # in the quizzes, only the edited question's choices moved
    edited = arrangements(load_sheet(sample), editions(2, options.seed))
    for name, arrangement in arrangements(original, editions(2, options.seed)).items():
        assert edited[name].questions == arrangement.questions
        assert edited[name].choices[1:] == arrangement.choices[1:]
        assert edited[name].choices[0] != arrangement.choices[0]


def test_what_the_engine_receives_includes_the_pdf_options(sample, tmp_path):
    """A PDF option changes no HTML, but it changes what the engine is asked: re-rendered."""
    out = tmp_path / "out"
    assert build([sample], out, BuildOptions(only=("quiz",))).ok
    result = build([sample], out, BuildOptions(only=("quiz",), pdf_variant=None))
    assert written_keys(result) == {"quiz"}
    assert b"/StructTreeRoot" not in (out / SLUG / f"{SLUG}-quiz.pdf").read_bytes()


def test_a_kept_output_whose_file_was_changed_is_written_again(sample, tmp_path):
    out = tmp_path / "out"
    assert build([sample], out, BuildOptions(only=("quiz", "answer-key"))).ok
    quiz = out / SLUG / f"{SLUG}-quiz.pdf"
    good = quiz.read_bytes()
    quiz.write_bytes(b"%PDF-1.7 edited by hand")
    change_first_answer(sample)
    result = build([sample], out, BuildOptions(only=("quiz", "answer-key")))
    assert written_keys(result) == {"quiz", "answer-key"}
    assert quiz.read_bytes() == good


def test_the_written_ones_stay_all_or_nothing(sample, tmp_path):
    """A write that fails leaves every handout of the sheet as it was, kept ones included,
    and the record unchanged: the next build tries again."""
    out = tmp_path / "out"
    assert build([sample], out, BuildOptions()).ok
    before = snapshot(out / SLUG)
    record = (out / MANIFEST).read_bytes()
    key = out / SLUG / f"{SLUG}-answer-key.pdf"
    change_first_answer(sample)
    key.unlink()
    key.mkdir()  # a folder in the way of the answer key
    before.pop(key.name)
    result = build([sample], out, BuildOptions())
    assert not result.ok and result.written == []
    assert "a folder is in the way" in str(result.failures[0])
    assert snapshot(out / SLUG) == before
    assert (out / MANIFEST).read_bytes() == record
    key.rmdir()
    retry = build([sample], out, BuildOptions())
    assert written_keys(retry) == {"full-analysis", "answer-key"}
    assert os.path.isfile(key)


def test_templates_are_compiled_once_into_the_users_cache(tmp_path, monkeypatch):
    from generator.documents.render import Renderer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = Renderer().environment.get_template("quiz.html")
    cached = list((tmp_path / "cache" / "handouts" / "jinja-sandboxed").iterdir())
    assert cached and all(path.stat().st_size for path in cached)
    compiled = []
    monkeypatch.setattr("jinja2.Environment.compile",
                        lambda *args, **kwargs: compiled.append(args))
    second = Renderer().environment.get_template("quiz.html")
    assert compiled == []  # loaded from the cache, not compiled again
    assert second.render.__code__.co_code == first.render.__code__.co_code


@pytest.mark.parametrize("damage", ["file-in-the-way", "garbage", "folder-in-the-way"])
def test_a_cache_that_cannot_be_used_is_only_slower(sample, tmp_path, monkeypatch, damage):
    """Never an error for a user: the build goes on without the cache."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    if damage == "file-in-the-way":
        cache.write_text("not a folder")
    else:
        from generator.documents.render import Renderer

        Renderer().environment.get_template("quiz.html")
        for path in (cache / "handouts" / "jinja-sandboxed").iterdir():
            path.unlink()
            if damage == "garbage":
                path.write_bytes(b"j2\x00garbage" * 10)
            else:
                path.mkdir()
    result = build([sample], tmp_path / "out", BuildOptions(only=("quiz",), fmt="html"))
    assert result.ok and written_keys(result) == {"quiz"}


def test_warm_workers_write_each_changed_pdf_smallest_first(sample, tmp_path):
    """watch's path: the PDFs made by warm workers, the answer key (the shortest HTML) before
    the full analysis, then written as one set in that order; the unchanged ones untouched."""
    from generator.batch.warm import WarmPool

    out = tmp_path / "out"
    with WarmPool(1) as warm:
        first = build([sample], out, BuildOptions(), warm=warm)
        assert first.ok and written_keys(first) == {"full-analysis", "easy-read", "quiz",
                                                    "answer-key"}
        before = snapshot(out / SLUG)
        change_first_answer(sample)
        order: list[str] = []
        result = build([sample], out, BuildOptions(), warm=warm,
                       on_output=lambda output: order.append(output.key))
    assert result.ok
    assert order == ["answer-key", "full-analysis"]
    assert {path.name for path in result.unchanged} == {f"{SLUG}-quiz.pdf",
                                                         f"{SLUG}-easy-read.pdf"}
    after = snapshot(out / SLUG)
    for name in (f"{SLUG}-quiz.pdf", f"{SLUG}-easy-read.pdf"):
        assert after[name] == before[name]
    # what the workers made is what a plain build makes
    plain = tmp_path / "plain"
    assert build([sample], plain, BuildOptions()).ok
    assert snapshot(plain / SLUG).keys() == after.keys()
    for name, (data, _, _) in snapshot(plain / SLUG).items():
        assert after[name][0] == data, name
    assert build([sample], out, BuildOptions()).written == []


def test_a_pdf_that_fails_on_a_warm_worker_fails_alone(sample, tmp_path, monkeypatch):
    """The others are written; the failed one keeps its earlier file and is made again by
    the next build."""
    from generator.batch.warm import WarmPool
    from generator.errors import RenderError

    out = tmp_path / "out"
    assert build([sample], out, BuildOptions()).ok
    before = snapshot(out / SLUG)
    change_first_answer(sample)
    with WarmPool(1) as warm:
        real = warm.render

        def failing(jobs):
            for job, made in real(jobs):
                if job.output.key == "full-analysis":
                    made = RenderError("full analysis: the PDF took too long")
                yield job, made

        monkeypatch.setattr(warm, "render", failing)
        result = build([sample], out, BuildOptions(), warm=warm)
    assert written_keys(result) == {"answer-key"}
    assert [str(f) for f in result.failures] == ["full analysis: the PDF took too long"]
    assert snapshot(out / SLUG)[f"{SLUG}-full-analysis.pdf"] == before[
        f"{SLUG}-full-analysis.pdf"]
    assert written_keys(build([sample], out, BuildOptions())) == {"full-analysis"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_watchs_warm_workers_die_with_it(sample, tmp_path):
    """`kill -9` of a watch leaves no worker behind."""
    from tests.test_faults import group_processes, wait_until_gone
    from tests.test_watch import start_watch

    process, log = start_watch(tmp_path, str(sample), "-o", "out", session=True)
    try:
        deadline = time.monotonic() + 120
        while "watching" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "4 files written." in log.read_text(), log.read_text()
        assert len(group_processes(process.pid)) >= 2  # the watch and its workers
        process.kill()
        process.wait(10)
        assert wait_until_gone(process.pid) == []
    finally:
        if process.poll() is None:
            process.kill()


def test_a_handout_goes_back_to_the_worker_that_made_it_last():
    """The worker that made a handout kept its pages: the next edit of it goes there, unless
    that worker has more to do than another (then the work is shared out)."""
    from types import SimpleNamespace

    from generator.batch.warm import WarmPool

    def job(name: str, size: int):
        return SimpleNamespace(html="x" * size, output=SimpleNamespace(path=Path(name)))

    pool = WarmPool(2)
    names = ("key", "quiz", "leaflet", "analysis")
    first = dict(zip(names, pool._assign([job("key", 5), job("quiz", 6), job("leaflet", 20),
                                          job("analysis", 38)]), strict=True))
    assert first["analysis"] != first["leaflet"] == first["quiz"] == first["key"]
    for _ in range(3):
        assert pool._assign([job("key", 5), job("analysis", 38)]) == [first["key"],
                                                                       first["analysis"]]
    assert pool._assign([job("analysis", 38)]) == [first["analysis"]]
    # both at home on one worker: the larger stays, the other moves to the idle worker
    pool = WarmPool(2)
    assert pool._assign([job("analysis", 38)]) == pool._assign([job("leaflet", 20)]) == [0]
    assert pool._assign([job("leaflet", 20), job("analysis", 38)]) == [1, 0]


def test_watch_lays_out_the_sheet_saved_last_ahead_so_its_first_save_reuses_pages(sample,
                                                                                  tmp_path):
    """The handouts were up to date when watch started, so its first build made nothing; it
    had the workers lay out the sheet's full analysis anyway, and the first one-answer edit
    reuses the pages before the correction. The PDFs are still a plain build's."""
    from generator.batch.warm import WarmPool

    out = tmp_path / "out"
    other = tmp_path / "older.yaml"
    shutil.copy(sample, other)
    text = other.read_text(encoding="utf-8").replace(f"slug: {SLUG}", "slug: older")
    other.write_text(text, encoding="utf-8")
    os.utime(other, (time.time() - 60, time.time() - 60))
    assert build([tmp_path], out, BuildOptions()).ok
    with WarmPool(1) as warm:
        assert build([tmp_path], out, BuildOptions(), warm=warm).written == []
        change_first_answer(sample)
        result = build([tmp_path], out, BuildOptions(), warm=warm)
        assert written_keys(result) == {"answer-key", "full-analysis"}
        assert warm.reused() == [1]
    plain = tmp_path / "plain"
    assert build([sample], plain, BuildOptions()).ok
    for name, (data, _, _) in snapshot(plain / SLUG).items():
        assert snapshot(out / SLUG)[name][0] == data, name
