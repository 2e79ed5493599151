"""The preview page as text: self-contained, panels at their grid positions, every text escaped, the data and
model embedded so they cannot end their script element, the no-data note, the changed list; same input, same
bytes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dashgen.preview.model import board_model, panel_index
from dashgen.preview.page import render_page, script_json
from dashgen.preview.series import BoardData, PanelData, Series, no_data
from dashgen.project import CompiledProject, compile_project, load_project

from ..factories import small_project
from .synthetic import board_data

HOSTILE = '</script><b>bold</b> & "quoted" <!-- x'
HOSTILE_PRICES = f"""\
from dashgen.dsl import query, section, stat, timeseries

SECTION = section({'Rows <i>' + HOSTILE!r}, order=1, panels=[
    stat({HOSTILE!r}, description={HOSTILE!r}, unit="none", queries=[query("avg({{{{ mm_mid_price }}}})")], width=8),
    timeseries("Fills", description="fill rate", unit="short",
               queries=[query("sum(rate({{{{ mm_trades_total }}}}[$__rate_interval]))")], width=16),
])
"""


# what would make a browser fetch something: an element's address, CSS url() and @import, script requests
_FETCHES = re.compile(
    r"""<(?:script|link|img|iframe|frame|source|video|audio|embed|object|track|input|base)\b[^>]*"""
    r"""\b(?:src|href|srcset|data|poster)\s*="""
    r"""|\burl\s*\(|@import\b|\bfetch\s*\(|XMLHttpRequest|new\s+Image\b|\bimport\s*\(|sendBeacon|WebSocket"""
    r"""|EventSource|\bWorker\s*\(|\bsrcset\b|\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|http-equiv\s*=\s*["']?refresh""",
    re.IGNORECASE)
# the only addresses the page may hold, neither fetched: the SVG namespace and uPlot's licence header
_ADDRESSES = {"http://www.w3.org/2000/svg", "https://github.com/leeoniya/uPlot"}


def assert_fetches_nothing(page: str) -> None:
    assert _FETCHES.findall(page) == []
    assert set(re.findall(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s"'<>)]*""", page)) <= _ADDRESSES


@pytest.mark.parametrize("fetching", [
    '<img src="x.png">', "<link rel=stylesheet href='a.css'>", "background: url(//cdn.example/x.png)",
    "background: URL( 'data:,' )", "@import 'x.css';", "fetch('/api')", "fetch (u)", "new XMLHttpRequest()",
    "new Image()", '<a src="http://x">', "import('./m.js')", "navigator.sendBeacon(u)", "new WebSocket(u)",
    "new EventSource(u)", "new Worker('w.js')", '<img srcset="a.png 2x">', "src=//cdn.example/x.js",
    '<meta http-equiv="refresh" content="0;url=x">', "see https://evil.example/x",
])
def test_the_check_for_fetches_finds_each_way(fetching: str) -> None:
    with pytest.raises(AssertionError):
        assert_fetches_nothing(f"<html><body>{fetching}</body></html>")


def _embedded(page: str, element: str) -> object:
    found = re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_the_page_is_self_contained(compiled_full: CompiledProject) -> None:
    model = board_model(compiled_full.board.dashboard)
    page = render_page(model, board_data(model))
    assert page.startswith("<!DOCTYPE html>")
    assert "uPlot" in page and "https://github.com/leeoniya/uPlot (v1.6.32)" in page
    assert_fetches_nothing(page)
    assert_fetches_nothing(render_page(model, no_data("no --prometheus URL given"), {1: "changed"}))
    assert _embedded(page, "dg-model") == json.loads(json.dumps(model))


def test_every_panel_is_placed_at_its_grid_position_in_its_row(compiled_full: CompiledProject) -> None:
    model = board_model(compiled_full.board.dashboard)
    page = render_page(model, board_data(model))
    for panel in panel_index(model).values():
        grid = panel["grid"]
        tag = re.search(rf'<div class="dg-panel" id="panel-{panel["id"]}" [^>]*>', page)
        assert tag is not None, panel["title"]
        assert (f"grid-column: {grid['x'] + 1} / span {grid['w']}; grid-row: {grid['y'] + 1} / span {grid['h']}"
                in tag.group(0))
        assert f'data-type="{panel["type"]}"' in tag.group(0)
    assert page.count('<section class="dg-row"') == 2
    assert "grid-template-rows: repeat(22, 30px)" in page  # Prices: 4 + 8 + 10 rows
    assert "Orders <span class=\"dg-collapsed\">(collapsed on the board)</span>" in page


def test_titles_are_escaped_and_cannot_end_the_embedded_json(tmp_path: Path) -> None:
    root = small_project(tmp_path, files={"panels/prices.py": HOSTILE_PRICES})
    model = board_model(compile_project(load_project(root)).board.dashboard)
    [stat_id] = [p["id"] for p in panel_index(model).values() if p["title"] == HOSTILE]
    data = BoardData(source=HOSTILE, start=0, end=60, step=60, panels={
        stat_id: PanelData((Series("A", HOSTILE, {"x": HOSTILE}, (0,), (1.0,)),), error=None)})
    page = render_page(model, data, {stat_id: HOSTILE})
    assert "<b>bold</b>" not in page and "<i>" not in page and "<!-- x" not in page
    assert page.count("</script>") == 4  # model, data, uPlot, preview.js: nothing ended early
    assert "&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in page
    assert _embedded(page, "dg-data")["panels"][str(stat_id)]["series"][0]["name"] == HOSTILE  # type: ignore[index]
    assert script_json({"t": "</script>&"}) == '{"t":"\\u003c/script\\u003e\\u0026"}'


def test_the_same_input_gives_the_same_bytes(compiled_full: CompiledProject, tmp_path: Path) -> None:
    model = board_model(compiled_full.board.dashboard)
    first = render_page(model, board_data(model), {1: "x"})
    again = board_model(compile_project(load_project(small_project(tmp_path, full=True))).board.dashboard)
    assert render_page(again, board_data(again), {1: "x"}) == first


def test_without_data_the_page_says_why(compiled_full: CompiledProject) -> None:
    model = board_model(compiled_full.board.dashboard)
    page = render_page(model, no_data("no --prometheus URL given"))
    assert '<p class="dg-note" id="dg-note">no data source: no --prometheus URL given</p>' in page
    assert 'id="dg-source"' not in page and 'id="dg-changes"' not in page
    with_data = render_page(model, board_data(model))
    assert '<p class="dg-source" id="dg-source">Data: synthetic test data</p>' in with_data


def test_changed_panels_are_listed_at_the_top_in_board_order_and_marked(compiled_full: CompiledProject) -> None:
    model = board_model(compiled_full.board.dashboard)
    by_title = {p["title"]: p["id"] for p in panel_index(model).values()}
    changed = {by_title["Bids"]: "unit changed", by_title["Mid"]: "new panel"}
    page = render_page(model, board_data(model), changed)
    listed = re.findall(r'<li data-panel-id="(\d+)"><a href="#panel-\d+">([^<]*)</a> <span class="dg-reason">([^<]*)',
                        page)
    assert listed == [(str(by_title["Mid"]), "Prices / Mid", "new panel"),
                      (str(by_title["Bids"]), "Orders / Bids", "unit changed")]
    assert "<h2>2 changed panels</h2>" in page
    assert page.index('id="dg-changes"') < page.index('class="dg-board"')
    board = page[page.index('<main class="dg-board">'):page.index("</main>")]
    assert board.count('data-changed="true"') == 2 and board.count('class="dg-panel dg-changed"') == 2
    bids = by_title["Bids"]
    assert f'id="panel-{bids}" data-panel-id="{bids}" data-type="bargauge" data-changed="true"' in page


def test_non_finite_values_are_gaps(compiled_full: CompiledProject) -> None:
    model = board_model(compiled_full.board.dashboard)
    panel_id = next(iter(panel_index(model)))
    data = BoardData(source="s", start=0, end=120, step=60, panels={
        panel_id: PanelData((Series("A", "a", {}, (0, 60, 120), (1.0, float("nan"), float("inf"))),))})
    embedded = _embedded(render_page(model, data), "dg-data")
    assert embedded["panels"][str(panel_id)]["series"][0]["values"] == [1.0, None, None]  # type: ignore[index]
