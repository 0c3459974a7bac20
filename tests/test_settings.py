"""Project settings (handouts.toml): init, strict reading, the organisation's look in the PDFs,
theme overrides, defaults of the command's options, incremental builds (#15)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from generator.cli import cli
from generator.settings import FILE_NAME
from tests.conftest import DATA, pdf_text, squash

MINIMAL = DATA / "sheets" / "minimal.yaml"
INVALID = DATA / "settings"
PRIMARY = "#7a1f5c"  # 9.6:1 on white; unlike any built-in colour
ACCENT = "#2e7d32"
LICENCE_URL = "creativecommons.org/licenses/by-nc-sa/4.0"  # written out here, not computed


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _project(folder: Path, settings: str) -> Path:
    """A project folder: `init`, then these settings, a PNG logo, a font file, one sheet."""
    result = _run("init", str(folder), "--name", "Test Org")
    assert result.exit_code == 0, result.output
    (folder / "content" / "my-first-sheet.yaml").unlink()
    shutil.copy(MINIMAL, folder / "content" / "minimal.yaml")
    Image.new("RGB", (60, 30), (122, 31, 92)).save(folder / "theme" / "logo.png")
    font = subprocess.run(["fc-match", "-f", "%{file}", "Open Sans"], capture_output=True,
                          text=True, check=True).stdout
    shutil.copy(font, folder / "theme" / "heading.ttf")
    (folder / FILE_NAME).write_text(settings, encoding="utf-8")
    return folder


THEMED = f"""
[organisation]
name = "Test Org"
logo = "theme/logo.png"
logo_alt = "Test Org: a purple band"
website = "https://test-org.example.org/"
contact = "hello@test-org.example.org"

[colours]
primary = "{PRIMARY}"
accent = "{ACCENT}"

[fonts]
heading = "theme/heading.ttf"

[footer]
licence = "CC BY-NC-SA 4.0"

[build]
output = "printed"
"""


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    """The project built once from inside it, with every handout of a plain build."""
    folder = _project(tmp_path_factory.mktemp("themed") / "project", THEMED)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("HANDOUTS_SETTINGS", raising=False)
        patch.chdir(folder / "content")  # a sub-folder: handouts.toml is found above
        result = _run("build", "-j", "1")
    assert result.exit_code == 0, result.output
    return folder, folder / "printed" / "minimal", result.output


@pytest.fixture
def project_here(monkeypatch):
    monkeypatch.delenv("HANDOUTS_SETTINGS", raising=False)
    return monkeypatch


def test_init_makes_a_project_whose_starter_passes_check(tmp_path, project_here):
    result = _run("init", str(tmp_path / "new"))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "new"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        ".gitignore", "content", "content/my-first-sheet.yaml", "handouts.toml", "theme"]
    assert (folder / ".gitignore").read_text() == "output/\n"
    text = (folder / FILE_NAME).read_text()
    schema = Path(text.splitlines()[0].removeprefix("#:schema "))
    assert json.loads(schema.read_text())["title"] == "handouts.toml"  # the packaged schema
    for section in ("organisation", "colours", "fonts", "footer", "theme", "build", "quiz"):
        assert f"[{section}]" in text
    project_here.chdir(folder)
    assert _run("check", "--strict").exit_code == 0
    again = _run("init", ".")
    assert again.exit_code == 1
    assert again.output == ("error: handouts.toml already exists: this folder is a project "
                            "already; it was left as it is\n")
    assert (folder / FILE_NAME).read_text() == text


def test_the_logo_is_an_image_with_its_alternative_text(themed):
    _, out, _ = themed
    for kind in ("full-analysis", "quiz", "answer-key", "easy-read"):
        with pikepdf.open(out / f"minimal-{kind}.pdf") as pdf:
            images = [image for page in pdf.pages for image in page.get_images().values()]
            assert any((image.Width, image.Height) == (60, 30) for image in images), kind
            alts = [str(obj.get("/Alt")) for obj in pdf.objects
                    if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]
            assert "Test Org: a purple band" in alts, kind


def test_the_colours_and_the_font_reach_the_pdf(themed):
    _, out, _ = themed
    expected = tuple(int(PRIMARY[i:i + 2], 16) / 255 for i in (1, 3, 5))
    with pdfplumber.open(out / "minimal-quiz.pdf") as pdf:
        title = [char for char in pdf.pages[0].chars if char["size"] > 14]
        assert title
        for char in title:
            assert tuple(char["non_stroking_color"]) == pytest.approx(expected, abs=0.01)
            # the project's font file, by its @font-face family: no installed font has it
            assert "handouts-heading" in char["fontname"]


def _whole_text(path: Path) -> str:
    """Every character of every page, the page's foot included (where the footer line sits:
    `pdf_text` leaves the margins' small type out)."""
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_the_licence_and_contact_are_printed(themed):
    _, out, _ = themed
    for kind in ("full-analysis", "quiz", "answer-key"):
        text = squash(_whole_text(out / f"minimal-{kind}.pdf"))
        for part in ("© Test Org", "CC BY-NC-SA 4.0", LICENCE_URL, "test-org.example.org",
                     "hello@test-org.example.org"):
            assert squash(part) in text, (kind, part)
    leaflet = squash(pdf_text(out / "minimal-easy-read.pdf"))
    for part in ("Test Org", "CC BY-NC-SA 4.0", LICENCE_URL, "test-org.example.org"):
        assert squash(part) in leaflet, part


