# The two Quick start commands are `make demo` and `make test`; both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What WeasyPrint needs from the system: Pango, HarfBuzz's subsetter (PDF writing ~4x faster
# than fontTools' fallback), the fonts the styles name, and poppler/qpdf for the tests.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
	fonts-noto-core fonts-noto-color-emoji fonts-open-sans fonts-dejavu-core \
	poppler-utils qpdf

.PHONY: setup system-deps demo test lint clean

system-deps:
	@if dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  echo "installing system packages: $(APT_PACKAGES)"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    $(APT_PACKAGES) >/dev/null; \
	else \
	  echo "apt-get not found: install Pango >= 1.44, HarfBuzz (with libharfbuzz-subset), the"; \
	  echo "Noto Sans/Serif and Open Sans fonts, poppler-utils and qpdf with your package manager"; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

setup: system-deps $(VENV)/.installed

demo: setup
	$(BIN)/handouts build content -o output

test: setup
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check generator tests

clean:
	rm -rf output build dist .pytest_cache
