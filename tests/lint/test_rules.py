"""Every lint rule against one change that breaks it and one that keeps it clean, each applied to a clean board or
rule group made by tests/factories.py (`lint_board`, `lint_rule_groups`) and linted against the small project's
metric catalogue."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dashgen.catalogue.load import parse_catalogue
from dashgen.lint.alert_rules import AlertContext
from dashgen.lint.board_rules import BoardContext
from dashgen.lint.model import RULES
from dashgen.lint.runner import run

from ..conftest import REPO
from ..factories import METRICS, Edit, edit, lint_board, lint_rule_groups, small_project

CATALOGUE = parse_catalogue(METRICS, "metrics.yaml")
BOARD_RULES = [r for r in RULES if r.scope == "board"]
ALERT_RULES = [r for r in RULES if r.scope == "alerts" and r.id != "DG301"]  # DG301 needs a datasource
SELECTION = '{client=~"$client",exchange=~"$exchange"}'


def panel(board: dict[str, Any], title: str) -> dict[str, Any]:
    return next(p for p in board["panels"] if p.get("title") == title)


def expr(title: str, text: str) -> Edit:
    """The first query of panel `title` becomes `text`."""
    return lambda board: panel(board, title)["targets"][0].update(expr=text)


def both(*edits: Edit) -> Edit:
    return lambda data: [edit(data) for edit in edits]


def rule(data: dict[str, Any]) -> dict[str, Any]:
    return data["rule_groups"][0]["rules"][0]


def datasource(uid: str) -> Edit:
    def edit(board: dict[str, Any]) -> None:
        for title in ("Mid", "Fills"):
            panel(board, title)["datasource"]["uid"] = uid
            panel(board, title)["targets"][0]["datasource"]["uid"] = uid
    return edit


# rule name -> (the one change that breaks it, a change of the same place that keeps the board clean)
BOARD_CASES: dict[str, tuple[Edit, Edit]] = {
    "promql-parse": (expr("Mid", f"avg(mm_mid_price{SELECTION}"),
                     expr("Mid", f"avg by (exchange) (mm_mid_price{SELECTION})")),
    "unknown-metric": (expr("Mid", f"avg(mm_mid_prices{SELECTION})"), expr("Mid", f"max(mm_mid_price{SELECTION})")),
    "unknown-label": (expr("Mid", f'avg(mm_mid_price{SELECTION[:-1]},venue="x"}})'),
                      expr("Mid", f'avg(mm_open_orders{SELECTION[:-1]},side="bid"}})')),
    "missing-filter": (expr("Mid", 'avg(mm_mid_price{client=~"$client"})'),
                       expr("Mid", 'avg(mm_mid_price{client=~"$client",exchange=~"${exchange:regex}"})')),
    "counter-rate": (expr("Fills", 'sum(rate(mm_trades_total{client=~"$client"}[5m])) + '
                                   'sum(mm_trades_total{client=~"$client"})'),
                     expr("Fills", 'sum(increase(mm_trades_total{client=~"$client"}[$__rate_interval]))')),
    "panel-metadata": (both(lambda b: panel(b, "Mid").update(description=""),
                            lambda b: panel(b, "Fills")["fieldConfig"].update(defaults={})),
                       lambda b: panel(b, "Mid")["fieldConfig"]["defaults"].update(unit="none")),
    "panel-datasource": (both(lambda b: panel(b, "Mid")["datasource"].update(uid="prom-prod"),
                              lambda b: panel(b, "Fills")["targets"][0].update(datasource="Prometheus")),
                         datasource("$datasource")),
    "grid": (lambda b: panel(b, "Fills")["gridPos"].update(w=14, x=11),
             lambda b: panel(b, "Fills")["gridPos"].update(y=9)),
    "panel-id": (lambda b: panel(b, "Fills").update(id=2), lambda b: panel(b, "Fills").update(id=30)),
    "unknown-variable": (both(expr("Mid", f"avg(mm_mid_price{SELECTION}) * $scale"),
                              lambda b: panel(b, "Fills").update(repeat="symbol")),
                         both(expr("Mid", f"avg_over_time(mm_mid_price{SELECTION}[$__interval])"),
                              lambda b: panel(b, "Fills").update(repeat="client"))),
}
ALERT_CASES: dict[str, tuple[Edit, Edit]] = {
    "alert-annotations": (both(lambda d: rule(d)["annotations"].pop("runbook_url"),
                               lambda d: rule(d)["labels"].pop("team")),
                          lambda d: rule(d)["annotations"].update(summary="Not quoting")),
    "alert-for": (lambda d: rule(d).update({"for": "20s"}), lambda d: rule(d).update({"for": "0s"})),
    "alert-uid": (lambda d: rule(d).update(uid="mm-no-orders/with-a-slash-and-far-too-long-for-grafana"),
                  lambda d: rule(d).update(uid="x" * 40)),
    "alert-group-interval": (lambda d: d["rule_groups"][0].update(interval=45),
                             lambda d: d["rule_groups"][0].update(interval=60)),
    "alert-panel-link": (lambda d: rule(d)["annotations"].update(__panelId__="999"),
                         lambda d: d["board"]["panels"].append({"id": 402, "title": "x", "type": "stat"})),
    "alert-query": (lambda d: rule(d)["data"][0]["model"].update(expr='mm_open_orders{venue="x"} < 1'),
                    lambda d: rule(d)["data"][0]["model"].update(expr="sum by (client) (mm_open_orders) < 1")),
}


def board_findings(board: dict[str, Any]) -> list[Any]:
    return run("board", BoardContext(board, CATALOGUE), file="board.json")


def alert_findings(data: dict[str, Any]) -> list[Any]:
    context = AlertContext(tuple(data["rule_groups"]), {data["board"]["uid"]: data["board"]}, CATALOGUE)
    return run("alerts", context, file="rules.json")


def test_every_rule_has_a_breaking_and_a_clean_change() -> None:
    assert sorted(BOARD_CASES) == sorted(r.name for r in BOARD_RULES)
    assert sorted(ALERT_CASES) == sorted(r.name for r in ALERT_RULES)


def test_the_base_board_and_rule_groups_are_clean() -> None:
    assert board_findings(lint_board()) == []
    assert alert_findings(lint_rule_groups()) == []


CASES = [(r, BOARD_CASES[r.name], lint_board, board_findings) for r in BOARD_RULES] + \
        [(r, ALERT_CASES[r.name], lint_rule_groups, alert_findings) for r in ALERT_RULES]


@pytest.mark.parametrize(("rule", "edits", "make", "lint"), CASES, ids=[f"{r.id}-{r.name}" for r, *_ in CASES])
def test_a_rule_fires_on_its_breaking_change_and_not_on_its_clean_one(
        rule: Any, edits: tuple[Edit, Edit], make: Callable[[Edit], dict[str, Any]],
        lint: Callable[[dict[str, Any]], list[Any]]) -> None:
    bad_edit, good_edit = edits
    bad = lint(make(bad_edit))
    assert [f.rule for f in bad if f.rule == rule.id], [f.message for f in bad]
    good = lint(make(good_edit))
    assert good == [], [f"{f.rule} {f.message}" for f in good]


def test_messages_say_what_and_where() -> None:
    (finding,) = board_findings(lint_board(BOARD_CASES["missing-filter"][0]))
    assert (finding.location, finding.ref_id) == ("Main / Mid", "A")
    assert finding.message == 'mm_mid_price is not filtered by $exchange (add exchange=~"$exchange")'
    (parse,) = board_findings(lint_board(BOARD_CASES["promql-parse"][0]))
    assert parse.message.startswith("unclosed left parenthesis: avg(mm_mid_price{")
    counter = [f.message for f in board_findings(lint_board(BOARD_CASES["counter-rate"][0]))]
    assert counter == ["rate(mm_trades_total[5m]): use $__rate_interval, or $interval where the section follows the "
                       "interval", "counter mm_trades_total is read raw: wrap it in rate() or increase()"]


def test_without_a_catalogue_the_contract_rules_are_skipped() -> None:
    findings = run("board", BoardContext(lint_board(BOARD_CASES["unknown-metric"][0]), None), file="x.json")
    assert findings == []


def test_the_documentation_lists_every_rule() -> None:
    """In the README's table of rules, or in docs/ wherever the table lives."""
    docs = "".join(path.read_text() for path in [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))])
    for item in RULES:
        assert f"| `{item.id}` | `{item.name}` |" in docs, item.id


