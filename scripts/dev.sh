#!/bin/sh
# One entry point for people and CI: set everything up, then run a task.
#   sh scripts/dev.sh setup   system packages (Debian/Ubuntu) + .venv with handouts installed
#   sh scripts/dev.sh demo    setup, then render content/ into output/
#   sh scripts/dev.sh serve   setup, then open the studio (`handouts serve`) on this project
#   sh scripts/dev.sh test    setup, then ruff, mypy and the whole test suite (the property
#                             tests draw the same examples on every run)
#   sh scripts/dev.sh fuzz    setup, then only the property tests, with fresh randomness and
#                             FUZZ_TIMES (default 10) times their examples; extra arguments go
#                             to pytest (e.g. -x)
#   sh scripts/dev.sh bench   setup, then the speed and memory benchmark (a few minutes)
#   sh scripts/dev.sh icc     make generator/icc/FOGRA39L-coated.icc again from Debian's
#                             icc-profiles-free data with ArgyllCMS (see generator/icc/README.md)
#   sh scripts/dev.sh mutate  setup, then mutation testing (mutmut) of the modules listed in
#                             pyproject.toml's [tool.mutmut], against the tests that mirror
#                             them (not part of `test` or CI); extra arguments go to
#                             `mutmut run` (e.g. a mutant's name to run it again)
#   sh scripts/dev.sh docs    setup, then build the documentation (docs/, mkdocs.yml) into
#                             site/, a broken link or anchor failing it
# Safe to run again: what is already there is not installed twice.
set -eu
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
# What WeasyPrint needs from the system: Pango, HarfBuzz's subsetter (PDF writing ~4x faster
# than fontTools' fallback), the fonts the styles name; poppler-utils and qpdf for the tests,
# chromium for the web edition's browser tests; gettext (msgfmt) to check the PO files of
# `translate export` as translators' tools read them; LibreOffice's Writer without its windows
# for the tests that open each Word document (--format docx) as a partner would (about 250 MB).
APT_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
fonts-noto-core fonts-noto-color-emoji fonts-open-sans fonts-dejavu-core poppler-utils qpdf \
chromium gettext libreoffice-writer-nogui"

system_packages() {
    packages=$APT_PACKAGES
    if ! "$PYTHON" -c "import ensurepip, venv" 2>/dev/null; then
        packages="$packages python3-venv"
    fi
    # shellcheck disable=SC2086
    if command -v dpkg >/dev/null 2>&1 && dpkg -s $packages >/dev/null 2>&1; then
        return
    fi
    if command -v apt-get >/dev/null 2>&1; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        echo "Installing system packages: $packages"
        $sudo apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            $packages >/dev/null
    else
        echo "No apt-get here: install Pango >= 1.44, HarfBuzz with libharfbuzz-subset, the" >&2
        echo "Noto Sans/Serif and Open Sans fonts, poppler-utils, qpdf, chromium and" >&2
        echo "LibreOffice Writer (for the Word documents' tests) yourself." >&2
    fi
}

python_environment() {
    if [ -x .venv/bin/handouts ] && [ .venv/.installed -nt pyproject.toml ]; then
        return
    fi
    echo "Creating .venv and installing handouts with its test tools"
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
    touch .venv/.installed
}

setup() {
    system_packages
    python_environment
}

task=${1:-setup}
case "$task" in
    setup) setup ;;
    demo)
        setup
        .venv/bin/handouts build content -o output
        ;;
    serve)
        setup
        shift
        exec .venv/bin/handouts serve "$@"
        ;;
    test)
        setup
        .venv/bin/ruff check generator tests benchmarks
        .venv/bin/mypy
        HYPOTHESIS_PROFILE=ci .venv/bin/python -m pytest
        ;;
    fuzz)
        setup
        shift
        HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest -m hypothesis "$@"
        ;;
    bench)
        setup
        .venv/bin/python -m benchmarks
        ;;
    icc)
        APT_PACKAGES="icc-profiles-free argyll" system_packages
        folder=$(mktemp -d)
        cp /usr/share/color/icc/FOGRA39L.ti3 "$folder/"
        (cd "$folder" && colprof -ql -A handouts \
            -D "FOGRA39L coated (ArgyllCMS from Fogra data)" \
            -C "No copyright: built from FOGRA39L.ti3 (zlib licence)" FOGRA39L)
        cp "$folder/FOGRA39L.icc" generator/icc/FOGRA39L-coated.icc
        rm -r "$folder"
        ;;
    mutate)
        setup
        # the version pinned in pyproject.toml's optional group `mutate`
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[mutate]'
        shift
        # mutmut works in a copy of the project, mutants/ (git-ignored), and keeps its results
        # there: a second run tries only the mutants whose code changed
        .venv/bin/mutmut run "$@"
        .venv/bin/mutmut results
        ;;
    docs)
        setup
        .venv/bin/python -m mkdocs build --strict --site-dir site
        echo "The documentation is in site/: open site/index.html"
        ;;
    *)
        echo "usage: sh scripts/dev.sh [setup|demo|serve|test|fuzz|bench|icc|mutate|docs]" >&2
        exit 2
        ;;
esac
