"""Alerting checks that need Grafana: `lint` with an environment asks the datasource (through Grafana's datasource
proxy) which clients exist; and a mute window split at midnight converges on apply."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Small

PROXY = "/api/datasources/proxy/uid/prom-test/api/v1/label/client/values"
DEFAULTS = "    defaults: {orders_max: 30.0}\n"  # the small project's thresholds, which overrides follow
WINDOW = '    low-liquidity: {times: ["00:00-06:00"], location: UTC}\n'


@pytest.fixture
def desk(make: Callable[..., Small], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Small:
    """The small project with alerting against a double whose datasource has the clients acme and beta; dashgen
    runs from `tmp_path`, so lint names the config `<project>/dashgen.yaml`."""
    desk = make(alerting=True)
    desk.grafana.label_values("client", ["acme", "beta"])
    monkeypatch.chdir(tmp_path)
    return desk


def overridden(desk: Small, overrides: str) -> Path:
    """`overrides` (a `clients:` block) under the thresholds' defaults; returns the config's path from `tmp_path`."""
    desk.edit("dashgen.yaml", DEFAULTS, DEFAULTS + overrides)
    return Path(desk.root.name, "dashgen.yaml")


OVERRIDES = "    clients:\n      acme: {orders_max: 40}\n      acmee: {orders_max: 5}\n      zzznew: {orders_max: 5}\n"
KNOWN = "    clients:\n      beta: {orders_max: 5}\n"


def test_lint_with_an_environment_names_each_override_for_a_client_the_datasource_does_not_know(desk: Small) -> None:
    config = overridden(desk, OVERRIDES)
    lines = config.read_text().splitlines()
    acmee, new = lines.index("      acmee: {orders_max: 5}") + 1, lines.index("      zzznew: {orders_max: 5}") + 1
    result = desk.run("--env", "test", "lint")
    assert result.code == 1, result.err
    assert result.out.splitlines() == [
        f'{config}:{acmee}: alerting.thresholds.clients.acmee: error DG301 threshold-coverage: no series in '
        'datasource prom-test has client="acmee" (did you mean acme?): this override judges nobody',
        f'{config}:{new}: alerting.thresholds.clients.zzznew: error DG301 threshold-coverage: no series in '
        'datasource prom-test has client="zzznew": this override judges nobody',
        "lint: 2 error(s), 0 warning(s), 0 suppressed with a reason",
    ]
    assert desk.grafana.count("GET", PROXY) == 1 and desk.grafana.writes() == 0


@pytest.mark.parametrize(("env", "overrides", "asked"), [
    ((), OVERRIDES, 0),  # the unknown clients above go unremarked: no datasource to ask
    (("--env", "test"), KNOWN, 1),
], ids=["without an environment nothing about clients and nobody contacted", "with an environment known clients"])
def test_lint_of_overrides_is_clean(desk: Small, env: tuple[str, ...], overrides: str, asked: int) -> None:
    overridden(desk, overrides)
    result = desk.run(*env, "lint")
    assert (result.code, result.out) == (0, "lint: 0 error(s), 0 warning(s), 0 suppressed with a reason\n")
    assert desk.grafana.count("GET", PROXY) == asked and desk.grafana.count() == asked


def test_an_unknown_client_can_be_suppressed_with_a_reason(desk: Small) -> None:
    config = overridden(desk, "    clients:\n      gamma: {orders_max: 5}\n")
    with config.open("a") as appended:
        appended.write("lint:\n  suppress:\n    - {rule: DG301, location: alerting.thresholds.clients.gamma, "
                       "reason: onboarding next week}\n")
    result = desk.run("--env", "test", "lint")
    assert (result.code, result.out) == (0, "lint: 0 error(s), 0 warning(s), 1 suppressed with a reason\n")


def test_lint_with_an_environment_whose_datasource_grafana_lacks_is_one_line_exit_2(desk: Small) -> None:
    overridden(desk, OVERRIDES)
    desk.edit("dashgen.yaml", "datasource_uid: prom-test", "datasource_uid: prom-gone")
    result = desk.run("--env", "test", "lint")
    assert (result.code, result.out) == (2, "")
    assert result.err == ("dashgen: error: Grafana has no datasource with uid 'prom-gone' (GET "
                          "/api/datasources/proxy/uid/prom-gone/api/v1/label/client/values: 404)\n")


def test_a_window_across_midnight_applies_and_converges(desk: Small) -> None:
    desk.edit("dashgen.yaml", WINDOW, '    low-liquidity: {times: ["22:00-02:00"], weekdays: [saturday:sunday], '
                                      "location: Europe/London}\n")
    desk.apply()  # the double's counts start afresh after it
    (stored,) = desk.grafana.alerting.mute_timings.values()
    assert stored["time_intervals"] == [{
        "times": [{"start_time": "22:00", "end_time": "24:00"}, {"start_time": "00:00", "end_time": "02:00"}],
        "weekdays": ["saturday", "sunday"], "location": "Europe/London"}]
    diff = desk.run("diff")
    assert diff.code == 0, diff.out
    assert desk.grafana.writes() == 0
