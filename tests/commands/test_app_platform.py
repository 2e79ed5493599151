"""Grafana 12 and 13 (issue 10): dashboards and folders through the app-platform API (`/apis`), dashgen's manager
annotations, boards another manager owns, boards a Grafana 13 UI saved in the v2 schema, resourceVersion
conflicts and Kubernetes Status errors — on small projects against the double in its 11.6, 12.2 and 13.0 modes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from ..grafana_double import TOKEN, GrafanaDouble
from ..grafana_double.v2 import set_row_condition
from .conftest import Small

MANAGED_BY, MANAGER_ID = "grafana.app/managedBy", "grafana.app/managerId"
ALLOWS_EDITS, CHECKSUM = "grafana.app/managerAllowsEdits", "grafana.app/sourceChecksum"


def app_platform_paths(grafana: GrafanaDouble) -> list[str]:
    return [path for _, path in grafana.log if path.startswith("/apis/")]


# ------------------------------------------------------------------------------------ detect and choose
@pytest.mark.parametrize(("version", "dashboards", "folders"), [
    ("12.2.0", "/apis/dashboard.grafana.app/v1beta1/", "/apis/folder.grafana.app/v1beta1/"),
    ("13.0.0", "/apis/dashboard.grafana.app/v1/", "/apis/folder.grafana.app/v1/"),
])
def test_12_and_13_write_dashboards_and_folders_through_the_app_platform(make: Callable[..., Small], version: str,
                                                                         dashboards: str, folders: str) -> None:
    first = make(version)
    result = first.run("apply", "--yes")
    assert result.out.startswith(f"# test: Grafana {version}, dashboards and folders through the app-platform API")
    assert first.grafana.write_log() == [("POST", f"{folders}namespaces/default/folders"),
                      ("POST", f"{dashboards}namespaces/default/dashboards")]
    assert first.grafana.count(path="/api/dashboards") == 0 and first.grafana.count(path="/api/folders") == 0
    assert first.grafana.store.dashboards["small"].folder_uid == "small-folder"


def test_11_6_stays_on_the_legacy_api_and_forcing_the_app_platform_there_is_exit_2(make: Callable[..., Small]) -> None:
    small = make("11.6.0")
    assert small.apply().out.startswith("# test: Grafana 11.6.0, dashboards and folders through the legacy API")
    forced = make("11.6.0", api="apis")
    result = forced.run("diff")
    assert result.code == 2 and result.out == ""
    assert result.err == ("dashgen: error: api: apis is set for this environment, but Grafana 11.6.0 does not serve "
                          "dashboard.grafana.app v1/v1beta1 and folder.grafana.app v1/v1beta1: use api: auto or legacy "
                          "(Grafana 12+ serves it)\n")


def test_api_legacy_forces_the_legacy_api_on_13(make: Callable[..., Small]) -> None:
    small = make("13.0.0", api="legacy")
    small.run("apply", "--yes")
    assert small.grafana.count("POST", "/api/dashboards/db") == 1 and app_platform_paths(small.grafana) == []
    assert small.run("diff").code == 0


@pytest.mark.parametrize("version", ["11.6.0", "12.2.0", "13.0.0"])
def test_every_version_converges_with_alerting_too(make: Callable[..., Small], version: str) -> None:
    small = make(version, alerting=True)
    small.apply()
    assert small.run("diff").code == 0
    assert small.run("apply", "--yes").out.splitlines()[-1] == "nothing to apply"
    assert small.grafana.writes() == 0


@pytest.mark.parametrize(("org_id", "stack_id", "namespace"), [(2, None, "org-2"), (1, "123", "stacks-123")])
def test_the_namespace_is_the_one_grafana_names_and_nothing_else_is_touched(
        make: Callable[..., Small], org_id: int, stack_id: str | None, namespace: str) -> None:
    small = make("13.0.0", org_id=org_id, stack_id=stack_id)
    assert small.run("apply", "--yes").code == 0
    assert small.run("diff").code == 0
    namespaced = [p for p in app_platform_paths(small.grafana) if "/namespaces/" in p]
    assert namespaced and all(f"/namespaces/{namespace}/" in p for p in namespaced)


def test_a_13_whose_apis_a_proxy_hides_is_exit_2_not_a_silent_fallback(make: Callable[..., Small]) -> None:
    small = make("13.0.0")
    small.grafana.inject(path="/apis", method="GET", status=404, body={"message": "Not found"}, times=10)
    result = small.run("apply", "--yes")
    assert result.code == 2 and small.grafana.writes() == 0
    assert "GET /apis answered 404: is a proxy in front of Grafana not forwarding /apis?" in result.err


def test_frontend_settings_that_are_not_grafanas_stop_the_run(make: Callable[..., Small]) -> None:
    small = make("13.0.0")
    small.grafana.inject(path="/api/frontend/settings", status=200, body={"appSubUrl": ""})
    result = small.run("apply", "--yes")
    assert result.code == 2 and small.grafana.writes() == 0
    assert result.err == ("dashgen: error: GET /api/frontend/settings: no Kubernetes namespace in the answer (got "
                          "None): is a proxy in front of Grafana? nothing was written\n")


# --------------------------------------------------------------------------------- manager annotations
@pytest.mark.parametrize("version", ["12.2.0", "13.0.0"])
def test_dashgen_marks_its_board_and_folder_and_the_checksum_is_the_tag(make: Callable[..., Small],
                                                                         version: str) -> None:
    small = make(version)
    small.apply()
    notes = small.notes()
    tag = next(t for t in small.grafana.store.dashboards["small"].data["tags"] if t.startswith("dashgen-checksum:"))
    assert {k: notes[k] for k in (MANAGED_BY, MANAGER_ID, "grafana.app/sourcePath", CHECKSUM)} == {
        MANAGED_BY: "kubectl", MANAGER_ID: "dashgen", "grafana.app/sourcePath": "panels/",
        CHECKSUM: tag.removeprefix("dashgen-checksum:")}
    assert ALLOWS_EDITS not in notes  # read-only in Grafana's UI by default
    folder = small.grafana.store.folders["small-folder"].annotations
    assert (folder[MANAGED_BY], folder[MANAGER_ID]) == ("kubectl", "dashgen")
    with pytest.raises(PermissionError, match="read-only"):
        small.grafana.ui_edit("small", None)


def test_allow_ui_edits_is_the_annotation_and_turning_it_off_is_one_change(make: Callable[..., Small]) -> None:
    small = make("13.0.0", allow_ui_edits=True)
    small.apply()
    assert small.notes()[ALLOWS_EDITS] == "true"
    small.edit("dashgen.yaml", "  allow_ui_edits: true\n", "")
    diff = small.run("diff")
    assert diff.code == 1
    assert [line for line in diff.out.splitlines() if line.startswith("  ~")] == \
        ["  ~ settings manager annotations: grafana.app/managerAllowsEdits"]
    small.apply()
    assert ALLOWS_EDITS not in small.notes() and small.run("diff").code == 0
    assert small.grafana.apis.updates and small.grafana.apis.unconditional_puts == []  # each update carried
    # the resourceVersion it read (Grafana's answer to one without is unconfirmed)


def test_a_board_dashgen_wrote_before_12_gets_its_annotations_once(make: Callable[..., Small]) -> None:
    small = make("13.0.0", api="legacy")
    small.apply()
    assert MANAGER_ID not in small.notes()
    small.edit("dashgen.yaml", "    api: legacy\n", "")
    diff = small.run("diff")
    assert diff.code == 1 and "~ settings manager annotations" in diff.out
    assert "changed outside dashgen" not in diff.out  # the same content dashgen wrote: no conflict
    small.apply()
    assert small.notes()[MANAGER_ID] == "dashgen" and small.run("diff").code == 0


def put_foreign(grafana: GrafanaDouble, uid: str, manager: tuple[str, str], *, tags: list[str]) -> None:
    grafana.store.create_folder({"uid": "small-folder", "title": "Small"})
    status, _ = grafana.apis.create_dashboards("v1", {"metadata": {"name": uid, "annotations": {
        MANAGED_BY: manager[0], MANAGER_ID: manager[1], "grafana.app/folder": "small-folder"}},
        "spec": {"title": "Theirs", "tags": tags}}, {})
    assert status == 201


@pytest.mark.parametrize("version", ["12.2.0", "13.0.0"])
def test_a_board_another_manager_owns_is_never_taken_over(make: Callable[..., Small], version: str) -> None:
    small = make(version)
    put_foreign(small.grafana, "small", ("terraform", "desk-boards"), tags=[])
    diff = small.run("diff")
    assert diff.code == 1
    assert ("  ! managed by Terraform 'desk-boards': dashgen never takes over an object another manager owns "
            "(remove it from that manager first, or give dashgen another uid); apply will not write it") in diff.out
    small.grafana.reset_counts()
    applied = small.run("apply", "--yes", "--force")
    assert applied.code == 2 and small.grafana.writes() == 0
    assert applied.err == ("dashgen: error: apply refused, nothing written: dashboard small is managed by "
                           "Terraform 'desk-boards': dashgen never takes over an object another manager owns (remove "
                           "it from that manager first, or give dashgen another uid)\n")


def test_grafana_itself_refuses_a_manager_change_and_dashgen_shows_its_message(make: Callable[..., Small]) -> None:
    """Were dashgen's own check bypassed (a manager set between its read and its write), Grafana 13 answers 403
    with a Status; dashgen shows the message, never the object."""
    small = make("13.0.0")
    small.apply()
    small.edit("panels/prices.py", 'unit="none"', 'unit="percent"')

    def terraform_takes_it() -> None:
        small.grafana.store.dashboards["small"].annotations.update({MANAGED_BY: "terraform", MANAGER_ID: "tf"})

    small.grafana.before("PUT", "/apis/dashboard.grafana.app/", terraform_takes_it)
    result = small.run("apply", "--yes")
    assert result.code == 2
    line = next(line for line in result.out.splitlines() if "FAILED" in line)
    assert re.search(r"403 Cannot change resource manager kind from \"terraform\" \(identity \"tf\"\) to \"kubectl\"",
                     line), line
    assert line.endswith("(another tool manages this object in Grafana: dashgen never takes it over; remove it from "
                         "that manager)")
    assert "Status" not in line and "{" not in line


def test_prune_skips_a_tagged_board_another_manager_owns(make: Callable[..., Small]) -> None:
    small = make("13.0.0")
    small.apply()
    small.grafana.apis.create_dashboards("v1", {"metadata": {"name": "theirs", "annotations": {
        MANAGED_BY: "repo", MANAGER_ID: "git-sync", "grafana.app/folder": "small-folder"}},
        "spec": {"title": "Theirs", "tags": ["managed-by-dashgen"]}}, {})
    result = small.run("apply", "--yes", "--prune")
    assert result.code == 0 and "theirs" in small.grafana.store.dashboards and small.grafana.writes() == 0
    assert "= dashboard theirs (Theirs): unchanged\n  ! managed by Git Sync repository 'git-sync'" in result.out


def test_prune_skips_an_unmarked_copy_of_dashgens_board_that_kept_its_tags(make: Callable[..., Small]) -> None:
    """A person's "Save as" copy keeps the tags (the managed tag and the checksum) but not dashgen's manager."""
    small = make("13.0.0")
    small.apply()
    board = small.grafana.store.dashboards["small"].data
    small.grafana.apis.create_dashboards("v1", {"metadata": {"name": "copy", "annotations": {
        "grafana.app/folder": "small-folder"}}, "spec": {**board, "title": "Small Board copy"}}, {})
    result = small.run("apply", "--yes", "--prune", "--force")
    assert result.code == 0 and "copy" in small.grafana.store.dashboards and small.grafana.writes() == 0
    assert ("  ! not marked as dashgen's (no grafana.app/managerId) and changed since dashgen wrote it: not pruned"
            in result.out.splitlines())


def test_prune_does_not_delete_a_board_changed_between_read_and_delete(make: Callable[..., Small]) -> None:
    small = make("13.0.0")
    small.apply()
    small.edit("dashgen.yaml", "  uid: small\n", "  uid: renamed\n")
    stored = small.grafana.store.dashboards["small"]
    small.grafana.before("DELETE", "/apis/dashboard.grafana.app/", lambda: small.grafana.apis.update_dashboards(
        "v1", "small", {"metadata": {"name": "small", "annotations": {
            **stored.annotations, "grafana.app/folder": "small-folder"}},
            "spec": {**stored.data, "refresh": "1m"}}, {}))
    result = small.run("apply", "--yes", "--prune")
    assert result.code == 2 and "small" in small.grafana.store.dashboards
    assert re.search(r"FAILED  delete dashboard small .*409 .*Precondition failed", result.out), result.out

@pytest.mark.parametrize(("version", "deletes"), [
    ("11.6.0", ["/api/dashboards/uid/small", "/api/folders/small-folder"]),
    ("12.2.0", ["/apis/dashboard.grafana.app/v1beta1/namespaces/default/dashboards/small",
                "/apis/folder.grafana.app/v1beta1/namespaces/default/folders/small-folder"]),
    ("13.0.0", ["/apis/dashboard.grafana.app/v1/namespaces/default/dashboards/small",
                "/apis/folder.grafana.app/v1/namespaces/default/folders/small-folder"]),
])
def test_prune_deletes_dashgens_dropped_board_and_empty_folder_on_every_version(
        make: Callable[..., Small], version: str, deletes: list[str]) -> None:
    small = make(version)
    small.apply()
    small.edit("dashgen.yaml", "  uid: small\n", "  uid: renamed\n")
    small.edit("dashgen.yaml", "folder: {uid: small-folder, title: Small}", "folder: {uid: other, title: Other}")
    assert small.run("apply", "--yes").code == 0  # without --prune nothing is deleted
    assert set(small.grafana.store.dashboards) == {"small", "renamed"}
    small.grafana.reset_counts()
    result = small.run("apply", "--yes", "--prune")
    assert result.code == 0, result.out + result.err
    assert set(small.grafana.store.dashboards) == {"renamed"} and set(small.grafana.store.folders) == {"other"}
    assert [p for m, p in small.grafana.write_log() if m == "DELETE"] == deletes
    assert small.run("apply", "--yes", "--prune").out.splitlines()[-1] == "nothing to apply"


# ----------------------------------------------------------------------------------- concurrency, errors
@pytest.mark.parametrize("version", ["12.2.0", "13.0.0"])
def test_a_change_between_read_and_write_is_a_409_conflict_and_nothing_is_overwritten(
        make: Callable[..., Small], version: str) -> None:
    small = make(version, allow_ui_edits=True)
    small.apply()
    small.edit("panels/prices.py", 'unit="none"', 'unit="percent"')
    small.grafana.before("PUT", "/apis/dashboard.grafana.app/",
                         lambda: small.grafana.apis._write_dashboard(
                             small.grafana.store.dashboards["small"], "v1beta1" if version < "13" else "v1",
                             {"annotations": {**small.notes(), "grafana.app/folder": "small-folder"}},
                             {**small.grafana.store.dashboards["small"].data, "refresh": "1m"}, user="bob"))
    result = small.run("apply", "--yes")
    assert result.code == 2
    assert re.search(r"FAILED  change dashboard small \(Small Board\): PUT /apis/dashboard\.grafana\.app/\S+: 409 "
                     r"Operation cannot be fulfilled on dashboards\.dashboard\.grafana\.app \"small\": the object has "
                     r"been modified; please apply your changes to the latest version and try again \(someone changed "
                     r"it in Grafana since dashgen read it", result.out), result.out
    assert small.grafana.store.dashboards["small"].data["refresh"] == "1m"


def test_a_login_page_on_the_app_platform_is_exit_2_and_nothing_is_written(make: Callable[..., Small]) -> None:
    small = make("13.0.0")
    small.grafana.inject(path="/apis/", status=200, times=100, body="<html><title>Sign in</title></html>")
    result = small.run("apply", "--yes")
    assert result.code == 2 and small.grafana.writes() == 0
    assert re.fullmatch(r"dashgen: error: GET \S+/apis/(dashboard|folder)\.grafana\.app/v1/namespaces/default/"
                        r"\w+/small\S*: 200 expected JSON from Grafana, got text/html: 'Sign in' \(.*\)\n",
                        result.err), result.err


def test_the_token_is_redacted_from_app_platform_errors_that_echo_headers(make: Callable[..., Small]) -> None:
    small = make("13.0.0")
    small.grafana.echo_headers = True
    small.grafana.inject(path="/apis/folder.grafana.app/", method="POST", status=500,
                         body={"kind": "Status", "status": "Failure", "code": 500, "message": "boom"})
    result = small.run("apply", "--yes")
    assert result.code == 2 and "request headers" in result.out
    assert TOKEN not in result.out + result.err and "Bearer [REDACTED]" in result.out


# ------------------------------------------------------------------------------------------ v2 boards
def one_client_row(spec: dict[str, Any]) -> None:
    """The person's change: the Orders row shown only for client acme (a v2-only feature)."""
    set_row_condition(spec, "Orders", "client", "acme")


