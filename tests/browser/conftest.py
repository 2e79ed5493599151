"""The browser tier (`make test-browser`, pytest -m browser): the preview page in the installed headless
Chromium, driven by Playwright (never `playwright install`: browsers cannot be downloaded here, and the page must
work in the Chromium a user has). Without a Chromium or Playwright the tests skip, saying so, unless
DASHGEN_REQUIRE_BROWSER=1 (.ci/run sets it): then they fail."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from dashgen.preview import png

REQUIRE_BROWSER = os.environ.get("DASHGEN_REQUIRE_BROWSER") == "1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    """The Chromium dashgen itself would use (png.find_browser), else /usr/bin/chromium; skip or fail without."""
    found = png.find_browser() or shutil.which("/usr/bin/chromium")
    if found is None:
        message = ("no Chromium (apt-get install -y chromium, or set $DASHGEN_CHROMIUM); "
                   "DASHGEN_REQUIRE_BROWSER=1 makes this fail")
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "playwright is not installed (pip install -e '.[dev]'); DASHGEN_REQUIRE_BROWSER=1 makes this fail"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
