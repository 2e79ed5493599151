"""Sections, panels and queries as users write them in `panels/<section>.py`.

`key=` (a section's or a panel's) is what its panel id is derived from (dashgen/board/ids.py); it defaults to the
title. Give one to keep the id, and so saved links and alert annotations, when renaming the title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from dashgen import grafana_time
from dashgen.board.layout import GRID_COLUMNS
from dashgen.board.units import unit_problem
from dashgen.dsl.location import Location, caller_location
from dashgen.dsl.numbers import is_finite_number
from dashgen.dsl.queries import Query
from dashgen.errors import DashgenError

PanelKind = Literal["stat", "timeseries", "table", "bargauge", "candlestick"]


@dataclass(frozen=True)
class Threshold:
    color: str
    value: float | None  # None only for the base step


@dataclass(frozen=True)
class StatOptions:
    reduce: str = "lastNotNull"
    graph_mode: Literal["area", "none"] = "area"
    color_mode: Literal["value", "background", "none"] = "value"
    decimals: int | None = None


@dataclass(frozen=True)
class TimeseriesOptions:
    draw_style: Literal["line", "bars", "points"] = "line"
    stacked: bool = False
    fill_opacity: int = 10
    legend_calcs: tuple[str, ...] = ()
    dashed: tuple[str, ...] = ()  # series whose legend ends with one of these are dashed (a target, a band edge)
    decimals: int | None = None


@dataclass(frozen=True)
class TableOptions:
    merge: bool = False  # merge instant table queries into one table on their shared labels
    hide_columns: tuple[str, ...] = ("Time",)
    rename: tuple[tuple[str, str], ...] = ()  # (column, new name)
    column_units: tuple[tuple[str, str], ...] = ()  # (column after renaming, unit)
    sort_by: str | None = None


@dataclass(frozen=True)
class BarGaugeOptions:
    reduce: str = "lastNotNull"
    orientation: Literal["horizontal", "vertical"] = "horizontal"
    display_mode: Literal["gradient", "lcd", "basic"] = "gradient"


@dataclass(frozen=True)
class CandlestickOptions:
    """The four queries' legends must be open, high, low and close: they name the candle's fields."""

    mode: Literal["candles", "candles+volume"] = "candles"


PanelOptions = StatOptions | TimeseriesOptions | TableOptions | BarGaugeOptions | CandlestickOptions


@dataclass(frozen=True)
class Panel:
    kind: PanelKind
    title: str
    description: str
    unit: str
    queries: tuple[Query, ...]
    width: int
    height: int
    options: PanelOptions
    thresholds: tuple[Threshold, ...] = ()
    repeat: str | None = None  # repeat the panel for each selected value of this variable
    time_from: str | None = None  # relative time override, e.g. "24h"
    explicit_key: str | None = None  # key=, when given
    defined_at: Location = field(default=Location("<unknown>", 0), compare=False)

    @property
    def key(self) -> str:
        """Unique in its section; the panel's id is derived from it."""
        return self.explicit_key if self.explicit_key is not None else self.title


@dataclass(frozen=True)
class Section:
    title: str
    order: int
    panels: tuple[Panel, ...]
    collapsed: bool = False
    explicit_key: str | None = None  # key=, when given
    defined_at: Location = field(default=Location("<unknown>", 0), compare=False)

    @property
    def key(self) -> str:
        """Unique on the board; the row's id and its panels' ids are derived from it."""
        return self.explicit_key if self.explicit_key is not None else self.title


def threshold(color: str, value: float | None = None) -> Threshold:
    if value is not None and not is_finite_number(value):
        raise DashgenError(f"threshold {color!r}: value {value!r} is not a finite number", where=str(caller_location()))
    return Threshold(color=color, value=value)


def section(title: str, *, order: int, panels: Sequence[Panel], collapsed: bool = False,
            key: str | None = None) -> Section:
    where = caller_location()
    if not title.strip():
        raise DashgenError("section(): the title is empty", where=str(where))
    _check_key(key, f"section {title!r}", where)
    titles = [p.title for p in panels]
    twice = sorted({t for t in titles if titles.count(t) > 1})
    if twice:
        raise DashgenError(f"section {title!r}: two panels are titled {twice[0]!r}", where=str(where))
    for index, panel in enumerate(panels):
        other = next((p for p in panels[:index] if p.key == panel.key), None)
        if other is not None:
            raise DashgenError(f"section {title!r}: panels {other.title!r} and {panel.title!r} have the same key "
                               f"{panel.key!r} (panel ids come from keys): give one of them another key=",
                               where=str(panel.defined_at))
    return Section(title=title, order=order, panels=tuple(panels), collapsed=collapsed, explicit_key=key,
                   defined_at=where)


def _check_key(key: object, name: str, where: Location) -> None:
    if key is not None and (not isinstance(key, str) or not key.strip()):
        raise DashgenError(f"{name}: key= must be a non-empty string, got {key!r}", where=str(where))