@pytest.fixture
def v2_board(make: Callable[..., Small]) -> Small:
    small = make("13.0.0", allow_ui_edits=True)
    small.apply()
    small.grafana.ui_edit("small", None, user="alice", v2_change=one_client_row)
    assert small.grafana.store.dashboards["small"].stored_version == "v2"
    small.grafana.reset_counts()
    return small


def test_a_v2_ui_save_is_reported_as_what_it_is_without_conversion_noise(v2_board: Small) -> None:
    diff = v2_board.run("diff")
    assert diff.code == 1
    lines = diff.out.splitlines()
    assert "  ! stored in Grafana's v2 dashboard schema (v2), not the classic JSON dashgen writes: compared by rows, " \
           "panels and variables" in lines
    assert [line for line in lines if re.match(r"^  [~+-] ", line)] == ["  ~ row Orders: shown"]
    assert '-  "shown": "when $client = acme"' in diff.out and '+  "shown": "always"' in diff.out
    assert re.search(r"changed outside dashgen by user:alice .*saved in the v2 schema from Grafana's UI", diff.out)
    document = json.loads(v2_board.run("diff", "--output", "json").out)
    (board,) = [o for o in document["objects"] if o["kind"] == "dashboard"]
    assert board["stored_as"] == "v2" and board["conflict"]["by"] == "user:alice"


