"""`dashgen apply`, `diff` and `pull` end to end against the Grafana double, on the small project."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dashgen.kinds.dashboard import with_checksum
from dashgen.managed import MANAGED_TAG

from .conftest import Small


def test_first_apply_creates_the_folder_then_the_board(small: Small) -> None:
    result = small.run("apply", "--yes")
    assert result.code == 0, result.err
    assert small.grafana.write_log() == [("POST", "/api/folders"), ("POST", "/api/dashboards/db")]
    stored = small.grafana.store.dashboards["small"]
    assert stored.folder_uid == "small-folder"
    assert stored.history[-1].message.startswith("dashgen 0.1.0")
    assert MANAGED_TAG in stored.data["tags"]
    ds = stored.data["templating"]["list"][0]
    assert ds["name"] == "datasource" and ds["current"]["value"] == "prom-test"  # the environment's datasource
    assert "apply: 2 written, 0 failed, 0 not attempted" in result.out


def test_second_apply_sends_no_write(small: Small) -> None:
    assert small.run("apply", "--yes").code == 0
    small.grafana.reset_counts()
    result = small.run("apply", "--yes")
    assert result.code == 0
    assert small.grafana.writes() == 0 and small.grafana.count() > 0
    assert "nothing to apply" in result.out
    assert small.run("diff").code == 0


def test_a_panel_change_diffs_as_that_panel_and_applies_as_one_save(small: Small) -> None:
    assert small.run("apply", "--yes").code == 0
    small.edit("panels/prices.py", 'unit="none"', 'unit="percent"')
    diff = small.run("diff")
    assert diff.code == 1
    changed = [line for line in diff.out.splitlines() if line.startswith("  ~ ") or line.startswith("  + ")
               or line.startswith("  - ")]
    assert changed == ["  ~ panel Prices / Mid: fieldConfig.defaults.unit"]
    assert re.search(r'^ +- +"unit": "none",?$', diff.out, re.M)
    assert re.search(r'^ +\+ +"unit": "percent",?$', diff.out, re.M)
    document = json.loads(small.run("diff", "--output", "json").out)
    assert document["summary"] == {"create": 0, "update": 1, "delete": 0, "unchanged": 1}
    (board,) = [o for o in document["objects"] if o["action"] == "update"]
    assert [(d["what"], d["key"], d["action"]) for d in board["details"]] == [
        ("panel", "Prices / Mid", "changed")]
    small.grafana.reset_counts()
    assert small.run("apply", "--yes").code == 0
    assert small.grafana.write_log() == [("POST", "/api/dashboards/db")]


def test_a_ui_edit_blocks_apply_until_forced_and_is_backed_up_first(small: Small) -> None:
    assert small.run("apply", "--yes").code == 0
    small.grafana.ui_edit("small", lambda d: d.update(title="Edited at 3am"), user="trader")
    small.grafana.reset_counts()
    blocked = small.run("apply", "--yes")
    assert blocked.code == 1
    assert small.grafana.writes() == 0
    assert "changed outside dashgen by trader" in blocked.out
    assert re.search(r'^ +- +"title": "Edited at 3am",?$', blocked.out, re.M)  # what the other person changed
    assert "re-run with --force" in blocked.err
    forced = small.run("apply", "--yes", "--force")
    assert forced.code == 0, forced.err
    (backup,) = (small.root / ".dashgen" / "backups" / "test").glob("*/dashboard/small.json")
    assert json.loads(backup.read_text())["dashboard"]["title"] == "Edited at 3am"
    assert small.grafana.store.dashboards["small"].title == "Small Board"


def _seed(small: Small, uid: str, tags: list[str], message: str, folder: str = "small-folder") -> None:
    """A board as dashgen writes it (with its checksum tag) when it is managed; as a person would otherwise."""
    board = {"uid": uid, "title": f"Board {uid}", "tags": tags}
    if MANAGED_TAG in tags:
        board = with_checksum(board)
    small.grafana.store.save_dashboard({"dashboard": board, "folderUid": folder, "message": message},
                                      user="someone")


def test_prune_removes_only_managed_objects_the_code_dropped(small: Small) -> None:
    assert small.run("apply", "--yes").code == 0
    _seed(small, "old-managed", [MANAGED_TAG], "dashgen 0.0.9")
    _seed(small, "teams-own", ["ops"], "made by hand")
    diff = small.run("diff")
    assert diff.code == 1 and "- dashboard old-managed (Board old-managed): delete" in diff.out
    assert "teams-own" not in diff.out
    small.grafana.reset_counts()
    kept = small.run("apply", "--yes")
    assert kept.code == 0 and small.grafana.writes() == 0 and "apply --prune deletes it" in kept.out
    pruned = small.run("apply", "--yes", "--prune")
    assert pruned.code == 0, pruned.err
    assert small.grafana.write_log() == [("DELETE", "/api/dashboards/uid/old-managed")]
    assert set(small.grafana.store.dashboards) == {"small", "teams-own"}
    assert "small-folder" in small.grafana.store.folders
    assert len(list((small.root / ".dashgen/backups/test").glob("*/dashboard/old-managed.json"))) == 1


def test_prune_deletes_a_folder_only_once_it_holds_nothing_else(small: Small) -> None:
    assert small.run("apply", "--yes").code == 0
    small.grafana.store.create_folder({"uid": "retired", "title": "Retired"})
    _seed(small, "gone", [MANAGED_TAG], "dashgen 0.0.9", folder="retired")
    assert small.run("apply", "--yes", "--prune").code == 0
    assert "retired" not in small.grafana.store.folders
    small.grafana.store.create_folder({"uid": "shared", "title": "Shared"})
    for uid, tags in (("gone2", [MANAGED_TAG]), ("theirs", [])):
        _seed(small, uid, tags, "dashgen 0.0.9", folder="shared")
    assert small.run("apply", "--yes", "--prune").code == 0
    assert "shared" in small.grafana.store.folders and "theirs" in small.grafana.store.dashboards
    assert "gone2" not in small.grafana.store.dashboards


def test_dry_run_and_non_terminal_without_yes_write_nothing(small: Small) -> None:
    dry = small.run("apply", "--dry-run")
    assert dry.code == 0 and "dry run: nothing written" in dry.out
    refused = small.run("apply")
    assert refused.code == 2
    assert refused.err == "dashgen: error: refusing to apply without --yes: standard input is not a terminal\n"
    assert small.grafana.writes() == 0


def test_a_failure_part_way_says_what_was_written_and_a_rerun_converges(small: Small) -> None:
    small.grafana.inject(path="/api/dashboards/db", method="POST", status=500,
                        body={"message": "database is locked", "traceID": ""})
    failed = small.run("apply", "--yes")
    assert failed.code == 2
    assert "         done  create folder small-folder (Small)" in failed.out
    assert ("       FAILED  create dashboard small (Small Board): POST /api/dashboards/db: 500 database "
            "is locked") in failed.out
    assert "apply: 1 written, 1 failed, 0 not attempted" in failed.out
    assert "apply did not finish" in failed.err
    small.grafana.reset_counts()
    again = small.run("apply", "--yes")
    assert again.code == 0
    assert small.grafana.write_log() == [("POST", "/api/dashboards/db")]


def test_a_failed_folder_leaves_its_dashboards_not_attempted(small: Small) -> None:
    small.grafana.deny("POST", "/api/folders", "folders:create")
    result = small.run("apply", "--yes")
    assert result.code == 2
    assert "(the service account needs the permission folders:create)" in result.out
    assert "not attempted  create dashboard small" in result.out
    assert small.grafana.count("POST", "/api/dashboards/db") == 0


def test_pull_matches_an_environment_build_byte_for_byte(small: Small, tmp_path: Path) -> None:
    assert small.run("apply", "--yes").code == 0
    assert small.run("--env", "test", "build", "--out-dir", str(tmp_path / "built")).code == 0
    assert small.run("pull", "--out-dir", str(tmp_path / "pulled")).code == 0
    built = (tmp_path / "built/dashboards/small.json").read_bytes()
    assert (tmp_path / "pulled/dashboards/small.json").read_bytes() == built


def test_transient_faults_are_retried_to_success(small: Small) -> None:
    small.edit("dashgen.yaml", "attempts: 2,", "attempts: 3,")
    small.grafana.inject(path="/api/dashboards/uid/small", method="GET", status=503, body="<html>busy</html>",
                        times=2)
    small.grafana.inject(path="/api/search", status=429, body={"message": "slow down"}, headers={"Retry-After": "1"})
    small.grafana.inject(path="/api/folders/small-folder", method="GET", reset=True)
    result = small.run("apply", "--yes")
    assert result.code == 0, result.err
    assert result.err.count("retrying in") == 4
    assert "small-folder" in small.grafana.store.folders and "small" in small.grafana.store.dashboards


def test_grafana_refusing_or_unreachable_is_exit_2_one_line(small: Small, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRAFANA_TOKEN", "glsa_not_the_right_one")
    result = small.run("diff")
    assert result.code == 2
    assert re.fullmatch(r"dashgen: error: GET /api\S*: 401 Invalid API key \(check the token in \$GRAFANA_TOKEN\)\n",
                        result.err)
    monkeypatch.delenv("GRAFANA_TOKEN")
    missing = small.run("diff")
    assert missing.code == 2
    assert missing.err == ("dashgen: error: environment 'test': $GRAFANA_TOKEN is not set: export the Grafana "
                           "service-account token in it\n")
    assert small.run("--env", "nope", "diff").err.startswith("dashgen: error: unknown environment 'nope'")


@pytest.mark.parametrize("version", ["11.6.0", "12.2.0", "13.0.0"])
@pytest.mark.parametrize("on_screen", [True, False])
def test_every_panel_kind_and_option_survives_a_no_op_ui_save(make: Callable[..., Small], version: str,
                                                              on_screen: bool) -> None:
    """Every panel kind and option the desk uses (candlestick, percent stats, thresholds, tables, bars...) against
    the modelled UI save, in the full project; on 13.0 that save stores the board in the v2 schema."""
    full = make(version, full=True, allow_ui_edits=True)
    full.apply()
    full.grafana.ui_edit("small", None, rendered=lambda panel: on_screen)
    assert full.grafana.store.dashboards["small"].is_v2 == (version == "13.0.0")
    diff = full.run("diff")
    assert diff.code == 0, diff.out
