"""Panel ids come from keys (section + title, or key=): inserting, moving or removing a panel renumbers no other,
alert rules' __panelId__ follow, and two panels that would share an id are one error naming both."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from dashgen.board import ids, walk
from dashgen.errors import DashgenError
from dashgen.project import compile_project, load_project

from ..factories import edit, small_project

FIRST = '''    stat("Mid", description="mid price", unit="none", queries=[query("avg({{ mm_mid_price }})")], width=8),
'''
NEW = '''    stat("Spread", description="spread", unit="none", queries=[query("avg({{ mm_mid_price }})")], width=8),
'''


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return small_project(tmp_path / "small", "http://127.0.0.1:9")


def ids_by_title(root: Path) -> dict[str, Any]:
    compiled = compile_project(load_project(root))
    assert compiled.alerting is not None
    (rule,) = [r for g in compiled.alerting.rule_groups for r in g["rules"]]
    found = {at.title: at.panel["id"] for at in walk.panels(compiled.board.dashboard)}
    rows = {p["title"]: p["id"] for p in compiled.board.dashboard["panels"] if p["type"] == "row"}
    return {**found, **{f"row {t}": i for t, i in rows.items()}, "alert link": int(rule["annotations"]["__panelId__"])}


def test_inserting_moving_and_removing_panels_keeps_every_other_id(root: Path) -> None:
    before = ids_by_title(root)
    assert before["alert link"] == before["Open orders"]
    assert len(set(before.values())) == len(before) - 1 and all(1 <= i < 2**30 for i in before.values())
    edit(root / "panels/prices.py", FIRST, NEW + FIRST)  # a panel inserted before Mid
    inserted = ids_by_title(root)
    assert {t: inserted[t] for t in before} == before
    edit(root / "panels/orders.py", "    OPEN_ORDERS,", '    bargauge("Asks", description="ask orders", unit="short", '
         'queries=[query(\'sum({{ mm_open_orders(side="ask") }})\')]),\n    OPEN_ORDERS,')
    edit(root / "panels/prices.py", NEW + FIRST, FIRST.replace("width=8),", "width=8),\n" + NEW.strip()))  # moved
    moved = ids_by_title(root)
    assert {t: moved[t] for t in before} == before and moved["Spread"] == inserted["Spread"]
    edit(root / "panels/prices.py", FIRST, "")  # Mid removed
    removed = ids_by_title(root)
    assert {t: removed[t] for t in before if t != "Mid"} == {t: v for t, v in before.items() if t != "Mid"}


def test_a_key_keeps_the_id_when_the_title_changes(root: Path) -> None:
    edit(root / "panels/orders.py", 'table("Open orders", ', 'table("Open orders", key="open-orders", ')
    keyed = ids_by_title(root)["Open orders"]
    assert keyed == ids.stable_id("panel", "Orders", "open-orders")
    edit(root / "panels/orders.py", 'table("Open orders", ', 'table("Orders open now", ')
    renamed = ids_by_title(root)
    assert renamed["Orders open now"] == keyed == renamed["alert link"]
    edit(root / "panels/orders.py", 'collapsed=True, ', 'collapsed=True, key="Orders", ')
    edit(root / "panels/orders.py", 'section("Orders"', 'section("Order book"')
    assert ids_by_title(root)["Orders open now"] == keyed


def test_a_duplicate_title_in_a_section_names_the_section_and_the_title(root: Path) -> None:
    edit(root / "panels/prices.py", FIRST, FIRST + FIRST)
    with pytest.raises(DashgenError) as caught:
        load_project(root)
    assert re.fullmatch(r".*panels/prices\.py:3: section 'Prices': two panels are titled 'Mid'", str(caught.value))


def test_a_duplicate_key_in_a_section_names_both_panels(root: Path) -> None:
    edit(root / "panels/prices.py", FIRST, NEW.replace('"Spread", ', '"Spread", key="Mid", ') + FIRST)
    with pytest.raises(DashgenError) as caught:
        load_project(root)
    assert re.fullmatch(r".*panels/prices\.py:5: section 'Prices': panels 'Spread' and 'Mid' have the same key 'Mid' "
                        r"\(panel ids come from keys\): give one of them another key=", str(caught.value))
    edit(root / "panels/prices.py", 'key="Mid", ', 'key=" ", ')
    with pytest.raises(DashgenError, match=r"prices\.py:4: panel 'Spread': key= must be a non-empty string, got ' '$"):
        load_project(root)


def test_two_sections_with_one_key_and_a_hash_collision_are_errors_naming_both(root: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    edit(root / "panels/orders.py", 'collapsed=True, ', 'collapsed=True, key="Prices", ')
    with pytest.raises(DashgenError) as caught:
        compile_project(load_project(root))
    assert re.fullmatch(r".*panels/orders\.py:5: row 'Orders' and row 'Prices' at .*panels/prices\.py:3 have the same "
                        r"key: give one of them another key=", str(caught.value))
    edit(root / "panels/orders.py", 'collapsed=True, key="Prices", ', 'collapsed=True, ')
    real = ids.stable_id
    monkeypatch.setattr(ids, "stable_id", lambda *key: 77 if key[-1] in ("Fills", "Bids") else real(*key))
    with pytest.raises(DashgenError) as caught:
        compile_project(load_project(root))
    assert re.fullmatch(r".*panels/orders\.py:7: panel 'Orders / Bids' and panel 'Prices / Fills' at "
                        r".*panels/prices\.py:5 hash to the same panel id 77: give one of them another key=",
                        str(caught.value))


def test_ids_are_a_fixed_function_of_the_key() -> None:
    assert ids.stable_id("panel", "Orders", "Open orders") == ids.stable_id("panel", "Orders", "Open orders")
    assert ids.stable_id("row", "Orders") != ids.stable_id("panel", "Orders", "")
    digest = hashlib.sha256(b"panel\x1fPrices\x1fMid").digest()
    assert ids.stable_id("panel", "Prices", "Mid") == 1 + int.from_bytes(digest[:8], "big") % (2**30 - 1)
