"""Each command imports what it needs and no more: start-up is most of a command's time (`make bench`).
Checked in a fresh interpreter, as the console script runs: the modules loaded once the command is done."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .factories import small_project

LOADED = """\
import json, sys
from dashgen.entry import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""
HEAVY = {"grafanalib.core", "jinja2", "yaml", "requests", "grafana_foundation_sdk", "promql_parser"}


def loaded(*args: str, cwd: Path) -> set[str]:
    done = subprocess.run([sys.executable, "-c", LOADED, *args], cwd=cwd, capture_output=True, text=True,
                          check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("build", "--help")])
def test_help_and_version_load_the_command_line_only(args: tuple[str, ...], tmp_path: Path) -> None:
    modules = loaded(*args, cwd=tmp_path)
    assert "typer" in modules
    assert modules & HEAVY == set()
    assert {m for m in modules if m.startswith("dashgen.")} <= {"dashgen.cli", "dashgen.cli_options",
                                                                "dashgen.entry", "dashgen.errors"}


@pytest.mark.parametrize("command", ["build", "lint"])
def test_build_and_lint_do_not_load_the_http_client(command: str, tmp_path: Path) -> None:
    project = small_project(tmp_path / "small", "http://127.0.0.1:9")
    args = ("--project", str(project), command, *(("--out-dir", str(tmp_path / "out")) if command == "build" else ()))
    modules = loaded(*args, cwd=tmp_path)
    assert {"grafanalib.core", "yaml", "grafana_foundation_sdk", "promql_parser"} <= modules  # it did the work
    unneeded = {"requests", "urllib3", "concurrent.futures", "zoneinfo", "difflib", "argparse",
                "dashgen.grafana.client", "dashgen.grafana.settings", "dashgen.sync.plan"}
    assert modules & unneeded == set()
