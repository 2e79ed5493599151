"""Client and venue names with `-`, `.`, a quote and a backslash, on a real Prometheus (`make e2e`): promtool accepts
the rule file, each override's rule selects exactly its client's series, the default rule exactly the others, and
a panel's fixed matcher exactly its venue. Skipped without Prometheus unless DASHGEN_REQUIRE_PROMTOOL=1."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashgen.alerting.prometheus import dumps
from dashgen.catalogue import load_catalogue
from dashgen.preview.prometheus import PrometheusClient
from dashgen.preview.synthetic import Desk
from dashgen.project import CompiledProject, compile_project, load_project

from ..factories import edit, small_project
from .prometheus import E2E, serve

pytestmark = E2E

DESK = Desk(hours=1)
CLIENTS = ["acme", "acme-eu", "bit.x", "bitXx", "bit-x", 'o"neil', "back\\slash"]
OVERRIDDEN = ["acme-eu", "bit.x", 'o"neil', "back\\slash"]  # bitXx and bit-x would match an unescaped bit.x
EXCHANGES = ["binance", "okx.eu", "okxXeu", 'bin"ance\\x']
VENUES = {"Dotted venue": "okx.eu", "Odd venue": 'bin"ance\\x'}  # panel -> its fixed exchange
VENUE_PANEL = """\
from dashgen.dsl import query, section, stat

SECTION = section("Venues", order=3, panels=[{panels}])
"""


def _venue_panel(title: str, venue: str) -> str:
    """A stat panel filtered on one exchange, the value written as a jinja2 string literal (JSON's escapes)."""
    template = f"sum by (exchange) ({{{{ mm_mid_price(exchange={json.dumps(venue)}) }}}})"
    return f'stat({title!r}, description="one venue", unit="none", queries=[query({template!r})])'


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = small_project(tmp_path_factory.mktemp("clients"), "http://127.0.0.1:3000")
    overrides = "".join(f"      {json.dumps(client)}: {{orders_max: 50.0}}\n" for client in OVERRIDDEN)
    defaults = "    defaults: {orders_max: 30.0}\n"
    edit(root / "dashgen.yaml", defaults, defaults + "    clients:\n" + overrides)
    panels = ", ".join(_venue_panel(title, venue) for title, venue in VENUES.items())
    (root / "panels" / "venues.py").write_text(VENUE_PANEL.format(panels=panels))
    return root


@pytest.fixture(scope="module")
def compiled(project_dir: Path) -> CompiledProject:
    return compile_project(load_project(project_dir))


@pytest.fixture(scope="module")
def prometheus(project_dir: Path) -> Iterator[PrometheusClient]:
    with serve(load_catalogue(project_dir), DESK, {"client": CLIENTS, "exchange": EXCHANGES}) as client:
        yield client


def test_promtool_accepts_the_rule_file(compiled: CompiledProject, tmp_path: Path) -> None:
    assert compiled.alerting is not None
    rules = tmp_path / "rules.yaml"
    rules.write_text(dumps(compiled.alerting.prometheus_rules))
    promtool = shutil.which("promtool")
    assert promtool
    checked = subprocess.run([promtool, "check", "rules", str(rules)], capture_output=True, text=True, timeout=60,
                             check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 5 rules found" in checked.stdout


def test_each_rule_selects_exactly_its_clients(prometheus: PrometheusClient, compiled: CompiledProject) -> None:
    assert compiled.alerting is not None
    selected = {}
    for rule in compiled.alerting.rules:
        series = prometheus.query(rule.expr, DESK.end)
        selected[rule.variant.client] = {s["metric"]["client"] for s in series}
        prometheus.query(rule.condition, DESK.end)  # the Prometheus rule's expression evaluates too
    assert selected == {None: {"acme", "bitXx", "bit-x"}, **{client: {client} for client in OVERRIDDEN}}


@pytest.mark.parametrize(("title", "promql"), [("Dotted venue", '"okx.eu"'), ("Odd venue", r'"bin\"ance\\x"')])
def test_a_fixed_matcher_selects_exactly_its_venue(prometheus: PrometheusClient, compiled: CompiledProject,
                                                   title: str, promql: str) -> None:
    [panel] = [p for p in compiled.board.dashboard["panels"] if p["title"] == title]
    expr = panel["targets"][0]["expr"].replace("$client", ".*")
    assert expr == f'sum by (exchange) (mm_mid_price{{client=~".*",exchange={promql}}})'
    assert {s["metric"]["exchange"] for s in prometheus.query(expr, DESK.end)} == {VENUES[title]}


@pytest.mark.parametrize("venue", ["okx.eu", 'bin"ance\\x'])
def test_a_regex_of_escaped_names_selects_exactly_those_names(prometheus: PrometheusClient, venue: str) -> None:
    from dashgen.promql_text import matcher, regex_literal

    expr = f"mm_mid_price{{{matcher('exchange', '=~', regex_literal(venue))},client=\"acme\"}}"
    assert {s["metric"]["exchange"] for s in prometheus.query(expr, DESK.end)} == {venue}
