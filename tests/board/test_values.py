"""Values in panels/ and alerts/ that Grafana would misread (an unknown unit id, shown as text after the number;
a time override it cannot parse) or JSON cannot hold (NaN, Infinity) stop the build with one line naming the
file, the line and the panel; nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashgen.board.units import CUSTOM_FORMS, unit_names, unit_problem
from dashgen.errors import DashgenError
from dashgen.jsonfile import dumps

from ..factories import edit, small_project

MID = 'stat("Mid", description="mid price", unit="none", queries=[query("avg({{ mm_mid_price }})")], width=8)'
OPEN = 'table("Open orders", description="open orders", unit="short", queries=[query("sum({{ mm_open_orders }})")])'
LEVEL = 'levels=[above(key("orders_max"), severity="critical", for_="1m")]'

CASES = [  # (id, file, old text, new text, a name to import from dashgen.dsl, the error)
    ("unit typo", "panels/prices.py", MID, MID.replace('unit="none"', 'unit="percnt"'), "",
     "panels/prices.py:4: panel 'Mid': unknown unit 'percnt': did you mean 'percent' (Percent (0-100))? "
     "(a unit of your own is written 'suffix: percnt')"),
    ("unit in words", "panels/prices.py", MID, MID.replace('unit="none"', 'unit="seconds"'), "",
     "panels/prices.py:4: panel 'Mid': unknown unit 'seconds': did you mean 's' (seconds (s))? "
     "(a unit of your own is written 'suffix: seconds')"),
    ("empty custom unit", "panels/prices.py", MID, MID.replace('unit="none"', 'unit="suffix:"'), "",
     "panels/prices.py:4: panel 'Mid': unit 'suffix:' has nothing after 'suffix:'"),
    ("column unit typo", "panels/orders.py", OPEN,
     OPEN.replace("])", '], options=TableOptions(column_units=(("Value", "byte"),)))'), "TableOptions",
     "panels/orders.py:4: panel 'Open orders': column 'Value': unknown unit 'byte': did you mean 'bytes' "
     "(bytes(IEC))? (a unit of your own is written 'suffix: byte')"),
    ("time override typo", "panels/prices.py", MID, MID.replace("width=8)", 'width=8, time_from="1h30m")'), "",
     "panels/prices.py:4: panel 'Mid': time_from: '1h30m' is not a relative time Grafana reads: "
     "expected -, + or / before '30m'"),
    ("NaN panel threshold", "panels/prices.py", MID,
     MID.replace("width=8)", 'width=8, thresholds=[threshold("green"), threshold("red", float("nan"))])'),
     "threshold", "panels/prices.py:4: threshold 'red': value nan is not a finite number"),
    ("string panel threshold", "panels/prices.py", MID,
     MID.replace("width=8)", 'width=8, thresholds=[threshold("green"), threshold("red", "80")])'),
     "threshold", "panels/prices.py:4: threshold 'red': value '80' is not a finite number"),
    ("infinite alert threshold", "alerts/rules.py", LEVEL, LEVEL.replace('key("orders_max")', 'float("inf")'), "",
     "alerts/rules.py:4: threshold inf is not a finite number"),
    ("NaN alert factor", "alerts/rules.py", LEVEL,
     LEVEL.replace('key("orders_max")', 'key("orders_max", times=float("nan"))'), "",
     "alerts/rules.py:4: key('orders_max'): times=nan is not a finite number"),
]


@pytest.mark.parametrize(("file", "old", "new", "name", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_values_grafana_misreads_stop_the_build(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                file: str, old: str, new: str, name: str, message: str) -> None:
    root = small_project(tmp_path / "p", "http://127.0.0.1:1")
    if name:  # imported at the end of the first line, so that line numbers stay as they were
        edit(root / file, "\n", f"; from dashgen.dsl import {name}\n")
    edit(root / file, old, new)
    monkeypatch.chdir(root)  # paths are shown relative to the working directory
    result = cli("build", "--out-dir", str(tmp_path / "out"))
    assert (result.code, result.err) == (2, f"dashgen: error: {message}\n")
    assert not (tmp_path / "out").exists()


def test_the_unit_list_is_grafanas_and_names_its_source() -> None:
    data = json.loads((Path(__file__).parents[2] / "dashgen/board/grafana_units.json").read_text(encoding="utf-8"))
    assert data["source"].startswith("@grafana/data 12.2.0 (npm), dist/esm/valueFormats/categories.mjs")
    assert len(unit_names()) == 272 + 1  # 272 formats in 25 categories, and the alias farenheit
    assert len(data["categories"]) == 25
    assert {"none", "short", "percent", "percentunit", "s", "ms", "bytes", "currencyUSD", "µs", "bool_on_off"} <= set(
        unit_names())


@pytest.mark.parametrize("unit", ["none", "short", "percentunit", "s", "farenheit", "suffix: bps", "prefix:$",
                                  "si:mV", "count:orders", "currency:EUR", "time:YYYY-MM-DD", "bool:up/down"])
def test_units_grafana_knows(unit: str) -> None:
    assert unit_problem(unit) is None


def test_every_custom_form_needs_text_after_it() -> None:
    assert [unit_problem(form) for form in CUSTOM_FORMS] == [
        f"unit {form!r} has nothing after {form!r}" for form in CUSTOM_FORMS]


def test_json_output_refuses_nan_naming_the_object_and_the_place() -> None:
    group = {"title": "orders", "rules": [{"data": [{"model": {"threshold": float("nan")}}]}]}
    with pytest.raises(DashgenError) as caught:
        dumps(group)
    assert str(caught.value) == ("title 'orders': rules[0].data[0].model.threshold is not a finite number, which "
                                 "JSON cannot hold")
    with pytest.raises(DashgenError, match=r"^a JSON document: \[1\] is not a finite number"):
        dumps([1.0, float("-inf")])
    assert dumps({"b": 1.5, "a": [1e300]}) == '{\n  "a": [\n    1e+300\n  ],\n  "b": 1.5\n}\n'


def test_a_panel_file_that_is_not_utf8_is_one_line(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "p", "http://127.0.0.1:1")
    path = root / "panels/prices.py"
    path.write_bytes(b"\xff\xfe" + path.read_bytes())
    monkeypatch.chdir(root)
    result = cli("build", "--out-dir", str(tmp_path / "out"))
    assert (result.code, result.err) == (2, "dashgen: error: panels/prices.py:1: syntax error: (unicode error) "
                                            "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte\n")
