"""The `handouts build` command as a user runs it: files written, messages and exit codes."""

from __future__ import annotations

import importlib
import os
import re
import shutil

import pytest
import yaml

from tests.conftest import DATA, KIND_NAMES, NO_FONT_HAS

MINIMAL = DATA / "sheets" / "minimal.yaml"
N = len(KIND_NAMES)  # the handouts of a plain build, from the registry


@pytest.fixture
def sheet(tmp_path):
    target = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, target)
    return target


def outputs(folder, extension="pdf"):
    return {f"minimal-{kind}.{extension}" for kind in KIND_NAMES}


def test_build_writes_every_default_pdf_one_line_each(run, sheet, tmp_path):
    result = run("build", str(sheet), "-o", "out")
    assert result.exit_code == 0, result.output
    written = {p.name for p in (tmp_path / "out" / "minimal").iterdir()}
    assert written == outputs(tmp_path)
    lines = result.output.splitlines()
    assert len(lines) == N + 1
    assert all(line.startswith("wrote out/minimal/minimal-") for line in lines[:N])
    assert lines[N] == f"{N} files written."


def test_default_paths_are_content_and_output(run, sheet, tmp_path):
    (tmp_path / "content").mkdir()
    shutil.move(sheet, tmp_path / "content" / "minimal.yaml")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "output" / "minimal").iterdir()} == outputs(tmp_path)


def test_no_content_folder_is_a_clear_error(run):
    result = run("build")
    assert result.exit_code == 1
    assert "no sheet given and no content/ folder here" in result.output


def test_only_and_html_format(run, sheet, tmp_path):
    result = run("build", str(sheet), "-o", "out", "--only", "quiz,answer-key", "--format", "html")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out" / "minimal").iterdir())
    assert written == ["minimal-answer-key.html", "minimal-quiz.html"]
    html = (tmp_path / "out" / "minimal" / "minimal-quiz.html").read_text(encoding="utf-8")
    assert "Which one is right?" in html and "<style>" in html


def test_letter_paper(run, sheet, tmp_path):
    from pypdf import PdfReader

    assert run("build", str(sheet), "-o", "out", "--paper", "letter",
               "--only", "quiz").exit_code == 0
    box = PdfReader(tmp_path / "out" / "minimal" / "minimal-quiz.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.parametrize("args", [["--only", "poster"], ["--format", "odt"],
                                  ["--paper", "b5"], ["--nope"]])
def test_usage_errors_exit_2(run, sheet, args):
    result = run("build", str(sheet), *args)
    assert result.exit_code == 2


def test_invalid_sheet_exits_1_naming_file_and_line(run, tmp_path):
    shutil.copy(DATA / "invalid" / "answer-not-a-choice.yaml", tmp_path / "bad.yaml")
    result = run("build", "bad.yaml", "-o", "out")
    assert result.exit_code == 1
    assert "bad.yaml:28:13: quiz[1].answer: 'c' is not the letter of a choice" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_missing_path_exits_1(run):
    result = run("build", "nowhere.yaml")
    assert result.exit_code == 1
    assert "nowhere.yaml: no such file or folder" in result.output


def test_a_bad_sheet_does_not_stop_the_others(run, sheet, tmp_path):
    shutil.copy(DATA / "invalid" / "empty.yaml", tmp_path / "empty.yaml")
    result = run("build", "empty.yaml", str(sheet), "-o", "out")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "minimal" / "minimal-quiz.pdf").exists()
    assert f"{N} files written, 1 sheet failed, its earlier handouts kept as they were." in (
        result.output)


def test_failed_rebuild_leaves_earlier_outputs_byte_identical(run, sheet, tmp_path):
    assert run("build", str(sheet), "-o", "out").exit_code == 0
    folder = tmp_path / "out" / "minimal"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("answer: a", "answer: q"),
                     encoding="utf-8")
    assert run("build", str(sheet), "-o", "out").exit_code == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_render_failure_midway_writes_nothing(run, sheet, tmp_path, monkeypatch):
    from generator.documents import render
    from generator.errors import RenderError

    calls = []
    original = render.Renderer.pdf

    def failing_third(self, html, **options):
        calls.append(1)
        if len(calls) == 3:
            raise RenderError("boom")
        return original(self, html, **options)

    monkeypatch.setattr(render.Renderer, "pdf", failing_third)
    result = run("build", str(sheet), "-o", "out")
    assert result.exit_code == 1
    assert "boom" in result.output
    assert not any((tmp_path / "out").rglob("*.pdf"))


