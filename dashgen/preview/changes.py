"""Which panels changed since a git ref, for `dashgen preview --base REF`: panel id -> a short reason.

`changed_panels` (pure) pairs the two boards' panels as `dashgen review` does (review/boards.py: by their stable
id, a panel moved to another section by its title, one renamed in place by its place) and compares them in the
canonical form diff and apply use (kinds/dashboard_canonical.py), so what a UI save or grafanalib's spelling
would change is no change here either. A panel's position is compared within its row (a collapsed row stores
its children where they sit once expanded, so folding an earlier row moves nothing).

The board at REF is built as `dashgen review` builds it (dashgen/review/base.py)."""

from __future__ import annotations

from typing import Any

from dashgen.kinds.dashboard_canonical import canonical_dashboard
from dashgen.kinds.jsondiff import changed_fields
from dashgen.review import boards

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
    "renamed", ...), for every panel of `head_dashboard` that differs; None as the base: every panel is new.
    Panels are paired as `dashgen review` pairs them (review/boards.py: by id, a panel moved to another section
    by its title, one renamed in place by its place), and placed within their row the same way."""
    head = canonical_dashboard(head_dashboard)
    base = canonical_dashboard(base_dashboard) if base_dashboard is not None else {"panels": []}
    old, new = boards.paired_panels(base, head)
    found: dict[int, str] = {}
    for key, now in new.items():
        if "id" not in now.panel:
            continue
        was = old.get(key)
        if was is None:
            found[int(now.panel["id"])] = "new panel"
            continue
        reasons = _reasons(_rest(was.panel), _rest(now.panel))
        if was.panel.get("title") != now.panel.get("title"):
            reasons.insert(0, "renamed")
        if was.row != now.row:
            reasons.append(f"moved to row {now.row}" if now.row else "moved above the first row")
        elif was.position != now.position:
            reasons.append("resized" if was.position[:2] == now.position[:2] else "moved")
        if reasons:
            found[int(now.panel["id"])] = ", ".join(reasons)
    return found


def _rest(panel: Json) -> Json:
    """What a panel shows, without its place, id and title (told apart)."""
    return {k: v for k, v in panel.items() if k not in ("gridPos", "id", "title")}


def _reasons(before: Json, after: Json) -> list[str]:
    reasons: list[str] = []
    for path in changed_fields(before, after):
        reason = next((text for prefix, text in REASONS if path == prefix or path.startswith(prefix + ".")),
                      f"{path} changed")
        if reason not in reasons:
            reasons.append(reason)
    order = {text: n for n, (_, text) in enumerate(REASONS)}
    return sorted(reasons, key=lambda r: order.get(r, len(order)))
