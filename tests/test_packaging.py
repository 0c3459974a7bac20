"""A non-editable install carries its templates and styles and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import DATA, ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The project built as a wheel (offline) and installed into a folder of its own."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(work / "dist"), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next((work / "dist").glob("handouts-*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(work / "site"), str(wheel)],
        check=True, capture_output=True,
    )
    return wheel, work / "site"


def test_wheel_contains_templates_and_styles(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for asset in ("generator/templates/quiz.html", "generator/templates/base.html",
                  "generator/styles/base.css", "generator/styles/easy-read.css",
                  "generator/schema.json", "generator/locales/en.toml",
                  "generator/locales/fr.toml", "generator/locales/es.toml",
                  "generator/pictograms/house.svg", "generator/pictograms/index.tsv",
                  "generator/pictograms/LICENSE.txt", "generator/templates/web/analysis.html",
                  "generator/templates/web/_layout.html", "generator/styles/web.css",
                  "generator/styles/web.js", "generator/styles/web-icon.svg"):
        assert asset in names


def test_installed_command_builds_from_another_folder(installed, tmp_path):
    _, site = installed
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import generator.paths as p; print(p.asset('styles'))"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert where == str(site / "generator" / "styles")
    result = subprocess.run(
        [str(site / "bin" / "handouts"), "build", str(DATA / "sheets" / "minimal.yaml"),
         "-o", "handouts-out", "--only", "quiz"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "handouts-out" / "minimal" / "minimal-quiz.pdf").stat().st_size > 1000
