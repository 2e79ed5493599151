"""board/walk.py's place of a panel in its row: the one origin review, the preview page and the outline use."""

from __future__ import annotations

from typing import Any

from dashgen.board import walk


def _panel(y: int, h: int = 4, **more: Any) -> dict[str, Any]:
    return {"type": "stat", "title": f"at {y}", "gridPos": {"x": 0, "y": y, "w": 12, "h": h}, **more}


def _row(y: int, collapsed: bool = False, children: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": "row", "title": f"row {y}", "collapsed": collapsed, "gridPos": {"x": 0, "y": y, "w": 24, "h": 1},
            "panels": children or []}


def _relative(board: dict[str, Any]) -> list[list[tuple[int, int, int, int]]]:
    return [[walk.relative_grid(row, panel) for panel in row.panels] for row in walk.rows(board)]


def test_panels_sit_under_their_rows_header_whether_it_is_expanded_or_collapsed() -> None:
    board = {"panels": [_panel(0), _panel(4), _row(8), _panel(9), _panel(13),
                        _row(17, collapsed=True, children=[_panel(18), _panel(22)])]}
    assert _relative(board) == [[(0, 0, 12, 4), (0, 4, 12, 4)]] * 3


def test_a_collapsed_rows_children_are_placed_from_its_first_child_as_grafana_expands_them() -> None:
    """toggleRow: the children keep where they last sat, and are moved as one under the header on expanding."""
    board = {"panels": [_row(0), _panel(1), _row(5, collapsed=True, children=[_panel(30), _panel(34)])]}
    assert _relative(board)[1] == [(0, 0, 12, 4), (0, 4, 12, 4)]


def test_the_row_headers_bottom_is_the_origin_of_an_expanded_row() -> None:
    board = {"panels": [_row(0), _panel(6), _panel(2)]}  # a gap under the header stays one
    assert _relative(board) == [[(0, 5, 12, 4), (0, 1, 12, 4)]]


def test_panels_above_the_first_row_start_at_the_smallest_y_and_a_gridpos_lacking_takes_grafanas_defaults() -> None:
    board = {"panels": [_panel(2), {"type": "text", "title": "bare", "gridPos": {"y": 6}}, _row(9)]}
    assert _relative(board) == [[(0, 0, 12, 4), (0, 4, 6, 3)], []]
