"""Every lint rule fires from something a user has: a mistake in a small project's panels/ or alerts/ (where
`lint` points at the line and `build` refuses, writing nothing), or an edit of the JSON files build and pull
write (a UI edit pulled back, a hand-written rule group), linted as `dashgen lint FILE...`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dashgen.lint import runner  # noqa: F401  (registers the rules)
from dashgen.lint.model import RULES

from ..factories import edit, small_project

NOWHERE = "http://127.0.0.1:9"  # lint and build never contact Grafana


@dataclass(frozen=True)
class InProject:
    """Replace `old` by `new` in `file` of the small project; `line` is what lint prints, after the file's path."""

    file: str
    old: str
    new: str
    line: str


IN_PROJECT = {
    "DG101": InProject("panels/prices.py", 'query("avg({{ mm_mid_price }})")', 'query("avg({{ mm_mid_price }}")',
                       ':4: Prices / Mid [A]: error DG101 promql-parse: unclosed left parenthesis: '
                       'avg(mm_mid_price{client=~"$client"}'),
    "DG102": InProject("panels/prices.py", "avg({{ mm_mid_price }})", "avg({{ mm_mid_price }}) / mm_nope",
                       ":4: Prices / Mid [A]: error DG102 unknown-metric: mm_nope is not in the metric catalogue"),
    "DG103": InProject("panels/prices.py", "avg({{ mm_mid_price }})",
                       'avg(mm_mid_price{client=~\\"$client\\",side=\\"bid\\"})',
                       ":4: Prices / Mid [A]: error DG103 unknown-label: mm_mid_price has no label 'side' "
                       "(labels: client, exchange)"),
    "DG104": InProject("panels/prices.py", "avg({{ mm_mid_price }})", "avg(mm_mid_price)",
                       ':4: Prices / Mid [A]: error DG104 missing-filter: mm_mid_price is not filtered by $client '
                       '(add client=~"$client")'),
    "DG105": InProject("panels/prices.py", "sum(rate({{ mm_trades_total }}[$__rate_interval]))",
                       "sum({{ mm_trades_total }})",
                       ":5: Prices / Fills [A]: error DG105 counter-rate: counter mm_trades_total is read raw: wrap "
                       "it in rate() or increase()"),
    "DG110": InProject("panels/prices.py", "avg({{ mm_mid_price }})",
                       'avg(mm_mid_price{client=~\\"$client\\",exchange=~\\"$venue\\"})',
                       ":4: Prices / Mid [A]: error DG110 unknown-variable: $venue is not a variable of this board"),
    "DG202": InProject("alerts/rules.py", 'for_="1m"', 'for_="10s"',
                       ":3: alert NoOrders: error DG202 alert-for: for 10s is shorter than the group interval 30s: it "
                       "cannot hold between two evaluations"),
    "DG206": InProject("alerts/rules.py", 'expr="{{ mm_open_orders }}"', 'expr="{{ mm_open_orders }} + mm_nope"',
                       ":3: alert NoOrders [A]: error DG206 alert-query: mm_nope is not in the metric catalogue"),
}


def _board(edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], list[str]]:
    def run(out: Path) -> list[str]:
        path = out / "dashboards/small.json"
        board = json.loads(path.read_text())
        edit(board)
        path.write_text(json.dumps(board))
        return ["dashboards/small.json"]
    return run


def _group(edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], list[str]]:
    def run(out: Path) -> list[str]:
        path = out / "alerting/rule-groups/orders.json"
        group = json.loads(path.read_text())
        edit(group)
        path.write_text(json.dumps(group))
        return ["alerting/rule-groups/orders.json", "dashboards/small.json"]
    return run


def _mid(board: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in board["panels"] if p.get("title") == "Mid")


def _fills(board: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in board["panels"] if p.get("title") == "Fills")


