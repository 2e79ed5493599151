"""Queries as users write them: one template syntax, jinja2's `{{ name }}`, for everything dashgen fills in.

In a query (a panel's `query(...)`, an alert's `expr`), every metric of metrics.yaml is a name:
`{{ http_requests_total }}` is its selector, filtered by every board variable its labels call for, and
`{{ http_requests_total(code="500") }}` adds a fixed matcher. What differs between similar queries is a parameter,
never string formatting:

    RATE = "sum by (service) (rate({{ requests }}[$__rate_interval]))"
    query(RATE, params={"requests": metric("http_requests_total", code="500")}, legend="{{service}}")

A parameter is a plain value (`{{ window }}` with params={"window": "5m"}) or `metric(name, **matchers)`, a
metric's selector. Grafana's own syntax stays Grafana's: `$variable` and `$__rate_interval` in queries, and
`{{label}}` in a legend, which Grafana fills in per series (dashgen leaves legends as written)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from dashgen.dsl.location import caller_location
from dashgen.errors import DashgenError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class MetricRef:
    """A metric of metrics.yaml as a query parameter: it renders as the metric's selector, with `matchers`."""

    name: str
    matchers: tuple[tuple[str, str], ...] = ()


ParamValue = str | int | float | MetricRef
Params = tuple[tuple[str, ParamValue], ...]


@dataclass(frozen=True)
class Query:
    """One PromQL query: `expr` is a template over the metric catalogue, filled in with `params`."""

    expr: str
    legend: str = ""
    instant: bool = False
    interval: str = ""  # minimum step, e.g. "$interval" so each point covers one interval
    format: Literal["time_series", "table"] = "time_series"
    params: Params = ()


def metric(name: str, **matchers: str) -> MetricRef:
    """A metric's selector as a parameter: `metric("http_requests_total", code="500")` renders as
    `{{ http_requests_total(code="500") }}` would."""
    where = caller_location()
    if not isinstance(name, str) or not name:
        raise DashgenError(f"metric({name!r}): give the name of a metric in metrics.yaml", where=str(where))
    for label, value in matchers.items():
        if not isinstance(value, str):
            raise DashgenError(f"metric({name!r}): {label}={value!r} is not a string", where=str(where))
    return MetricRef(name=name, matchers=tuple(matchers.items()))


def params_of(params: Mapping[str, ParamValue] | None, owner: str) -> Params:
    """Checked and frozen: names are template names, values are strings, numbers or metric(...)."""
    where = caller_location()
    found: list[tuple[str, ParamValue]] = []
    for name, value in (params or {}).items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise DashgenError(f"{owner}: parameter {name!r} is not a name (letters, digits and '_')",
                               where=str(where))
        if isinstance(value, bool) or not isinstance(value, str | int | float | MetricRef):
            raise DashgenError(f"{owner}: parameter {name!r} is a {type(value).__name__}: give a string, a number "
                               "or metric(...)", where=str(where))
        found.append((name, value))
    return tuple(found)


def query(
    expr: str,
    *,
    legend: str = "",
    instant: bool = False,
    interval: str = "",
    format: Literal["time_series", "table"] = "time_series",
    params: Mapping[str, ParamValue] | None = None,
) -> Query:
    return Query(expr=expr, legend=legend, instant=instant, interval=interval, format=format,
                 params=params_of(params, "query"))
