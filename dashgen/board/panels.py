"""One builder per panel kind: a `dsl.Panel` plus its computed id, position and targets -> a grafanalib panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grafanalib.core import Repeat, Stat, Table, TableSortByField, TimeSeries

from dashgen.board.grafana_types import (
    DASHED_LINE,
    BarGauge,
    Candlestick,
    DatasourceRef,
    FieldOverride,
    PromTarget,
    ThresholdStep,
    Transformation,
)
from dashgen.board.layout import GridPos
from dashgen.dsl.panels import (
    BarGaugeOptions,
    CandlestickOptions,
    Panel,
    PanelKind,
    StatOptions,
    TableOptions,
    TimeseriesOptions,
)
from dashgen.promql_text import regex_literal  # Grafana's byRegexp is a JS regex: same metacharacters as RE2

DEFAULT_THRESHOLDS = (ThresholdStep("green", None),)


def build_panel(
    panel: Panel, *, panel_id: int, grid: GridPos, targets: list[PromTarget], datasource: DatasourceRef
) -> Any:
    common: dict[str, Any] = {
        "title": panel.title,
        "description": panel.description,
        "dataSource": datasource,
        "targets": targets,
        "gridPos": grid,
        "id": panel_id,
        "maxDataPoints": None,  # grafanalib's 100 would cap every query; Grafana's default follows the panel's width
        "repeat": Repeat(direction="h", variable=panel.repeat) if panel.repeat else Repeat(),
        "timeFrom": panel.time_from,
        "thresholds": [ThresholdStep(t.color, t.value) for t in panel.thresholds] or list(DEFAULT_THRESHOLDS),
    }
    return _BUILDERS[panel.kind](panel, common)


def _stat(panel: Panel, common: dict[str, Any]) -> Any:
    options = panel.options
    assert isinstance(options, StatOptions)
    return Stat(
        **common,
        format=panel.unit,
        reduceCalc=options.reduce,
        graphMode=options.graph_mode,
        colorMode=options.color_mode,
        decimals=options.decimals,
        noValue="No data",
    )


def _timeseries(panel: Panel, common: dict[str, Any]) -> Any:
    options = panel.options
    assert isinstance(options, TimeseriesOptions)
    overrides = [FieldOverride("byRegexp", f".*{regex_literal(suffix)}$", (DASHED_LINE,)) for suffix in options.dashed]
    return TimeSeries(
        **common,
        unit=panel.unit,
        drawStyle=options.draw_style,
        fillOpacity=options.fill_opacity,
        stacking={"group": "A", "mode": "normal"} if options.stacked else {"group": "A", "mode": "none"},
        legendCalcs=list(options.legend_calcs),
        legendDisplayMode="table" if options.legend_calcs else "list",
        overrides=overrides,
        valueDecimals=options.decimals,
        tooltipMode="multi",
    )


def _table(panel: Panel, common: dict[str, Any]) -> Any:
    options = panel.options
    assert isinstance(options, TableOptions)
    transformations = [Transformation("merge")] if options.merge else []
    transformations.append(Transformation("organize", {
        "excludeByName": {column: True for column in options.hide_columns},
        "renameByName": dict(options.rename),
    }))
    overrides = [FieldOverride("byName", column, (("unit", unit),)) for column, unit in options.column_units]
    return Table(
        **common,
        unit=panel.unit,
        transformations=transformations,
        overrides=overrides,
        sortBy=[TableSortByField(displayName=options.sort_by)] if options.sort_by else [],
    )


def _bargauge(panel: Panel, common: dict[str, Any]) -> Any:
    options = panel.options
    assert isinstance(options, BarGaugeOptions)
    return BarGauge(
        **common,
        unit=panel.unit,
        reduce=options.reduce,
        orientation=options.orientation,
        displayMode=options.display_mode,
    )


def _candlestick(panel: Panel, common: dict[str, Any]) -> Any:
    options = panel.options
    assert isinstance(options, CandlestickOptions)
    return Candlestick(**common, unit=panel.unit, mode=options.mode)


_BUILDERS: dict[PanelKind, Callable[[Panel, dict[str, Any]], Any]] = {
    "stat": _stat,
    "timeseries": _timeseries,
    "table": _table,
    "bargauge": _bargauge,
    "candlestick": _candlestick,
}
