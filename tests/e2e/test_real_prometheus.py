"""The compiled board and alerts against a real Prometheus holding a synthetic desk (`make e2e`).

Every panel query, with its variables resolved once to a single value each and once to All, returns data over
the 6 hours; every variable's label_values returns the generated values; every alert query evaluates (and on the
healthy desk, no alert condition holds). Skipped without Prometheus unless DASHGEN_REQUIRE_PROMTOOL=1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from dashgen.board import walk
from dashgen.catalogue import load_catalogue
from dashgen.lint.promql import selectors
from dashgen.preview.prometheus import PrometheusClient
from dashgen.preview.synthetic import Desk
from dashgen.project import CompiledProject, compile_project, load_project

from ..conftest import REPO
from .prometheus import DOMAINS, E2E, serve

pytestmark = E2E

DESK = Desk()
STEP = 60
SINGLE = {"client": "acme", "exchange": "binance", "symbol": "BTC-USDT", "account": "a1", "tag": "core",
          "ref": "USD", "asset": "BTC", "interval": "5m"}
ALL = {**{name: ".*" for name in SINGLE}, "ref": "USD", "interval": "5m"}  # ref is single-select, no All
MACROS = {"__rate_interval": "1m", "__interval": "1m", "__range": f"{DESK.hours}h",
          "__range_s": str(DESK.hours * 3600)}
VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")


def resolve(expr: str, values: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return {**MACROS, **values}.get(name, match.group(0))

    return VARIABLE.sub(replace, expr)


@pytest.fixture(scope="module")
def compiled() -> CompiledProject:
    return compile_project(load_project(REPO))


@pytest.fixture(scope="module")
def prometheus() -> Iterator[PrometheusClient]:
    with serve(load_catalogue(REPO), DESK, DOMAINS) as client:
        yield client


def panel_targets(compiled: CompiledProject) -> list[tuple[str, str, str]]:
    return [(at.location, at.ref_id, at.target["expr"]) for at in walk.targets(compiled.board.dashboard)]


@pytest.mark.parametrize("values", [SINGLE, ALL], ids=["single-value", "all"])
def test_every_panel_query_returns_data(prometheus: PrometheusClient, compiled: CompiledProject,
                                        values: dict[str, str]) -> None:
    empty = []
    targets = panel_targets(compiled)
    assert targets  # (counted nowhere: a panel more or less on the desk needs no change here)
    for where, ref_id, expr in targets:
        result = prometheus.query_range(resolve(expr, values), DESK.start, DESK.end, STEP)
        if not result:
            empty.append(f"{where} [{ref_id}]: {resolve(expr, values)}")
    assert empty == []


def test_every_variable_returns_the_generated_values(prometheus: PrometheusClient, compiled: CompiledProject) -> None:
    checked = []
    for variable in compiled.board.dashboard["templating"]["list"]:
        if variable["type"] != "query":
            continue
        match = re.fullmatch(r"label_values\((.*), (\w+)\)", variable["query"])
        assert match, variable["query"]
        selector, label = resolve(match.group(1), ALL), match.group(2)
        found = prometheus.label_values(label, selector, DESK.start, DESK.end)
        assert sorted(found) == sorted(DOMAINS[label]), variable["name"]
        checked.append(variable["name"])
    assert checked, "the board has query variables, and each was asked"


def test_every_alert_query_evaluates_and_the_healthy_desk_fires_nothing(prometheus: PrometheusClient,
                                                                        compiled: CompiledProject) -> None:
    assert compiled.alerting is not None
    for rule in compiled.alerting.rules:
        assert all(s.metric for s in selectors(rule.expr))
        values: list[Any] = prometheus.query(rule.expr, DESK.end)
        assert values, f"{rule.title}: query A returned no series on the synthetic desk"
        assert prometheus.query(rule.condition, DESK.end) == [], f"{rule.title} holds on healthy data"
