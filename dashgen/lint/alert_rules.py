"""Rules over Grafana rule groups: annotations, `for`, uids, intervals, panel links, queries. They run on the
project's compiled groups and on rule-group JSON files a user passes (as build and pull write them), where a
UI edit or a hand-written group can break what dashgen's compiler guarantees."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dashgen import durations
from dashgen.board import walk
from dashgen.catalogue import Catalogue
from dashgen.config.model import ThresholdsConfig
from dashgen.lint.model import Issue, rule
from dashgen.lint.promql import PromQLError, selectors
from dashgen.suggest import did_you_mean

UID = re.compile(r"^[a-zA-Z0-9_-]{1,40}$")


@dataclass(frozen=True)
class AlertContext:
    rule_groups: tuple[dict[str, Any], ...]
    boards: dict[str, dict[str, Any]]  # uid -> dashboard JSON
    catalogue: Catalogue | None  # None: the metric-contract checks are skipped
    every_board: bool = True  # False (files): a link to a board not among `boards` cannot be checked
    thresholds: ThresholdsConfig | None = None  # the project's (None when linting files)
    # the values of the client label (metrics.yaml's client_label) the environment's datasource knows
    # (`lint --env`); None: not asked
    known_clients: frozenset[str] | None = None
    datasource: str = ""  # its uid, for messages

    @property
    def client_label(self) -> str:
        """metrics.yaml's client_label, for messages ("" without a catalogue or one)."""
        return (self.catalogue.client_label if self.catalogue is not None else None) or ""

    def grafana_rules(self) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        for group in self.rule_groups:
            for item in group.get("rules", []):
                yield group, item


def _where(item: dict[str, Any]) -> str:
    return f"alert {item.get('title', item.get('uid', '?'))}"


@rule("DG201", "alert-annotations", "alerts carry summary, description, runbook_url, severity and team",
      scope="alerts")
def alert_annotations(context: AlertContext) -> Iterator[Issue]:
    for _, item in context.grafana_rules():
        annotations, labels = item.get("annotations") or {}, item.get("labels") or {}
        missing = [f"annotation {k}" for k in ("summary", "description", "runbook_url")
                   if not str(annotations.get(k, "")).strip()]
        missing += [f"label {k}" for k in ("severity", "team") if not str(labels.get(k, "")).strip()]
        if missing:
            yield Issue(_where(item), f"missing {', '.join(missing)}")


@rule("DG202", "alert-for", "`for` is 0 (fire at once) or at least the group's interval", scope="alerts")
def alert_for(context: AlertContext) -> Iterator[Issue]:
    for group, item in context.grafana_rules():
        ms = durations.parse_ms(str(item.get("for", "0s")))
        if ms is None:
            yield Issue(_where(item), f"for {item.get('for')!r} is not a duration such as 0s, 1m or 15m")
        elif 0 < ms < int(group.get("interval", 0)) * 1000:
            yield Issue(_where(item), f"for {item.get('for')} is shorter than the group interval "
                        f"{group.get('interval')}s: it cannot hold between two evaluations")


@rule("DG203", "alert-uid", "rule uids are at most 40 characters of [a-zA-Z0-9_-]", scope="alerts")
def alert_uid(context: AlertContext) -> Iterator[Issue]:
    for _, item in context.grafana_rules():
        if not UID.match(str(item.get("uid", ""))):
            yield Issue(_where(item), f"uid {item.get('uid')!r} is not 1-40 characters of letters, digits, - and _")


@rule("DG204", "alert-group-interval", "rule group intervals are a positive multiple of 10 s", scope="alerts")
def alert_group_interval(context: AlertContext) -> Iterator[Issue]:
    for group in context.rule_groups:
        interval = group.get("interval")
        if not isinstance(interval, int) or interval <= 0 or interval % 10:
            yield Issue(f"group {group.get('title')}", f"interval {interval!r} is not a positive multiple of 10 s")


@rule("DG205", "alert-panel-link", "__dashboardUid__ and __panelId__ point at a real panel", scope="alerts")
def alert_panel_link(context: AlertContext) -> Iterator[Issue]:
    panel_ids = {uid: {str(at.panel.get("id")) for at in walk.panels(board)} for uid, board in context.boards.items()}
    for _, item in context.grafana_rules():
        annotations = item.get("annotations") or {}
        board_uid, panel_id = annotations.get("__dashboardUid__"), annotations.get("__panelId__")
        if (board_uid is None) != (panel_id is None):
            yield Issue(_where(item), "__dashboardUid__ and __panelId__ go together")
            continue
        if board_uid is None:
            yield Issue(_where(item), "no link to the board panel that shows the problem")
            continue
        board = context.boards.get(str(board_uid))
        if board is None and not context.every_board:
            continue
        if board is None or str(panel_id) not in panel_ids[str(board_uid)]:
            yield Issue(_where(item), f"links panel {panel_id} of {board_uid}, which does not exist")


@rule("DG206", "alert-query", "every alert's query parses and reads catalogue metrics by their labels",
      scope="alerts")
def alert_query(context: AlertContext) -> Iterator[Issue]:
    for _, item in context.grafana_rules():
        for query in item.get("data") or []:
            expr = (query.get("model") or {}).get("expr")
            if not expr:
                continue
            try:
                found = selectors(str(expr))
            except PromQLError as exc:
                yield Issue(_where(item), f"{exc}: {expr}", str(query.get("refId")))
                continue
            if context.catalogue is None:
                continue
            for selector in found:
                metric = context.catalogue.get(selector.metric)
                if metric is None:
                    yield Issue(_where(item), f"{selector.metric} is not in the metric catalogue",
                                str(query.get("refId")))
                    continue
                for label in sorted(set(selector.matchers) - set(metric.labels) - {"__name__"}):
                    yield Issue(_where(item), f"{selector.metric} has no label {label!r}", str(query.get("refId")))


def client_location(client: str) -> str:
    """Where an override is reported: its key path, which lint places at its dashgen.yaml line."""
    return f"alerting.thresholds.clients.{client}"


@rule("DG301", "threshold-coverage", "with --env, every client a threshold override names is a client the "
      "environment's datasource knows", scope="alerts")
def threshold_clients(context: AlertContext) -> Iterator[Issue]:
    if context.thresholds is None or context.known_clients is None:
        return
    for client in sorted(context.thresholds.clients):
        if client not in context.known_clients:
            yield Issue(client_location(client), f"no series in datasource {context.datasource} has "
                        f'{context.client_label}="{client}"{did_you_mean(client, context.known_clients)}: this '
                        "override judges nobody")
