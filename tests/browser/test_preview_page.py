"""The preview page in headless Chromium: it loads with no console message and no request but itself, shows
every panel title, draws every panel as its type with the series it was given, outlines and lists the changed
panels, says when there is no data; and the PNGs png.py takes have the panel's size and are not blank."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dashgen.preview import png
from dashgen.preview.model import board_model, panel_index
from dashgen.preview.page import render_page
from dashgen.preview.series import BoardData, no_data
from dashgen.project import CompiledProject

from ..preview.synthetic import board_data
from .conftest import chromium_path
from .pngread import read_png

pytestmark = pytest.mark.browser


@dataclass
class Loaded:
    page: Any
    url: str
    messages: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    contexts: list[Any] = []

    def load(html: str, name: str = "index.html") -> Loaded:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        loaded = Loaded(page, path.as_uri())
        page.on("console", lambda m: loaded.messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: loaded.messages.append(f"pageerror: {e}"))
        page.on("request", lambda r: loaded.requests.append(r.url))
        page.on("requestfailed", lambda r: loaded.failed.append(r.url))
        page.goto(loaded.url)
        page.wait_for_selector("body[data-ready='1']", timeout=15_000)
        return loaded

    yield load
    for context in contexts:
        context.close()


def _model_and_data(compiled: CompiledProject) -> tuple[dict[str, Any], BoardData, dict[str, int]]:
    model = board_model(compiled.board.dashboard)
    return model, board_data(model), {p["title"]: p["id"] for p in panel_index(model).values()}


def _attrs(loaded: Loaded, panel_id: int) -> dict[str, str]:
    result: dict[str, str] = loaded.page.eval_on_selector(f"#panel-{panel_id}", "el => ({...el.dataset})")
    return result


def _canvas_colours(loaded: Loaded, panel_id: int) -> int:
    """Distinct colours drawn on the panel's chart canvas (a blank canvas has one)."""
    colours: int = loaded.page.eval_on_selector(f"#panel-{panel_id} canvas", """c => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const seen = new Set();
        for (let i = 0; i < d.length; i += 16) seen.add((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]);
        return seen.size; }""")
    return colours


def test_the_page_loads_cleanly_and_draws_every_panel_as_its_type(open_page: Any,  # type: ignore[no-untyped-def]
                                                                 compiled_full: CompiledProject) -> None:
    model, data, ids = _model_and_data(compiled_full)
    loaded = open_page(render_page(model, data))
    assert loaded.messages == []
    assert loaded.failed == []
    assert set(loaded.requests) == {loaded.url}, loaded.requests  # nothing fetched: no network needed
    panels = panel_index(model)
    assert {p["type"] for p in panels.values()} == {"timeseries", "stat", "table", "bargauge", "candlestick"}
    for panel_id, panel in panels.items():
        title = loaded.page.locator(f"#panel-{panel_id} .dg-panel-title")
        assert title.is_visible() and title.inner_text() == panel["title"]
        box = loaded.page.locator(f"#panel-{panel_id}").bounding_box()
        rows = panel["grid"]["h"]
        assert box is not None and box["height"] == pytest.approx(rows * 30 + (rows - 1) * 8, abs=1)
        attrs = _attrs(loaded, panel_id)
        expected = len(data.panels[panel_id].series)
        assert attrs["drawn"] == panel["type"], panel["title"]
        assert attrs["series"] == str(expected), panel["title"]
        if panel["type"] in ("timeseries", "candlestick"):
            assert loaded.page.locator(f"#panel-{panel_id} canvas").count() >= 1
            assert loaded.page.locator(f"#panel-{panel_id} .u-legend .u-series").count() == expected
            assert _canvas_colours(loaded, panel_id) > 2, panel["title"]
        elif panel["type"] == "stat":
            assert loaded.page.locator(f"#panel-{panel_id} .dg-stat").count() == expected
        elif panel["type"] == "bargauge":
            assert loaded.page.locator(f"#panel-{panel_id} .dg-bar").count() == expected
    book = ids["Order book"]  # two queries merged by labels: one row per side, the renamed columns, units
    headers = loaded.page.locator(f"#panel-{book} th").all_inner_texts()
    assert headers[-2:] == ["orders", "mid"] and "Time" not in headers and "side" in headers
    assert _attrs(loaded, book)["rows"] == "2"
    assert loaded.page.locator(f"#panel-{book} td").filter(has_text="$").count() == 2  # mid in currencyUSD
    # the last values of the deterministic synthetic data, in the panels' units (s, percentunit)
    assert loaded.page.locator(f"#panel-{ids['Quote age']} .dg-stat-value").first.inner_text() == "26.8 s"
    assert loaded.page.locator(f"#panel-{ids['Quoting venues']} .dg-stat-value").first.inner_text() == "59.0%"


