"""alerts/ + alerting config + the compiled board -> every alerting object and the Prometheus rule file. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashgen import durations
from dashgen.alerting import grafana, prometheus
from dashgen.alerting.rules import CompiledRule, compile_rules
from dashgen.alerting.thresholds import check_thresholds
from dashgen.board import walk
from dashgen.catalogue import Catalogue
from dashgen.config import Config
from dashgen.discovery import AlertDefinitions
from dashgen.dsl.alerts import Alert

DATASOURCE_PLACEHOLDER = "${datasource}"  # environment-neutral builds; --env and apply fill in the real uid


@dataclass(frozen=True)
class CompiledAlerting:
    folder_uid: str
    rules: tuple[CompiledRule, ...]
    rule_groups: tuple[dict[str, Any], ...]
    contact_points: tuple[dict[str, Any], ...]
    policy: dict[str, Any]
    mute_timings: tuple[dict[str, Any], ...]
    templates: tuple[dict[str, Any], ...]
    prometheus_rules: dict[str, Any]


def panel_ids(dashboard: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {(at.row, at.title): at.panel["id"] for at in walk.panels(dashboard)}


def compile_alerting(config: Config, catalogue: Catalogue, definitions: AlertDefinitions,
                     dashboard: dict[str, Any], *, datasource_uid: str | None) -> CompiledAlerting:
    alerting = config.alerting
    assert alerting is not None
    alerts: Sequence[Alert] = definitions.alerts
    check_thresholds(config, alerts)
    rules = compile_rules(alerts, alerting, catalogue, panel_ids(dashboard), dashboard["uid"], config.where)
    folder_uid = config.board.folder.uid
    interval = alerting.evaluation_interval
    return CompiledAlerting(
        folder_uid=folder_uid,
        rules=tuple(rules),
        rule_groups=tuple(grafana.rule_groups(rules, folder_uid=folder_uid, interval_s=durations.seconds(interval),
                                              datasource_uid=datasource_uid or DATASOURCE_PLACEHOLDER)),
        contact_points=tuple(grafana.contact_points(definitions.routing, alerting)),
        policy=grafana.policy_subtree(definitions.routing),
        mute_timings=tuple(grafana.mute_timings(alerting)),
        templates=tuple(grafana.templates(definitions.routing)),
        prometheus_rules=prometheus.rule_file(rules, interval=interval),
    )
