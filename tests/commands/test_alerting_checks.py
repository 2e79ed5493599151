"""Alerting checks that need Grafana: `lint` with an environment asks the datasource (through Grafana's datasource
proxy) which clients exist; and a mute window split at midnight converges on apply."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ..conftest import CliResult
from ..factories import SLACK_URL, small_project
from ..grafana_double import TOKEN, GrafanaDouble

PROXY = "/api/datasources/proxy/uid/prom-test/api/v1/label/client/values"
Run = Callable[..., CliResult]


@pytest.fixture
def grafana() -> GrafanaDouble:
    with GrafanaDouble() as double:
        double.label_values("client", ["acme", "beta"])
        yield double  # type: ignore[misc]


def project(root: Path, grafana: GrafanaDouble, overrides: str = "", window: str = "") -> Path:
    small_project(root, grafana.url)
    config = root / "dashgen.yaml"
    text = config.read_text()
    if overrides:
        text = text.replace("    defaults: {orders_max: 30.0}\n", f"    defaults: {{orders_max: 30.0}}\n{overrides}")
    if window:
        text = text.replace('    low-liquidity: {times: ["00:00-06:00"], location: UTC}\n',
                            f"    low-liquidity: {window}\n")
    config.write_text(text)
    return root


@pytest.fixture
def run(tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)
    monkeypatch.setenv("SMALL_SLACK_URL", SLACK_URL)
    monkeypatch.chdir(tmp_path)
    return cli


OVERRIDES = "    clients:\n      acme: {orders_max: 40}\n      acmee: {orders_max: 5}\n      zzznew: {orders_max: 5}\n"


def test_lint_with_an_environment_names_each_override_for_a_client_the_datasource_does_not_know(
        tmp_path: Path, grafana: GrafanaDouble, run: Run) -> None:
    root = project(tmp_path / "p", grafana, OVERRIDES)
    lines = (root / "dashgen.yaml").read_text().splitlines()
    acmee, new = lines.index("      acmee: {orders_max: 5}") + 1, lines.index("      zzznew: {orders_max: 5}") + 1
    result = run("--project", "p", "--env", "test", "lint")
    assert result.code == 1, result.err
    assert result.out.splitlines() == [
        f'p/dashgen.yaml:{acmee}: alerting.thresholds.clients.acmee: error DG301 threshold-coverage: no series in '
        'datasource prom-test has client="acmee" (did you mean acme?): this override judges nobody',
        f'p/dashgen.yaml:{new}: alerting.thresholds.clients.zzznew: error DG301 threshold-coverage: no series in '
        'datasource prom-test has client="zzznew": this override judges nobody',
        "lint: 2 error(s), 0 warning(s), 0 suppressed with a reason",
    ]
    assert grafana.count("GET", PROXY) == 1 and grafana.writes() == 0


def test_lint_without_an_environment_says_nothing_about_clients_and_contacts_nobody(
        tmp_path: Path, grafana: GrafanaDouble, run: Run) -> None:
    project(tmp_path / "p", grafana, OVERRIDES)
    result = run("--project", "p", "lint")
    assert (result.code, result.out) == (0, "lint: 0 error(s), 0 warning(s), 0 suppressed with a reason\n")
    assert grafana.count() == 0


def test_lint_with_an_environment_and_only_known_clients_is_clean(tmp_path: Path, grafana: GrafanaDouble,
                                                                   run: Run) -> None:
    project(tmp_path / "p", grafana, "    clients:\n      beta: {orders_max: 5}\n")
    result = run("--project", "p", "--env", "test", "lint")
    assert (result.code, result.out) == (0, "lint: 0 error(s), 0 warning(s), 0 suppressed with a reason\n")


def test_an_unknown_client_can_be_suppressed_with_a_reason(tmp_path: Path, grafana: GrafanaDouble,
                                                            run: Run) -> None:
    root = project(tmp_path / "p", grafana, "    clients:\n      gamma: {orders_max: 5}\n")
    with (root / "dashgen.yaml").open("a") as config:
        config.write("lint:\n  suppress:\n    - {rule: DG301, location: alerting.thresholds.clients.gamma, "
                     "reason: onboarding next week}\n")
    result = run("--project", "p", "--env", "test", "lint")
    assert (result.code, result.out) == (0, "lint: 0 error(s), 0 warning(s), 1 suppressed with a reason\n")


def test_lint_with_an_environment_whose_datasource_grafana_lacks_is_one_line_exit_2(
        tmp_path: Path, grafana: GrafanaDouble, run: Run) -> None:
    root = project(tmp_path / "p", grafana, OVERRIDES)
    config = root / "dashgen.yaml"
    config.write_text(config.read_text().replace("datasource_uid: prom-test", "datasource_uid: prom-gone"))
    result = run("--project", "p", "--env", "test", "lint")
    assert (result.code, result.out) == (2, "")
    assert result.err == ("dashgen: error: Grafana has no datasource with uid 'prom-gone' (GET "
                          "/api/datasources/proxy/uid/prom-gone/api/v1/label/client/values: 404)\n")


def test_a_window_across_midnight_applies_and_converges(tmp_path: Path, grafana: GrafanaDouble, run: Run) -> None:
    project(tmp_path / "p", grafana, window='{times: ["22:00-02:00"], weekdays: [saturday:sunday], '
                                            "location: Europe/London}")
    assert run("--project", "p", "apply", "--yes").code == 0
    (stored,) = grafana.alerting.mute_timings.values()
    assert stored["time_intervals"] == [{
        "times": [{"start_time": "22:00", "end_time": "24:00"}, {"start_time": "00:00", "end_time": "02:00"}],
        "weekdays": ["saturday", "sunday"], "location": "Europe/London"}]
    grafana.reset_counts()
    diff = run("--project", "p", "diff")
    assert diff.code == 0, diff.out
    assert grafana.writes() == 0
