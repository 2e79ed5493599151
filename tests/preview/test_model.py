"""The view model the preview page draws from: rows, positions within a row, units, thresholds, legends, queries,
overrides and table columns, read from the compiled full factory board."""

from __future__ import annotations

from dashgen.preview.model import board_model, panel_index, pixels
from dashgen.project import CompiledProject


def _panels(compiled: CompiledProject) -> dict[str, dict]:  # type: ignore[type-arg]
    model = board_model(compiled.board.dashboard)
    return {p["title"]: p for p in panel_index(model).values()}


def test_rows_in_board_order_every_one_with_its_panels_and_collapsed_flag(compiled_full: CompiledProject) -> None:
    model = board_model(compiled_full.board.dashboard)
    assert [(r["title"], r["collapsed"], len(r["panels"])) for r in model["rows"]] == [
        ("Prices", False, 7), ("Orders", True, 4)]
    assert model["title"] == "Small Board" and model["uid"] == "small"
    assert model["time"] == {"from": "now-6h", "to": "now"}


def test_positions_are_within_the_row_so_rows_drawn_expanded_never_overlap(compiled_full: CompiledProject) -> None:
    model = board_model(compiled_full.board.dashboard)
    for row in model["rows"]:
        assert min(p["grid"]["y"] for p in row["panels"]) == 0
        cells = set()
        for panel in row["panels"]:
            grid = panel["grid"]
            mine = {(x, y) for x in range(grid["x"], grid["x"] + grid["w"])
                    for y in range(grid["y"], grid["y"] + grid["h"])}
            assert not cells & mine, panel["title"]
            cells |= mine
            assert grid["x"] + grid["w"] <= 24
    orders = model["rows"][1]["panels"]
    assert [p["grid"] for p in orders[:2]] == [{"x": 0, "y": 0, "w": 12, "h": 8}, {"x": 12, "y": 0, "w": 12, "h": 8}]


def test_pixel_size_follows_grafanas_grid() -> None:
    assert pixels({"w": 12, "h": 8}) == (12 * 64 - 8, 8 * 30 + 7 * 8)
    assert pixels({"w": 24, "h": 1}) == (1528, 30)


def test_units_decimals_thresholds_and_legend(compiled_full: CompiledProject) -> None:
    panels = _panels(compiled_full)
    assert panels["Mid"]["unit"] == "none" and panels["Mid"]["decimals"] == 2
    assert panels["Quote age"]["unit"] == "s"
    assert panels["Quoting venues"]["thresholds"] == {
        "mode": "absolute", "steps": [{"color": "red", "value": None}, {"color": "green", "value": 0.5}]}
    assert panels["Spread"]["unit"] == "suffix: bps"
    assert panels["Fills"]["legend"]["calcs"] == ["sum"]
    assert panels["Fills"]["draw"]["style"] == "bars"
    assert panels["Open orders"]["draw"]["stacking"] == "normal"


def test_queries_overrides_and_kind_options(compiled_full: CompiledProject) -> None:
    panels = _panels(compiled_full)
    assert [t["refId"] for t in panels["Price"]["targets"]] == ["A", "B", "C", "D"]
    assert [t["legendFormat"] for t in panels["Price"]["targets"]] == ["open", "high", "low", "close"]
    assert "mm_mid_price" in panels["Price"]["targets"][0]["expr"]
    assert panels["Price"]["candlestick"]["fields"] == {"open": "open", "high": "high", "low": "low", "close": "close"}
    assert panels["Spread"]["overrides"] == [{"matcher": "byRegexp", "pattern": ".*limit$", "dashed": True}]
    assert panels["Order book"]["table"] == {
        "merge": True, "exclude": ["Time"], "rename": {"Value #A": "orders", "Value #B": "mid"},
        "sortBy": [{"column": "exchange", "desc": False}], "showHeader": True}
    assert {"matcher": "byName", "pattern": "mid", "unit": "currencyUSD"} in panels["Order book"]["overrides"]
    assert panels["Bids"]["bargauge"] == {"orientation": "vertical", "displayMode": "lcd"}
    assert panels["Price"]["location"] == "Prices / Price"


def test_variables_with_their_defaults(compiled_full: CompiledProject) -> None:
    model = board_model(compiled_full.board.dashboard)
    assert [(v["name"], v["default"]) for v in model["variables"]] == [
        ("datasource", "prometheus"), ("client", "All"), ("exchange", "binance"), ("asset", "All"), ("interval", "5m")]
    assert model["variables"][2]["label"] == "Venue"
