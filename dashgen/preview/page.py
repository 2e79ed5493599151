"""The preview page: one self-contained HTML document of the board (render_page). Pure.

Everything the page needs is inside it: uPlot (assets/, vendored, see assets/README.md) and the page's own
preview.js and preview.css, inlined; the view model (model.py) and the data (series.py) as JSON in
`<script type="application/json">` elements, where every `<`, `>` and `&` is a JSON escape so no text can end
the element. The HTML around it (rows, panel frames at their grid positions, titles, the data source line or
the "no data source" note, the list of changed panels) is written here, every text escaped; preview.js draws
each panel's content into its frame. The same input gives the same bytes.

`#panel=<id>` in the page's address shows that panel alone at its pixel size (model.pixels): how png.py takes
one picture per panel."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from dashgen.preview.model import CELL_HEIGHT, MARGIN, Json
from dashgen.preview.series import BoardData, PanelData, Series


@cache
def asset(name: str) -> str:
    return resources.files("dashgen.preview").joinpath("assets", name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>` or `&` as themselves (`</script>`, `<!--`)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def data_json(data: BoardData) -> Json:
    """BoardData as the page reads it; a non-finite value is a gap (JSON has no NaN)."""
    return {
        "source": data.source, "start": data.start, "end": data.end, "step": data.step, "note": data.note,
        "panels": {str(panel_id): _panel_data(panel) for panel_id, panel in sorted(data.panels.items())},
    }


def _panel_data(panel: PanelData) -> Json:
    return {"error": panel.error, "series": [_series(s) for s in panel.series]}


def _series(series: Series) -> Json:
    return {"refId": series.ref_id, "name": series.name, "labels": dict(sorted(series.labels.items())),
            "times": list(series.times),
            "values": [v if v is not None and math.isfinite(v) else None for v in series.values]}


def render_page(model: Json, data: BoardData, changed: Mapping[int, str] | None = None) -> str:
    """The whole page. `changed`: panel id -> why it changed (with --base), those panels outlined and listed."""
    changed = dict(changed or {})
    title = str(model["title"])
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        f"<title>{escape(title)} - dashgen preview</title>\n",
        f"<style>\n{asset('uPlot.min.css')}\n</style>\n<style>\n{asset('preview.css')}\n</style>\n",
        "</head>\n<body>\n<header class=\"dg-header\">\n",
        f"<h1 class=\"dg-title\">{escape(title)}</h1>\n",
        _meta(model),
        _source(data),
        _changes(model, changed),
        "</header>\n<main class=\"dg-board\">\n",
        *(_row(row, changed) for row in model["rows"]),
        "</main>\n",
        f"<script type=\"application/json\" id=\"dg-model\">{script_json(model)}</script>\n",
        f"<script type=\"application/json\" id=\"dg-data\">{script_json(data_json(data))}</script>\n",
        f"<script>\n{asset('uPlot.iife.min.js')}\n</script>\n",
        f"<script>\n{asset('preview.js')}\n</script>\n",
        "</body>\n</html>\n",
    ]
    return "".join(parts)


def _meta(model: Json) -> str:
    time = model["time"]
    items = [f"<span class=\"dg-time\">{escape(time['from'])} to {escape(time['to'])}"
             f"{' (' + escape(model['timezone']) + ')' if model['timezone'] else ''}</span>"]
    for variable in model["variables"]:
        items.append(f"<span class=\"dg-var\" data-var=\"{escape(variable['name'])}\"><b>{escape(variable['label'])}"
                     f"</b> {escape(variable['default'])}</span>")
    return f"<div class=\"dg-meta\">{''.join(items)}</div>\n"


def _source(data: BoardData) -> str:
    if data.note:
        return f"<p class=\"dg-note\" id=\"dg-note\">{escape(data.note)}</p>\n"
    return f"<p class=\"dg-source\" id=\"dg-source\">Data: {escape(data.source)}</p>\n"


def _changes(model: Json, changed: Mapping[int, str]) -> str:
    if not changed:
        return ""
    locations = {p["id"]: p["location"] for row in model["rows"] for p in row["panels"]}
    items = "".join(
        f"<li data-panel-id=\"{panel_id}\"><a href=\"#panel-{panel_id}\">"
        f"{escape(locations.get(panel_id, f'panel {panel_id}'))}</a> <span class=\"dg-reason\">"
        f"{escape(reason)}</span></li>\n"
        for panel_id, reason in sorted(changed.items(), key=lambda item: _order(model, item[0])))
    count = len(changed)
    return (f"<section class=\"dg-changes\" id=\"dg-changes\">\n<h2>{count} changed panel{'s' if count != 1 else ''}"
            f"</h2>\n<ul>\n{items}</ul>\n</section>\n")


def _order(model: Json, panel_id: int) -> tuple[int, int]:
    """Board order of a panel (unknown ids last, by id)."""
    ids = [p["id"] for row in model["rows"] for p in row["panels"]]
    return (ids.index(panel_id), 0) if panel_id in ids else (len(ids), panel_id)


def _row(row: Json, changed: Mapping[int, str]) -> str:
    height = max((p["grid"]["y"] + p["grid"]["h"] for p in row["panels"]), default=0)
    header = ""
    if row["title"]:
        note = " <span class=\"dg-collapsed\">(collapsed on the board)</span>" if row["collapsed"] else ""
        header = f"<h2 class=\"dg-row-title\">{escape(row['title'])}{note}</h2>\n"
    panels = "".join(_panel(panel, changed.get(panel["id"])) for panel in row["panels"])
    return (f"<section class=\"dg-row\" data-row=\"{escape(row['title'])}\">\n{header}"
            f"<div class=\"dg-grid\" style=\"grid-template-rows: repeat({height}, {CELL_HEIGHT}px); "
            f"gap: {MARGIN}px\">\n{panels}</div>\n</section>\n")


def _panel(panel: Json, reason: str | None) -> str:
    grid = panel["grid"]
    panel_id = panel["id"]
    changed = (f" data-changed=\"true\" data-reason=\"{escape(reason)}\"" if reason is not None else "")
    badge = f"<span class=\"dg-badge\" title=\"{escape(reason)}\">changed</span>" if reason is not None else ""
    description = (f"<span class=\"dg-info\" title=\"{escape(panel['description'])}\">i</span>"
                   if panel["description"] else "")
    style = (f"grid-column: {grid['x'] + 1} / span {grid['w']}; grid-row: {grid['y'] + 1} / span {grid['h']}; "
             f"--dg-w: {panel['pixels']['width']}px; --dg-h: {panel['pixels']['height']}px")
    return (f"<div class=\"dg-panel{' dg-changed' if reason is not None else ''}\" id=\"panel-{panel_id}\" "
            f"data-panel-id=\"{panel_id}\" data-type=\"{escape(panel['type'])}\"{changed} style=\"{style}\">\n"
            f"<div class=\"dg-panel-head\"><h3 class=\"dg-panel-title\">{escape(panel['title'])}</h3>{description}"
            f"{badge}</div>\n<div class=\"dg-panel-body\"></div>\n</div>\n")