def test_the_settings_output_folder_is_relative_to_the_project(themed):
    folder, out, output = themed
    assert out.is_dir() and not (folder / "content" / "printed").exists()
    assert f"wrote {out / 'minimal-quiz.pdf'} (1 page)" in output  # above here: in full


def test_a_change_of_settings_rebuilds_and_no_change_skips(tmp_path, project_here):
    folder = _project(tmp_path / "p", '[organisation]\nname = "First Name"\n')
    project_here.chdir(folder)
    assert _run("build", "--only", "quiz").exit_code == 0
    quiz = folder / "output" / "minimal" / "minimal-quiz.pdf"
    assert "First Name" in pdf_text(quiz)
    same = _run("build", "--only", "quiz")
    assert same.output == "0 files written, 1 unchanged (--force rebuilds them).\n"
    (folder / FILE_NAME).write_text('[organisation]\nname = "Second Name"\n')
    changed = _run("build", "--only", "quiz")
    assert changed.output.startswith("wrote output/minimal/minimal-quiz.pdf")
    assert "Second Name" in pdf_text(quiz)
    (folder / "theme" / "extra.css").write_text("h1 { letter-spacing: 0.1em; }\n")
    assert _run("build", "--only", "quiz").output.startswith("wrote ")  # a theme file too
    assert "1 unchanged" in _run("build", "--only", "quiz").output


def test_a_theme_template_and_stylesheet_replace_and_add(tmp_path, project_here):
    folder = _project(tmp_path / "p", '[organisation]\nname = "Org"\n')
    project_here.chdir(folder)
    exported = _run("theme", "export", "quiz.html")
    assert exported.exit_code == 0, exported.output
    template = folder / "theme" / "quiz.html"
    text = template.read_text()
    template.write_text(text.replace('<p class="instructions">',
                                     '<p class="marker">Our own quiz template</p>\n'
                                     '<p class="instructions">'))
    (folder / "theme" / "extra.css").write_text(".marker { color: #000080; }\n")
    assert _run("theme", "export", "quiz.html").exit_code == 1  # never over a file
    assert _run("build", "--only", "quiz").exit_code == 0
    with pdfplumber.open(folder / "output" / "minimal" / "minimal-quiz.pdf") as pdf:
        page = pdf.pages[0]
        marker = [c for c in page.chars if c["text"] == "O" and
                  tuple(c["non_stroking_color"]) == pytest.approx((0, 0, 128 / 255), abs=0.01)]
        assert "Our own quiz template" in page.extract_text() and marker