def test_apply_refuses_a_v2_board_without_force_and_the_backup_holds_it_as_stored(v2_board: Small) -> None:
    refused = v2_board.run("apply", "--yes")
    assert refused.code == 1 and v2_board.grafana.writes() == 0 and "--force" in refused.err
    stored_v2 = v2_board.grafana.store.dashboards["small"].data
    forced = v2_board.run("apply", "--yes", "--force")
    assert forced.code == 0, forced.out + forced.err
    (backup,) = (v2_board.root / ".dashgen").rglob("dashboard/small.json")
    saved = json.loads(backup.read_text())
    assert saved["apiVersion"] == "dashboard.grafana.app/v2" and saved["spec"] == stored_v2
    assert "conditionalRendering" in backup.read_text()
    assert v2_board.grafana.store.dashboards["small"].stored_version == "v1"
    assert v2_board.run("diff").code == 0


def test_a_v2_ui_save_that_changes_nothing_is_no_change_until_the_code_changes(make: Callable[..., Small]) -> None:
    small = make("13.0.0", allow_ui_edits=True)
    small.apply()
    small.grafana.ui_edit("small", None, user="alice")
    assert small.grafana.store.dashboards["small"].stored_version == "v2"
    diff = small.run("diff")
    assert diff.code == 0, diff.out
    assert "  ! stored in Grafana's v2 dashboard schema" in diff.out
    small.edit("panels/prices.py", 'unit="none"', 'unit="percent"')
    changed = small.run("diff")
    assert changed.code == 1
    assert [line for line in changed.out.splitlines() if re.match(r"^  [~+-] ", line)] == \
        ["  ~ panel Prices / Mid: defaults.unit", "  ~ settings manager annotations: grafana.app/sourceChecksum"]
    blocked = small.run("apply", "--yes")
    assert blocked.code == 1 and "--force" in blocked.err  # writing it would replace its v2 layout


