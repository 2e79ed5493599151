"""Which panels changed since a git ref, for `dashgen preview --base REF`: panel id -> a short reason.

`changed_panels` (pure) compares the two boards' panels by id (ids are stable, derived from each panel's key,
board/ids.py) in the canonical form diff and apply use (kinds/dashboard_canonical.py), so what a UI save or
grafanalib's spelling would change is no change here either. A panel's position is compared within its row
(a collapsed row stores its children where they sit once expanded, so folding an earlier row moves nothing).

The board at REF is built as `dashgen review` builds it (dashgen/review/base.py)."""

from __future__ import annotations

from typing import Any

from dashgen.board import walk
from dashgen.kinds.dashboard_canonical import canonical_dashboard
from dashgen.kinds.jsondiff import changed_fields

Json = dict[str, Any]

# The first matching prefix of a changed field's path names the reason; in this order in the reason text.
REASONS = (
    ("type", "type changed"),
    ("title", "title changed"),
    ("targets", "query changed"),
    ("fieldConfig.defaults.unit", "unit changed"),
    ("fieldConfig.defaults.thresholds", "thresholds changed"),
    ("fieldConfig.defaults.min", "min/max changed"),
    ("fieldConfig.defaults.max", "min/max changed"),
    ("fieldConfig.defaults.decimals", "decimals changed"),
    ("fieldConfig.overrides", "overrides changed"),
    ("options.legend", "legend changed"),
    ("transformations", "transformations changed"),
    ("description", "description changed"),
    ("repeat", "repeat changed"),
    ("fieldConfig", "display changed"),
    ("options", "display changed"),
)


def changed_panels(base_dashboard: Json | None, head_dashboard: Json) -> dict[int, str]:
    """Panel id -> why it differs from the base board ("new panel", "query changed, unit changed", "moved",
    ...), for every panel of `head_dashboard` that differs; None as the base: every panel is new."""
    head = _by_id(head_dashboard)
    base = _by_id(base_dashboard) if base_dashboard is not None else {}
    found: dict[int, str] = {}
    for panel_id, (row, place, panel) in head.items():
        if panel_id not in base:
            found[panel_id] = "new panel"
            continue
        base_row, base_place, base_panel = base[panel_id]
        reasons = _reasons(base_panel, panel)
        if base_row != row:
            reasons.append(f"moved to row {row}" if row else "moved above the first row")
        elif base_place != place:
            reasons.append("resized" if base_place[:2] == place[:2] else "moved")
        if reasons:
            found[panel_id] = ", ".join(reasons)
    return found


def _by_id(dashboard: Json) -> dict[int, tuple[str, tuple[int, ...], Json]]:
    """Panel id -> (row title, (x, y within the row, w, h), the canonical panel without its place and id)."""
    found: dict[int, tuple[str, tuple[int, ...], Json]] = {}
    for row in walk.rows(canonical_dashboard(dashboard)):
        top = min((int(p.get("gridPos", {}).get("y", 0)) for p in row.panels), default=0)
        for panel in row.panels:
            if "id" not in panel:
                continue
            grid = panel.get("gridPos", {})
            place = (int(grid.get("x", 0)), int(grid.get("y", 0)) - top, int(grid.get("w", 0)), int(grid.get("h", 0)))
            rest = {k: v for k, v in panel.items() if k not in ("gridPos", "id")}
            found[int(panel["id"])] = (row.title, place, rest)
    return found


def _reasons(before: Json, after: Json) -> list[str]:
    reasons: list[str] = []
    for path in changed_fields(before, after):
        reason = next((text for prefix, text in REASONS if path == prefix or path.startswith(prefix + ".")),
                      f"{path} changed")
        if reason not in reasons:
            reasons.append(reason)
    order = {text: n for n, (_, text) in enumerate(REASONS)}
    return sorted(reasons, key=lambda r: order.get(r, len(order)))