def test_changed_panels_are_outlined_and_listed(open_page: Any, compiled_full: CompiledProject) -> None:  # type: ignore[no-untyped-def]
    model, data, ids = _model_and_data(compiled_full)
    changed = {ids["Spread"]: "query changed", ids["Bids"]: "unit changed"}
    loaded = open_page(render_page(model, data, changed))
    assert loaded.messages == []
    outline = "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    plain = loaded.page.eval_on_selector(f"#panel-{ids['Mid']}", outline)
    for panel_id, reason in changed.items():
        style = loaded.page.eval_on_selector(f"#panel-{panel_id}", outline)
        assert style != plain and style[0] == "solid" and style[1] != "0px"
        item = loaded.page.locator(f"#dg-changes li[data-panel-id='{panel_id}']")
        assert item.is_visible() and reason in item.inner_text()
    assert loaded.page.locator("#dg-changes li").count() == 2
    assert loaded.page.locator(".dg-panel[data-changed='true']").count() == 2


def test_without_data_the_note_shows_and_every_panel_says_no_data(open_page: Any,  # type: ignore[no-untyped-def]
                                                                  compiled_full: CompiledProject) -> None:
    model = board_model(compiled_full.board.dashboard)
    loaded = open_page(render_page(model, no_data("no --prometheus URL given")))
    assert loaded.messages == [] and set(loaded.requests) == {loaded.url}
    note = loaded.page.locator("#dg-note")
    assert note.is_visible() and note.inner_text() == "no data source: no --prometheus URL given"
    for panel_id in panel_index(model):
        assert _attrs(loaded, panel_id)["drawn"] == "nodata"
        assert loaded.page.locator(f"#panel-{panel_id} .dg-empty").inner_text().startswith("No data")


def test_a_query_error_is_shown_on_its_panel(open_page: Any, compiled_full: CompiledProject) -> None:  # type: ignore[no-untyped-def]
    model = board_model(compiled_full.board.dashboard)
    ids = {p["title"]: p["id"] for p in panel_index(model).values()}
    data = board_data(model, errors={ids["Spread"]: "bad_data: parse error at char 3"})
    loaded = open_page(render_page(model, data))
    assert loaded.messages == []
    assert _attrs(loaded, ids["Spread"])["drawn"] == "error"
    assert loaded.page.locator(f"#panel-{ids['Spread']} .dg-error").inner_text() == "bad_data: parse error at char 3"


def test_pngs_of_changed_panels_have_their_size_and_are_not_blank(compiled_full: CompiledProject) -> None:
    model, data, ids = _model_and_data(compiled_full)
    chosen = [ids["Spread"], ids["Price"], ids["Mid"], ids["Order book"], ids["Bids"]]
    html = render_page(model, data, dict.fromkeys(chosen, "changed"))
    panels = panel_index(model)
    shots = [png.Shot(i, panels[i]["title"], panels[i]["pixels"]["width"], panels[i]["pixels"]["height"])
             for i in chosen]
    pictures = png.pictures(html, shots, chromium_path())
    assert sorted(pictures) == sorted(shot.name for shot in shots)
    for shot in shots:
        picture = read_png(pictures[shot.name])
        assert (picture.width, picture.height) == (shot.width, shot.height), shot.title
        assert picture.colours > 2, f"{shot.name} is blank"