@pytest.mark.parametrize(("name", "expected"), [
    ("low-contrast", [
        "6: colours.primary: #7fb3d5 has a contrast of 2.1:1 on white or the light panels, "
        "under the 4.5:1 text needs to be read by everyone: choose a darker colour (e.g. "
        "#507186)",
        "7: colours.accent: #f4d03f on white has a contrast of 1.5:1, under the 3.0:1 rules "
        "and panel edges need to be seen: choose a darker colour (e.g. #9c8528)"]),
    ("unknown-keys", [
        "3: organisation.webiste: unknown key `webiste` in [organisation]: did you mean "
        "`website`?",
        "5: colors: unknown section `[colors]`: did you mean `colours`?",
        "9: quiz.versions: must be a whole number from 1 to 26, not 'three'",
        "10: quiz.answer_sheet: must be true or false, not 'yes'"]),
    ("outside", [
        "2: organisation.logo: '../outside-logo.svg' is outside the project folder (the "
        "folder of handouts.toml): copy it inside, e.g. into theme/",
        "8: build.paper: 'b5': choose among a4, letter, a5, a3"]),
    ("not-text", [
        "2: organisation.name: holds a code that is not a character (U+FFFF), often left by "
        "copy-paste: delete it",
        "3: organisation.contact: holds control characters: retype it"]),
    ("broken", [
        "2:17: not valid TOML (Illegal character '\\n'): check the quotes, brackets and `=` "
        "of this line"]),
])
def test_bad_settings_are_refused_at_their_line(name, expected, project_here, tmp_path):
    file = INVALID / f"{name}.toml"
    project_here.setenv("HANDOUTS_SETTINGS", str(file))
    project_here.chdir(INVALID)
    for command in (["check", str(MINIMAL)], ["build", str(MINIMAL), "-o", str(tmp_path)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1
        lines = result.output.splitlines()
        count = len([line for line in lines if line.startswith("  ")])
        assert lines[0].startswith(f"error: {count} problem")
        for line in expected:
            assert f"  {name}.toml:{line}" in lines, result.output
    assert not any(tmp_path.iterdir())


def test_an_uninstalled_font_is_refused_with_the_nearest_family(tmp_path, project_here):
    file = tmp_path / FILE_NAME
    file.write_text('[fonts]\nbody = "Noto Serf"\n')
    project_here.chdir(tmp_path)
    result = _run("check", str(MINIMAL))
    assert result.output.splitlines()[1] == (
        "  handouts.toml:2: fonts.body: 'Noto Serf' is not an installed font family: did you "
        "mean `Noto Serif`? (or install it, or put a .ttf/.otf file in the project and name "
        "it)")


def test_a_logo_is_checked_like_a_pictogram(tmp_path, project_here):
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">'
                                       '<script>alert(1)</script></svg>')
    (tmp_path / FILE_NAME).write_text('[organisation]\nlogo = "logo.svg"\n')
    project_here.chdir(tmp_path)
    result = _run("check", str(MINIMAL))
    assert result.exit_code == 1
    assert "handouts.toml:2: organisation.logo: 'logo.svg' " in result.output
    assert "script" in result.output


def test_settings_give_defaults_and_the_command_line_wins(tmp_path, project_here):
    folder = _project(tmp_path / "p", '[build]\npaper = "letter"\nlanguage = "fr"\n'
                                      '[quiz]\nversions = 2\nseed = "7"\n')
    project_here.chdir(folder)
    result = _run("build", "--only", "quiz")
    assert sorted(p.name for p in (folder / "output" / "minimal").iterdir()) == [
        "minimal-quiz-A.pdf", "minimal-quiz-B.pdf"]
    with pikepdf.open(folder / "output" / "minimal" / "minimal-quiz-A.pdf") as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]
    result = _run("build", "--only", "quiz", "--versions", "1", "--paper", "a4", "-o", "other")
    assert result.exit_code == 0, result.output
    with pikepdf.open(folder / "other" / "minimal" / "minimal-quiz.pdf") as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]
    assert _run("new", "essai").exit_code == 0
    assert yaml.safe_load((folder / "content" / "essai.yaml").read_text())["lang"] == "fr"


