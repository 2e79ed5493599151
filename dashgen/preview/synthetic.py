"""A deterministic synthetic desk in OpenMetrics, from a project's metric catalogue. Pure.

Every metric asked for, every combination of its labels' values, 6 hours at 15 s by default (`Desk`). A label's
values are the catalogue's own (`values:` of the metric), else the ones given (`domains`: the values the board
names, see `board_domains`, or a test's table), else generic ones (`client-1`, `client-2`): dashgen knows no
desk's names. Values are functions of the series and the time only, never random, and healthy by the usual
naming conventions (timestamps fresh, counters rising, a `..._min_...`/`..._max_...` band around its `target`
and the value inside it, ratios near one half, counts above zero), so every panel has data and alerts stay quiet.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dashgen.board import walk
from dashgen.catalogue import Catalogue, Metric
from dashgen.promql_text import string_literal  # OpenMetrics label values escape as PromQL strings

START = 1735689600  # 2025-01-01T00:00:00Z
STEP = 15
HOURS = 6
DOMAIN_SIZE = 2  # values of a label the catalogue and the board leave open

_EQUALS = re.compile(r'\b([a-zA-Z_]\w*)\s*=\s*"((?:[^"\\$]|\\.)*)"')


@dataclass(frozen=True)
class Desk:
    start: int = START
    step: int = STEP
    hours: int = HOURS

    @property
    def end(self) -> int:
        return self.start + self.hours * 3600

    def times(self) -> range:
        return range(self.start, self.end + 1, self.step)


DEFAULT_DESK = Desk()


def default_domain(label: str) -> list[str]:
    return [f"{label}-{n}" for n in range(1, DOMAIN_SIZE + 1)]


def label_domains(metric: Metric, domains: Mapping[str, Sequence[str]] | None = None) -> list[list[str]]:
    domains = domains or {}
    return [list(metric.values.get(label) or domains.get(label) or default_domain(label)) for label in metric.labels]


def series(metric: Metric, domains: Mapping[str, Sequence[str]] | None = None) -> Iterator[dict[str, str]]:
    for combination in itertools.product(*label_domains(metric, domains)):
        yield dict(zip(metric.labels, combination, strict=True))


_RATIO_UNITS = frozenset({"ratio", "percentunit"})
_COUNT_UNITS = frozenset({"count", "short", "none"})
_SECONDS_UNITS = frozenset({"seconds", "s"})
_TIMESTAMP_UNITS = frozenset({"unix_seconds", "timestamp", "dateTimeAsIso"})
_BASES = {"bps": 12.0, "percent": 50.0}


def value(metric: Metric, index: int, t: int, start: int) -> float:
    """The value of the `index`-th series of `metric` at `t`."""
    elapsed = t - start
    wave = math.sin(elapsed / 900 + index)
    words = set(metric.name.split("_"))
    if metric.name.endswith("_timestamp_seconds") or metric.unit in _TIMESTAMP_UNITS:
        return float(t - index % 5)  # fresh: a few seconds old
    if metric.type == "counter":
        return round(elapsed * (0.05 + index % 7 * 0.01), 3)
    if metric.unit in _COUNT_UNITS:
        return float(3 + index % 4)
    if metric.unit in _SECONDS_UNITS:
        return round(20 + 10 * abs(wave), 2)
    base = 0.5 if metric.unit in _RATIO_UNITS else _BASES.get(metric.unit, 1000.0 * (1 + index % 3))
    if "min" in words:
        return base * 0.5
    if "max" in words:
        return base * 1.5
    if "target" in words:
        return base
    return round(base * (1 + 0.1 * wave), 4)


def _labels(labels: Mapping[str, str]) -> str:
    return ",".join(f'{k}="{string_literal(v)}"' for k, v in labels.items())


def openmetrics(catalogue: Catalogue, desk: Desk = DEFAULT_DESK, domains: Mapping[str, Sequence[str]] | None = None,
                metrics: Collection[str] | None = None) -> Iterator[str]:
    """OpenMetrics text, a family at a time (counters as `# TYPE name counter` with `name_total` samples), for
    every metric of the catalogue (or those of `metrics`)."""
    times = list(desk.times())
    for metric in catalogue.metrics.values():
        if metrics is not None and metric.name not in metrics:
            continue
        family = metric.name.removesuffix("_total") if metric.type == "counter" else metric.name
        yield f"# TYPE {family} {metric.type}\n"
        yield f"# HELP {family} {metric.help}\n"
        for index, labels in enumerate(series(metric, domains)):
            head = f"{metric.name}{{{_labels(labels)}}} "
            yield "".join(f"{head}{value(metric, index, t, desk.start)} {t}\n" for t in times)
    yield "# EOF\n"


# ------------------------------------------------------------------------------------------------ from a board
def _texts(dashboard: Mapping[str, Any]) -> list[str]:
    """The board's PromQL: every target's expression and every query variable's query."""
    texts = [str(at.target.get("expr") or "") for at in walk.targets(dict(dashboard))]
    for variable in (dashboard.get("templating") or {}).get("list") or []:
        query = variable.get("query")
        texts.append(str(query.get("query", "") if isinstance(query, dict) else query or ""))
    return texts


def metrics_used(dashboard: Mapping[str, Any], catalogue: Catalogue) -> list[str]:
    """The catalogue's metrics the board's queries name, in catalogue order: what its preview needs."""
    words = set(re.findall(r"[a-zA-Z_:][\w:]*", "\n".join(_texts(dashboard))))
    return [name for name in catalogue.metrics if name in words]


def board_domains(dashboard: Mapping[str, Any], catalogue: Catalogue) -> dict[str, list[str]]:
    """Label values the board names, so its defaults and fixed matchers select data: a variable's default
    (a variable named after a label) and `label="value"` matchers, each label topped up with generic values to
    `DOMAIN_SIZE`. Unescaped as Prometheus reads the string."""
    named: dict[str, list[str]] = {}
    for variable in (dashboard.get("templating") or {}).get("list") or []:
        name = str(variable.get("name", ""))
        current = (variable.get("current") or {}).get("value")
        for item in current if isinstance(current, list) else [current]:
            if name in catalogue.labels and isinstance(item, str) and item and not item.startswith("$"):
                named.setdefault(name, []).append(item)
    for text in _texts(dashboard):
        for label, raw in _EQUALS.findall(text):
            if label in catalogue.labels:
                named.setdefault(label, []).append(re.sub(r"\\(.)", r"\1", raw))
    domains: dict[str, list[str]] = {}
    for label, values in named.items():
        unique = list(dict.fromkeys(values))
        extra = [v for v in default_domain(label) if v not in unique]
        domains[label] = unique + extra[:max(0, DOMAIN_SIZE - len(unique))]
    return domains
