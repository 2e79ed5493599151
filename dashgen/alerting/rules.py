"""Alerts -> concrete rules: one per alert x level x client variant, each with its PromQL, threshold, labels and
annotations for Grafana and for Prometheus. Pure.

A client variant's selectors carry a matcher on the catalogue's `client_label` (metrics.yaml), and its rule that
label; its uid `<alerting.rule_uid_prefix>-<runbook>[-<severity>][-<client>]`."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import jinja2
from jinja2 import nodes

from dashgen.alerting.thresholds import Variant, resolve, variants
from dashgen.catalogue import Catalogue
from dashgen.catalogue.queries import TEMPLATES, Binding, QueryError, QueryRenderer
from dashgen.config.model import AlertingConfig
from dashgen.dsl.alerts import Alert, Level
from dashgen.errors import DashgenError
from dashgen.managed import MANAGED_LABEL

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
    `first.eu` and `first-eu` keep two rules."""
    safe = re.sub(r"[^a-zA-Z0-9_-]", "-", client)
    return safe if safe == client else f"{safe}-{hashlib.sha1(client.encode()).hexdigest()[:6]}"


def rule_uid(alert: Alert, level: Level, variant: Variant, prefix: str) -> str:
    """`prefix` is alerting.rule_uid_prefix."""
    parts = [prefix, alert.runbook]
    if len(alert.levels) > 1:
        parts.append(level.severity)
    if variant.client is not None:
        parts.append(_uid_part(variant.client))
    uid = "-".join(parts)
    if len(uid) > UID_LIMIT:  # stay unique and within Grafana's limit
        digest = hashlib.sha1(uid.encode()).hexdigest()[:8]
        uid = f"{uid[: UID_LIMIT - 9]}-{digest}"
    return uid


TITLE_WITH_CLIENT = re.compile(r"^(?P<name>.*) \[(?P<client>[^\]]+)\]$")  # what rule_title writes for a split


def rule_title(alert: Alert, level: Level, variant: Variant) -> str:
    """Unique per folder, as Grafana requires: the alert, its severity when it has several, the client split
    ("InventoryDrift warning [acme]", read back by TITLE_WITH_CLIENT)."""
    title = alert.name
    if len(alert.levels) > 1:
        title += f" {level.severity}"
    if variant.client is not None:
        title += f" [{variant.client}]"
    return title


OLD_PLACEHOLDER = re.compile(r"(?<!\{)\{\s*([A-Za-z_]\w*)\s*\}(?!\})")


class _TemplateProblem(Exception):
    """What is wrong with an annotation template (the caller names the field and the place)."""


@functools.cache
def _annotation_pieces(text: str, allowed: frozenset[str]) -> tuple[str, ...]:
    """`text` parsed and checked once per label set: literal text and Prometheus/Grafana label references as
    they are, and the slots "\\0value" and "\\0threshold" a rule fills in (a NUL never comes from a template)."""
    pieces: list[str] = []
    try:
        body = TEMPLATES.parse(text).body
    except jinja2.TemplateSyntaxError as exc:
        raise _TemplateProblem(f"template syntax: {exc.message}") from None
    for output in body:
        for node in output.nodes if isinstance(output, nodes.Output) else [output]:
            if isinstance(node, nodes.TemplateData):
                old = OLD_PLACEHOLDER.search(node.data)
                if old:  # dashgen's former syntax: it would reach the page as literal text
                    raise _TemplateProblem(f"write {{{{ {old.group(1)} }}}}, not {old.group(0)} (single braces are "
                                           "printed as they are)")
                pieces.append(node.data)
            elif isinstance(node, nodes.Name) and node.name in ("value", "threshold"):
                pieces.append("\0" + node.name)
            elif isinstance(node, nodes.Name) and node.name in allowed:
                pieces.append(f"{{{{ $labels.{node.name} }}}}")
            elif isinstance(node, nodes.Name):
                raise _TemplateProblem(f"{{{{ {node.name} }}}} is not a label of this alert's series "
                                       f"(labels: {', '.join(sorted(allowed))}; or value, threshold)")
            else:
                raise _TemplateProblem("write a label, value or threshold as {{ name }}, without filters or "
                                       "expressions")
    return tuple(pieces)


