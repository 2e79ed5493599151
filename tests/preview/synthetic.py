"""Hand-made BoardData for any board's view model: deterministic series for every panel, so page tests (and the
browser tier) know how many series each panel must draw. Not the desk's synthetic data (the data step's)."""

from __future__ import annotations

import math
import re
from typing import Any

from dashgen.preview.series import BoardData, PanelData, Series

START = 1_767_225_600  # 2026-01-01 00:00 UTC
STEP = 300
POINTS = 72  # six hours
SIDES = ("bid", "ask")
LABELS = {"exchange": "binance", "symbol": "BTC-USDT", "asset": "BTC", "state": "free", "feed": "orderbook",
          "service": "quoter", "instance": "q1", "ref": "USD", "distance": "0.5", "client": "acme"}


def legend(template: str, labels: dict[str, str]) -> str:
    """A legendFormat rendered as Prometheus' data source does: {{label}} replaced by the label's value."""
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template).strip()


def _wave(seed: int, base: float, amplitude: float) -> tuple[float | None, ...]:
    return tuple(round(base + amplitude * (math.sin((i + seed * 7) / 6.0) + 0.3 * math.cos(i * seed / 3.0)), 4)
                 for i in range(POINTS))


def _times(instant: bool) -> tuple[int, ...]:
    end = START + STEP * (POINTS - 1)
    return (end,) if instant else tuple(START + STEP * i for i in range(POINTS))


def _values(seed: int, unit: str, instant: bool) -> tuple[float | None, ...]:
    base, amplitude = {"percentunit": (0.5, 0.2), "percent": (50, 20), "s": (20, 15)}.get(unit, (100 + 40 * seed, 30))
    values = _wave(seed, base, amplitude)
    return values[-1:] if instant else values


def panel_data(panel: dict[str, Any]) -> PanelData:
    """Series for one panel of the view model: candlestick open/high/low/close; a table one row per side merged
    across its targets; otherwise two series (bid, ask) for the first target and one for each other target."""
    if panel["type"] == "candlestick":
        close = _wave(1, 100, 5)
        opened = (close[0], *close[:-1])
        high = tuple(max(o or 0, c or 0) + 1.5 for o, c in zip(opened, close, strict=True))
        low = tuple(min(o or 0, c or 0) - 1.5 for o, c in zip(opened, close, strict=True))
        parts = dict(zip(("open", "high", "low", "close"), (opened, high, low, close), strict=True))
        names = panel["candlestick"]["fields"]
        return PanelData(tuple(Series(t["refId"], t["legendFormat"], {}, _times(False), parts[names[part]])
                               for t, part in zip(panel["targets"], ("open", "high", "low", "close"), strict=True)))
    series: list[Series] = []
    for n, target in enumerate(panel["targets"]):
        instant = target["instant"] or panel["type"] == "table"
        sides = SIDES if n == 0 or panel["type"] == "table" else ("all",)
        for m, side in enumerate(sides):
            labels = {**LABELS, "side": side} if side != "all" else dict(LABELS)
            template = target["legendFormat"] if target["legendFormat"] not in ("", "__auto") else "{{side}}"
            name = legend(template if "{{side}}" in template or side == "all" else f"{template} {side}", labels)
            series.append(Series(target["refId"], name, labels, _times(instant),
                                 _values(1 + n * 2 + m, panel["unit"], instant)))
    return PanelData(tuple(series))


def board_data(model: dict[str, Any], *, errors: dict[int, str] | None = None) -> BoardData:
    """Data for every panel of the model; `errors`: panel id -> a query error shown instead."""
    panels = {panel["id"]: panel_data(panel) for row in model["rows"] for panel in row["panels"]}
    for panel_id, error in (errors or {}).items():
        panels[panel_id] = PanelData(error=error)
    return BoardData(source="synthetic test data", start=START, end=START + STEP * (POINTS - 1), step=STEP,
                     panels=panels)
