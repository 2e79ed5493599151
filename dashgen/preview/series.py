"""The data a preview draws: what the data step (Prometheus, the local synthetic desk, or nothing) hands the
page step. Plain values, no I/O; the page embeds them as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Series:
    ref_id: str  # the panel target (query) it came from
    name: str  # its legend: the target's legendFormat rendered with the labels, else the label set
    labels: Mapping[str, str]
    times: tuple[int, ...]  # unix seconds, ascending; an instant query has one
    values: tuple[float | None, ...]  # None where the series has no sample (a gap)


@dataclass(frozen=True)
class PanelData:
    series: tuple[Series, ...] = ()
    error: str | None = None  # the query failed: shown on the panel instead of a chart


@dataclass(frozen=True)
class BoardData:
    source: str  # what the data came from, shown on the page: "Prometheus http://…", "synthetic desk data"
    start: int  # the board's time range evaluated, unix seconds
    end: int
    step: int  # seconds between points
    panels: Mapping[int, PanelData] = field(default_factory=dict)  # by panel id
    note: str | None = None  # e.g. "no data source: …" when the layout alone is drawn


def no_data(reason: str) -> BoardData:
    """The layout alone, saying why there is no data."""
    return BoardData(source="", start=0, end=0, step=0, note=f"no data source: {reason}")