def test_output_folder_that_is_a_file(run, sheet, tmp_path):
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    result = run("build", str(sheet), "-o", "out")
    assert result.exit_code == 1
    assert "out" in result.output and "Traceback" not in result.output


def test_version_and_help(run):
    assert run("--version").exit_code == 0
    help_text = run("build", "--help").output
    for option in ("--output", "--only", "--format", "--paper"):
        assert option in help_text


def test_check_reports_warnings_and_passes_unless_strict(run, sheet):
    result = run("check", str(sheet))
    assert result.exit_code == 0, result.output
    assert "minimal.yaml:26:5: warning: quiz[1]: no `explanation`" in result.output
    assert "minimal.yaml: valid, 6 warnings (easy-read: Flesch reading ease" in result.output
    strict = run("check", "--strict", str(sheet))
    assert strict.exit_code == 1
    assert "--strict: warnings count" in strict.output


def test_check_reports_every_error_and_exits_1(run, tmp_path):
    shutil.copy(DATA / "invalid" / "several-problems.yaml", tmp_path / "bad.yaml")
    result = run("check", "bad.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines()[:3] == [
        "bad.yaml:28:13: quiz[1].answer: 'z' is not the letter of a choice: write one of a, b",
        "bad.yaml:29:5: quiz[1].explanaton: unknown field `explanaton`: did you mean "
        "`explanation`?",
        "bad.yaml: invalid, 2 problems",
    ]


def test_new_then_check_then_build(run, tmp_path):
    result = run("new", "screens-and-sleep", "--lang", "fr")
    assert result.exit_code == 0, result.output
    target = tmp_path / "content" / "screens-and-sleep.yaml"
    assert target.exists()
    assert run("check", "--strict").exit_code == 0
    assert run("new", "screens-and-sleep").exit_code == 1
    assert run("build", "--only", "quiz").exit_code == 0


def test_new_from_a_title_names_the_sheet_after_it(run, tmp_path):
    """A user types the document's title instead of a name: the file is named after its
    first significant words, and the sheet holds the title, quotes and all."""
    title = 'Écrans et "sommeil" des enfants : un guide \\ pratique'
    result = run("new", title, "--lang", "fr")
    assert result.exit_code == 0, result.output
    target = tmp_path / "content" / "ecrans-sommeil-enfants-guide-pratique.yaml"
    assert result.output.startswith(f"wrote content/{target.name}, named after the title")
    sheet = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert sheet["title"] == title and sheet["slug"] == target.stem
    assert run("check", "--strict").exit_code == 0
    result = run("new", "!!!")
    assert result.exit_code == 1
    assert "'!!!' cannot be used as a sheet name: use only lowercase letters a-z, digits " \
        "and hyphens" in result.output


def test_spanish_new_check_and_build_speak_spanish(run, tmp_path):
    result = run("new", "pantallas-y-sueno", "--lang", "es")
    assert result.exit_code == 0, result.output
    target = tmp_path / "content" / "pantallas-y-sueno.yaml"
    assert "lang: es" in target.read_text(encoding="utf-8")
    result = run("check", "--strict")
    assert result.exit_code == 0, result.output
    assert "(easy-read: Szigriszt-Pazos/INFLESZ " in result.output
    result = run("build", "--only", "quiz,answer-key")
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    folder = tmp_path / "output" / "pantallas-y-sueno"
    quiz = PdfReader(folder / "pantallas-y-sueno-quiz.pdf").pages[0].extract_text()
    assert "CUESTIONARIO" in quiz and "Marca una sola respuesta en cada pregunta." in quiz
    assert "¿Una pregunta sobre el documento? págs. 10–12" in quiz
    key = PdfReader(folder / "pantallas-y-sueno-answer-key.pdf").pages[0].extract_text()
    assert "Respuesta correcta: B La respuesta correcta" in key


