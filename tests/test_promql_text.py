"""Label values in generated PromQL: any value Prometheus accepts (UTF-8 without NUL), named as a client override
or as a panel's fixed matcher, gives expressions that parse, whose matchers select exactly that value."""

from __future__ import annotations

import dataclasses
import re

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dashgen.alerting.prometheus import dumps
from dashgen.board import walk
from dashgen.config.model import ThresholdsConfig
from dashgen.lint.promql import parse, selectors
from dashgen.project import CompiledProject, Project, compile_project, load_project
from dashgen.promql_text import regex_alternatives, regex_literal, string_literal

from .factories import small_project

# every character but NUL, the ones that need escaping drawn often
LABEL_VALUES = st.text(st.one_of(st.sampled_from('\\.+*?()|[]{}^$"\n-# \t\'`=,'),
                                 st.characters(codec="utf-8", exclude_characters="\x00")), max_size=12)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST = settings(max_examples=40, deadline=2000)  # ms; an example takes ~20 ms


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = load_project(small_project(tmp_path_factory.mktemp("small"), "http://127.0.0.1:3000"))
    compile_project(project)  # the imports it takes once, outside the examples' deadline
    return project


def _jinja_string(value: str) -> str:
    """`value` as a jinja2 string literal (jinja unescapes literals as Python's unicode-escape does)."""
    return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def _with(project: Project, clients: set[str], exchange: str) -> Project:
    """The project with a threshold override per client, and the Mid panel filtered on a fixed exchange."""
    alerting = project.config.alerting
    assert alerting is not None
    thresholds = ThresholdsConfig(defaults=alerting.thresholds.defaults, clients={c: {"orders_max": 50.0}
                                                                                  for c in clients})
    config = dataclasses.replace(project.config, alerting=dataclasses.replace(alerting, thresholds=thresholds))
    prices, *rest = project.board.sections
    mid, *panels = prices.panels
    query = dataclasses.replace(mid.queries[0], expr=f"avg({{{{ mm_mid_price(exchange={_jinja_string(exchange)}) }}}})")
    prices = dataclasses.replace(prices, panels=(dataclasses.replace(mid, queries=(query,)), *panels))
    return dataclasses.replace(project, config=config,
                               board=dataclasses.replace(project.board, sections=(prices, *rest)))


def _selects(operator: str, value: str, candidate: str) -> bool:
    """Whether a matcher selects a series whose label has `candidate`; Prometheus anchors regexes with (?s). The
    patterns are literals with RE2's metacharacters escaped, which Python's re reads as RE2 does."""
    if operator in ("=", "!="):
        return (candidate == value) == (operator == "=")
    return bool(re.fullmatch(value, candidate, re.DOTALL)) == (operator == "=~")


def _client_matchers(compiled: CompiledProject) -> dict[str | None, tuple[str, str]]:
    """Each rule's client split as promql-parser reads it back from the PromQL text: client -> (operator, value)."""
    assert compiled.alerting is not None
    found: dict[str | None, tuple[str, str]] = {}
    for rule in compiled.alerting.rules:
        parse(rule.condition)
        [selector] = selectors(rule.expr)
        found[rule.variant.client] = selector.matchers["client"]
    return found


@FAST
@given(client=LABEL_VALUES, others=st.sets(LABEL_VALUES, max_size=2), probe=LABEL_VALUES)
def test_any_client_name_gives_rules_that_parse_and_split_the_clients_exactly(
    small: Project, client: str, others: set[str], probe: str
) -> None:
    clients = {client, *others}
    assume(probe not in clients)
    compiled = compile_project(_with(small, clients, "binance"))
    matchers = _client_matchers(compiled)
    assert set(matchers) == {None, *clients}
    for name in clients:
        assert matchers[name] == ("=", name)
        assert _selects(*matchers[None], name) is False  # the default rule leaves it to its own rule
        assert _selects(*matchers[name], probe) is False
    assert _selects(*matchers[None], probe) is True  # any other client is judged by the default rule
    assert compiled.alerting is not None
    grafana_exprs = [q["model"]["expr"] for g in compiled.alerting.rule_groups for r in g["rules"]
                     for q in r["data"] if "expr" in q["model"]]
    assert sorted(grafana_exprs) == sorted(r.expr for r in compiled.alerting.rules)
    prometheus = yaml.load(dumps(compiled.alerting.prometheus_rules), Loader=LOADER)  # as build writes it
    assert [r["expr"] for g in prometheus["groups"] for r in g["rules"]] == \
        [r.condition for r in compiled.alerting.rules]