def test_pull_writes_a_v2_board_as_stored(v2_board: Small) -> None:
    result = v2_board.run("pull", "--out-dir", str(v2_board.root / "pulled"))
    assert result.code == 0
    pulled = json.loads((v2_board.root / "pulled/dashboards/small.json").read_text())
    assert pulled["layout"]["kind"] == "RowsLayout" and "elements" in pulled and pulled["uid"] == "small"
    assert "id" not in pulled and "panels" not in pulled


def test_the_legacy_api_on_12_answers_406_for_a_v2_board_and_dashgen_says_what_to_do(
        make: Callable[..., Small]) -> None:
    small = make("12.2.0", allow_ui_edits=True, new_layouts=True)
    small.apply()
    small.grafana.ui_edit("small", None, v2_change=one_client_row)
    assert small.grafana.store.dashboards["small"].stored_version == "v2beta1"
    assert small.run("diff").code == 1  # auto: through /apis, read as stored
    small.edit("dashgen.yaml", "    retries:", "    api: legacy\n    retries:")
    result = small.run("diff")
    assert result.code == 2
    assert result.err == ("dashgen: error: dashboard small is stored in the v2 schema, which Grafana's legacy API does "
                          "not serve: set `api: auto` (or apis) for this environment\n")


def test_a_ui_edit_on_12_is_told_as_one_and_by_whom(make: Callable[..., Small]) -> None:
    small = make("12.2.0", allow_ui_edits=True)
    small.apply()
    small.grafana.ui_edit("small", lambda board: board.update(refresh="5s"), user="trader")
    assert small.grafana.store.dashboards["small"].stored_version == "v1beta1"  # 12 keeps the classic schema
    diff = small.run("diff")
    assert diff.code == 1
    assert ("  ! changed outside dashgen by user:trader (last saved 2026-11-23T00:00:03Z): its content differs from "
            "what dashgen wrote; last saved from Grafana's UI (Grafana v12.2.0 (0000000))") in diff.out.splitlines()