def test_without_settings_nothing_changes(tmp_path, project_here):
    project_here.chdir(tmp_path)
    assert _run("build", str(MINIMAL), "--only", "quiz", "--format", "html").exit_code == 0
    html = (tmp_path / "output" / "minimal" / "minimal-quiz.html").read_text()
    body = html.split("</style>", 1)[1]
    assert "organisation" not in body and "©" not in body


def test_the_repository_settings_schema_is_up_to_date():
    root = Path(__file__).resolve().parent.parent
    assert (root / "settings.schema.json").read_text() == _run("schema", "--settings").output, (
        "settings.schema.json is out of date: run `handouts schema --settings > "
        "settings.schema.json`")
    assert (root / FILE_NAME).read_text().startswith("#:schema ./settings.schema.json\n")


def test_the_settings_schema_names_every_key():
    schema = json.loads(_run("schema", "--settings").output)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["colours"]["properties"]["primary"]["pattern"]
    assert set(schema["properties"]["quiz"]["properties"]) == {
        "versions", "seed", "answer_sheet", "pre_post", "page_refs"}


def test_the_repository_sample_project_is_valid(project_here):
    root = Path(__file__).resolve().parent.parent
    project_here.chdir(root)
    from generator import api

    settings = api.settings()
    assert settings is not None and settings.file == root / FILE_NAME
    organisation = settings.project.organisation
    assert organisation.logo_uri.startswith("data:image/svg+xml;base64,")
    assert organisation.licence_url == "https://" + LICENCE_URL + "/"


def test_a_theme_stylesheet_under_a_built_in_name_replaces_it(tmp_path):
    from generator.documents.render import Renderer
    from generator.paths import asset
    from generator.settings import load

    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "quiz.css").write_text("/* ours */\n")
    (theme / "b-added.css").write_text("/* b */\n")
    (theme / "a-added.css").write_text("/* a */\n")
    (tmp_path / FILE_NAME).write_text('[colours]\nprimary = "#7a1f5c"\n')
    project = load(tmp_path / FILE_NAME).project
    assert [name for name, _ in project.stylesheets] == ["a-added.css", "b-added.css"]
    renderer = Renderer(project)
    assert renderer.stylesheet("quiz.css") == "/* ours */\n"
    assert renderer.stylesheet("base.css") == (asset("styles") / "base.css").read_text()
    (tmp_path / FILE_NAME).write_text('[theme]\nstylesheets = ["b-added.css"]\n')
    assert [name for name, _ in load(tmp_path / FILE_NAME).project.stylesheets] == [
        "b-added.css"]


@pytest.mark.parametrize("primary", ["#1b5e7a", "#5c6f7e", "#6b5f7a", "#000000", "#8a2d1f"])
def test_accepted_colours_keep_every_text_pair_readable(primary, tmp_path):
    """The pairs of test_accessibility.py, with its own contrast formula, on the custom
    properties the settings write."""
    import re

    from generator.settings import load
    from tests.test_accessibility import contrast

    (tmp_path / FILE_NAME).write_text(f'[colours]\nprimary = "{primary}"\n')
    css = load(tmp_path / FILE_NAME).project.css
    theme = {"ink": "#1f2a33", "muted": "#4f5d69",
             **dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))}
    assert theme["accent"] == primary
    white, zebra = "#ffffff", "#f4f7f9"
    for foreground, background in [("accent", white), ("accent", zebra), (white, "accent"),
                                   ("ink", "accent-soft"), ("accent", "accent-soft"),
                                   ("muted", "accent-soft")]:
        fg, bg = theme.get(foreground, foreground), theme.get(background, background)
        assert contrast(fg, bg) >= 4.5, (foreground, background)