def _panel(
    kind: PanelKind,
    title: str,
    *,
    description: str,
    unit: str,
    queries: Sequence[Query],
    width: int,
    height: int,
    options: PanelOptions,
    thresholds: Sequence[Threshold],
    repeat: str | None,
    time_from: str | None,
    key: str | None,
) -> Panel:
    where = caller_location()
    name = f"panel {title!r}" if title.strip() else "panel"
    _check_key(key, name, where)
    problems = [
        (not title.strip(), "the title is empty"),
        (not description.strip(), "the description is empty: say what the panel answers"),
        (not unit.strip(), "the unit is empty (use 'none' for a plain number)"),
        (not queries, "it has no query"),
        (not 1 <= width <= GRID_COLUMNS, f"width {width} is outside 1..{GRID_COLUMNS}"),
        (height < 1, f"height {height} must be at least 1"),
        (bool(thresholds) and thresholds[0].value is not None, "the first threshold is the base: value=None"),
    ]
    for failed, message in problems:
        if failed:
            raise DashgenError(f"{name}: {message}", where=str(where))
    for problem in _value_problems(unit, options, time_from):
        raise DashgenError(f"{name}: {problem}", where=str(where))
    return Panel(
        kind=kind,
        title=title,
        description=description,
        unit=unit,
        queries=tuple(queries),
        width=width,
        height=height,
        options=options,
        thresholds=tuple(thresholds),
        repeat=repeat,
        time_from=time_from,
        explicit_key=key,
        defined_at=where,
    )


def _value_problems(unit: str, options: PanelOptions, time_from: str | None) -> list[str]:
    """What Grafana would misread: an unknown unit id (it shows it as text), a time override it cannot parse."""
    problems = [unit_problem(unit)]
    if isinstance(options, TableOptions):
        problems += [_about(f"column {column!r}", unit_problem(column_unit))
                     for column, column_unit in options.column_units]
    if time_from is not None:
        problems.append(_about("time_from", grafana_time.override_problem(time_from)))
    return [problem for problem in problems if problem]


def _about(subject: str, problem: str | None) -> str | None:
    return f"{subject}: {problem}" if problem else None


def stat(
    title: str,
    *,
    description: str,
    unit: str,
    queries: Sequence[Query],
    width: int = 6,
    height: int = 4,
    options: StatOptions = StatOptions(),
    thresholds: Sequence[Threshold] = (),
    repeat: str | None = None,
    time_from: str | None = None,
    key: str | None = None,
) -> Panel:
    return _panel("stat", title, description=description, unit=unit, queries=queries, width=width,
                  height=height, options=options, thresholds=thresholds, repeat=repeat, time_from=time_from, key=key)


def timeseries(
    title: str,
    *,
    description: str,
    unit: str,
    queries: Sequence[Query],
    width: int = 12,
    height: int = 8,
    options: TimeseriesOptions = TimeseriesOptions(),
    thresholds: Sequence[Threshold] = (),
    repeat: str | None = None,
    time_from: str | None = None,
    key: str | None = None,
) -> Panel:
    return _panel("timeseries", title, description=description, unit=unit, queries=queries, width=width,
                  height=height, options=options, thresholds=thresholds, repeat=repeat, time_from=time_from, key=key)


def table(
    title: str,
    *,
    description: str,
    unit: str,
    queries: Sequence[Query],
    width: int = 12,
    height: int = 8,
    options: TableOptions = TableOptions(),
    thresholds: Sequence[Threshold] = (),
    repeat: str | None = None,
    time_from: str | None = None,
    key: str | None = None,
) -> Panel:
    return _panel("table", title, description=description, unit=unit, queries=queries, width=width,
                  height=height, options=options, thresholds=thresholds, repeat=repeat, time_from=time_from, key=key)


def bargauge(
    title: str,
    *,
    description: str,
    unit: str,
    queries: Sequence[Query],
    width: int = 12,
    height: int = 8,
    options: BarGaugeOptions = BarGaugeOptions(),
    thresholds: Sequence[Threshold] = (),
    repeat: str | None = None,
    time_from: str | None = None,
    key: str | None = None,
) -> Panel:
    return _panel("bargauge", title, description=description, unit=unit, queries=queries, width=width,
                  height=height, options=options, thresholds=thresholds, repeat=repeat, time_from=time_from, key=key)


def candlestick(
    title: str,
    *,
    description: str,
    unit: str,
    queries: Sequence[Query],
    width: int = 24,
    height: int = 10,
    options: CandlestickOptions = CandlestickOptions(),
    repeat: str | None = None,
    key: str | None = None,
) -> Panel:
    legends = sorted(q.legend for q in queries)
    if legends != ["close", "high", "low", "open"]:
        raise DashgenError(
            f"candlestick {title!r}: needs four queries with legends open, high, low and close; got {legends}",
            where=str(caller_location()),
        )
    return _panel("candlestick", title, description=description, unit=unit, queries=queries, width=width,
                  height=height, options=options, thresholds=(), repeat=repeat, time_from=None, key=key)
