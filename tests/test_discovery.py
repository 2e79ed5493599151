"""Discovery of the user's `panels/` modules, and every mistake it must report in one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashgen.discovery import discover_board, find_project
from dashgen.errors import DashgenError

from .conftest import asset


def test_minimal_project_is_discovered_in_section_order_skipping_private_modules() -> None:
    found = discover_board(asset("minimal"))
    assert [s.title for s in found.sections] == ["Alpha", "Beta"]
    assert [v.name for v in found.variables.items] == ["datasource", "client", "exchange"]
    alpha = found.sections[0]
    assert alpha.defined_at.file.endswith("alpha.py") and alpha.defined_at.line == 3
    assert alpha.panels[0].defined_at.line == 7


def test_find_project_walks_up_from_a_subdirectory() -> None:
    assert find_project(asset("minimal") / "panels") == asset("minimal").resolve()


def test_find_project_outside_any_project(tmp_path: Path) -> None:
    with pytest.raises(DashgenError, match=r"no dashgen.yaml in .* or any parent: .*--project DIR"):
        find_project(tmp_path)


CASES = [
    ("missing_section", r"no `SECTION` in .*panels/beta\.py: define SECTION = section\(\.\.\.\)$"),
    ("not_a_section", r"`SECTION` in .*panels/beta\.py is a list: define SECTION = section\(\.\.\.\)$"),
    ("section_raises", r".*panels/beta\.py:4: KeyError: 'critical'$"),
    ("syntax_error", r".*panels/beta\.py:3: syntax error: '\(' was never closed$"),
    ("duplicate_section", r".*panels/gamma\.py: duplicate section title 'Alpha': already used in .*panels/alpha\.py$"),
    ("no_variables", r"no panels/variables\.py: define VARIABLES = variables\(\.\.\.\) there$"),
    ("no_panels", r"no panels/ directory in .*no_panels: the board's sections live there$"),
    ("bad_panel", r".*panels/beta\.py:7: panel 'No description': the description is empty: say what the panel"),
]


@pytest.mark.parametrize(("case", "message"), CASES, ids=[c for c, _ in CASES])
def test_discovery_errors_are_one_line_naming_the_file(case: str, message: str) -> None:
    with pytest.raises(DashgenError) as caught:
        discover_board(asset(case))
    text = str(caught.value)
    assert "\n" not in text
    assert re.match(message, text), text


@pytest.mark.parametrize(("case", "message"), CASES, ids=[c for c, _ in CASES])
def test_cli_reports_discovery_errors_with_exit_2_and_no_traceback(cli, case: str, message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", str(asset(case)), "build", "--out-dir", "out")
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


def _with_helpers(root: Path, alpha_import: str, beta_import: str, helper: str = HELPERS) -> Path:
    import shutil

    shutil.copytree(asset("minimal"), root)
    (root / "panels" / "_helpers.py").write_text(helper)
    for name, line in (("alpha", alpha_import), ("beta", beta_import)):
        path = root / "panels" / f"{name}.py"
        text = path.read_text().replace("panels=[\n", "panels=[\n        mid('Shared'),\n", 1)
        path.write_text(f"{line}\n{text}")
    return root


def test_a_helper_module_is_imported_by_sections_both_ways(tmp_path: Path) -> None:
    root = _with_helpers(tmp_path / "p", "from panels._helpers import mid", "from ._helpers import mid")
    found = discover_board(root)
    assert [s.panels[0].title for s in found.sections] == ["Shared", "Shared"]
    other = _with_helpers(tmp_path / "q", "from ._helpers import mid", "from panels._helpers import mid",
                          HELPERS.replace('"mid price"', '"the other project\'s"'))
    assert discover_board(other).sections[0].panels[0].description == "the other project's"  # not a cached module
    assert discover_board(root).sections[0].panels[0].description == "mid price"
    import sys

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
    with pytest.raises(DashgenError, match=r".*panels/alpha\.py:1: ModuleNotFoundError: No module named "
                                           r"'panels\._helpers'$"):
        discover_board(root)


def test_alert_modules_import_their_helpers_too(tmp_path: Path) -> None:
    from dashgen.discovery import discover_alerts

    from .factories import small_project

    root = small_project(tmp_path / "small", "http://127.0.0.1:9")
    (root / "alerts" / "_common.py").write_text('TEAM = "market-ops"\n')
    rules = root / "alerts" / "rules.py"
    rules.write_text("from alerts._common import TEAM\n" + rules.read_text().replace('team="trading"', "team=TEAM"))
    found = discover_alerts(root)
    assert found is not None and [a.team for a in found.alerts] == ["market-ops"]