def _annotation(text: str, allowed: frozenset[str], value: str, threshold: float, where: str, field: str) -> str:
    """`text` in the one template syntax (dashgen.dsl.queries): `{{ label }}`, `{{ value }}` and `{{ threshold }}`
    are filled in, each with what the rule's template language (Grafana's or Prometheus's) reads; nothing else
    is (no filters or expressions: the value is only known when the alert fires)."""
    try:
        pieces = _annotation_pieces(text, allowed)
    except _TemplateProblem as exc:
        raise DashgenError(f"{field}: {exc}", where=where) from None
    filled = {"\0value": value, "\0threshold": f"{threshold:g}"}
    return "".join(filled.get(piece, piece) for piece in pieces)


def _annotations(alert: Alert, labels: frozenset[str], value: str, threshold: float) -> dict[str, str]:
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
    panel_ids: Mapping[str, int],
    board_uid: str,
    config_where: Callable[[str], str] = lambda path: "dashgen.yaml",
) -> list[CompiledRule]:
    """`panel_ids`: alert name -> the id of the panel it links. `config_where`: dashgen.yaml:LINE of a key path
    (Config.where), for errors about config keys."""
    rules: list[CompiledRule] = []
    client_label = catalogue.client_label
    if alerting.thresholds.clients and client_label is None:
        raise DashgenError("alerting.thresholds.clients: per-client overrides split the rules on the label that "
                           "names the client: set `client_label: <label>` in metrics.yaml",
                           where=config_where(CLIENTS))
    for alert in alerts:
        where = str(alert.defined_at)
        for variant in variants(alert, alerting.thresholds):
            matcher = variant.matcher()
            bindings = [] if matcher is None or client_label is None else [
                Binding(client_label, matcher[0], matcher[1], "the rule's client split (thresholds.clients)")]
            renderer = QueryRenderer(catalogue, bindings)
            try:
                expr = renderer.render(alert.expr, alert.params)
            except QueryError as exc:
                raise DashgenError(f"alert {alert.name!r}: {exc}", where=where) from None
            metrics = renderer.metrics_in(alert.expr, alert.params)
            labels_of_series = frozenset.intersection(*(frozenset(catalogue.metrics[m].labels) for m in metrics)) \
                if metrics else frozenset()
            for level in alert.levels:
                threshold = resolve(level.threshold, variant.values)
                labels = {"alert": alert.name, "severity": level.severity, "team": alert.team,
                          MANAGED_LABEL[0]: MANAGED_LABEL[1]}
                if variant.client is not None and client_label is not None:  # the value its series carry anyway;
                    labels[client_label] = variant.client  # it keeps the rules of two clients distinct
                common = {
                    "runbook_url": alerting.runbook_base_url.rstrip("/") + "/" + alert.runbook,
                    "__dashboardUid__": board_uid,
                    "__panelId__": str(panel_ids[alert.name]),
                }
                grafana_text = _annotations(alert, labels_of_series, "{{ humanize $values.A.Value }}", threshold)
                prometheus_text = _annotations(alert, labels_of_series, "{{ humanize $value }}", threshold)
                rules.append(CompiledRule(
                    uid=rule_uid(alert, level, variant, alerting.rule_uid_prefix),
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
    _check_unique(rules, config_where, alerting.rule_uid_prefix)
    return rules


def _check_unique(rules: Sequence[CompiledRule], config_where: Callable[[str], str], prefix: str) -> None:
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
                cause = f"rule uids are {prefix}-<runbook>: give one another runbook=" if kind == "uid" \
                    else "rename one"
                message = (f"alert {rule.alert.name!r} would get the rule {kind} {key!r} of alert "
                           f"{other.alert.name!r} ({other.alert.defined_at}): {cause}")
            raise DashgenError(message, where=str(rule.alert.defined_at))