@FAST
@given(exchange=LABEL_VALUES)
def test_any_fixed_matcher_value_gives_a_board_query_that_parses_and_selects_exactly_it(
    small: Project, exchange: str
) -> None:
    compiled = compile_project(_with(small, set(), exchange))
    exprs = [at.target["expr"] for at in walk.targets(compiled.board.dashboard)]
    assert len(exprs) == 4
    for expr in exprs:
        parse(expr)
    [mid] = [s for e in exprs for s in selectors(e) if s.metric == "mm_mid_price" and "exchange" in s.matchers]
    assert mid.matchers["exchange"] == ("=", exchange)


@given(value=LABEL_VALUES, other=LABEL_VALUES)
@settings(max_examples=200, deadline=2000)
def test_a_regex_literal_inside_a_promql_string_matches_exactly_its_value(value: str, other: str) -> None:
    [selector] = selectors(f'm{{l=~"{string_literal(regex_literal(value))}"}}')
    pattern = selector.matchers["l"][1]
    assert re.fullmatch(pattern, value, re.DOTALL)
    assert bool(re.fullmatch(pattern, other, re.DOTALL)) == (other == value)


@pytest.mark.parametrize(("values", "promql"), [
    (["acme-eu"], r'"acme-eu"'),
    (["bit.x"], r'"bit\\.x"'),
    (["acme-eu", "bit.x"], r'"acme-eu|bit\\.x"'),
    (['o"neil', "back\\slash"], r'"o\"neil|back\\\\slash"'),
    (["a b#c", "(x)|[y]{2}^$*+?"], r'"a b#c|\\(x\\)\\|\\[y\\]\\{2\\}\\^\\$\\*\\+\\?"'),
])
def test_only_re2_metacharacters_are_escaped_and_backslashes_doubled_for_the_string(values: list[str],
                                                                                     promql: str) -> None:
    assert f'"{string_literal(regex_alternatives(values))}"' == promql


def test_a_project_with_client_names_with_dash_dot_and_quote_compiles_to_valid_promql(small: Project) -> None:
    compiled = compile_project(_with(small, {"acme-eu", "bit.x", "bit-x", 'o"neil'}, 'bin"ance'))
    assert compiled.alerting is not None
    exprs = {r.variant.client: r.expr for r in compiled.alerting.rules}
    assert exprs == {
        None: r'mm_open_orders{client!~"acme-eu|bit-x|bit\\.x|o\"neil"}',
        "acme-eu": 'mm_open_orders{client="acme-eu"}',
        "bit-x": 'mm_open_orders{client="bit-x"}',
        "bit.x": 'mm_open_orders{client="bit.x"}',
        'o"neil': r'mm_open_orders{client="o\"neil"}',
    }
    for expr in exprs.values():
        parse(expr)
    uids = {r.variant.client: r.uid for r in compiled.alerting.rules}
    assert uids["acme-eu"] == "mm-no-orders-acme-eu" and uids["bit-x"] == "mm-no-orders-bit-x"
    assert re.fullmatch(r"mm-no-orders-bit-x-[0-9a-f]{6}", uids["bit.x"])  # not bit-x's uid
    mid = compiled.board.dashboard["panels"][1]["targets"][0]["expr"]
    assert mid == r'avg(mm_mid_price{client=~"$client",exchange="bin\"ance"})'

