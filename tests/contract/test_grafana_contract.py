"""The parts of ../shared/grafana-api.md dashgen relies on, run through dashgen's own client.

Against the double by default; against a real Grafana too when DASHGEN_TEST_GRAFANA_URL/TOKEN are set."""

from __future__ import annotations

from typing import Any

import pytest

from dashgen.grafana.errors import CONFLICT_STATUSES, GrafanaError

from .conftest import Api


def save(api: Api, dashboard: dict[str, Any], folder: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"dashboard": {"id": None, **dashboard}, "message": "dashgen contract", **extra}
    if folder is not None:
        body["folderUid"] = folder
    answer: dict[str, Any] = api.client.request("POST", "/api/dashboards/db", body=body).body
    return answer


def test_health_is_public_and_reports_the_database(api: Api) -> None:
    info = api.client.info()
    assert info.version is None or info.version >= (10,)


def test_folder_create_is_200_and_a_second_create_of_the_uid_is_409(api: Api) -> None:
    uid = api.uid("folder")
    created = api.client.request("POST", "/api/folders", body={"uid": uid, "title": uid})
    assert created.status == 200 and created.body["uid"] == uid
    assert api.client.get(f"/api/folders/{uid}")["title"] == uid
    with pytest.raises(GrafanaError) as caught:
        api.client.request("POST", "/api/folders", body={"uid": uid, "title": uid + " again"})
    assert caught.value.status == 409
    assert api.client.get(f"/api/folders/{api.uid('nope')}", missing_ok=True) is None


def test_dashboard_versions_move_on_and_a_stale_version_is_a_conflict(api: Api) -> None:
    folder = api.uid("f")
    api.client.request("POST", "/api/folders", body={"uid": folder, "title": folder})
    uid = api.uid("dash")
    first = save(api, {"uid": uid, "title": uid}, folder)
    assert (first["status"], first["version"], first["uid"]) == ("success", 1, uid)
    second = save(api, {"uid": uid, "title": uid, "version": 1, "refresh": "1m"}, folder)
    assert second["version"] == 2
    with pytest.raises(GrafanaError) as caught:
        save(api, {"uid": uid, "title": uid, "version": 1}, folder)
    assert caught.value.status in CONFLICT_STATUSES and caught.value.is_conflict
    got = api.client.get(f"/api/dashboards/uid/{uid}")
    assert got["dashboard"]["version"] == 2 and got["dashboard"]["refresh"] == "1m"
    assert got["meta"]["folderUid"] == folder


def test_saving_without_folder_uid_moves_the_dashboard_to_the_root(api: Api) -> None:
    folder = api.uid("f")
    api.client.request("POST", "/api/folders", body={"uid": folder, "title": folder})
    uid = api.uid("moved")
    save(api, {"uid": uid, "title": uid}, folder)
    save(api, {"uid": uid, "title": uid, "version": 1})
    assert not api.client.get(f"/api/dashboards/uid/{uid}")["meta"].get("folderUid")


def test_id_and_uid_naming_two_dashboards_is_400(api: Api) -> None:
    a = save(api, {"uid": api.uid("a"), "title": api.uid("a")})
    save(api, {"uid": api.uid("b"), "title": api.uid("b")})
    with pytest.raises(GrafanaError) as caught:
        api.client.request("POST", "/api/dashboards/db", body={
            "dashboard": {"id": a["id"], "uid": api.uid("b"), "title": "x", "version": 1}, "overwrite": True})
    assert caught.value.status == 400


def test_illegal_uid_and_empty_title_are_400(api: Api) -> None:
    for dashboard in ({"uid": "bad uid!", "title": "t"}, {"uid": api.uid("empty"), "title": ""}):
        with pytest.raises(GrafanaError) as caught:
            save(api, dashboard)
        assert caught.value.status == 400


def test_search_by_tag_and_folder_fields(api: Api) -> None:
    folder = api.uid("f")
    api.client.request("POST", "/api/folders", body={"uid": folder, "title": folder})
    tag = api.uid("tag")
    save(api, {"uid": api.uid("in"), "title": api.uid("in"), "tags": [tag]}, folder)
    save(api, {"uid": api.uid("root"), "title": api.uid("root"), "tags": [tag]})
    save(api, {"uid": api.uid("untagged"), "title": api.uid("untagged")}, folder)
    hits = {h["uid"]: h for h in api.client.paged("/api/search", {"type": "dash-db", "tag": tag})}
    assert set(hits) == {api.uid("in"), api.uid("root")}
    assert hits[api.uid("in")]["folderUid"] == folder and "folderUid" not in hits[api.uid("root")]
    in_folder = api.client.paged("/api/search", {"type": "dash-db", "folderUIDs": folder})
    assert {h["uid"] for h in in_folder} == {api.uid("in"), api.uid("untagged")}


def test_versions_rewrite_the_first_message_to_initial_save_in_either_shape(api: Api) -> None:
    """pkg/api/dashboard.go GetDashboardVersions: version 1 reads "Initial save" whatever was saved, which is why
    dashgen never decides "edited outside dashgen" from version messages."""
    uid = api.uid("versions")
    save(api, {"uid": uid, "title": uid})
    answer = api.client.get(f"/api/dashboards/uid/{uid}/versions", params={"limit": 1}, shape=object)
    items = answer["versions"] if isinstance(answer, dict) else answer
    assert items[0]["message"] == "Initial save" and items[0]["version"] == 1
    if api.double is not None:
        assert isinstance(answer, dict) == (api.double.store.mode.version >= (11, 6))


def test_missing_dashboard_is_404_and_delete_answers_200(api: Api) -> None:
    with pytest.raises(GrafanaError) as caught:
        api.client.get(f"/api/dashboards/uid/{api.uid('missing')}")
    assert caught.value.status == 404 and caught.value.grafana_message == "Dashboard not found"
    uid = api.uid("deleted")
    save(api, {"uid": uid, "title": uid})
    answer = api.client.request("DELETE", f"/api/dashboards/uid/{uid}").body
    assert answer["title"] == uid and "deleted" in answer["message"]
    assert api.client.get(f"/api/dashboards/uid/{uid}", missing_ok=True) is None


def test_deleting_a_folder_deletes_what_it_holds(api: Api) -> None:
    folder = api.uid("doomed")
    api.client.request("POST", "/api/folders", body={"uid": folder, "title": folder})
    save(api, {"uid": api.uid("inside"), "title": api.uid("inside")}, folder)
    api.client.request("DELETE", f"/api/folders/{folder}")
    assert api.client.get(f"/api/dashboards/uid/{api.uid('inside')}", missing_ok=True) is None
