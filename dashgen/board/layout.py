"""Computed grid layout: rows of panels packed left to right on Grafana's 24-column grid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

GRID_COLUMNS = 24
ROW_HEIGHT = 1


@dataclass(frozen=True)
class GridPos:
    x: int
    y: int
    w: int
    h: int

    def to_json_data(self) -> dict[str, int]:
        return {"h": self.h, "w": self.w, "x": self.x, "y": self.y}


def pack(sizes: Sequence[tuple[int, int]], top: int) -> tuple[list[GridPos], int]:
    """Place (width, height) boxes in reading order from `top`; a box that does not fit starts a new line
    below the tallest box of the line before. Returns the positions and the first free y below them."""
    positions: list[GridPos] = []
    x, y, line_height = 0, top, 0
    for width, height in sizes:
        if x + width > GRID_COLUMNS:
            x, y, line_height = 0, y + line_height, 0
        positions.append(GridPos(x=x, y=y, w=width, h=height))
        x += width
        line_height = max(line_height, height)
    return positions, y + line_height


@dataclass(frozen=True)
class RowLayout:
    row: GridPos
    panels: list[GridPos]


def layout_rows(sections: Sequence[tuple[Sequence[tuple[int, int]], bool]]) -> list[RowLayout]:
    """Lay out (panel sizes, collapsed) sections one under another, each under its row header.

    A collapsed row's panels are stored as they will sit once expanded (just under the row) and the next
    row follows straight after the header, as Grafana itself saves collapsed rows."""
    layouts = []
    y = 0
    for sizes, collapsed in sections:
        row = GridPos(x=0, y=y, w=GRID_COLUMNS, h=ROW_HEIGHT)
        panels, bottom = pack(sizes, y + ROW_HEIGHT)
        layouts.append(RowLayout(row=row, panels=panels))
        y = y + ROW_HEIGHT if collapsed else bottom
    return layouts
