"""Rules and routing as Grafana provisioning-API objects, built with grafana-foundation-sdk's alerting models
(11.6 line), as plain JSON values (what the SDK's own encoder writes). Pure.

Mute timings are written in Alertmanager's JSON directly: the SDK's TimeRange serialises `from`/`to` and its
weekday/month ranges as objects, but the provisioning API reads `start_time`/`end_time` and `monday:friday`."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from grafana_foundation_sdk.builders import alerting as sdk
from grafana_foundation_sdk.builders import expr as sdk_expr
from grafana_foundation_sdk.builders import prometheus as sdk_prometheus
from grafana_foundation_sdk.cog import builder as cogbuilder
from grafana_foundation_sdk.models import alerting as models
from grafana_foundation_sdk.models.alerting import RelativeTimeRange
from grafana_foundation_sdk.models.dashboard import DataSourceRef

from dashgen import timeinterval
from dashgen.alerting.rules import CompiledRule
from dashgen.config.model import AlertingConfig, ContactPointConfig, MuteTiming
from dashgen.dsl.routing import MESSAGE_TEMPLATE, TITLE_TEMPLATE, Routing
from dashgen.errors import DashgenError
from dashgen.managed import MANAGED_LABEL, MANAGED_PREFIX
from dashgen.suggest import did_you_mean

EXPR_DATASOURCE = "__expr__"
LOOKBACK_S = 600


def _encode(builder: Any) -> dict[str, Any]:
    """The built SDK object as plain JSON values: what its JSONEncoder writes, read back (without the text in
    between, which cost a third of compiling the rules of hundreds of clients)."""
    data: dict[str, Any] = _plain(builder.build())
    return data


def _plain(value: Any) -> Any:
    cls = value.__class__
    if cls is str or cls is int or cls is float or cls is bool or value is None:
        return value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, str | int | float):  # a subclass: JSON holds its plain value
        return str(value) if isinstance(value, str) else float(value) if isinstance(value, float) else int(value)
    to_json = getattr(value, "to_json", None)
    if callable(to_json):
        return _plain(to_json())
    raise TypeError(f"no JSON form for {cls.__name__}")


def managed_name(name: str) -> str:
    return f"{MANAGED_PREFIX}{name}"


def grafana_rule(rule: CompiledRule, *, folder_uid: str, datasource_uid: str) -> dict[str, Any]:
    query = (
        sdk.Query("A")
        .datasource_uid(datasource_uid)
        .relative_time_range(RelativeTimeRange(from_val=LOOKBACK_S, to=0))
        .model(sdk_prometheus.Dataquery().ref_id("A").expr(rule.expr).instant())
    )
    evaluator = sdk_expr.ExprTypeThresholdConditionsEvaluator().type(rule.level.op).params([rule.threshold])
    threshold = (
        sdk_expr.TypeThreshold()
        .ref_id("C")
        .expression("A")
        .datasource(DataSourceRef(type_val=EXPR_DATASOURCE, uid=EXPR_DATASOURCE))
        .conditions([sdk_expr.ExprTypeThresholdConditions().evaluator(evaluator)])
    )
    condition = (
        sdk.Query("C")
        .datasource_uid(EXPR_DATASOURCE)
        .relative_time_range(RelativeTimeRange(from_val=0, to=0))
        .model(threshold)
    )
    builder = (
        sdk.Rule(rule.title)
        .uid(rule.uid)
        .folder_uid(folder_uid)
        .rule_group(rule.alert.group)
        .condition("C")
        .queries([query, condition])
        .for_val(rule.level.for_)
        .no_data_state(rule.alert.no_data)  # type: ignore[arg-type]  # KeepLast is valid in 11.6, not in the SDK
        .exec_err_state(rule.alert.exec_err)  # type: ignore[arg-type]
        .labels(rule.labels)
        .annotations(rule.grafana_annotations)
        .is_paused(False)
    )
    data = _encode(builder)
    data.pop("orgID", None)  # the server's field: Grafana fills it from the token's organisation
    return data


def rule_groups(rules: Sequence[CompiledRule], *, folder_uid: str, interval_s: int,
                datasource_uid: str) -> list[dict[str, Any]]:
    """The SDK builds each alert level's rule once; its client splits differ from it only in what
    `_client_split` replaces (the SDK's cost per rule was most of compiling hundreds of clients)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    first: dict[tuple[str, str], dict[str, Any]] = {}  # (alert, severity) -> its first rule, as the SDK built it
    for rule in rules:
        key = (rule.alert.name, rule.level.severity)
        if key in first:
            body = _client_split(first[key], rule)
        else:
            body = first[key] = grafana_rule(rule, folder_uid=folder_uid, datasource_uid=datasource_uid)
        groups.setdefault(rule.alert.group, []).append(body)
    return [
        _encode(sdk.RuleGroup(title).folder_uid(folder_uid).interval(interval_s)) | {"rules": items}
        for title, items in groups.items()
    ]


def _client_split(built: dict[str, Any], rule: CompiledRule) -> dict[str, Any]:
    """`built` (another split of the same alert level, from `grafana_rule`) with `rule`'s uid, title, labels,
    annotations, query and threshold: new objects along those paths, the rest shared (nothing is changed in
    place)."""
    query, condition = built["data"]
    model = condition["model"]
    (check,) = model["conditions"]
    conditions = [{**check, "evaluator": {**check["evaluator"], "params": [rule.threshold]}}]
    return {**built, "uid": rule.uid, "title": rule.title, "labels": dict(rule.labels),
            "annotations": dict(rule.grafana_annotations),
            "data": [{**query, "model": {**query["model"], "expr": rule.expr}},
                     {**condition, "model": {**model, "conditions": conditions}}]}


def _contact_settings(config: ContactPointConfig) -> dict[str, Any]:
    title = f'{{{{ template "{TITLE_TEMPLATE}" . }}}}'
    message = f'{{{{ template "{MESSAGE_TEMPLATE}" . }}}}'
    if config.type == "slack":
        settings: dict[str, Any] = {"url": f"${{{config.webhook_url_env}}}", "title": title, "text": message}
        if config.recipient:
            settings["recipient"] = config.recipient
        return settings
    if config.type == "pagerduty":
        return {"integrationKey": f"${{{config.integration_key_env}}}", "severity": "critical", "summary": title}
    return {"url": f"${{{config.webhook_url_env}}}", "httpMethod": "POST", "title": title, "message": message}


def contact_points(routing: Routing, alerting: AlertingConfig) -> list[dict[str, Any]]:
    found = []
    for point in routing.contact_points:
        config = alerting.contact_points.get(point.config)
        if config is None:
            raise DashgenError(f"contact point {point.name!r}: no alerting.contact_points.{point.config} in "
                               f"dashgen.yaml{did_you_mean(point.config, alerting.contact_points)}",
                               where=str(point.defined_at))
        builder = (
            sdk.ContactPoint()
            .uid(managed_name(point.name))
            .name(managed_name(point.name))
            .type(config.type)
            .settings(_contact_settings(config))
            .disable_resolve_message(False)
        )
        found.append(_encode(builder))
    return found


def policy_subtree(routing: Routing) -> dict[str, Any]:
    """Receivers and matchers were checked when ROUTING was declared (dsl/routing_checks.py), mute timings by
    `mute_timings`."""
    routes: list[cogbuilder.Builder[models.NotificationPolicy]] = []
    for route in routing.routes:
        child = sdk.NotificationPolicy().receiver(managed_name(route.receiver)).object_matchers(
            [[name, "=", value] for name, value in route.match])
        if route.continue_:
            child = child.continue_val(True)
        if route.mute:
            child = child.mute_time_intervals([managed_name(m) for m in route.mute])
        routes.append(child)
    builder = (
        sdk.NotificationPolicy()
        .receiver(managed_name(routing.receiver))
        .object_matchers([[MANAGED_LABEL[0], "=", MANAGED_LABEL[1]]])
        .group_by(list(routing.group_by))
        .group_wait(routing.group_wait)
        .group_interval(routing.group_interval)
        .repeat_interval(routing.repeat_interval)
        .routes(routes)
    )
    return _encode(builder)


def time_interval(window: MuteTiming) -> dict[str, Any]:
    """The window in Alertmanager's JSON, as Grafana answers it (dashgen/timeinterval.py); parts left empty are
    left out, as Grafana leaves them out."""
    parts: dict[str, list[Any]] = {
        "times": [{"start_time": start, "end_time": end} for item in window.times
                  for start, end in timeinterval.day_ranges(item)],
        "weekdays": [r for item in window.weekdays for r in timeinterval.weekday_ranges(item)],
        "days_of_month": [timeinterval.day_of_month_range(item) for item in window.days_of_month],
        "months": [r for item in window.months for r in timeinterval.month_ranges(item)],
        "years": [timeinterval.year_range(item) for item in window.years],
    }
    return {**{key: value for key, value in parts.items() if value}, "location": window.location}


def mute_timings(routing: Routing, alerting: AlertingConfig) -> list[dict[str, Any]]:
    """Every mute timing of alerting.mute_timings; a route muting by a name dashgen.yaml does not define is an
    error at the route."""
    for route in routing.routes:
        for mute in route.mute:
            if mute not in alerting.mute_timings:
                raise DashgenError(f"route to {route.receiver!r}: mute timing {mute!r}: no alerting.mute_timings."
                                   f"{mute} in dashgen.yaml{did_you_mean(mute, alerting.mute_timings)}",
                                   where=str(route.defined_at))
    return [{"name": managed_name(name), "time_intervals": [time_interval(window)]}
            for name, window in alerting.mute_timings.items()]


def templates(routing: Routing) -> list[dict[str, Any]]:
    return [_encode(sdk.NotificationTemplate().name(managed_name(t.name)).template(t.text)) for t in routing.templates]
