"""`dashgen test-alerts` on the desk's scenarios with the real promtool, and that a wrong rule fails them.

Without promtool these tests skip, unless DASHGEN_REQUIRE_PROMTOOL=1 (set by .ci/run), when they fail."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ..conftest import REPO

HAVE_PROMTOOL = shutil.which("promtool") is not None
needs_promtool = pytest.mark.skipif(
    not HAVE_PROMTOOL and os.environ.get("DASHGEN_REQUIRE_PROMTOOL") != "1",
    reason="promtool is not installed (apt-get install -y prometheus); DASHGEN_REQUIRE_PROMTOOL=1 makes this fail",
)


def copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    skip = {".venv", ".git", "build", ".dashgen", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}

    def ignore(directory: str, names: list[str]) -> list[str]:
        top = Path(directory) == REPO
        return [n for n in names if n in skip or n.endswith(".egg-info") or (top and n in ("tests", "bench"))]

    shutil.copytree(REPO, root, ignore=ignore)
    return root


@needs_promtool
def test_the_desk_scenarios_pass(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", str(REPO), "test-alerts")
    assert result.code == 0, result.out + result.err
    assert "ok      promtool check rules: 10 rules" in result.out
    assert "test-alerts: 4 scenario files, 0 failed" in result.out


@needs_promtool
def test_a_client_override_that_no_longer_holds_fails_the_scenario_that_names_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = copy_project(tmp_path)
    config = root / "dashgen.yaml"
    config.write_text(config.read_text().replace("acme: {feed_max_age_s: 60}", "acme: {feed_max_age_s: 40}"))
    result = cli("--project", str(root), "test-alerts")
    assert result.code == 1
    assert "FAILED  alerts/tests/freshness.yaml" in result.out
    assert "a client with an override is judged by its own limit" in result.out
    assert "ok      alerts/tests/spread.yaml" in result.out


@needs_promtool
def test_a_wrong_for_duration_fails(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = copy_project(tmp_path)
    rules = root / "alerts" / "rules.py"
    rules.write_text(rules.read_text().replace('severity="critical", for_="2m"', 'severity="critical", for_="0m"'))
    result = cli("--project", str(root), "test-alerts")
    assert result.code == 1 and "FAILED  alerts/tests/orders.yaml" in result.out


@needs_promtool
def test_an_alert_without_a_scenario_is_a_failure(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = copy_project(tmp_path)
    (root / "alerts" / "tests" / "orders.yaml").unlink()
    result = cli("--project", str(root), "test-alerts")
    assert result.code == 1
    assert "FAILED  alert NotQuoting has no scenario in alerts/tests/" in result.out


def test_missing_promtool_is_exit_2_with_the_install_hint(cli, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = cli("--project", str(REPO), "test-alerts")
    assert result.code == 2
    assert result.err == ("dashgen: error: promtool not found: install Prometheus's promtool: "
                          "`apt-get install -y prometheus` (Debian/Ubuntu)\n")


@needs_promtool
def test_a_scenario_file_that_is_not_utf8_is_one_line_and_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = copy_project(tmp_path)
    scenario = root / "alerts" / "tests" / "orders.yaml"
    scenario.write_bytes(scenario.read_bytes() + b"# caf\xe9\n")
    result = cli("--project", str(root), "test-alerts")
    lines = scenario.read_bytes().count(b"\n")
    assert result.code == 2
    assert result.err.startswith(f"dashgen: error: alerts/tests/orders.yaml:{lines}: not UTF-8: byte 0xe9 at offset ")
    assert result.err.count("\n") == 1