IN_FILES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "DG106": (_board(lambda b: _mid(b).update(description="")),
              "dashboards/small.json: Prices / Mid: error DG106 panel-metadata: missing description"),
    "DG107": (_board(lambda b: _mid(b).update(datasource={"type": "prometheus", "uid": "prom-prod"})),
              "dashboards/small.json: Prices / Mid: error DG107 panel-datasource: panel datasource is 'prom-prod', "
              "not the templated $datasource"),
    "DG108": (_board(lambda b: _fills(b)["gridPos"].update(w=20)),
              "dashboards/small.json: Fills: error DG108 grid: gridPos {'h': 8, 'w': 20, 'x': 8, 'y': 1} is outside "
              "the 24-column grid"),
    "DG109": (_board(lambda b: _fills(b).update(id=_mid(b)["id"])),
              "dashboards/small.json: Fills: error DG109 panel-id: id {mid} is also used by 'Mid'"),
    "DG201": (_group(lambda g: g["rules"][0]["annotations"].pop("runbook_url")),
              "alerting/rule-groups/orders.json: alert NoOrders: error DG201 alert-annotations: missing annotation "
              "runbook_url"),
    # a runbook slug with a space is refused when alerts/ loads; a hand-edited group can still hold a bad uid
    "DG203": (_group(lambda g: g["rules"][0].update(uid="no quotes")),
              "alerting/rule-groups/orders.json: alert NoOrders: error DG203 alert-uid: uid 'no quotes' is not 1-40 "
              "characters of letters, digits, - and _"),
    "DG204": (_group(lambda g: g.update(interval=15)),
              "alerting/rule-groups/orders.json: group orders: error DG204 alert-group-interval: interval 15 is not a "
              "positive multiple of 10 s"),
    "DG205": (_group(lambda g: g["rules"][0]["annotations"].update(__panelId__="12345")),
              "alerting/rule-groups/orders.json: alert NoOrders: error DG205 alert-panel-link: links panel 12345 of "
              "small, which does not exist"),
}


# needs an environment's datasource: tests/commands/test_alerting_checks.py fires it through `lint --env`
WITH_ENVIRONMENT = {"DG301"}


def test_every_rule_fires_from_a_user_project_or_its_files() -> None:
    assert {r.id for r in RULES} == set(IN_PROJECT) | set(IN_FILES) | WITH_ENVIRONMENT


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = small_project(tmp_path / "small", NOWHERE)
    monkeypatch.chdir(root)  # lint prints paths relative to the current directory
    return root


@pytest.mark.parametrize("rule", sorted(IN_PROJECT))
def test_a_mistake_in_the_project_is_found_by_lint_and_refused_by_build(cli, project: Path, rule: str) -> None:  # type: ignore[no-untyped-def]
    case = IN_PROJECT[rule]
    edit(project / case.file, case.old, case.new)
    line = case.file + case.line
    linted = cli("lint")
    assert (linted.code, linted.out.splitlines()) == (1, [line, "lint: 1 error(s), 0 warning(s), 0 suppressed with "
                                                                "a reason"])
    built = cli("build")
    assert built.code == 2 and built.out == ""
    assert built.err.splitlines() == [line, "dashgen: error: build refused: 1 lint error(s) above; nothing was "
                                            "written (fix them, or suppress one with a reason under lint.suppress "
                                            "in dashgen.yaml)"]
    assert not (project / "build").exists()


@pytest.mark.parametrize("rule", sorted(IN_FILES))
def test_an_edit_of_the_built_files_is_found_by_lint(cli, project: Path, rule: str) -> None:  # type: ignore[no-untyped-def]
    assert cli("build", "--out-dir", "out").code == 0
    edit, expected = IN_FILES[rule]
    files = edit(project / "out")
    mid = _mid(json.loads((project / "out/dashboards/small.json").read_text()))["id"]
    linted = cli("lint", *(f"out/{name}" for name in files))
    assert linted.code == 1
    assert linted.out.splitlines()[0] == "out/" + expected.replace("{mid}", str(mid))
    assert linted.out.splitlines()[1:] == ["lint: 1 error(s), 0 warning(s), 0 suppressed with a reason"]


def test_the_built_files_lint_clean_and_a_link_to_a_board_not_passed_is_not_judged(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("build", "--out-dir", "out").code == 0
    clean = cli("lint", "out/dashboards/small.json", "out/alerting/rule-groups/orders.json")
    assert (clean.code, clean.out) == (0, "lint: 0 error(s), 0 warning(s), 0 suppressed with a reason\n")
    assert cli("lint", "out/alerting/rule-groups/orders.json").code == 0
    neither = cli("lint", "out/alerting/policy.json")
    assert neither.code == 2
    assert neither.err == ("dashgen: error: out/alerting/policy.json: neither a dashboard JSON model (no `panels` "
                           "list) nor a rule group (no `rules` list)\n")


def test_a_warning_is_printed_by_build_and_does_not_stop_it(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    config = project / "dashgen.yaml"
    config.write_text(config.read_text() + "lint:\n  suppress:\n    - {rule: grid, location: 'Nowhere', "
                      "reason: an old layout}\n")
    built = cli("build")
    assert built.code == 0, built.err
    assert built.err == ("dashgen.yaml: lint.suppress[0]: warning DG001 unused-suppression: suppresses nothing (grid "
                         "at 'Nowhere'): remove it\n")
    assert (project / "build/dashboards/small.json").is_file()