def test_rule_ids_and_names_are_unique() -> None:
    assert len({r.id for r in RULES}) == len(RULES) and len({r.name for r in RULES}) == len(RULES)


def test_a_planted_fault_in_a_built_board_exits_1_and_is_named(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "full", full=True)
    assert cli("--project", str(root), "build", "--out-dir", str(tmp_path / "b")).code == 0
    board = json.loads((tmp_path / "b/dashboards/small.json").read_text())
    spread = next(p for p in board["panels"] if p.get("title") == "Spread")
    assert 'client=~"$client",' in spread["targets"][0]["expr"]
    spread["targets"][0]["expr"] = spread["targets"][0]["expr"].replace('client=~"$client",', "")
    planted = tmp_path / "planted.json"
    planted.write_text(json.dumps(board))
    result = cli("--project", str(root), "lint", str(planted), "--output", "github")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"::error file={planted},title=DG104 missing-filter::Prices / Spread [A]: "
        'mm_spread_bps is not filtered by $client (add client=~"$client")')
    document = json.loads(cli("--project", str(root), "lint", str(planted), "--output", "json").out)
    assert document["summary"] == {"errors": 1, "warnings": 0, "suppressed": 1}


def test_suppressions_need_a_reason_and_unused_ones_are_reported(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "full", full=True)
    config = root / "dashgen.yaml"
    text = config.read_text()
    assert cli("--project", str(root), "lint").out == "lint: 0 error(s), 0 warning(s), 1 suppressed with a reason\n"
    edit(config, 'location: "Prices / 24h fills"', 'location: "Prices / Mid"')
    result = cli("--project", str(root), "lint")
    assert result.code == 1
    assert "error DG105 counter-rate" in result.out
    assert "dashgen.yaml: lint.suppress[0]: warning DG001 unused-suppression" in result.out
    no_reason = text.split("      reason: ")[0]
    config.write_text(no_reason + '      reason: " "\n')
    failed = cli("--project", str(root), "lint")
    assert failed.code == 2 and "lint.suppress[0].reason: say why: a suppression needs a written reason" in failed.err


def test_unreadable_paths_are_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "small")
    bad = tmp_path / "x.json"
    bad.write_text("{nope")
    result = cli("--project", str(root), "lint", str(bad))
    assert result.code == 2 and "not JSON" in result.err
    assert cli("--project", str(root), "lint", str(tmp_path / "missing.json")).code == 2


def test_alert_for_reads_every_prometheus_duration_and_names_one_it_cannot_read() -> None:
    from dashgen.lint.alert_rules import AlertContext, alert_for

    group = {"title": "g", "interval": 60, "rules": [{"title": "a", "for": "1m30s"}, {"title": "b", "for": "30s"},
                                                     {"title": "c", "for": "0s"}, {"title": "d", "for": "soon"}]}
    issues = [(issue.location, issue.message) for issue in alert_for(AlertContext((group,), {}, None))]
    assert issues == [("alert b", "for 30s is shorter than the group interval 60s: it cannot hold between two "
                                  "evaluations"),
                      ("alert d", "for 'soon' is not a duration such as 0s, 1m or 15m")]
