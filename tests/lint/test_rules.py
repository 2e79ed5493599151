"""Every lint rule against its failing and passing fixture (tests/assets/lint/<rule>.bad|good.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dashgen.catalogue import load_catalogue
from dashgen.lint.alert_rules import AlertContext
from dashgen.lint.board_rules import BoardContext
from dashgen.lint.model import RULES
from dashgen.lint.runner import run

from ..conftest import ASSETS, REPO

LINT = ASSETS / "lint"
MINIMAL = load_catalogue(ASSETS / "minimal")
DESK = load_catalogue(REPO)
BOARD_RULES = [r for r in RULES if r.scope == "board"]
ALERT_RULES = [r for r in RULES if r.scope == "alerts" and r.id != "DG301"]  # DG301 needs a datasource


def load(name: str) -> Any:
    return json.loads((LINT / name).read_text())


def board_findings(name: str) -> list[Any]:
    return run("board", BoardContext(load(name), MINIMAL), file=name)


def alert_findings(name: str) -> list[Any]:
    data = load(name)
    context = AlertContext(tuple(data["rule_groups"]), {data["board"]["uid"]: data["board"]}, DESK)
    return run("alerts", context, file=name)


def test_every_rule_has_both_fixtures() -> None:
    for item in BOARD_RULES + ALERT_RULES:
        assert (LINT / f"{item.name}.bad.json").is_file() and (LINT / f"{item.name}.good.json").is_file(), item.name


def test_the_base_fixtures_are_clean() -> None:
    assert board_findings("base.json") == []
    assert alert_findings("alerts-base.json") == []


@pytest.mark.parametrize("rule", BOARD_RULES, ids=lambda r: f"{r.id}-{r.name}")
def test_board_rule_fails_its_bad_fixture_and_passes_its_good_one(rule: Any) -> None:
    bad = board_findings(f"{rule.name}.bad.json")
    assert [f.rule for f in bad if f.rule == rule.id], [f.message for f in bad]
    good = board_findings(f"{rule.name}.good.json")
    assert good == [], [f"{f.rule} {f.message}" for f in good]


@pytest.mark.parametrize("rule", ALERT_RULES, ids=lambda r: f"{r.id}-{r.name}")
def test_alert_rule_fails_its_bad_fixture_and_passes_its_good_one(rule: Any) -> None:
    bad = alert_findings(f"{rule.name}.bad.json")
    assert [f.rule for f in bad if f.rule == rule.id], [f.message for f in bad]
    good = alert_findings(f"{rule.name}.good.json")
    assert good == [], [f"{f.rule} {f.message}" for f in good]


def test_messages_say_what_and_where() -> None:
    (finding,) = board_findings("missing-filter.bad.json")
    assert (finding.location, finding.ref_id) == ("Main / Mid", "A")
    assert finding.message == 'mm_mid_price is not filtered by $exchange (add exchange=~"$exchange")'
    (parse,) = board_findings("promql-parse.bad.json")
    assert parse.message.startswith("unclosed left parenthesis: avg(mm_mid_price{")
    counter = [f.message for f in board_findings("counter-rate.bad.json")]
    assert counter == ["rate(mm_trades_total[5m]): use $__rate_interval, or $interval where the section follows the "
                       "interval", "counter mm_trades_total is read raw: wrap it in rate() or increase()"]


def test_without_a_catalogue_the_contract_rules_are_skipped() -> None:
    findings = run("board", BoardContext(load("unknown-metric.bad.json"), None), file="x.json")
    assert findings == []


def test_the_readme_lists_every_rule() -> None:
    readme = (REPO / "README.md").read_text()
    for item in RULES:
        assert f"| `{item.id}` | `{item.name}` |" in readme, item.id


def test_rule_ids_and_names_are_unique() -> None:
    assert len({r.id for r in RULES}) == len(RULES) and len({r.name for r in RULES}) == len(RULES)


def test_dashgen_own_board_and_alerts_lint_clean(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", str(REPO), "lint")
    assert result.code == 0, result.out
    assert result.out == "lint: 0 error(s), 0 warning(s), 1 suppressed with a reason\n"


def test_a_planted_fault_in_a_copy_of_the_board_exits_1_and_is_named(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("--project", str(REPO), "build", "--out-dir", str(tmp_path / "b")).code == 0
    board = json.loads((tmp_path / "b/dashboards/mm-desk.json").read_text())
    spread = next(p for p in board["panels"] if p.get("title") == "Spread vs target and band")
    spread["targets"][0]["expr"] = spread["targets"][0]["expr"].replace(',tag=~"$tag"', "")
    planted = tmp_path / "planted.json"
    planted.write_text(json.dumps(board))
    result = cli("--project", str(REPO), "lint", str(planted), "--output", "github")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"::error file={planted},title=DG104 missing-filter::Spread / Spread vs target and band [A]: "
        'mm_spread_bps is not filtered by $tag (add tag=~"$tag")')
    document = json.loads(cli("--project", str(REPO), "lint", str(planted), "--output", "json").out)
    assert document["summary"] == {"errors": 1, "warnings": 0, "suppressed": 1}


def test_suppressions_need_a_reason_and_unused_ones_are_reported(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    root = tmp_path / "p"
    for name in ("panels", "alerts"):
        shutil.copytree(REPO / name, root / name)
    for name in ("dashgen.yaml", "metrics.yaml"):
        shutil.copy(REPO / name, root / name)
    config = root / "dashgen.yaml"
    text = config.read_text()
    config.write_text(text.replace('location: "General / 24h filled volume"', 'location: "General / Ticker"'))
    result = cli("--project", str(root), "lint")
    assert result.code == 1
    assert "error DG105 counter-rate" in result.out
    assert "dashgen.yaml: lint.suppress[0]: warning DG001 unused-suppression" in result.out
    no_reason = text.split("      reason: >-")[0]
    config.write_text(no_reason + '      reason: " "\n')
    failed = cli("--project", str(root), "lint")
    assert failed.code == 2 and "lint.suppress[0].reason: say why: a suppression needs a written reason" in failed.err


def test_unreadable_paths_are_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "x.json"
    bad.write_text("{nope")
    result = cli("--project", str(REPO), "lint", str(bad))
    assert result.code == 2 and "not JSON" in result.err
    assert cli("--project", str(REPO), "lint", str(tmp_path / "missing.json")).code == 2


def test_alert_for_reads_every_prometheus_duration_and_names_one_it_cannot_read() -> None:
    from dashgen.lint.alert_rules import AlertContext, alert_for

    group = {"title": "g", "interval": 60, "rules": [{"title": "a", "for": "1m30s"}, {"title": "b", "for": "30s"},
                                                     {"title": "c", "for": "0s"}, {"title": "d", "for": "soon"}]}
    issues = [(issue.location, issue.message) for issue in alert_for(AlertContext((group,), {}, None))]
    assert issues == [("alert b", "for 30s is shorter than the group interval 60s: it cannot hold between two "
                                  "evaluations"),
                      ("alert d", "for 'soon' is not a duration such as 0s, 1m or 15m")]
