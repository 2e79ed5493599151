# Every target works on a fresh clone: build, test, lint, snapshot-update and bench set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup build test test-slow test-browser lint e2e snapshot-update bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

build: setup
	$(BIN)/dashgen build --out-dir build

# The suite over every core (pytest-xdist; worksteal: a worker that runs out takes tests from the other, which
# `load` left 7 s behind), without the slow and e2e tiers. Bytecode is allowed for the run even where the
# environment disables it (PYTHONDONTWRITEBYTECODE): pytest caches its assertion-rewritten test modules in
# __pycache__ (git-ignored), which saves each worker ~2 s of recompiling them at every run.
test: setup
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n auto --dist worksteal

# Whole-process timing tests (Ctrl-C while starting, hash-seed determinism): seconds each; CI runs them.
test-slow: setup
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -m slow

# The preview page in the installed headless Chromium (Playwright drives it; no browser is downloaded). Skipped
# without a Chromium unless DASHGEN_REQUIRE_BROWSER=1 (.ci/run sets it).
test-browser: setup
	$(BIN)/pytest -p no:xdist -m browser tests/browser -q

lint: setup
	$(BIN)/ruff check dashgen tests panels alerts bench
	$(BIN)/mypy

e2e: setup
	$(BIN)/pytest -m e2e tests/e2e --durations=0 -q

snapshot-update: setup
	$(BIN)/pytest -p no:xdist tests/test_snapshots.py --snapshot-update

bench: setup  # apply.py (round trips), then speed.py (whole-process A/B figures; a missed target is printed)
	$(BIN)/python bench/apply.py
	$(BIN)/python bench/speed.py

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info $(VENV)
