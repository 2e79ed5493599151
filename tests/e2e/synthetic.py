"""A deterministic synthetic desk in OpenMetrics: every catalogue metric, every label combination, 6 hours at
15 s. Values are healthy (fresh feeds, spreads inside their band, orders on both sides), so every panel has
data and the alerts stay quiet; they are functions of the series and the time only, never random."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

from dashgen.catalogue import Catalogue, Metric

START = 1735689600  # 2025-01-01T00:00:00Z
STEP = 15
HOURS = 6

# the desk: 3 clients x 2 exchanges x 2 symbols x 2 accounts, 2 tags, 3 assets, 2 reference currencies
DOMAINS: dict[str, list[str]] = {
    "client": ["acme", "beta", "gamma"],
    "exchange": ["binance", "okx"],
    "symbol": ["BTC-USDT", "ETH-USDT"],
    "account": ["a1", "a2"],
    "tag": ["core", "tight"],
    "asset": ["BTC", "ETH", "USDT"],
    "ref": ["USD", "EUR"],
    "level": ["1", "2"],
    "service": ["quoter", "hedger"],
    "instance": ["i-1"],
}


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


def label_domains(metric: Metric, domains: dict[str, list[str]] = DOMAINS) -> list[list[str]]:
    return [metric.values.get(label) or domains[label] for label in metric.labels]


def series(metric: Metric, domains: dict[str, list[str]] = DOMAINS) -> Iterator[dict[str, str]]:
    for combination in itertools.product(*label_domains(metric, domains)):
        yield dict(zip(metric.labels, combination, strict=True))


def _value(metric: Metric, index: int, labels: dict[str, str], t: int, start: int) -> float:
    elapsed = t - start
    wave = math.sin(elapsed / 900 + index)
    name = metric.name
    if name.endswith("_timestamp_seconds"):
        return float(t - (index % 5))  # fresh: a few seconds old
    if metric.type == "counter":
        return round(elapsed * (0.05 + index % 7 * 0.01), 3)
    if name in ("mm_spread_target_min_bps",):
        return 5.0
    if name in ("mm_spread_target_max_bps",):
        return 25.0
    if name in ("mm_spread_target_bps",):
        return 12.0
    if name == "mm_spread_bps":
        return round(12 + 6 * wave, 3)  # inside [5, 25]
    if name in ("mm_inventory_ratio", "mm_inventory_target_ratio"):
        return round(0.5 + (0.05 * wave if name == "mm_inventory_ratio" else 0), 4)
    if name == "mm_rebalance_pending_seconds":
        return 0.0
    if name == "mm_open_orders":
        return float(3 + index % 4)
    if name == "mm_open_orders_oldest_age_seconds":
        return round(20 + 10 * abs(wave), 2)
    price = 60000.0 if labels.get("symbol", "").startswith("BTC") else 3000.0
    if name.endswith("_price"):
        return round(price * (1 + 0.001 * wave), 2)
    return round(1000 + 500 * abs(wave) + index, 2)


def _escape(value: str) -> str:
    """A label value in OpenMetrics text: backslash, double quote and newline escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(labels: dict[str, str]) -> str:
    return ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())


def openmetrics(catalogue: Catalogue, desk: Desk = Desk(), domains: dict[str, list[str]] = DOMAINS) -> Iterator[str]:
    """OpenMetrics text, a family at a time (counters as `# TYPE name counter` with `name_total` samples), every
    label taking the values of `domains` (the desk's by default)."""
    times = list(desk.times())
    for metric in catalogue.metrics.values():
        family = metric.name.removesuffix("_total") if metric.type == "counter" else metric.name
        yield f"# TYPE {family} {metric.type}\n"
        yield f"# HELP {family} {metric.help}\n"
        for index, labels in enumerate(series(metric, domains)):
            head = f"{metric.name}{{{_labels(labels)}}} "
            yield "".join(f"{head}{_value(metric, index, labels, t, desk.start)} {t}\n" for t in times)
    yield "# EOF\n"