def test_schema_prints_json(run):
    import json

    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.output)["properties"]["quiz"]["description"]


def test_missing_glyph_warns_with_the_sheet_name_and_strict_fails(run, sheet, tmp_path):
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("A minimal sheet",
                                                               f"A minimal {NO_FONT_HAS} sheet"),
                     encoding="utf-8")
    result = run("build", str(sheet), "-o", "out", "--only", "quiz")
    assert result.exit_code == 0
    assert "minimal.yaml: minimal-quiz.pdf: the character" in result.output
    assert "(U+0378)" in result.output
    strict = run("build", str(sheet), "-o", "strict", "--only", "quiz", "--strict")
    assert strict.exit_code == 1
    assert not (tmp_path / "strict").exists()


def test_unchanged_outputs_are_skipped_until_something_changes(run, sheet, tmp_path):
    assert run("build", str(sheet), "-o", "out").exit_code == 0
    quiz = tmp_path / "out" / "minimal" / "minimal-quiz.pdf"
    first = quiz.stat().st_mtime_ns
    again = run("build", str(sheet), "-o", "out")
    assert again.exit_code == 0
    assert again.output.strip() == f"0 files written, {N} unchanged (--force rebuilds them)."
    assert quiz.stat().st_mtime_ns == first
    forced = run("build", str(sheet), "-o", "out", "--force", "--only", "quiz")
    assert forced.output.splitlines()[-1] == "1 file written."
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("Because.", "Because!"),
                     encoding="utf-8")
    edited = run("build", str(sheet), "-o", "out")
    # a FAQ answer is printed in the full analysis only: the other handouts are kept
    assert edited.output.splitlines()[-1] == (f"1 file written, {N - 1} unchanged (--force "
                                              "rebuilds them).")
    assert "minimal-full-analysis.pdf" in edited.output.splitlines()[0]
    quiz.write_bytes(b"damaged")
    repaired = run("build", str(sheet), "-o", "out", "--only", "quiz")
    assert repaired.output.splitlines()[-1] == "1 file written."
    assert quiz.read_bytes().startswith(b"%PDF")


def test_other_options_make_other_outputs(run, sheet):
    assert run("build", str(sheet), "-o", "out", "--only", "quiz").exit_code == 0
    letter = run("build", str(sheet), "-o", "out", "--only", "quiz", "--paper", "letter")
    assert letter.output.splitlines()[-1] == "1 file written."


def test_a_changed_pictogram_is_noticed(run, sheet, tmp_path):
    (tmp_path / "p.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" '
                                    'height="4"><rect width="4" height="4"/></svg>')
    text = sheet.read_text(encoding="utf-8").replace(
        '    - heading: "What is it?"', '    - heading: "What is it?"\n      pictogram: p.svg')
    sheet.write_text(text, encoding="utf-8")
    assert run("build", str(sheet), "-o", "out", "--only", "easy-read").exit_code == 0
    (tmp_path / "p.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" '
                                    'height="4"><circle r="2" cx="2" cy="2"/></svg>')
    again = run("build", str(sheet), "-o", "out", "--only", "easy-read")
    assert again.output.splitlines()[-1] == "1 file written."


def test_two_jobs_build_a_batch_in_order(run, sheet, tmp_path):
    second = tmp_path / "second.yaml"
    second.write_text(sheet.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("build", str(sheet), str(second), "-o", "out", "--jobs", "2",
                 "--only", "quiz")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "wrote out/minimal/minimal-quiz.pdf (1 page)",
        "wrote out/second/second-quiz.pdf (1 page)",
        "2 files written.",
    ]