def test_a_font_whose_licence_forbids_embedding_is_refused(tmp_path, project_here):
    from fontTools.ttLib import TTFont

    font = subprocess.run(["fc-match", "-f", "%{file}", "Open Sans"], capture_output=True,
                          text=True, check=True).stdout
    restricted = TTFont(font)
    restricted["OS/2"].fsType = 0x0002  # "restricted licence embedding"
    restricted.save(tmp_path / "closed.ttf")
    (tmp_path / FILE_NAME).write_text('[fonts]\nbody = "closed.ttf"\n')
    project_here.chdir(tmp_path)
    result = _run("check", str(MINIMAL))
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        "  handouts.toml:2: fonts.body: 'closed.ttf': its licence forbids embedding it in "
        "documents: choose a free font (SIL Open Font License, Apache…), e.g. from "
        "fonts.google.com")


# Files named by the settings, and the settings themselves, read by the paths rules (#22 item 3)

GIGABYTES_3 = 3 * 1024 ** 3  # 3,221,225,472


def _capped(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`handouts ARGS` in `folder`, its address space capped at 2 GB (a whole read of a 3 GB
    file fails there instead of filling the machine) and killed after 60 s (a read that
    blocks on a FIFO fails the test instead of hanging it)."""
    import os
    import resource
    import sys

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=folder,
                          capture_output=True, text=True, timeout=60, preexec_fn=cap,
                          env={**os.environ, **env})


def _sparse(file: Path, size: int = GIGABYTES_3) -> None:
    """A file of `size` bytes of holes: it costs no disk."""
    import os

    file.parent.mkdir(parents=True, exist_ok=True)
    with open(file, "wb"):
        pass
    os.truncate(file, size)


@pytest.fixture
def bare(tmp_path, project_here):
    """A project from `init`, with empty settings."""
    result = _run("init", str(tmp_path / "p"), "--name", "Test Org")
    assert result.exit_code == 0, result.output
    (tmp_path / "p" / FILE_NAME).write_text("", encoding="utf-8")
    return tmp_path / "p"


@pytest.mark.parametrize(("make", "env", "expected"), [
    ("fifo", {}, "  handouts.toml: this is a named pipe (FIFO), not a settings file\n"),
    ("loop", {}, "  handouts.toml: this file is a symbolic link that leads round in a loop: "
                 "remove or fix the link\n"),
    ("none", {"HANDOUTS_SETTINGS": "/dev/zero"},
     "  /dev/zero: this is a device, not a settings file\n"),
])
def test_settings_that_are_not_a_file_are_refused_without_blocking(bare, make, env,
                                                                   expected):
    import os

    settings = bare / FILE_NAME
    if make != "none":
        settings.unlink()
    if make == "fifo":
        os.mkfifo(settings)
    elif make == "loop":
        settings.symlink_to(FILE_NAME)
    done = _capped(bare, "check", "content/my-first-sheet.yaml", **env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert expected in done.stderr


def test_fonts_that_are_a_fifo_or_3_gb_are_refused_without_being_read(bare):
    import os

    os.mkfifo(bare / "fonts-body.ttf")
    _sparse(bare / "fonts-heading.ttf")
    (bare / FILE_NAME).write_text('[fonts]\nbody = "fonts-body.ttf"\n'
                                  'heading = "fonts-heading.ttf"\n', encoding="utf-8")
    done = _capped(bare, "check", "content/my-first-sheet.yaml")
    assert done.returncode == 1
    assert done.stderr == (
        "error: 2 problems in handouts.toml:\n"
        "  handouts.toml:2: fonts.body: 'fonts-body.ttf': this is a named pipe (FIFO), not a "
        "font file\n"
        "  handouts.toml:3: fonts.heading: 'fonts-heading.ttf': the file is 3,221,225,472 "
        "bytes; a font file may be at most 20,000,000 bytes: is it the right file?\n")


def test_theme_files_that_are_a_fifo_or_3_gb_are_refused_without_being_read(bare):
    import os

    os.mkfifo(bare / "theme" / "quiz.html")
    _sparse(bare / "theme" / "notes.txt")
    done = _capped(bare, "build", "content/my-first-sheet.yaml", "--format", "html")
    assert done.returncode == 1
    assert done.stderr == (
        "error: 2 problems in handouts.toml:\n"
        "  handouts.toml: theme.folder: 'theme/notes.txt': the file is 3,221,225,472 bytes; "
        "a theme file may be at most 20,000,000 bytes: is it the right file?\n"
        "  handouts.toml: theme.folder: 'theme/quiz.html': this is a named pipe (FIFO), not a "
        "theme file\n")


def test_language_files_that_are_a_fifo_or_3_gb_are_refused_without_being_read(bare):
    import os

    (bare / "languages").mkdir()
    os.mkfifo(bare / "languages" / "xx.toml")
    done = _capped(bare, "check", "content/my-first-sheet.yaml", HANDOUTS_LOCALES="languages")
    assert done.returncode == 1
    assert done.stderr == ("error: languages/xx.toml: this is a named pipe (FIFO), not a "
                           "language file\n")
    (bare / "languages" / "xx.toml").unlink()
    _sparse(bare / "languages" / "en.toml")
    done = _capped(bare, "build", "content/my-first-sheet.yaml", "--format", "html",
                   HANDOUTS_LOCALES="languages")
    assert done.returncode == 1
    assert done.stderr == ("error: languages/en.toml: the file is 3,221,225,472 bytes; a "
                           "language file may be at most 1,000,000 bytes: is it the right "
                           "file?\n")


# Theme templates run in Jinja's sandbox (#22 item 9)

UNSAFE_TYPE = ("this theme template is unsafe (access to attribute '__init__' of 'type' "
               "object is unsafe.)")
SANDBOX_ADVICE = ("; it was stopped before it could run anything: a theme may print the "
                  "values handouts gives it (view, text, kind, css, paper) with Jinja's tags "
                  "and filters, not reach Python's internals: remove that expression from the "
                  "theme file")


@pytest.mark.parametrize(("payload", "expected"), [
    ("{{ cycler.__init__.__globals__.os.popen('touch MARK').read() }}",
     UNSAFE_TYPE + SANDBOX_ADVICE),
    ("{{ joiner.__init__.__globals__.os.system('touch MARK') }}",
     UNSAFE_TYPE + SANDBOX_ADVICE),
    ("{{ lipsum.__globals__['os'].popen('touch MARK').read() }}",
     "this theme template is unsafe (access to attribute '__globals__' of 'function' object "
     "is unsafe.)" + SANDBOX_ADVICE),
    ("{{ self._TemplateReference__context.cycler.__init__.__globals__.os"
     ".popen('touch MARK').read() }}",
     "this theme template is unsafe (access to attribute '_TemplateReference__context' of "
     "'TemplateReference' object is unsafe.)" + SANDBOX_ADVICE),
    ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == "
     "'Popen' %}{{ c('touch MARK', shell=True) }}{% endif %}{% endfor %}",
     "this theme template is unsafe (access to attribute '__class__' of 'str' object is "
     "unsafe.)" + SANDBOX_ADVICE),
    ("{{ config.__class__.__init__.__globals__['os'].popen('touch MARK').read() }}",
     "this theme template is unsafe (access to attribute '__init__' of 'StrictUndefined' "
     "object is unsafe.)" + SANDBOX_ADVICE),
    ("{{ config.items() }}",
     "this theme template failed ('config' is undefined): fix the theme file, or delete it "
     "to use the built-in template"),
])
def test_a_theme_template_cannot_run_code(bare, payload, expected):
    (bare / "theme" / "quiz.html").write_text(
        '{% extends "built-in/quiz.html" %}\n{% block body %}\n' + payload
        + "\n{% endblock %}\n", encoding="utf-8")
    done = _capped(bare, "build", "content/my-first-sheet.yaml", "--format", "html")
    assert not (bare / "MARK").exists()
    assert done.returncode == 1
    assert ("error: content/my-first-sheet.yaml: my-first-sheet-quiz.html: theme/quiz.html:3: "
            f"{expected}\n") in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_theme_template_may_still_use_jinja_and_the_values_it_is_given(bare):
    (bare / "theme" / "quiz.html").write_text(
        '{% extends "built-in/quiz.html" %}\n{% block body %}\n'
        "<p>{{ view.title | upper }} ({{ kind.name }}, {{ paper }}) {{ text.keys() | length > 0 }}"
        "{% for word in view.title.split()[:2] %}[{{ loop.index }}:{{ word }}]{% endfor %}</p>\n"
        "{% endblock %}\n", encoding="utf-8")
    done = _capped(bare, "build", "content/my-first-sheet.yaml", "--format", "html")
    assert done.returncode == 0, done.stderr
    title = yaml.safe_load((bare / "content" / "my-first-sheet.yaml").read_text())["title"]
    words = "".join(f"[{n}:{w}]" for n, w in enumerate(title.split()[:2], 1))
    html = next((bare / "output").rglob("*-quiz.html")).read_text(encoding="utf-8")
    assert f"<p>{title.upper()} (quiz, a4) True{words}</p>" in html


@pytest.mark.parametrize(("primary", "refused"), [("#737373", True), ("#717171", False)])
def test_a_primary_colour_just_under_four_and_a_half_to_one_is_refused(primary, refused,
                                                                       tmp_path):
    """#737373 reads at 4.41:1 on the light panels (#f4f7f9), by test_accessibility's own
    formula: a hair under WCAG AA's 4.5:1, so refused; #717171, at 4.54:1, is accepted."""
    from generator.settings import SettingsError, load
    from tests.test_accessibility import contrast

    ratio = min(contrast(primary, background) for background in ("#ffffff", "#f4f7f9"))
    assert (ratio < 4.5) is refused and abs(ratio - 4.5) < 0.1
    (tmp_path / FILE_NAME).write_text(f'[colours]\nprimary = "{primary}"\n')
    if not refused:
        assert f"--accent: {primary};" in load(tmp_path / FILE_NAME).project.css
        return
    with pytest.raises(SettingsError) as caught:
        load(tmp_path / FILE_NAME)
    (problem,) = caught.value.problems
    assert str(problem).startswith(
        f"{tmp_path / FILE_NAME}:2: colours.primary: #737373 has a contrast of 4.4:1 on white "
        "or the light panels, under the 4.5:1 text needs to be read by everyone: choose a "
        "darker colour (e.g. #")


def _figure_alts(pdf_path: Path) -> list[str]:
    with pikepdf.open(pdf_path) as pdf:
        return [str(obj.get("/Alt")) for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]


def test_a_logo_without_its_own_text_is_described_in_each_sheets_language(tmp_path,
                                                                          project_here):
    folder = _project(tmp_path / "p", '[organisation]\nname = "Test Org"\n'
                      'logo = "theme/logo.png"\n')
    minimal = (folder / "content" / "minimal.yaml").read_text(encoding="utf-8")
    assert "\nlang: en\n" in minimal
    (folder / "content" / "minimal-fr.yaml").write_text(
        minimal.replace("\nlang: en\n", "\nlang: fr\n"), encoding="utf-8")
    project_here.chdir(folder)
    assert _run("build", "--only", "quiz").exit_code == 0
    printed = folder / "output"
    assert "Logo of Test Org" in _figure_alts(printed / "minimal" / "minimal-quiz.pdf")
    assert "Logo de Test Org" in _figure_alts(printed / "minimal-fr" / "minimal-fr-quiz.pdf")
