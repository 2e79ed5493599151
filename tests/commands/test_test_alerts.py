"""`dashgen test-alerts` on the full project's scenarios with the real promtool, and that a wrong rule fails them.
(The desk's own scenarios run in tests/test_desk.py.)

Without promtool these tests skip, unless DASHGEN_REQUIRE_PROMTOOL=1 (set by .ci/run), when they fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import needs_promtool
from ..factories import edit, small_project


@pytest.fixture
def full(tmp_path: Path) -> Path:
    return small_project(tmp_path / "full", full=True)


@needs_promtool
def test_the_scenarios_pass_after_promtool_checked_every_rule(cli, full: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", str(full), "test-alerts")
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines() == ["ok      promtool check rules: 5 rules",
                                       "ok      alerts/tests/orders.yaml (1 scenarios)",
                                       "ok      alerts/tests/prices.yaml (2 scenarios)",
                                       "test-alerts: 2 scenario files, 0 failed"]


@needs_promtool
def test_a_client_override_that_no_longer_holds_fails_the_scenario_that_names_it(cli, full: Path) -> None:  # type: ignore[no-untyped-def]
    edit(full / "dashgen.yaml", "acme: {quote_age_s: 60}", "acme: {quote_age_s: 40}")
    result = cli("--project", str(full), "test-alerts")
    assert result.code == 1
    assert "FAILED  alerts/tests/prices.yaml" in result.out
    assert "a client with an override is judged by its own limit" in result.out
    assert "ok      alerts/tests/orders.yaml" in result.out


@needs_promtool
def test_a_wrong_for_duration_fails(cli, full: Path) -> None:  # type: ignore[no-untyped-def]
    edit(full / "alerts/rules.py", 'severity="critical", for_="2m"', 'severity="critical", for_="0m"')
    result = cli("--project", str(full), "test-alerts")
    assert result.code == 1 and "FAILED  alerts/tests/orders.yaml" in result.out


@needs_promtool
def test_an_alert_without_a_scenario_is_a_failure(cli, full: Path) -> None:  # type: ignore[no-untyped-def]
    (full / "alerts" / "tests" / "orders.yaml").unlink()
    result = cli("--project", str(full), "test-alerts")
    assert result.code == 1
    assert "FAILED  alert NoOrders has no scenario in alerts/tests/" in result.out


def test_missing_promtool_is_exit_2_with_the_install_hint(cli, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path, full: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = cli("--project", str(full), "test-alerts")
    assert result.code == 2
    assert result.err == ("dashgen: error: promtool not found: install Prometheus and promtool: "
                          "`apt-get install -y prometheus` (Debian/Ubuntu)\n")


@needs_promtool
def test_a_scenario_file_that_is_not_utf8_is_one_line_and_exit_2(cli, full: Path) -> None:  # type: ignore[no-untyped-def]
    scenario = full / "alerts" / "tests" / "orders.yaml"
    scenario.write_bytes(scenario.read_bytes() + b"# caf\xe9\n")
    result = cli("--project", str(full), "test-alerts")
    lines = scenario.read_bytes().count(b"\n")
    assert result.code == 2
    assert result.err.startswith(f"dashgen: error: alerts/tests/orders.yaml:{lines}: not UTF-8: byte 0xe9 at offset ")
    assert result.err.count("\n") == 1