def test_two_sheets_with_one_slug_are_refused(run, sheet, tmp_path):
    twin = tmp_path / "twin.yaml"
    twin.write_text("slug: minimal\n" + sheet.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("build", str(sheet), str(twin), "-o", "out", "--only", "quiz")
    assert result.exit_code == 1
    assert "'minimal' is also the slug of" in result.output


def test_a_no_change_rebuild_does_not_load_the_pdf_engine(run, sheet, tmp_path):
    import subprocess
    import sys

    assert run("build", str(sheet), "-o", "out").exit_code == 0
    probe = ("import sys\nfrom generator.cli import cli\n"
             "try:\n    cli(['build', sys.argv[1], '-o', sys.argv[2]])\n"
             "except SystemExit:\n    pass\n"
             "print('loaded' if 'weasyprint' in sys.modules or 'pydantic' in sys.modules "
             "else 'light')")
    output = subprocess.run([sys.executable, "-c", probe, str(sheet), str(tmp_path / "out")],
                            capture_output=True, text=True, check=True).stdout
    assert output.splitlines()[-1] == "light"


# --- a bug in handouts: one line and a saved traceback, in every command -----------------

BROKEN = {  # command → (module, function it calls, arguments)
    "build": ("generator.api", "build", ["build", "minimal.yaml", "-o", "out"]),
    "watch": ("generator.batch.watch", "watch_and_build", ["watch", "minimal.yaml", "-o", "out"]),
    "check": ("generator.api", "check", ["check", "minimal.yaml"]),
    "import": ("generator.api", "import_page", ["import", "page.txt"]),
    "new": ("generator.api", "new", ["new", "my-sheet"]),
    "init": ("generator.api", "init", ["init", "project"]),
    "theme export": ("generator.api", "export_theme", ["theme", "export", "base.css"]),
    "schema": ("generator.sheet.schema", "schema_text", ["schema"]),
}


def saved_bugs(cache):
    folder = cache / "handouts"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("command", list(BROKEN))
def test_an_unexpected_exception_in_any_command_is_one_line_and_a_saved_traceback(
        run, sheet, tmp_path, monkeypatch, command):
    module, name, args = BROKEN[command]
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    (tmp_path / "page.txt").write_text("a page\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("an internal mistake\non two lines")

    monkeypatch.setattr(importlib.import_module(module), name, broken)
    result = run(*args)
    saved = saved_bugs(cache)
    assert len(saved) == 1 and re.fullmatch(r"handouts-bug-\d{8}-\d{6}-\d+\.txt", saved[0].name)
    assert (result.exit_code, result.output) == (
        1, "error: handouts failed unexpectedly (RuntimeError: an internal mistake on two "
           "lines). This is a bug in handouts, not in your files: please report it, with this "
           f"message and the file {saved[0]}, which holds the details\n")
    details = saved[0].read_text(encoding="utf-8")
    assert details.startswith("handouts ")
    assert "Traceback (most recent call last):" in details
    assert "in broken\n" in details and details.endswith(
        "RuntimeError: an internal mistake\non two lines\n")


def test_a_bug_building_one_sheet_names_the_file_its_traceback_is_in(run, sheet, tmp_path,
                                                                    monkeypatch):
    from generator.view import sheetview

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))

    def broken(loaded_sheet):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(sheetview, "build_view", broken)
    result = run("build", "minimal.yaml", "-o", "out", "--only", "quiz", "-j", "1")
    saved = saved_bugs(cache)
    assert len(saved) == 1
    assert result.exit_code == 1
    assert ("error: minimal.yaml: handouts failed unexpectedly (ZeroDivisionError: division by "
            "zero). This is a bug in handouts, not in your sheet: please report it, with this "
            f"message and the sheet file; the details are in {saved[0]}\n") in result.output
    assert "Traceback" not in result.output
    details = saved[0].read_text(encoding="utf-8")
    assert "command: building minimal.yaml\n" in details
    assert "in broken\n" in details and "ZeroDivisionError: division by zero" in details


# --- file names with control characters are shown escaped --------------------------------


