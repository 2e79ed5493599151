"""Alerts -> concrete rules: one per alert x level x client variant, each with its PromQL, threshold, labels and
annotations for Grafana and for Prometheus. Pure."""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from dashgen.alerting.thresholds import CLIENT_LABEL, Variant, resolve, variants
from dashgen.board import walk
from dashgen.catalogue import Catalogue
from dashgen.catalogue.queries import Binding, QueryError, QueryRenderer
from dashgen.config.model import AlertingConfig
from dashgen.dsl.alerts import Alert, Level
from dashgen.errors import DashgenError
from dashgen.managed import MANAGED_LABEL
from dashgen.suggest import did_you_mean

UID_LIMIT = 40
CLIENTS = "alerting.thresholds.clients"
PROMQL_OP = {"gt": ">", "lt": "<"}


@dataclass(frozen=True)
class CompiledRule:
    uid: str
    title: str
    alert: Alert
    level: Level
    variant: Variant
    expr: str  # the value expression (query A)
    threshold: float
    labels: dict[str, str]
    grafana_annotations: dict[str, str]
    prometheus_annotations: dict[str, str]

    @property
    def condition(self) -> str:
        """The same condition as Prometheus alerting rule expression."""
        return f"({self.expr}) {PROMQL_OP[self.level.op]} {self.threshold:g}"


def _uid_part(client: str) -> str:
    """The client in uid characters; when some had to be replaced, with a digest of the name, so that clients
    `bit.x` and `bit-x` keep two rules."""
    safe = re.sub(r"[^a-zA-Z0-9_-]", "-", client)
    return safe if safe == client else f"{safe}-{hashlib.sha1(client.encode()).hexdigest()[:6]}"


def rule_uid(alert: Alert, level: Level, variant: Variant) -> str:
    parts = ["mm", alert.runbook]
    if len(alert.levels) > 1:
        parts.append(level.severity)
    if variant.client is not None:
        parts.append(_uid_part(variant.client))
    uid = "-".join(parts)
    if len(uid) > UID_LIMIT:  # stay unique and within Grafana's limit
        digest = hashlib.sha1(uid.encode()).hexdigest()[:8]
        uid = f"{uid[: UID_LIMIT - 9]}-{digest}"
    return uid


def rule_title(alert: Alert, level: Level, variant: Variant) -> str:
    """Unique per folder, as Grafana requires: the alert, its severity when it has several, the client split."""
    title = alert.name
    if len(alert.levels) > 1:
        title += f" {level.severity}"
    if variant.client is not None:
        title += f" [{variant.client}]"
    return title


def _annotation(text: str, allowed: set[str], value: str, threshold: float, where: str, field: str) -> str:
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(text):
        out.append(literal)
        if name is None:
            continue
        if spec or conversion:
            raise DashgenError(f"{field}: write {{{name}}} without a format", where=where)
        if name == "value":
            out.append(value)
        elif name == "threshold":
            out.append(f"{threshold:g}")
        elif name in allowed:
            out.append(f"{{{{ $labels.{name} }}}}")
        else:
            raise DashgenError(f"{field}: {{{name}}} is not a label of this alert's series "
                               f"(labels: {', '.join(sorted(allowed))}; or value, threshold)", where=where)
    return "".join(out)


def _annotations(alert: Alert, labels: set[str], value: str, threshold: float) -> dict[str, str]:
    """summary and description with {label}, {value} and {threshold} in the target's template language."""
    where = str(alert.defined_at)
    return {
        "summary": _annotation(alert.summary, labels, value, threshold, where, f"alert {alert.name!r} summary"),
        "description": _annotation(alert.description, labels, value, threshold, where,
                                   f"alert {alert.name!r} description"),
    }


def compile_rules(
    alerts: Sequence[Alert],
    alerting: AlertingConfig,
    catalogue: Catalogue,
    panel_ids: Mapping[tuple[str, str], int],
    board_uid: str,
    config_where: Callable[[str], str] = lambda path: "dashgen.yaml",
) -> list[CompiledRule]:
    """`config_where`: dashgen.yaml:LINE of a key path (Config.where), for errors about config keys."""
    rules: list[CompiledRule] = []
    for alert in alerts:
        where = str(alert.defined_at)
        if alert.panel not in panel_ids:
            shown = [walk.location(row, title) for row, title in panel_ids]
            wanted = walk.location(*alert.panel)
            raise DashgenError(f"alert {alert.name!r}: panel {wanted} is not on the board"
                               f"{did_you_mean(wanted, shown)}", where=where)
        for variant in variants(alert, alerting.thresholds):
            matcher = variant.matcher()
            bindings = [] if matcher is None else [
                Binding(CLIENT_LABEL, matcher[0], matcher[1], "the rule's client split (thresholds.clients)")]
            renderer = QueryRenderer(catalogue, bindings)
            try:
                expr = renderer.render(alert.expr)
            except QueryError as exc:
                raise DashgenError(f"alert {alert.name!r}: {exc}", where=where) from None
            metrics = renderer.metrics_in(alert.expr)
            labels_of_series = set.intersection(*(set(catalogue.metrics[m].labels) for m in metrics)) if metrics \
                else set()
            for level in alert.levels:
                threshold = resolve(level.threshold, variant.values)
                labels = {"alert": alert.name, "severity": level.severity, "team": alert.team,
                          MANAGED_LABEL[0]: MANAGED_LABEL[1]}
                if variant.client is not None:  # the value its series carry anyway; keeps the two rules distinct
                    labels[CLIENT_LABEL] = variant.client
                common = {
                    "runbook_url": alerting.runbook_base_url.rstrip("/") + "/" + alert.runbook,
                    "__dashboardUid__": board_uid,
                    "__panelId__": str(panel_ids[alert.panel]),
                }
                grafana_text = _annotations(alert, labels_of_series, "{{ humanize $values.A.Value }}", threshold)
                prometheus_text = _annotations(alert, labels_of_series, "{{ humanize $value }}", threshold)
                rules.append(CompiledRule(
                    uid=rule_uid(alert, level, variant),
                    title=rule_title(alert, level, variant),
                    alert=alert,
                    level=level,
                    variant=variant,
                    expr=expr,
                    threshold=threshold,
                    labels=labels,
                    grafana_annotations={**common, **grafana_text},
                    prometheus_annotations={**common, **prometheus_text},
                ))
    _check_unique(rules, config_where)
    return rules


def _check_unique(rules: Sequence[CompiledRule], config_where: Callable[[str], str]) -> None:
    """Grafana keys rules by uid and wants titles unique per folder: two rules sharing either would overwrite
    each other on every apply. Names both places."""
    for kind in ("uid", "title"):
        seen: dict[str, CompiledRule] = {}
        for rule in rules:
            key = getattr(rule, kind)
            other = seen.setdefault(key, rule)
            if other is rule:
                continue
            if other.alert is rule.alert:  # two clients whose names differ only in characters a uid cannot hold
                first, second = (f"{c!r} ({config_where(f'{CLIENTS}.{c}')})"
                                 for c in (other.variant.client, rule.variant.client))
                message = (f"alert {rule.alert.name!r}: the clients {first} and {second} would share the rule "
                           f"{kind} {key!r} (a uid holds only letters, digits, '-' and '_'): override one of them")
            else:
                cause = "rule uids are mm-<runbook>: give one another runbook=" if kind == "uid" else "rename one"
                message = (f"alert {rule.alert.name!r} would get the rule {kind} {key!r} of alert "
                           f"{other.alert.name!r} ({other.alert.defined_at}): {cause}")
            raise DashgenError(message, where=str(rule.alert.defined_at))
