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
from dashgen.dsl.panels import Section
from dashgen.errors import DashgenError
from dashgen.suggest import did_you_mean

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


def panel_links(alerts: Sequence[Alert], sections: Sequence[Section], dashboard: dict[str, Any]) -> dict[str, int]:
    """Alert name -> the id of the panel it links: the section holding that panel (alert(panel=...), the panel
    imported from panels/), and the compiled board's id of the panel at that location."""
    ids = walk.panel_ids(dashboard)
    links = {}
    for alert in alerts:
        places = [walk.location(s.title, p.title) for s in sections for p in s.panels if p == alert.panel]
        if not places:
            namesakes = [walk.location(s.title, p.title) for s in sections for p in s.panels
                         if p.title == alert.panel.title]
            hint = (f" ({', '.join(namesakes)} has its title but other settings: link that panel itself)" if namesakes
                    else did_you_mean(alert.panel.title, [p.title for s in sections for p in s.panels]))
            raise DashgenError(f"alert {alert.name!r}: panel {alert.panel.title!r} ({alert.panel.defined_at}) is not "
                               f"on the board: link a panel that a section lists{hint}", where=str(alert.defined_at))
        if len(places) > 1:
            raise DashgenError(f"alert {alert.name!r}: the panel it links is on the board {len(places)} times "
                               f"({', '.join(places)}): give the copies their own titles", where=str(alert.defined_at))
        links[alert.name] = ids[places[0]]
    return links


def compile_alerting(config: Config, catalogue: Catalogue, definitions: AlertDefinitions,
                     sections: Sequence[Section], dashboard: dict[str, Any], *,
                     datasource_uid: str | None) -> CompiledAlerting:
    """`sections`: the board's, in which the alerts' panels are found; `dashboard`: the board compiled from them."""
    alerting = config.alerting
    assert alerting is not None
    alerts: Sequence[Alert] = definitions.alerts
    check_thresholds(config, alerts)
    rules = compile_rules(alerts, alerting, catalogue, panel_links(alerts, sections, dashboard), dashboard["uid"],
                          config.where)
    folder_uid = config.board.folder.uid
    interval = alerting.evaluation_interval
    return CompiledAlerting(
        folder_uid=folder_uid,
        rules=tuple(rules),
        rule_groups=tuple(grafana.rule_groups(rules, folder_uid=folder_uid, interval_s=durations.seconds(interval),
                                              datasource_uid=datasource_uid or DATASOURCE_PLACEHOLDER)),
        contact_points=tuple(grafana.contact_points(definitions.routing, alerting)),
        policy=grafana.policy_subtree(definitions.routing),
        mute_timings=tuple(grafana.mute_timings(definitions.routing, alerting)),
        templates=tuple(grafana.templates(definitions.routing)),
        prometheus_rules=prometheus.rule_file(rules, interval=interval),
    )