@pytest.mark.parametrize("name", ["a\nb", "a\x1bb", "a\tb"])
def test_a_file_name_with_a_control_character_is_shown_escaped(run, tmp_path, name):
    shown = ascii(name)[1:-1]  # a\nb, a\x1bb, a\tb
    text = MINIMAL.read_text(encoding="utf-8").replace("format: 1\n",
                                                       "format: 1\nslug: minimal\n")
    (tmp_path / f"{name}.yaml").write_text(text + "bogus: 1\n", encoding="utf-8")
    line = len((text + "bogus: 1\n").splitlines())
    result = run("check", f"{name}.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        f"{shown}.yaml:{line}:1: bogus: unknown field `bogus`: the fields allowed here are "
        "`format`, `lang`, `slug`, `title`, `short_title`, `source`, `sheet`, `highlights`, "
        "`introduction`, `summary`, `key_points`, `action_paths`, `references`, `values`, "
        "`reliability`, `quiz`, `faq`, `easy_read`, `tags`, `translation_of`",
        f"{shown}.yaml: invalid, 1 problem"]
    (tmp_path / f"{name}.txt").write_text("nothing\n", encoding="utf-8")
    imported = run("import", f"{name}.txt")
    assert (imported.exit_code, imported.output) == (
        1, f"error: {shown}.txt: no section of a resource analysis sheet was found (analytical "
           "summary, key points, quiz…): is it a published sheet page?; nothing was written\n")
    (tmp_path / f"{name}.yaml").unlink()
    made = run("new", "sheet", "--dir", name)
    assert made.output.startswith(f"wrote {shown}/sheet.yaml: fill it in, then `handouts "
                                  f"check {shown}/sheet.yaml`")
    again = run("new", "sheet", "--dir", name)
    assert (again.exit_code, again.output) == (
        1, f"error: {shown}/sheet.yaml already exists; it was left as it is: choose another "
           "name, or delete it first\n")


def test_new_onto_a_full_disk_leaves_nothing_and_the_retry_writes(run, tmp_path, monkeypatch):
    import errno
    import os

    real_write = os.write

    def full_disk(descriptor, data):
        if descriptor <= 2:
            return real_write(descriptor, data)
        real_write(descriptor, bytes(data)[:10])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", full_disk)
        result = run("new", "sheet")
    assert (result.exit_code, result.output) == (
        1, "error: content/sheet.yaml: cannot be written (No space left on device): choose "
           "another folder with --dir\n")
    assert list((tmp_path / "content").iterdir()) == []
    retry = run("new", "sheet")
    assert retry.exit_code == 0, retry.output
    assert yaml.safe_load((tmp_path / "content" / "sheet.yaml").read_text(encoding="utf-8"))


BLOCKED_PROBE = (
    "import sys\nfrom generator.cli import cli\n"
    "try:\n    cli(['build', *sys.argv[1:], '-j', '1'])\n"
    "except SystemExit as stop:\n    print('exit', stop.code)\n"
    "print('rendered' if 'weasyprint' in sys.modules else 'not rendered')")


