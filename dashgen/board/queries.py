"""PromQL from jinja2 templates in which every catalogue metric is a pre-filtered selector.

`{{ mm_open_orders }}` renders as `mm_open_orders{client=~"$client",exchange=~"$exchange",...}` with a
matcher for every board variable whose label the metric has, so no panel can forget a filter.
`{{ mm_open_orders(side="bid") }}` adds fixed matchers; undefined names are errors, never "".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from dashgen.catalogue import Catalogue, Metric
from dashgen.dsl.variables import QueryVariable


class QueryError(Exception):
    """A template that cannot render; the caller adds where it was written."""


@dataclass(frozen=True)
class Binding:
    """A board variable bound to a metric label: `label<operator>"$variable"`."""

    variable: str
    label: str
    operator: str

    @classmethod
    def of(cls, variable: QueryVariable) -> Binding:
        return cls(variable=variable.name, label=variable.matches, operator=variable.operator)


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
                    f"{self.metric.name}: {label!r} is filtered by the board variable "
                    f"${self.bindings[label].variable}; a panel may not override it"
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
                matchers.append(f'{label}{binding.operator}"${binding.variable}"')
            elif label in fixed:
                matchers.append(f'{label}="{fixed[label]}"')
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


def label_values_query(metric: Metric, label: str, bindings: Sequence[Binding]) -> str:
    """Grafana's Prometheus variable query, filtered by the earlier variables (the chain)."""
    return f"label_values({Selector(metric, bindings)}, {label})"
