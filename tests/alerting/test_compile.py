"""The compiled alert rules and routing: what design §4 and the Grafana contract require, checked on the output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from dashgen.alerting.compile import CompiledAlerting
from dashgen.board import walk
from dashgen.board.ids import stable_id
from dashgen.errors import DashgenError
from dashgen.managed import secret_variables
from dashgen.project import CompiledProject, Project, compile_project, load_project

from ..conftest import REPO

DESIGN = {  # design §4: alert -> (for by severity, team)
    "DataFeedStale": ({"critical": "1m"}, "platform"),
    "ServiceSilent": ({"critical": "1m"}, "platform"),
    "SpreadOutOfBand": ({"warning": "5m", "critical": "15m"}, "trading"),
    "InventoryDrift": ({"warning": "10m", "critical": "10m"}, "trading"),
    "RebalanceDelayed": ({"warning": "0m", "critical": "0m"}, "ops"),
    "NotQuoting": ({"critical": "2m"}, "trading"),
}


@pytest.fixture(scope="module")
def compiled(project: Project) -> CompiledProject:
    return compile_project(project)


@pytest.fixture(scope="module")
def alerting(compiled: CompiledProject) -> CompiledAlerting:
    assert compiled.alerting is not None
    return compiled.alerting


def grafana_rules(alerting: CompiledAlerting) -> list[dict[str, Any]]:
    return [rule for group in alerting.rule_groups for rule in group["rules"]]


def test_the_six_design_alerts_with_their_severities_for_and_teams(alerting: CompiledAlerting) -> None:
    found: dict[str, dict[str, str]] = {}
    teams = {}
    for rule in grafana_rules(alerting):
        labels = rule["labels"]
        found.setdefault(labels["alert"], {})[labels["severity"]] = rule["for"]
        teams[labels["alert"]] = labels["team"]
        assert labels["managed_by"] == "dashgen"
    assert found == {name: fors for name, (fors, _) in DESIGN.items()}
    assert teams == {name: team for name, (_, team) in DESIGN.items()}


def test_thresholds_come_from_config_and_an_override_splits_only_the_alerts_using_its_key(
    alerting: CompiledAlerting,
) -> None:
    stale = [r for r in alerting.rules if r.alert.name == "DataFeedStale"]
    assert [(r.variant.client, r.threshold) for r in stale] == [(None, 30.0), ("acme", 60.0)]
    assert 'client!~"acme"' in stale[0].expr and 'client="acme"' in stale[1].expr
    silent = [r for r in alerting.rules if r.alert.name == "ServiceSilent"]
    assert len(silent) == 1 and "client" not in silent[0].expr  # no override uses silence_s: one rule, no split
    drift = {r.level.severity: r.threshold for r in alerting.rules if r.alert.name == "InventoryDrift"}
    assert drift == {"warning": 0.15, "critical": 0.30}


@pytest.mark.parametrize("clients", [["acme", "beta", "gamma"], ["acme"], ["zeta"]])
def test_every_client_is_judged_by_exactly_one_rule_per_level(alerting: CompiledAlerting, clients: list[str]) -> None:
    for rule_name in DESIGN:
        for severity in DESIGN[rule_name][0]:
            rules = [r for r in alerting.rules if r.alert.name == rule_name and r.level.severity == severity]
            for client in clients:
                judged = []
                for rule in rules:
                    matcher = rule.variant.matcher()
                    if matcher is None or (matcher[0] == "=" and matcher[1] == client) or (
                            matcher[0] == "!~" and not re.fullmatch(matcher[1], client)):
                        judged.append(rule.uid)
                assert len(judged) == 1, (rule_name, severity, client, judged)


def test_rule_shape_follows_the_provisioning_contract(alerting: CompiledAlerting, compiled: CompiledProject) -> None:
    uids = set()
    for group in alerting.rule_groups:
        assert group["interval"] == 30 and group["interval"] % 10 == 0
        assert group["folderUid"] == "market-making"
        titles = [r["title"] for r in group["rules"]]
        assert len(set(titles)) == len(titles)
        for rule in group["rules"]:
            assert re.fullmatch(r"[a-zA-Z0-9_-]{1,40}", rule["uid"]) and rule["uid"] not in uids
            uids.add(rule["uid"])
            assert rule["folderUID"] == "market-making" and rule["ruleGroup"] == group["title"]
            assert rule["condition"] == "C"
            query, threshold = rule["data"]
            assert query["refId"] == "A" and query["model"]["instant"] is True
            assert threshold["datasourceUid"] == "__expr__" and threshold["model"]["type"] == "threshold"
            assert len(threshold["model"]["conditions"]) == 1
            assert rule["noDataState"] in ("NoData", "Alerting", "OK", "KeepLast")
            assert rule["execErrState"] in ("Error", "Alerting", "OK", "KeepLast")
            assert "orgID" not in rule and "id" not in rule


def test_annotations_link_the_panel_that_shows_the_problem(alerting: CompiledAlerting,
                                                          compiled: CompiledProject) -> None:
    by_title = {at.title: at.panel["id"] for at in walk.panels(compiled.board.dashboard)}
    for rule in alerting.rules:
        annotations = rule.grafana_annotations
        assert annotations["__dashboardUid__"] == "mm-desk"
        assert annotations["__panelId__"] == str(by_title[rule.alert.panel.title])
        assert annotations["runbook_url"] == f"https://runbooks.example.com/market-making/{rule.alert.runbook}"
        assert "{{ $labels.client }}" in annotations["summary"] + annotations["description"]
        assert "{{ humanize $values.A.Value }}" in annotations["summary"] + annotations["description"]
        assert "{{ humanize $value }}" in rule.prometheus_annotations["description"]
    assert walk.panel_ids(compiled.board.dashboard)["Orders / Open orders per side"] == stable_id(
        "panel", "Orders", "Open orders per side")


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
    assert states["ServiceSilent"] == ("Alerting", "Error")  # no heartbeat anywhere is the outage itself
    assert states["DataFeedStale"] == ("OK", "Error")


def test_contact_points_show_secrets_only_as_variable_names(alerting: CompiledAlerting) -> None:
    slack, oncall = alerting.contact_points
    assert slack["settings"]["url"] == "${SLACK_WEBHOOK_URL}"
    assert secret_variables(slack) == {"url": "SLACK_WEBHOOK_URL"}
    assert secret_variables(oncall) == {"integrationKey": "PAGERDUTY_INTEGRATION_KEY"}


def test_routing_critical_pages_and_slacks_warnings_slack_and_spread_warnings_mute(alerting: CompiledAlerting) -> None:
    policy = alerting.policy
    assert policy["object_matchers"] == [["managed_by", "=", "dashgen"]]
    assert policy["receiver"] == "dashgen-slack"
    routes = [(r["receiver"], r["object_matchers"], r.get("continue", False), r.get("mute_time_intervals", []))
              for r in policy["routes"]]
    assert routes == [
        ("dashgen-oncall", [["severity", "=", "critical"]], True, []),
        ("dashgen-slack", [["severity", "=", "critical"]], False, []),
        ("dashgen-slack", [["alert", "=", "SpreadOutOfBand"], ["severity", "=", "warning"]], False,
         ["dashgen-low-liquidity"]),
    ]
    (mute,) = alerting.mute_timings
    assert mute["time_intervals"] == [{"location": "UTC", "times": [{"start_time": "00:00", "end_time": "06:00"}]}]


def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    for name in ("panels", "alerts"):
        shutil.copytree(REPO / name, root / name)
    for name in ("dashgen.yaml", "metrics.yaml"):
        shutil.copy(REPO / name, root / name)
    return root


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("rebalance_critical_s: 900}", "rebalance_critical_s: 900, spare_key: 1}",
         r"^dashgen.yaml:\d+: alerting.thresholds.defaults.spare_key: no alert uses this threshold"),
        ("acme: {feed_max_age_s: 60}", "acme: {feed_max_age: 60}",
         r"^dashgen.yaml:\d+: alerting.thresholds.clients.acme.feed_max_age: unknown threshold key \(known: "),
        ("silence_s: 60, ", "",
         r"alerts/rules.py:\d+: alert 'ServiceSilent' uses threshold 'silence_s': add it under "),
        ("evaluation_interval: 30s", "evaluation_interval: 45s",
         r"^dashgen.yaml:\d+: alerting.evaluation_interval: Grafana evaluates rule groups every multiple of 10"),
    ],
)
def test_threshold_and_interval_errors_name_the_key_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    root = project_copy(tmp_path)
    config = root / "dashgen.yaml"
    assert old in config.read_text()
    config.write_text(config.read_text().replace(old, new))
    with pytest.raises(DashgenError) as caught:
        compile_project(load_project(root))
    assert re.search(message, str(caught.value)), str(caught.value)


def test_an_annotation_naming_a_label_the_series_lack_is_an_error(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    rules = root / "alerts" / "rules.py"
    rules.write_text(rules.read_text().replace('summary="{{ client }} is not quoting the {{ side }} side',
                                               'summary="{{ client }} is not quoting the {{ tag }} side'))
    with pytest.raises(DashgenError, match=r"alert 'NotQuoting' summary: \{\{ tag \}\} is not a label of this "
                                           r"alert's series \(labels: account, client, exchange, side, symbol"):
        compile_project(load_project(root))


def test_a_panel_link_to_a_missing_panel_is_an_error(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    rules = root / "alerts" / "rules.py"
    rules.write_text("import dataclasses\n" + rules.read_text().replace(
        "panel=OPEN_ORDERS,", 'panel=dataclasses.replace(OPEN_ORDERS, title="Gone"),'))
    with pytest.raises(DashgenError, match=r"alert 'NotQuoting': panel 'Gone' \(.*panels/orders.py:\d+\) is not on "
                                           r"the board: link a panel that a section lists"):
        compile_project(load_project(root))