@pytest.mark.parametrize("output, message", [
    ("out", "error: out: a file has this name; the output needs a folder here: choose "
            "another one with -o"),
    ("out/inside", "error: out/inside: the output folder cannot be created (out is a file): "
                   "choose another one with -o"),
])
def test_a_blocked_output_folder_is_said_once_before_rendering(sheet, tmp_path, output,
                                                               message):
    """Two sheets into a folder that cannot be made: one message, and no sheet rendered (the
    PDF engine is never loaded), not one message per sheet after rendering them all."""
    import subprocess
    import sys

    other = tmp_path / "other.yaml"
    other.write_text("slug: other\n" + sheet.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", BLOCKED_PROBE, str(sheet), str(other), "-o",
                          output], capture_output=True, text=True, cwd=tmp_path)
    assert run.stderr == f"{message}\n0 files written.\n"
    assert run.stdout.splitlines() == ["exit 1", "not rendered"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_read_only_output_folder_is_said_once_before_rendering(sheet, tmp_path):
    import subprocess
    import sys

    other = tmp_path / "other.yaml"
    other.write_text("slug: other\n" + sheet.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out").chmod(0o555)
    try:
        run = subprocess.run([sys.executable, "-c", BLOCKED_PROBE, str(sheet), str(other),
                              "-o", "out"], capture_output=True, text=True, cwd=tmp_path)
    finally:
        (tmp_path / "out").chmod(0o755)
    assert run.stderr == ("error: out: the output folder is not writable: choose another one "
                          "with -o, or change its permissions\n0 files written.\n")
    assert run.stdout.splitlines() == ["exit 1", "not rendered"]


def test_a_build_gives_up_waiting_for_another_after_the_wait_option(sheet, tmp_path):
    """Another build holds the output folder: the wait is said after 2 s, and the build gives
    up after --wait seconds with a message that names the option, writing nothing."""
    import fcntl
    import subprocess
    import sys

    from generator.documents.writer import LOCK

    (tmp_path / "out").mkdir()
    with open(tmp_path / "out" / LOCK, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run = subprocess.run([sys.executable, "-m", "generator", "build", str(sheet), "-o",
                              "out", "--wait", "3"], capture_output=True, text=True,
                             cwd=tmp_path, timeout=120)
    assert run.returncode == 1
    assert run.stderr == (  # the holder named by its process number: this test's
        "waiting for the build in progress in out… (another handouts build holds its lock)\n"
        f"error: out: another handouts command (process {os.getpid()}) is still using this "
        "output folder after 3 s of waiting: let it finish, or stop it (Ctrl+C in its "
        "window), then build again; or wait longer with --wait SECONDS\n"
        "0 files written.\n")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [LOCK]


HOLD_THE_LOCK = """
import fcntl, sys
held = open(sys.argv[1], "w")
fcntl.flock(held, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


def test_a_paused_build_holding_the_folder_is_named_with_how_to_resume_it(sheet, tmp_path):
    """The other command holding the output folder was paused with Ctrl+Z (it holds the
    folder until it is resumed): the build that gives up says so, with its process number,
    and how to resume it; once resumed and done, the build goes through."""
    import signal
    import subprocess
    import sys

    from generator.documents.writer import LOCK

    (tmp_path / "out").mkdir()
    other = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(tmp_path / "out" / LOCK)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline() == "held\n"
        other.send_signal(signal.SIGSTOP)  # what Ctrl+Z sends (SIGTSTP) does the same
        run = subprocess.run([sys.executable, "-m", "generator", "build", str(sheet), "-o",
                              "out", "--wait", "1", "--only", "quiz"], capture_output=True,
                             text=True, cwd=tmp_path, timeout=120)
        assert run.returncode == 1
        assert run.stderr == (
            f"error: out: another handouts command (process {other.pid}) is using this output "
            "folder, and it is paused (Ctrl+Z in its window): resume it (type `fg` in that "
            "window) or stop it, then build again\n"
            "0 files written.\n")
        other.send_signal(signal.SIGCONT)
        other.communicate("", timeout=60)  # its work done, it lets go of the folder
        again = subprocess.run([sys.executable, "-m", "generator", "build", str(sheet), "-o",
                                "out", "--wait", "1", "--only", "quiz"], capture_output=True,
                               text=True, cwd=tmp_path, timeout=120)
        assert again.returncode == 0, again.stderr
    finally:
        other.kill()
        other.wait(10)


@pytest.mark.parametrize("in_place", ["link", "folder"])
def test_a_link_or_folder_in_place_of_the_lock_is_said_once(run, sheet, tmp_path, in_place):
    """The lock file's place taken: said once, as such (not as the system's "too many levels
    of symbolic links"), and nothing is built, since nothing could be written."""
    from generator.documents.writer import LOCK

    out = tmp_path / "out"
    out.mkdir()
    if in_place == "link":
        (out / LOCK).symlink_to(tmp_path / "elsewhere")
    else:
        (out / LOCK).mkdir()
    result = run("build", str(sheet), "-o", "out", "--only", "quiz")
    assert result.exit_code == 1
    what = "a symbolic link" if in_place == "link" else "a folder"
    assert result.output == (
        f"error: out/{LOCK}: handouts keeps this file to stop two builds writing into out at "
        f"once, but {what} is in its place: delete it, or choose another output folder with "
        "-o\n"
        "0 files written.\n")
    assert sorted(path.name for path in out.iterdir()) == [LOCK]
    assert not (tmp_path / "elsewhere").exists()
