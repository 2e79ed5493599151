"""Walking a classic dashboard's JSON model: its rows, panels and query targets, and where each one is.

The one place that knows how a classic board stores its panels: an expanded row is followed by its panels at
the top level, a collapsed row holds them in its own `panels`, and panels may sit above the first row. Everyone
who reads a compiled or live board (summary, lint, diff details, alert panel links) walks it through here, and
names a panel by `location`: "Row / Title" (a panel above the first row is just its title). Pure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


def location(row: str, title: object) -> str:
    """How messages, lint findings, suppressions and diffs name a panel: "Row / Title"."""
    return f"{row} / {title}" if row else str(title)


def unique_location(row: str, title: object, taken: dict[str, Any]) -> str:
    """`location`, made unique among `taken`: a second panel of the same title in a row is "Row / Title (2)"."""
    key = location(row, title)
    n, unique = 1, key
    while unique in taken:
        n += 1
        unique = f"{key} ({n})"
    return unique


@dataclass(frozen=True)
class Row:
    title: str  # "" for the panels above the first row
    panel: Json | None  # the row panel itself; None for the panels above the first row
    panels: list[Json]  # its panels in board order, whether it is expanded or collapsed

    @property
    def top(self) -> int:
        """Where the row's panels start, the origin of `relative_grid`: the row header's bottom (y + h); for a
        collapsed row its first child's y, as Grafana's toggleRow places the children under the header when it
        expands (a collapsed row keeps them where they last sat); for the panels above the first row the
        smallest y."""
        if self.panel is None:
            return min((_grid(panel)[1] for panel in self.panels), default=0)
        _, y, _, h = _grid(self.panel, h=1)
        if self.panel.get("collapsed") and self.panels:
            first = self.panels[0].get("gridPos") or {}
            return int(first.get("y", y))
        return y + h


def relative_grid(row: Row, panel: Json) -> tuple[int, int, int, int]:
    """A panel's (x, y, w, h) with y relative to its row (`Row.top`), as v2 stores it and a reader sees it: a
    collapsed row stores its children where they sit once it is expanded, so absolute y values of different rows
    overlap. What the gridPos lacks is Grafana's PanelModel default (x 0, y 0, w 6, h 3)."""
    x, y, w, h = _grid(panel)
    return x, y - row.top, w, h


def _grid(panel: Json, *, h: int = 3) -> tuple[int, int, int, int]:
    grid = panel.get("gridPos") or {}
    return int(grid.get("x", 0)), int(grid.get("y", 0)), int(grid.get("w", 6)), int(grid.get("h", h))


@dataclass(frozen=True)
class PanelAt:
    row: str
    panel: Json

    @property
    def title(self) -> str:
        return str(self.panel.get("title", ""))

    @property
    def location(self) -> str:
        return location(self.row, self.title)


@dataclass(frozen=True)
class TargetAt:
    location: str  # of its panel
    ref_id: str
    target: Json


def rows(dashboard: Json) -> list[Row]:
    """The rows in board order; panels above the first row come first, in a row titled "" without a panel."""
    found: list[Row] = []
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            found.append(Row(str(panel.get("title", "")), panel, list(panel.get("panels", []))))
        elif found:
            found[-1].panels.append(panel)
        else:
            found.append(Row("", None, [panel]))
    return found


def panels(dashboard: Json) -> list[PanelAt]:
    """Every panel that is not a row, in board order, with the title of its row."""
    return [PanelAt(row.title, panel) for row in rows(dashboard) for panel in row.panels]


def targets(dashboard: Json) -> Iterator[TargetAt]:
    """Every query target of every panel, in board order."""
    for at in panels(dashboard):
        for target in at.panel.get("targets") or []:
            yield TargetAt(at.location, str(target.get("refId", "?")), target)


def stored(dashboard: Json) -> list[Json]:
    """Every panel object as stored, rows included: the top level, then each collapsed row's children."""
    top = list(dashboard.get("panels", []))
    return [*top, *(child for panel in top for child in panel.get("panels", []))]


def grids(dashboard: Json) -> list[list[Json]]:
    """Panels that share one grid: the top level, and each collapsed row with its children (stored as they sit
    once the row is expanded)."""
    top = list(dashboard.get("panels", []))
    return [top, *([row, *row.get("panels", [])] for row in top if row.get("collapsed"))]


def panel_ids(dashboard: Json) -> dict[str, int]:
    """Location -> panel id, for the panels that have one."""
    return {at.location: at.panel["id"] for at in panels(dashboard) if "id" in at.panel}


# ------------------------------------------------------------------------------------- settings, variables
ALL = "$__all"  # a variable's value for its "All" option


def settings(dashboard: Json) -> Json:
    """The board without its panels and variables: its own settings."""
    return {k: v for k, v in dashboard.items() if k not in ("panels", "templating")}


def variables(dashboard: Json) -> list[Json]:
    """The board's variables (templating.list), in order."""
    listed = (dashboard.get("templating") or {}).get("list") or []
    return [v for v in listed if isinstance(v, dict)]


def variables_by_name(dashboard: Json) -> dict[str, Json]:
    return {str(v.get("name", "?")): v for v in variables(dashboard)}

