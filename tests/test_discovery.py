"""Discovery of the user's `panels/` modules, and every mistake it must report in one line."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from dashgen.discovery import discover_alerts, discover_board, find_project
from dashgen.errors import DashgenError

from .factories import edit, small_project

PANELS = ("panels/variables.py", "panels/prices.py", "panels/orders.py")


def test_the_small_project_is_discovered_in_section_order_skipping_private_modules(tmp_path: Path) -> None:
    root = small_project(tmp_path / "small", alerting=False, files={"panels/_private.py": "RAISE = 1 / 0\n"})
    found = discover_board(root)
    assert [s.title for s in found.sections] == ["Prices", "Orders"]
    assert [v.name for v in found.variables.items] == ["datasource", "client"]
    prices = found.sections[0]
    assert prices.defined_at.file.endswith("prices.py") and prices.defined_at.line == 3
    assert prices.panels[0].defined_at.line == 4


def test_find_project_walks_up_from_a_subdirectory(tmp_path: Path) -> None:
    root = small_project(tmp_path / "small", alerting=False)
    assert find_project(root / "panels") == root.resolve()


def test_find_project_outside_any_project(tmp_path: Path) -> None:
    with pytest.raises(DashgenError, match=r"no dashgen.yaml in .* or any parent: .*--project DIR"):
        find_project(tmp_path)


# case -> (the files that make the mistake, the message); every other file is the small project's
CASES: dict[str, tuple[dict[str, str | None], str]] = {
    "missing_section": ({"panels/orders.py": 'from dashgen.dsl import section\n\nORDERS = section("Orders", order=2, '
                                             'panels=[])\n'},
                        r"no `SECTION` in .*panels/orders\.py: define SECTION = section\(\.\.\.\)$"),
    "not_a_section": ({"panels/orders.py": 'SECTION = ["Orders"]\n'},
                      r"`SECTION` in .*panels/orders\.py is a list: define SECTION = section\(\.\.\.\)$"),
    "section_raises": ({"panels/orders.py": 'from dashgen.dsl import section\n\nTHRESHOLDS = {"warn": 1}\n'
                                            'LIMIT = THRESHOLDS["critical"]\n'
                                            'SECTION = section("Orders", order=2, panels=[])\n'},
                       r".*panels/orders\.py:4: KeyError: 'critical'$"),
    "syntax_error": ({"panels/orders.py": 'from dashgen.dsl import section\n\n'
                                          'SECTION = section("Orders", order=2, panels=[]\n'},
                     r".*panels/orders\.py:3: syntax error: '\(' was never closed$"),
    "duplicate_section": ({"panels/zeta.py": 'from dashgen.dsl import section\n\n'
                                             'SECTION = section("Prices", order=3, panels=[])\n'},
                          r".*panels/zeta\.py: duplicate section title 'Prices': already used in .*panels/prices\.py$"),
    "no_variables": ({"panels/variables.py": None},
                     r"no panels/variables\.py: define VARIABLES = variables\(\.\.\.\) there$"),
    "no_panels": (dict.fromkeys(PANELS), r"no panels/ directory in .*no_panels: the board's sections live there$"),
    "bad_panel": ({"panels/orders.py": 'from dashgen.dsl import query, section, stat\n\n'
                                       'SECTION = section("Orders", order=2, panels=[\n'
                                       '    stat("No description", description="", unit="none",\n'
                                       '         queries=[query("avg({{ mm_mid_price }})")]),\n'
                                       '])\n'},
                  r".*panels/orders\.py:4: panel 'No description': the description is empty: say what the panel"),
}


def mistaken(tmp_path: Path, case: str) -> Path:
    return small_project(tmp_path / case, alerting=False, files=CASES[case][0])


@pytest.mark.parametrize("case", CASES)
def test_discovery_errors_are_one_line_naming_the_file(tmp_path: Path, case: str) -> None:
    with pytest.raises(DashgenError) as caught:
        discover_board(mistaken(tmp_path, case))
    text = str(caught.value)
    assert "\n" not in text
    assert re.match(CASES[case][1], text), text


@pytest.mark.parametrize("case", CASES)
def test_cli_reports_discovery_errors_with_exit_2_and_no_traceback(cli, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", str(mistaken(tmp_path, case)), "build", "--out-dir", "out")
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("dashgen: error: ")
    assert "Traceback" not in result.err
    assert not Path("out").exists()  # nothing half-written


HELPERS = '''\
from dashgen.dsl import query, stat


def mid(title: str) -> object:
    return stat(title, description="mid price", unit="none", queries=[query("avg({{ mm_mid_price }})")])
'''


def _with_helpers(root: Path, prices_import: str, orders_import: str, helper: str = HELPERS) -> Path:
    small_project(root, alerting=False, files={"panels/_helpers.py": helper})
    for name, line in (("prices", prices_import), ("orders", orders_import)):
        path = root / "panels" / f"{name}.py"
        edit(path, "panels=[\n", "panels=[\n    mid('Shared'),\n")
        path.write_text(f"{line}\n{path.read_text()}")
    return root


def test_a_helper_module_is_imported_by_sections_both_ways(tmp_path: Path) -> None:
    root = _with_helpers(tmp_path / "p", "from panels._helpers import mid", "from ._helpers import mid")
    found = discover_board(root)
    assert [s.panels[0].title for s in found.sections] == ["Shared", "Shared"]
    other = _with_helpers(tmp_path / "q", "from ._helpers import mid", "from panels._helpers import mid",
                          HELPERS.replace('"mid price"', '"the other project\'s"'))
    assert discover_board(other).sections[0].panels[0].description == "the other project's"  # not a cached module
    assert discover_board(root).sections[0].panels[0].description == "mid price"
    assert "panels" not in sys.modules and "panels._helpers" not in sys.modules


def test_a_mistake_in_a_helper_is_reported_at_the_helper(tmp_path: Path) -> None:
    root = _with_helpers(tmp_path / "p", "from panels._helpers import mid", "from ._helpers import mid",
                         HELPERS.replace("    return stat(", "    1 / 0\n    return stat("))
    with pytest.raises(DashgenError, match=r".*panels/_helpers\.py:5: ZeroDivisionError: division by zero$"):
        discover_board(root)
    (root / "panels" / "_helpers.py").write_text("def mid(:\n")
    with pytest.raises(DashgenError, match=r".*panels/_helpers\.py:1: syntax error: "):
        discover_board(root)
    (root / "panels" / "_helpers.py").unlink()
    with pytest.raises(DashgenError, match=r".*panels/orders\.py:1: ModuleNotFoundError: No module named "
                                           r"'panels\._helpers'$"):
        discover_board(root)


def test_alert_modules_import_their_helpers_too(tmp_path: Path) -> None:
    root = small_project(tmp_path / "small", files={"alerts/_common.py": 'TEAM = "market-ops"\n'})
    rules = root / "alerts" / "rules.py"
    edit(rules, 'team="trading"', "team=TEAM")
    rules.write_text("from alerts._common import TEAM\n" + rules.read_text())
    found = discover_alerts(root)
    assert found is not None and [a.team for a in found.alerts] == ["market-ops"]


def test_an_edit_is_read_anew_whatever_the_bytecode_cache_and_none_is_left(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's bytecode cache is keyed by the source's whole-second mtime and its size: an edit to the same
    size within the second would run the old module. dashgen compiles the project's modules from source."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as on a machine without PYTHONDONTWRITEBYTECODE
    root = _with_helpers(tmp_path / "p", "from panels._helpers import mid", "from ._helpers import mid")
    assert discover_board(root).sections[0].panels[1].unit == "none"
    prices, helpers = root / "panels/prices.py", root / "panels/_helpers.py"
    stamps = {path: path.stat().st_mtime_ns for path in (prices, helpers)}
    edit(prices, 'unit="none"', 'unit="bits"')  # the same size
    edit(helpers, '"mid price"', '"mid value"')
    for path, stamp in stamps.items():
        os.utime(path, ns=(stamp, stamp))  # and the same mtime: what a cache could not tell apart
    found = discover_board(root)
    assert (found.sections[0].panels[1].unit, found.sections[0].panels[0].description) == ("bits", "mid value")
    assert list(root.rglob("__pycache__")) == []


def test_what_a_projects_modules_print_goes_to_stderr_not_into_the_product(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """stdout carries dashgen's product (here, lint's JSON); a print() left in panels/ or alerts/ must not
    corrupt it."""
    root = small_project(tmp_path / "p")
    for name in ("panels/prices.py", "alerts/rules.py"):
        path = root / name
        path.write_text(f"print('debugging {name}')\n{path.read_text()}")
    result = cli("--project", str(root), "lint", "-o", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["findings"] == []
    assert "debugging panels/prices.py" in result.err and "debugging alerts/rules.py" in result.err
