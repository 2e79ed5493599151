"""Which panels changed since the base board: compared by id in the canonical form, position within the row."""

from __future__ import annotations

import copy
from typing import Any

from dashgen.board import walk
from dashgen.preview.changes import changed_panels
from dashgen.project import CompiledProject


def _board(compiled: CompiledProject) -> dict[str, Any]:
    return copy.deepcopy(compiled.board.dashboard)


def _panel(board: dict[str, Any], title: str) -> dict[str, Any]:
    return next(at.panel for at in walk.panels(board) if at.title == title)


def test_the_same_board_has_no_changes(compiled_full: CompiledProject) -> None:
    assert changed_panels(_board(compiled_full), _board(compiled_full)) == {}


def test_without_a_base_every_panel_is_new(compiled_full: CompiledProject) -> None:
    head = _board(compiled_full)
    assert changed_panels(None, head) == {at.panel["id"]: "new panel" for at in walk.panels(head)}


def test_each_kind_of_change_has_its_reason(compiled_full: CompiledProject) -> None:
    base, head = _board(compiled_full), _board(compiled_full)
    _panel(head, "Spread")["targets"][0]["expr"] += " * 2"
    _panel(head, "Quote age")["fieldConfig"]["defaults"]["unit"] = "ms"
    mid = _panel(head, "Mid")
    mid["fieldConfig"]["defaults"]["unit"] = "short"
    mid["fieldConfig"]["defaults"]["thresholds"]["steps"].append({"color": "red", "value": 10})
    _panel(head, "Fills")["options"]["legend"]["calcs"] = ["max"]
    _panel(head, "Bids")["gridPos"]["h"] = 9
    assert changed_panels(base, head) == {
        _panel(head, "Spread")["id"]: "query changed",
        _panel(head, "Quote age")["id"]: "unit changed",
        mid["id"]: "unit changed, thresholds changed",
        _panel(head, "Fills")["id"]: "legend changed",
        _panel(head, "Bids")["id"]: "resized",
    }


def test_a_new_panel_and_a_moved_one(compiled_full: CompiledProject) -> None:
    base, head = _board(compiled_full), _board(compiled_full)
    removed = _panel(base, "Mid")
    base["panels"] = [p for p in base["panels"] if p is not removed]
    _panel(head, "Spread")["gridPos"]["x"] = 12
    _panel(head, "Fills")["gridPos"]["x"] = 0
    found = changed_panels(base, head)
    assert found == {removed["id"]: "new panel", _panel(head, "Spread")["id"]: "moved",
                     _panel(head, "Fills")["id"]: "moved"}


def test_folding_a_row_moves_nothing_and_what_grafana_ignores_is_no_change(compiled_full: CompiledProject) -> None:
    base, head = _board(compiled_full), _board(compiled_full)
    for panel in walk.stored(head):  # a later row's panels stored lower, as after expanding an earlier row
        panel["gridPos"]["y"] += 5
    _panel(head, "Spread")["pluginVersion"] = "11.6.0"  # dropped by the canonical form
    assert changed_panels(base, head) == {}


def test_a_panel_moved_to_another_row(compiled_full: CompiledProject) -> None:
    base, head = _board(compiled_full), _board(compiled_full)
    orders = next(p for p in head["panels"] if p.get("type") == "row" and p["title"] == "Orders")
    bids = _panel(head, "Bids")
    orders["panels"].remove(bids)
    bids["gridPos"] = {"x": 0, "y": 40, "w": 12, "h": 8}  # below the Prices row's last panel
    head["panels"].insert(head["panels"].index(orders), bids)
    assert changed_panels(base, head) == {bids["id"]: "moved to row Prices"}


def test_a_panel_renamed_in_place_or_moved_to_another_section_is_paired_as_review_pairs_it(
        compiled_full: CompiledProject) -> None:
    """A panel's id hashes its section's key and its own (its title by default): renamed, or moved to another
    section, it has a new id, and is still the same panel here, as in `dashgen review`."""
    base, head = _board(compiled_full), _board(compiled_full)
    spread = _panel(head, "Spread")
    spread["title"], spread["id"] = "Quoted spread", 424242  # renamed without key=: a new id
    bids = _panel(head, "Bids")
    orders = next(p for p in head["panels"] if p.get("type") == "row" and p["title"] == "Orders")
    orders["panels"].remove(bids)
    bids["gridPos"] = {"x": 0, "y": 40, "w": 12, "h": 8}
    bids["id"] = 434343  # another section: another id
    head["panels"].insert(head["panels"].index(orders), bids)
    assert changed_panels(base, head) == {424242: "renamed", 434343: "moved to row Prices"}
