"""`dashgen apply`, `diff` and `pull` end to end against the Grafana double."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dashgen.kinds.dashboard import with_checksum
from dashgen.managed import MANAGED_TAG

from ..grafana_double import TOKEN, GrafanaDouble
from .conftest import Desk, make_project


def test_first_apply_creates_the_folder_then_the_board(desk: Desk) -> None:
    result = desk.run("apply", "--yes")
    assert result.code == 0, result.err
    assert desk.grafana.write_log() == [("POST", "/api/folders"), ("POST", "/api/dashboards/db")]
    stored = desk.grafana.store.dashboards["mm-desk"]
    assert stored.folder_uid == "market-making"
    assert stored.history[-1].message.startswith("dashgen 0.1.0")
    assert MANAGED_TAG in stored.data["tags"]
    ds = stored.data["templating"]["list"][0]
    assert ds["name"] == "datasource" and ds["current"]["value"] == "prom-test"  # the environment's datasource
    assert "apply: 2 written, 0 failed, 0 not attempted" in result.out


def test_second_apply_sends_no_write(desk: Desk) -> None:
    assert desk.run("apply", "--yes").code == 0
    desk.grafana.reset_counts()
    result = desk.run("apply", "--yes")
    assert result.code == 0
    assert desk.grafana.writes() == 0 and desk.grafana.count() > 0
    assert "nothing to apply" in result.out
    assert desk.run("diff").code == 0


def test_a_panel_change_diffs_as_that_panel_and_applies_as_one_save(desk: Desk) -> None:
    assert desk.run("apply", "--yes").code == 0
    desk.edit_panel_file("orders.py", 'unit="s"', 'unit="ms"')
    diff = desk.run("diff")
    assert diff.code == 1
    changed = [line for line in diff.out.splitlines() if line.startswith("  ~ ") or line.startswith("  + ")
               or line.startswith("  - ")]
    assert changed == ["  ~ panel Orders / Order freshness: fieldConfig.defaults.unit"]
    assert re.search(r'^ +- +"unit": "s",?$', diff.out, re.M) and re.search(r'^ +\+ +"unit": "ms",?$', diff.out, re.M)
    document = json.loads(desk.run("diff", "--output", "json").out)
    assert document["summary"] == {"create": 0, "update": 1, "delete": 0, "unchanged": 1}
    (board,) = [o for o in document["objects"] if o["action"] == "update"]
    assert [(d["what"], d["key"], d["action"]) for d in board["details"]] == [
        ("panel", "Orders / Order freshness", "changed")]
    desk.grafana.reset_counts()
    assert desk.run("apply", "--yes").code == 0
    assert desk.grafana.write_log() == [("POST", "/api/dashboards/db")]


def test_a_ui_edit_blocks_apply_until_forced_and_is_backed_up_first(desk: Desk) -> None:
    assert desk.run("apply", "--yes").code == 0
    desk.grafana.ui_edit("mm-desk", lambda d: d.update(title="Edited at 3am"), user="trader")
    desk.grafana.reset_counts()
    blocked = desk.run("apply", "--yes")
    assert blocked.code == 1
    assert desk.grafana.writes() == 0
    assert "changed outside dashgen by trader" in blocked.out
    assert re.search(r'^ +- +"title": "Edited at 3am",?$', blocked.out, re.M)  # what the other person changed
    assert "re-run with --force" in blocked.err
    forced = desk.run("apply", "--yes", "--force")
    assert forced.code == 0, forced.err
    (backup,) = (desk.root / ".dashgen" / "backups" / "test").glob("*/dashboard/mm-desk.json")
    assert json.loads(backup.read_text())["dashboard"]["title"] == "Edited at 3am"
    assert desk.grafana.store.dashboards["mm-desk"].title == "Market Making Desk"


def _seed(desk: Desk, uid: str, tags: list[str], message: str, folder: str = "market-making") -> None:
    """A board as dashgen writes it (with its checksum tag) when it is managed; as a person would otherwise."""
    board = {"uid": uid, "title": f"Board {uid}", "tags": tags}
    if MANAGED_TAG in tags:
        board = with_checksum(board)
    desk.grafana.store.save_dashboard({"dashboard": board, "folderUid": folder, "message": message},
                                      user="someone")


def test_prune_removes_only_managed_objects_the_code_dropped(desk: Desk) -> None:
    assert desk.run("apply", "--yes").code == 0
    _seed(desk, "old-managed", [MANAGED_TAG], "dashgen 0.0.9")
    _seed(desk, "teams-own", ["ops"], "made by hand")
    diff = desk.run("diff")
    assert diff.code == 1 and "- dashboard old-managed (Board old-managed): delete" in diff.out
    assert "teams-own" not in diff.out
    desk.grafana.reset_counts()
    kept = desk.run("apply", "--yes")
    assert kept.code == 0 and desk.grafana.writes() == 0 and "apply --prune deletes it" in kept.out
    pruned = desk.run("apply", "--yes", "--prune")
    assert pruned.code == 0, pruned.err
    assert desk.grafana.write_log() == [("DELETE", "/api/dashboards/uid/old-managed")]
    assert set(desk.grafana.store.dashboards) == {"mm-desk", "teams-own"}
    assert "market-making" in desk.grafana.store.folders
    assert len(list((desk.root / ".dashgen/backups/test").glob("*/dashboard/old-managed.json"))) == 1


def test_prune_deletes_a_folder_only_once_it_holds_nothing_else(desk: Desk) -> None:
    assert desk.run("apply", "--yes").code == 0
    desk.grafana.store.create_folder({"uid": "retired", "title": "Retired"})
    _seed(desk, "gone", [MANAGED_TAG], "dashgen 0.0.9", folder="retired")
    assert desk.run("apply", "--yes", "--prune").code == 0
    assert "retired" not in desk.grafana.store.folders
    desk.grafana.store.create_folder({"uid": "shared", "title": "Shared"})
    for uid, tags in (("gone2", [MANAGED_TAG]), ("theirs", [])):
        _seed(desk, uid, tags, "dashgen 0.0.9", folder="shared")
    assert desk.run("apply", "--yes", "--prune").code == 0
    assert "shared" in desk.grafana.store.folders and "theirs" in desk.grafana.store.dashboards
    assert "gone2" not in desk.grafana.store.dashboards


def test_dry_run_and_non_terminal_without_yes_write_nothing(desk: Desk) -> None:
    dry = desk.run("apply", "--dry-run")
    assert dry.code == 0 and "dry run: nothing written" in dry.out
    refused = desk.run("apply")
    assert refused.code == 2
    assert refused.err == "dashgen: error: refusing to apply without --yes: standard input is not a terminal\n"
    assert desk.grafana.writes() == 0


def test_a_failure_part_way_says_what_was_written_and_a_rerun_converges(desk: Desk) -> None:
    desk.grafana.inject(path="/api/dashboards/db", method="POST", status=500,
                        body={"message": "database is locked", "traceID": ""})
    failed = desk.run("apply", "--yes")
    assert failed.code == 2
    assert "         done  create folder market-making (Market Making)" in failed.out
    assert ("       FAILED  create dashboard mm-desk (Market Making Desk): POST /api/dashboards/db: 500 database "
            "is locked") in failed.out
    assert "apply: 1 written, 1 failed, 0 not attempted" in failed.out
    assert "apply did not finish" in failed.err
    desk.grafana.reset_counts()
    again = desk.run("apply", "--yes")
    assert again.code == 0
    assert desk.grafana.write_log() == [("POST", "/api/dashboards/db")]


def test_a_failed_folder_leaves_its_dashboards_not_attempted(desk: Desk) -> None:
    desk.grafana.deny("POST", "/api/folders", "folders:create")
    result = desk.run("apply", "--yes")
    assert result.code == 2
    assert "(the service account needs the permission folders:create)" in result.out
    assert "not attempted  create dashboard mm-desk" in result.out
    assert desk.grafana.count("POST", "/api/dashboards/db") == 0


def test_pull_matches_an_environment_build_byte_for_byte(desk: Desk, tmp_path: Path) -> None:
    assert desk.run("apply", "--yes").code == 0
    assert desk.run("--env", "test", "build", "--out-dir", str(tmp_path / "built")).code == 0
    assert desk.run("pull", "--out-dir", str(tmp_path / "pulled")).code == 0
    built = (tmp_path / "built/dashboards/mm-desk.json").read_bytes()
    assert (tmp_path / "pulled/dashboards/mm-desk.json").read_bytes() == built


def test_transient_faults_are_retried_to_success(desk: Desk) -> None:
    desk.grafana.inject(path="/api/dashboards/uid/mm-desk", method="GET", status=503, body="<html>busy</html>",
                        times=2)
    desk.grafana.inject(path="/api/search", status=429, body={"message": "slow down"}, headers={"Retry-After": "1"})
    desk.grafana.inject(path="/api/folders/market-making", method="GET", reset=True)
    result = desk.run("apply", "--yes")
    assert result.code == 0, result.err
    assert result.err.count("retrying in") == 4
    assert "market-making" in desk.grafana.store.folders and "mm-desk" in desk.grafana.store.dashboards


def test_grafana_refusing_or_unreachable_is_exit_2_one_line(desk: Desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRAFANA_TOKEN", "glsa_not_the_right_one")
    result = desk.run("diff")
    assert result.code == 2
    assert re.fullmatch(r"dashgen: error: GET /api\S*: 401 Invalid API key \(check the token in \$GRAFANA_TOKEN\)\n",
                        result.err)
    monkeypatch.delenv("GRAFANA_TOKEN")
    missing = desk.run("diff")
    assert missing.code == 2
    assert missing.err == ("dashgen: error: environment 'test': $GRAFANA_TOKEN is not set: export the Grafana "
                           "service-account token in it\n")
    assert desk.run("--env", "nope", "diff").err.startswith("dashgen: error: unknown environment 'nope'")


@pytest.mark.parametrize("version", ["11.6.0", "12.2.0", "13.0.0"])
@pytest.mark.parametrize("on_screen", [True, False])
def test_the_desk_board_survives_a_no_op_ui_save(tmp_path: Path, cli, monkeypatch, version: str,  # type: ignore[no-untyped-def]
                                                 on_screen: bool) -> None:
    """Every panel type of the desk (candlestick, percent stats, tables...) against the modelled UI save; on
    13.0 that save stores the board in the v2 schema."""
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)
    with GrafanaDouble(version=version) as grafana:
        root = make_project(tmp_path / "desk", grafana.url, allow_ui_edits=True)
        assert cli("--project", str(root), "apply", "--yes").code == 0
        grafana.ui_edit("mm-desk", None, rendered=lambda panel: on_screen)
        assert grafana.store.dashboards["mm-desk"].is_v2 == (version == "13.0.0")
        diff = cli("--project", str(root), "diff")
        assert diff.code == 0, diff.out
