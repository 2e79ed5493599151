"""Typed metric catalogue: what the project's services emit, as panels, alerts, lint and test data see it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from dashgen.config import checks

_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def _metric_name(value: Any) -> str | None:
    return None if _METRIC_NAME.match(value) else "not a valid Prometheus metric name"


def _label_names(value: Any) -> str | None:
    bad = [v for v in value if not _LABEL_NAME.match(v)]
    if bad:
        return f"not a valid label name: {bad[0]!r}"
    if len(set(value)) != len(value):
        return "a label is listed twice"
    return None


@dataclass(frozen=True)
class Metric:
    name: str = field(metadata={"check": _metric_name})
    type: Literal["gauge", "counter"]
    unit: str = field(metadata={"check": checks.non_empty})
    labels: list[str] = field(metadata={"check": _label_names})
    help: str = field(metadata={"check": checks.non_empty})
    # Fixed value domains of some labels (side, distance, feed, ...), for lint and generated test data.
    values: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CatalogueFile:
    labels: dict[str, str]
    metrics: list[Metric]
    client_label: str | None = None


@dataclass(frozen=True)
class Catalogue:
    labels: dict[str, str]  # label name -> meaning
    metrics: dict[str, Metric]  # by name, in file order
    # the label whose values name the clients that alerting.thresholds.clients overrides: the rules split on it
    client_label: str | None = None

    def get(self, name: str) -> Metric | None:
        return self.metrics.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.metrics