def test_others_annotations_and_labels_survive_dashgens_writes(make: Callable[..., Small]) -> None:
    small = make("13.0.0")
    small.apply()
    for stored in (small.grafana.store.dashboards["small"], small.grafana.store.folders["small-folder"]):
        stored.annotations["example.com/owner"] = "desk-team"
        stored.labels["team"] = "trading"
    small.edit("panels/prices.py", 'unit="none"', 'unit="percent"')
    small.edit("dashgen.yaml", "title: Small}", "title: Small desk}")
    small.apply()
    assert small.grafana.store.folders["small-folder"].title == "Small desk"
    for stored in (small.grafana.store.dashboards["small"], small.grafana.store.folders["small-folder"]):
        assert stored.annotations["example.com/owner"] == "desk-team" and stored.labels == {"team": "trading"}
    assert small.notes()[MANAGER_ID] == "dashgen"


def test_a_board_grafana_could_not_convert_is_left_alone(make: Callable[..., Small]) -> None:
    small = make("13.0.0")
    small.apply()
    answer = small.grafana.apis.dashboard_object(small.grafana.store.dashboards["small"], "v1")
    answer["status"] = {"conversion": {"failed": True, "storedVersion": "v2", "error": "data loss detected"}}
    answer["spec"] = {"title": ""}
    small.grafana.inject(path="/apis/dashboard.grafana.app/v1/namespaces/default/dashboards/small", method="GET",
                         status=200, body=answer, times=5)
    result = small.run("apply", "--yes", "--force")
    assert result.code == 2 and small.grafana.writes() == 0
    assert result.err == ("dashgen: error: dashboard small: Grafana could not convert it from v2 (data loss "
                          "detected): dashgen cannot read it, so it writes nothing; fix or delete the board in "
                          "Grafana\n")
