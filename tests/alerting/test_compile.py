"""The compiled alert rules and routing: what the alert DSL and the Grafana contract require, checked on the full
factory project's output (tests/factories.py: two groups, a two-level alert, a client override, Slack and
PagerDuty, a muted warning route). The desk's own rules are reviewed in tests/__snapshots__."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from dashgen.alerting.compile import CompiledAlerting
from dashgen.board import walk
from dashgen.board.ids import stable_id
from dashgen.errors import DashgenError
from dashgen.managed import secret_variables
from dashgen.project import CompiledProject, compile_project, load_project

from ..factories import edit, small_project

ALERTS = {  # as tests/factories.py defines them: alert -> (for by severity, team)
    "NoOrders": ({"critical": "2m"}, "trading"),
    "QuoteStale": ({"critical": "1m"}, "platform"),
    "SpreadWide": ({"warning": "5m", "critical": "10m"}, "ops"),
}


@pytest.fixture(scope="module")
def alerting(compiled_full: CompiledProject) -> CompiledAlerting:
    assert compiled_full.alerting is not None
    return compiled_full.alerting


def grafana_rules(alerting: CompiledAlerting) -> list[dict[str, Any]]:
    return [rule for group in alerting.rule_groups for rule in group["rules"]]


def test_every_level_is_a_rule_with_its_severity_for_and_team(alerting: CompiledAlerting) -> None:
    found: dict[str, dict[str, str]] = {}
    teams = {}
    for rule in grafana_rules(alerting):
        labels = rule["labels"]
        found.setdefault(labels["alert"], {})[labels["severity"]] = rule["for"]
        teams[labels["alert"]] = labels["team"]
        assert labels["managed_by"] == "dashgen"
    assert found == {name: fors for name, (fors, _) in ALERTS.items()}
    assert teams == {name: team for name, (_, team) in ALERTS.items()}


def test_thresholds_come_from_config_and_an_override_splits_only_the_alerts_using_its_key(
    alerting: CompiledAlerting,
) -> None:
    stale = [r for r in alerting.rules if r.alert.name == "QuoteStale"]
    assert [(r.variant.client, r.threshold) for r in stale] == [(None, 30.0), ("acme", 60.0)]
    assert 'client!~"acme"' in stale[0].expr and 'client="acme"' in stale[1].expr
    wide = [r for r in alerting.rules if r.alert.name == "SpreadWide"]
    assert len(wide) == 2 and all("client" not in r.expr for r in wide)  # no override uses spread_bps: no split
    assert {r.level.severity: r.threshold for r in wide} == {"warning": 20.0, "critical": 40.0}  # times=2


@pytest.mark.parametrize("clients", [["acme", "beta", "gamma"], ["acme"], ["zeta"]])
def test_every_client_is_judged_by_exactly_one_rule_per_level(alerting: CompiledAlerting, clients: list[str]) -> None:
    for rule_name in ALERTS:
        for severity in ALERTS[rule_name][0]:
            rules = [r for r in alerting.rules if r.alert.name == rule_name and r.level.severity == severity]
            for client in clients:
                judged = []
                for rule in rules:
                    matcher = rule.variant.matcher()
                    if matcher is None or (matcher[0] == "=" and matcher[1] == client) or (
                            matcher[0] == "!~" and not re.fullmatch(matcher[1], client)):
                        judged.append(rule.uid)
                assert len(judged) == 1, (rule_name, severity, client, judged)


def test_rule_shape_follows_the_provisioning_contract(alerting: CompiledAlerting) -> None:
    uids = set()
    for group in alerting.rule_groups:
        assert group["interval"] == 30 and group["interval"] % 10 == 0
        assert group["folderUid"] == "small-folder"
        titles = [r["title"] for r in group["rules"]]
        assert len(set(titles)) == len(titles)
        for rule in group["rules"]:
            assert re.fullmatch(r"[a-zA-Z0-9_-]{1,40}", rule["uid"]) and rule["uid"] not in uids
            uids.add(rule["uid"])
            assert rule["folderUID"] == "small-folder" and rule["ruleGroup"] == group["title"]
            assert rule["condition"] == "C"
            query, threshold = rule["data"]
            assert query["refId"] == "A" and query["model"]["instant"] is True
            assert threshold["datasourceUid"] == "__expr__" and threshold["model"]["type"] == "threshold"
            assert len(threshold["model"]["conditions"]) == 1
            assert rule["noDataState"] in ("NoData", "Alerting", "OK", "KeepLast")
            assert rule["execErrState"] in ("Error", "Alerting", "OK", "KeepLast")
            assert "orgID" not in rule and "id" not in rule


def test_annotations_link_the_panel_that_shows_the_problem(alerting: CompiledAlerting,
                                                          compiled_full: CompiledProject) -> None:
    dashboard = compiled_full.board.dashboard
    by_title = {at.title: at.panel["id"] for at in walk.panels(dashboard)}
    for rule in alerting.rules:
        annotations = rule.grafana_annotations
        assert annotations["__dashboardUid__"] == "small"
        assert annotations["__panelId__"] == str(by_title[rule.alert.panel.title])
        assert annotations["runbook_url"] == f"https://runbooks.example.com/small/{rule.alert.runbook}"
        assert "{{ $labels.client }}" in annotations["summary"] + annotations["description"]
        assert "{{ humanize $values.A.Value }}" in annotations["summary"] + annotations["description"]
        assert "{{ humanize $value }}" in rule.prometheus_annotations["description"]
    assert walk.panel_ids(dashboard)["Orders / Open orders"] == stable_id("panel", "Orders", "Open orders")


def test_prometheus_rules_carry_the_same_condition_for_and_labels(alerting: CompiledAlerting) -> None:
    prom = [rule for group in alerting.prometheus_rules["groups"] for rule in group["rules"]]
    grafana = grafana_rules(alerting)
    assert len(prom) == len(grafana)
    for p, g in zip(prom, grafana, strict=True):
        evaluator = g["data"][1]["model"]["conditions"][0]["evaluator"]
        op = {"gt": ">", "lt": "<"}[evaluator["type"]]
        assert p["expr"] == f"({g['data'][0]['model']['expr']}) {op} {evaluator['params'][0]:g}"
        assert (p["for"], p["labels"]) == (g["for"], g["labels"])


def test_no_data_and_error_states_are_chosen_per_alert(alerting: CompiledAlerting) -> None:
    states = {r["labels"]["alert"]: (r["noDataState"], r["execErrState"]) for r in grafana_rules(alerting)}
    assert states["QuoteStale"] == ("Alerting", "Error")  # no quote anywhere is the outage itself
    assert states["NoOrders"] == ("OK", "Error")


def test_contact_points_show_secrets_only_as_variable_names(alerting: CompiledAlerting) -> None:
    slack, oncall = alerting.contact_points
    assert slack["settings"]["url"] == "${SMALL_SLACK_URL}"
    assert secret_variables(slack) == {"url": "SMALL_SLACK_URL"}
    assert secret_variables(oncall) == {"integrationKey": "SMALL_PAGER_KEY"}


def test_routing_critical_pages_and_slacks_warnings_slack_and_a_warning_mutes(alerting: CompiledAlerting) -> None:
    policy = alerting.policy
    assert policy["object_matchers"] == [["managed_by", "=", "dashgen"]]
    assert policy["receiver"] == "dashgen-slack"
    routes = [(r["receiver"], r["object_matchers"], r.get("continue", False), r.get("mute_time_intervals", []))
              for r in policy["routes"]]
    assert routes == [
        ("dashgen-oncall", [["severity", "=", "critical"]], True, []),
        ("dashgen-slack", [["severity", "=", "critical"]], False, []),
        ("dashgen-slack", [["alert", "=", "SpreadWide"], ["severity", "=", "warning"]], False,
         ["dashgen-low-liquidity"]),
    ]
    (mute,) = alerting.mute_timings
    assert mute["time_intervals"] == [{"location": "UTC", "times": [{"start_time": "00:00", "end_time": "06:00"}]}]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("spread_bps: 20}", "spread_bps: 20, spare_key: 1}",
         r"^dashgen.yaml:\d+: alerting.thresholds.defaults.spare_key: no alert uses this threshold"),
        ("acme: {quote_age_s: 60}", "acme: {quote_age: 60}",
         r"^dashgen.yaml:\d+: alerting.thresholds.clients.acme.quote_age: unknown threshold key \(known: "),
        ("quote_age_s: 30, ", "",
         r"alerts/rules.py:\d+: alert 'QuoteStale' uses threshold 'quote_age_s': add it under "),
        ("evaluation_interval: 30s", "evaluation_interval: 45s",
         r"^dashgen.yaml:\d+: alerting.evaluation_interval: Grafana evaluates rule groups every multiple of 10"),
    ],
)
def test_threshold_and_interval_errors_name_the_key_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    root = small_project(tmp_path / "full", full=True)
    edit(root / "dashgen.yaml", old, new)
    with pytest.raises(DashgenError) as caught:
        compile_project(load_project(root))
    assert re.search(message, str(caught.value)), str(caught.value)


@pytest.mark.parametrize(("summary", "message"), [
    ("{{ client }} is not quoting the {{ tag }} side",  # a label the alert's series lack
     r"alert 'NoOrders' summary: \{\{ tag \}\} is not a label of this alert's series \(labels: client, exchange, side"),
    ("{client} is not quoting the {{ side }} side",  # the old single-brace syntax: it would be literal text
     r"alert 'NoOrders' summary: write \{\{ client \}\}, not \{client\} \(single braces are printed as they are\)"),
], ids=["unknown-label", "single-braces"])
def test_an_annotation_template_mistake_is_an_error_naming_the_alert(tmp_path: Path, summary: str,
                                                                   message: str) -> None:
    root = small_project(tmp_path / "full", full=True)
    edit(root / "alerts/rules.py", 'summary="{{ client }} is not quoting the {{ side }} side', f'summary="{summary}')
    with pytest.raises(DashgenError, match=message):
        compile_project(load_project(root))


def test_a_panel_link_to_a_missing_panel_is_an_error(tmp_path: Path) -> None:
    root = small_project(tmp_path / "full", full=True)
    rules = root / "alerts/rules.py"
    edit(rules, "panel=OPEN_ORDERS", "panel=GONE")
    edit(rules, "from panels.orders import OPEN_ORDERS\n", "from dashgen.dsl import query, stat\n"
         "GONE = stat('Gone', description='no section lists it', unit='short', "
         "queries=[query('sum({{ mm_open_orders }})')])\n")
    with pytest.raises(DashgenError, match=r"alert 'NoOrders': panel 'Gone' \(.*\) is not on the board"):
        compile_project(load_project(root))


def test_objects_are_what_the_sdk_encoder_writes_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           alerting: CompiledAlerting) -> None:
    """The SDK objects become plain values directly; the same as through the SDK's JSONEncoder and back."""
    import json

    from grafana_foundation_sdk.cog.encoder import JSONEncoder

    from dashgen.alerting import grafana
    from dashgen.jsonfile import dumps

    def through_text(builder: Any) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(json.dumps(builder.build(), cls=JSONEncoder))
        return data

    monkeypatch.setattr(grafana, "_encode", through_text)
    project = load_project(small_project(tmp_path, full=True))
    reference = compile_project(project).alerting
    assert reference is not None
    for name in ("rule_groups", "contact_points", "policy", "templates"):
        assert getattr(alerting, name) == getattr(reference, name), name
        assert dumps(getattr(alerting, name)) == dumps(getattr(reference, name)), name  # the same types too


def test_each_client_split_is_the_rule_the_sdk_builds_for_it(alerting: CompiledAlerting) -> None:
    """rule_groups builds one rule per alert level with the SDK and derives its client splits from it."""
    from dashgen.alerting.grafana import grafana_rule

    built = {rule["uid"]: rule for rule in grafana_rules(alerting)}
    splits = [rule for rule in alerting.rules if rule.variant.client is not None]
    assert splits, "the full project overrides a client"
    for rule in alerting.rules:
        assert built[rule.uid] == grafana_rule(rule, folder_uid=alerting.folder_uid, datasource_uid="${datasource}")
