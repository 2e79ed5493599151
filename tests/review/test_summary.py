"""The review in words: two builds of a factory project (tests/factories.py), the second with one edit, compared
in-process. Each test names the change it makes and the words and values a reviewer must read."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashgen.kinds.base import Desired
from dashgen.project import compile_project, load_project
from dashgen.review.model import Change, ObjectReview, Review
from dashgen.review.summary import review

from ..factories import FULL_ALERTING, edit, small_project

CONFIG_FILE, PRICES_FILE, RULES_FILE = "dashgen.yaml", "panels/prices.py", "alerts/rules.py"


def build(root: Path) -> list[Desired]:
    return compile_project(load_project(root)).desired()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> list[Desired]:
    return build(small_project(tmp_path_factory.mktemp("base"), full=True))


def changed(tmp_path: Path, base: list[Desired], *edits: tuple[str, str, str],
            files: dict[str, str | None] | None = None) -> Review:
    """The review of the full project against itself with `files` replaced (None: deleted), then each of `edits`
    (file, old, new) made: `old` must be in the file."""
    root = small_project(tmp_path / "head", full=True, files=files)
    for relative, old, new in edits:
        edit(root / relative, old, new)
    return review(base, build(root), base="main", commit="0" * 40)


def only(result: Review, kind: str) -> ObjectReview:
    found = [o for o in result.objects if o.kind == kind]
    assert len(found) == 1, result.objects
    return found[0]


def lines(item: ObjectReview) -> set[tuple[str, str, str, object, object]]:
    return {(c.subject, c.what, c.action, c.before, c.after) for c in item.changes}


def test_the_same_project_has_no_changes(tmp_path: Path, base: list[Desired]) -> None:
    result = changed(tmp_path, base)
    assert result.objects == () and not result.has_changes
    assert result.unchanged == len(base)


def test_a_clients_threshold_is_named_with_the_client(tmp_path: Path, base: list[Desired]) -> None:
    result = changed(tmp_path, base, (CONFIG_FILE, "acme: {quote_age_s: 60}", "acme: {quote_age_s: 90}"))
    group = only(result, "rule-group")
    assert group.title == "prices"
    assert ("QuoteStale for client acme", "threshold", "changed", 60, 90) in lines(group)
    assert [o.kind for o in result.objects] == ["rule-group"]


def test_the_default_threshold_is_for_all_other_clients(tmp_path: Path, base: list[Desired]) -> None:
    result = changed(tmp_path, base, (CONFIG_FILE, "defaults: {quote_age_s: 30,", "defaults: {quote_age_s: 45,"))
    assert ("QuoteStale for all other clients", "threshold", "changed", 30, 45) in lines(only(result, "rule-group"))


def test_a_scaled_threshold_follows_its_key_per_level(tmp_path: Path, base: list[Desired]) -> None:
    result = changed(tmp_path, base, (CONFIG_FILE, "spread_bps: 20}", "spread_bps: 25}"))
    found = lines(only(result, "rule-group"))
    assert ("SpreadWide warning", "threshold", "changed", 20, 25) in found
    assert ("SpreadWide critical", "threshold", "changed", 40, 50) in found


def test_a_new_client_override_is_told_against_the_default_rule_it_leaves(tmp_path: Path,
                                                                          base: list[Desired]) -> None:
    result = changed(tmp_path, base,
                     (CONFIG_FILE, "acme: {quote_age_s: 60}", "acme: {quote_age_s: 60, spread_bps: 30}"))
    group = only(result, "rule-group")
    found = lines(group)
    assert ("SpreadWide warning for client acme", "threshold", "changed", 20, 30) in found
    assert ("SpreadWide critical for client acme", "threshold", "changed", 40, 60) in found
    query = next(c for c in group.changes if c.subject == "SpreadWide warning for all other clients")
    assert (query.what, query.before, query.after) == ("query A", "mm_spread_bps",
                                                       'mm_spread_bps{client!~"acme"}')


def test_for_labels_and_runbook_of_a_rule(tmp_path: Path, base: list[Desired]) -> None:
    result = changed(tmp_path, base, (RULES_FILE, 'levels=[below(1, severity="critical", for_="2m")]',
                                      'levels=[below(1, severity="critical", for_="5m")]'),
                     (RULES_FILE, 'team="trading"', 'team="desk"'))
    found = lines(only(result, "rule-group"))
    assert ("NoOrders", "for", "changed", "2m", "5m") in found
    assert ("NoOrders", "label team", "changed", "trading", "desk") in found


def test_a_panels_unit_legend_and_new_query(tmp_path: Path, base: list[Desired]) -> None:
    result = changed(tmp_path, base, (PRICES_FILE, 'unit="suffix: bps"', 'unit="percent"'),
                     (PRICES_FILE, 'legend="{{exchange}} spread"', 'legend="{{exchange}} quoted"'),
                     (PRICES_FILE, 'queries=[query("avg({{ mm_mid_price }})")],\n         options=StatOptions',
                      'queries=[query("avg({{ mm_mid_price }})"), query("max({{ mm_mid_price }})", '
                      'legend="max")],\n         options=StatOptions'))
    board = only(result, "dashboard")
    found = lines(board)
    assert ("Prices / Spread", "unit", "changed", "suffix: bps", "percent") in found
    assert ("Prices / Spread", "legend A", "changed", "{{exchange}} spread", "{{exchange}} quoted") in found
    assert ("Prices / Mid", "query B", "added", None,
            'max(mm_mid_price{client=~"$client",exchange="$exchange"})') in found
    assert ("Prices / Mid", "legend B", "added", None, "max") in found
    assert dict(board.counts()) == {"panel": 2}


def test_thresholds_and_description_in_words(tmp_path: Path, base: list[Desired]) -> None:
    found = lines(only(changed(tmp_path, base, (PRICES_FILE, 'threshold("green", 0.5)', 'threshold("green", 0.8)'),
                               (PRICES_FILE, 'description="mid price"', 'description="the mid price"')),
                       "dashboard"))
    assert ("Prices / Quoting venues", "thresholds", "changed", "red, green from 0.5", "red, green from 0.8") in found
    assert ("Prices / Mid", "description", "changed", "mid price", "the mid price") in found


def test_a_panel_moved_to_another_section(tmp_path: Path, base: list[Desired]) -> None:
    balances = ('    bargauge("Balances", description="balance per asset", unit="short",\n'
                '             queries=[query("sum by (asset) ({{ mm_balance }})", legend="{{asset}}")]),\n')
    result = changed(tmp_path, base, ("panels/orders.py", balances, ""),
                     (PRICES_FILE, "    QUOTE_AGE,\n", "    QUOTE_AGE,\n" + balances),
                     (PRICES_FILE, "from dashgen.dsl import StatOptions",
                      "from dashgen.dsl import bargauge, StatOptions"))
    board = only(result, "dashboard")
    moved = [c for c in board.changes if c.action == "moved"]
    balances_move = next(c for c in moved if c.subject == "Prices / Balances")
    assert str(balances_move.before).startswith("Orders (x=")
    assert str(balances_move.after).startswith("Prices (x=")
    assert not [c for c in board.changes if c.what == "panel"]  # neither removed nor added


def test_a_variables_default_options_and_a_removed_variable(tmp_path: Path, base: list[Desired]) -> None:
    variables = "panels/variables.py"
    result = changed(tmp_path, base, (variables, 'default="binance"', 'default="kraken"'),
                     (variables, '    query_variable("asset", source="mm_balance"),\n', ""),
                     (variables, 'interval_variable("interval", ["1m", "5m", "1h"]',
                      'interval_variable("interval", ["1m", "5m", "1h", "1d"]'))
    board = only(result, "dashboard")
    found = lines(board)
    assert ("exchange", "default", "changed", "binance", "kraken") in found
    assert ("asset", "variable", "removed", None, None) in found
    assert ("interval", "query", "changed", "1m,5m,1h", "1m,5m,1h,1d") in found
    assert ("Orders / Balances", "query A", "changed", 'sum by (asset) (mm_balance{client=~"$client",asset=~"$asset"})',
            'sum by (asset) (mm_balance{client=~"$client"})') in found


def test_routes_contact_points_mute_timings_and_templates(tmp_path: Path, base: list[Desired]) -> None:
    routing = "alerts/routing.py"
    result = changed(tmp_path, base, (routing, 'route("slack", match={"alert": "SpreadWide", "severity": "warning"}, '
                                               'mute=[LOW_LIQUIDITY])',
                                      'route("slack", match={"alert": "SpreadWide", "severity": "warning"})'),
                     (routing, "{{ .CommonLabels.alert }}{{ end }}'\n", "{{ .CommonLabels.alert }}!{{ end }}'\n"),
                     (CONFIG_FILE, 'recipient: "#small"', 'recipient: "#desk"'))
    route = only(result, "policy").changes
    assert [(c.subject, c.action) for c in route] == [("route 3", "changed")]
    assert route[0].before == ("alert=SpreadWide, severity=warning -> dashgen-slack; mute timings "
                               "dashgen-low-liquidity")
    assert route[0].after == "alert=SpreadWide, severity=warning -> dashgen-slack"
    assert ("", "setting recipient", "changed", "#small", "#desk") in lines(only(result, "contact-point"))
    template = only(result, "template").changes[0]
    assert template.what == "template" and "+" in template.diff and "!{{ end }}" in template.diff
    mute = changed(tmp_path / "mute", base, (CONFIG_FILE, 'times: ["00:00-06:00"]', 'times: ["00:00-05:00"]'))
    assert lines(only(mute, "mute-timing")) == {("", "time intervals", "changed", "00:00-06:00 UTC",
                                                  "00:00-05:00 UTC")}


def test_a_contact_points_secret_is_never_a_value(tmp_path: Path, base: list[Desired]) -> None:
    """Secrets are `${VAR}` placeholders in a build; the review names the variable when it changes, never a
    value (the kind's canonical form redacts the field)."""
    result = changed(tmp_path, base,
                     (CONFIG_FILE, "webhook_url_env: SMALL_SLACK_URL", "webhook_url_env: OTHER_SLACK_URL"))
    found = lines(only(result, "contact-point"))
    assert found == {("", "secret url from", "changed", "$SMALL_SLACK_URL", "$OTHER_SLACK_URL")}


def test_objects_added_and_removed(tmp_path: Path, base: list[Desired]) -> None:
    alerting = FULL_ALERTING.format(provenance="locked")
    result = changed(tmp_path, base, (CONFIG_FILE, alerting, ""), files={"alerts/rules.py": None,
                                                                         "alerts/routing.py": None})
    assert {(o.kind, o.action) for o in result.objects} >= {("rule-group", "removed"), ("policy", "removed"),
                                                            ("contact-point", "removed")}
    orders = next(o for o in result.objects if o.uid.endswith("/orders"))
    assert Change("rule", "NoOrders", "rule", "removed", note="fires when mm_open_orders < 1, for 2m") in orders.changes


def test_a_panel_renamed_without_a_key_is_the_same_panel_with_a_new_title(tmp_path: Path,
                                                                          base: list[Desired]) -> None:
    """Its key is its title, so its id changed: same row, same place, same type, the only one gone and new there."""
    board = only(changed(tmp_path, base, (PRICES_FILE, 'stat("Mid", description="mid price"',
                                          'stat("Mid price", description="the mid"')), "dashboard")
    found = lines(board)
    assert ("Prices / Mid price", "title", "changed", "Mid", "Mid price") in found
    assert ("Prices / Mid price", "description", "changed", "mid price", "the mid") in found
    assert not [c for c in board.changes if c.what == "panel"]  # neither removed nor added
    assert dict(board.counts()) == {"panel": 1}


def test_a_panel_renamed_into_another_type_is_one_removed_and_one_added(tmp_path: Path,
                                                                        base: list[Desired]) -> None:
    board = only(changed(tmp_path, base, (PRICES_FILE, 'stat("Mid", description="mid price", unit="none", queries=['
                                                       'query("avg({{ mm_mid_price }})")],\n         options='
                                                       'StatOptions(graph_mode="none", decimals=2))',
                                          'timeseries("Mid price", description="mid price", unit="none", queries=['
                                          'query("avg({{ mm_mid_price }})")])')), "dashboard")
    assert {(c.subject, c.action) for c in board.changes if c.what == "panel"} == {
        ("Prices / Mid", "removed"), ("Prices / Mid price", "added")}
