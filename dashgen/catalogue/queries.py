"""PromQL from query templates (dashgen.dsl.queries) in which every catalogue metric is a pre-filtered selector.

`{{ http_requests_total }}` renders as `http_requests_total{service=~"$service",region=~"$region"}`, with a
matcher for every board variable whose label the metric has, so no panel can forget a filter.
`{{ http_requests_total(code="500") }}` adds fixed matchers; a query's parameters are filled in by name, a
`metric(...)` parameter as its selector; undefined names, and parameters the template does not use, are errors.
TEMPLATES is dashgen's one template environment (jinja2): alert annotations are rendered in it too.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.meta

from dashgen.catalogue import Catalogue, Metric
from dashgen.dsl.queries import MetricRef, Params
from dashgen.dsl.variables import QueryVariable
from dashgen.promql_text import matcher
from dashgen.suggest import did_you_mean

TEMPLATES = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


class QueryError(Exception):
    """A template that cannot render; the caller adds where it was written."""


@dataclass(frozen=True)
class Binding:
    """A label every selector of that metric filters on: `label<operator>"value"`, e.g. a board variable
    (`region=~"$region"`) or an alert rule's split by client (`customer!~"first|second\\.eu"`). `value` is the
    string's value, escaped when rendered; for =~ and !~ it is an RE2 pattern (see dashgen.promql_text)."""

    label: str
    operator: str
    value: str
    source: str  # for messages: "the board variable $region"

    @classmethod
    def of(cls, variable: QueryVariable) -> Binding:
        return cls(label=variable.matches, operator=variable.operator, value=f"${variable.name}",
                   source=f"the board variable ${variable.name}")


class Selector:
    """A metric as a jinja2 value: renders with the board filters; call it to add fixed matchers."""

    def __init__(self, metric: Metric, bindings: Sequence[Binding]) -> None:
        self.metric = metric
        self.bindings = {b.label: b for b in bindings if b.label in metric.labels}

    def __str__(self) -> str:
        return self.render({})

    def __call__(self, **fixed: str) -> str:
        for label, value in fixed.items():
            if label not in self.metric.labels:
                raise QueryError(f"{self.metric.name} has no label {label!r} (labels: {', '.join(self.metric.labels)})")
            if label in self.bindings:
                raise QueryError(
                    f"{self.metric.name}: {label!r} is filtered by {self.bindings[label].source}; "
                    "a query may not override it"
                )
            domain = self.metric.values.get(label)
            if domain is not None and value not in domain:
                raise QueryError(f"{self.metric.name}: {label}={value!r} is not one of {domain}")
        return self.render(fixed)

    def render(self, fixed: dict[str, str]) -> str:
        matchers = []
        for label in self.metric.labels:
            if label in self.bindings:
                binding = self.bindings[label]
                matchers.append(matcher(label, binding.operator, binding.value))
            elif label in fixed:
                matchers.append(matcher(label, "=", fixed[label]))
        return f"{self.metric.name}{{{','.join(matchers)}}}" if matchers else self.metric.name


class QueryRenderer:
    def __init__(self, catalogue: Catalogue, bindings: Sequence[Binding]) -> None:
        self._metrics = catalogue.metrics
        self._bindings = bindings
        self._made: dict[str, Selector] = {}  # made when a template first reads the metric: an alert's client
        # split makes a renderer per client, and reads a metric or two of the catalogue's dozens

    def _selector(self, name: str) -> Selector | None:
        selector = self._made.get(name)
        if selector is None and name in self._metrics:
            selector = self._made[name] = Selector(self._metrics[name], self._bindings)
        return selector

    def _selectors(self, names: set[str]) -> dict[str, Selector]:
        return {name: selector for name in names if (selector := self._selector(name)) is not None}

    def render(self, template: str, params: Params = ()) -> str:
        context = self._context(template, params) if params else self._selectors(names_in(template))
        try:
            return compiled(template).render(context).strip()
        except jinja2.UndefinedError as exc:
            raise QueryError(f"{exc.message} (not a metric in metrics.yaml)") from None
        except jinja2.TemplateSyntaxError as exc:
            raise QueryError(f"template syntax: {exc.message}") from None
        except TypeError as exc:  # e.g. a parameter called like a metric
            raise QueryError(str(exc)) from None

    def metrics_in(self, template: str, params: Params = ()) -> set[str]:
        """The catalogue metrics a template reads, by name or through a metric(...) parameter (call after
        render, which reports bad templates)."""
        named = names_in(template) & self._metrics.keys()
        return named | {value.name for _, value in params if isinstance(value, MetricRef)}

    def _context(self, template: str, params: Params) -> Mapping[str, Any]:
        used = names_in(template)
        values: dict[str, Any] = {}
        for name, value in params:
            if name in self._metrics:
                raise QueryError(f"parameter {name!r} has the name of a metric in metrics.yaml: rename the parameter")
            if name not in used:
                raise QueryError(f"parameter {name!r} is not used in the query")
            values[name] = self._value(value)
        return {**self._selectors(used), **values}

    def _value(self, value: object) -> object:
        if not isinstance(value, MetricRef):
            return value
        selector = self._selector(value.name)
        if selector is None:
            raise QueryError(f"metric({value.name!r}): not a metric in metrics.yaml"
                             f"{did_you_mean(value.name, self._metrics)}")
        return selector(**dict(value.matchers))


@functools.cache
def compiled(template: str) -> jinja2.Template:
    """Each template compiled once per process: an alert is rendered once per client split (hundreds)."""
    return TEMPLATES.from_string(template)


def names_in(template: str) -> set[str]:
    """The names a template reads (metrics, parameters)."""
    try:
        return set(_names(template))
    except jinja2.TemplateSyntaxError as exc:
        raise QueryError(f"template syntax: {exc.message}") from None


@functools.cache
def _names(template: str) -> frozenset[str]:
    return frozenset(jinja2.meta.find_undeclared_variables(TEMPLATES.parse(template)))


def label_values_query(metric: Metric, label: str, bindings: Sequence[Binding]) -> str:
    """Grafana's Prometheus variable query, filtered by the earlier variables (the chain)."""
    return f"label_values({Selector(metric, bindings)}, {label})"
