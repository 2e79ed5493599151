"""PromQL from jinja2 templates in which every catalogue metric is a pre-filtered selector.

`{{ mm_open_orders }}` renders as `mm_open_orders{client=~"$client",exchange=~"$exchange",...}` with a
matcher for every board variable whose label the metric has, so no panel can forget a filter.
`{{ mm_open_orders(side="bid") }}` adds fixed matchers; undefined names are errors, never "".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import jinja2
import jinja2.meta

from dashgen.catalogue import Catalogue, Metric
from dashgen.dsl.variables import QueryVariable
from dashgen.promql_text import matcher


class QueryError(Exception):
    """A template that cannot render; the caller adds where it was written."""


@dataclass(frozen=True)
class Binding:
    """A label every selector of that metric filters on: `label<operator>"value"`, e.g. a board variable
    (`client=~"$client"`) or an alert rule's client split (`client!~"acme|bit\\.x"`). `value` is the string's
    value, escaped when rendered; for =~ and !~ it is an RE2 pattern (see dashgen.promql_text)."""

    label: str
    operator: str
    value: str
    source: str  # for messages: "the board variable $client"

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
        self._env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
        self._selectors = {name: Selector(metric, bindings) for name, metric in catalogue.metrics.items()}

    def render(self, template: str) -> str:
        try:
            return self._env.from_string(template).render(self._selectors).strip()
        except jinja2.UndefinedError as exc:
            raise QueryError(f"{exc.message} (not a metric in metrics.yaml)") from None
        except jinja2.TemplateSyntaxError as exc:
            raise QueryError(f"template syntax: {exc.message}") from None

    def metrics_in(self, template: str) -> set[str]:
        """The catalogue metrics a template names (call after render, which reports bad templates)."""
        names = jinja2.meta.find_undeclared_variables(self._env.parse(template))
        return {name for name in names if name in self._selectors}


def label_values_query(metric: Metric, label: str, bindings: Sequence[Binding]) -> str:
    """Grafana's Prometheus variable query, filtered by the earlier variables (the chain)."""
    return f"label_values({Selector(metric, bindings)}, {label})"
