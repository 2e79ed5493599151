"""The app-platform API facts dashgen relies on (../shared/grafana-api.md "Grafana 12 and 13"), through dashgen's own
client: on the double's 11.x, 12.2 and 13.0 modes, and on a real Grafana when DASHGEN_TEST_GRAFANA_URL/TOKEN are set.
On a Grafana that does not serve a stable version (11.x) only the discovery facts apply."""

from __future__ import annotations

from typing import Any

import pytest

from dashgen.grafana.apis import list_all, manager_of, notes_of
from dashgen.grafana.errors import GrafanaError
from dashgen.grafana.platform import DASHBOARD_GROUP, V2_VERSIONS, Platform

from ..grafana_double.v2 import ui_save_v2
from .conftest import Api


def platform_of(api: Api) -> Platform:
    platform = api.client.platform()
    if not platform.apis:
        pytest.skip(f"{platform.reason}: the app-platform facts do not apply")
    return platform


def dashboard(platform: Platform, uid: str, spec: dict[str, Any], **annotations: str) -> dict[str, Any]:
    return {"apiVersion": f"{DASHBOARD_GROUP}/{platform.dashboard_version}", "kind": "Dashboard",
            "metadata": {"name": uid, "annotations": annotations}, "spec": spec}


def create(api: Api, platform: Platform, uid: str, **annotations: str) -> dict[str, Any]:
    answer = api.client.request("POST", platform.dashboards(), body=dashboard(
        platform, uid, {"title": uid, "uid": "ignored", "id": 7, "version": 9, "tags": [api.uid("tag")]},
        **annotations), expected=(201,))
    body: dict[str, Any] = answer.body
    return body


def test_discovery_serves_a_stable_version_from_12_and_only_alpha_before(api: Api) -> None:
    platform = api.client.platform()
    if api.double is not None:
        assert platform.apis == (api.double.store.mode.version >= (12,))
    if platform.apis:
        assert platform.dashboard_version in ("v1", "v1beta1") and platform.folder_version in ("v1", "v1beta1")
        assert platform.namespace == "default" or platform.namespace.startswith(("org-", "stacks-"))


def test_create_is_201_and_the_object_is_kubernetes_shaped_without_id_uid_version_in_spec(api: Api) -> None:
    platform = platform_of(api)
    uid = api.uid("k8s")
    created = create(api, platform, uid)
    got = api.client.get(platform.dashboards(uid))
    assert (got["kind"], got["metadata"]["name"], got["metadata"]["namespace"]) == ("Dashboard", uid,
                                                                                      platform.namespace)
    assert isinstance(got["metadata"]["resourceVersion"], str) and got["metadata"]["generation"] >= 1
    assert not {"id", "uid", "version"} & set(got["spec"]) and got["spec"]["title"] == uid
    assert created["metadata"]["resourceVersion"] == got["metadata"]["resourceVersion"]
    with pytest.raises(GrafanaError) as again:
        create(api, platform, uid)
    assert again.value.status == 409


def test_a_stale_resource_version_is_409_and_the_current_one_saves(api: Api) -> None:
    platform = platform_of(api)
    uid = api.uid("rv")
    first = create(api, platform, uid)
    body = dashboard(platform, uid, {"title": uid, "refresh": "1m"})
    body["metadata"]["resourceVersion"] = first["metadata"]["resourceVersion"]
    saved = api.client.request("PUT", platform.dashboards(uid), body=body).body
    assert saved["metadata"]["resourceVersion"] != first["metadata"]["resourceVersion"]
    assert saved["metadata"]["generation"] == first["metadata"]["generation"] + 1
    with pytest.raises(GrafanaError) as stale:
        api.client.request("PUT", platform.dashboards(uid), body=body)  # the resourceVersion it had before
    assert stale.value.status == 409 and stale.value.is_conflict
    assert "the object has been modified" in stale.value.grafana_message


def test_errors_are_status_objects_and_dashgen_keeps_only_their_message(api: Api) -> None:
    platform = platform_of(api)
    missing = api.uid("missing")
    with pytest.raises(GrafanaError) as caught:
        api.client.get(platform.dashboards(missing))
    assert caught.value.status == 404 and caught.value.body.get("kind") == "Status"
    assert caught.value.grafana_message == f'dashboards.dashboard.grafana.app "{missing}" not found'
    assert "{" not in str(caught.value)
    assert api.client.get(platform.dashboards(missing), missing_ok=True) is None


def test_another_manager_cannot_take_a_managed_board(api: Api) -> None:
    platform = platform_of(api)
    uid = api.uid("managed")
    first = create(api, platform, uid, **{"grafana.app/managedBy": "kubectl", "grafana.app/managerId": "dashgen"})
    assert manager_of(first) is not None and manager_of(first).is_dashgen  # type: ignore[union-attr]
    body = dashboard(platform, uid, {"title": uid}, **{"grafana.app/managedBy": "terraform",
                                                       "grafana.app/managerId": "someone"})
    with pytest.raises(GrafanaError) as caught:
        api.client.request("PUT", platform.dashboards(uid), body=body)
    assert caught.value.status == 403 and "Cannot change resource manager" in caught.value.grafana_message
    assert notes_of(api.client.get(platform.dashboards(uid)))["grafana.app/managerId"] == "dashgen"


def test_folders_carry_their_parent_as_an_annotation_and_a_non_empty_one_is_not_deleted(api: Api) -> None:
    platform = platform_of(api)
    parent, child = api.uid("parent"), api.uid("child")
    for uid, notes in ((parent, {}), (child, {"grafana.app/folder": parent})):
        api.client.request("POST", platform.folders(), expected=(201,), body={
            "apiVersion": f"folder.grafana.app/{platform.folder_version}", "kind": "Folder",
            "metadata": {"name": uid, "annotations": notes}, "spec": {"title": uid}})
    assert notes_of(api.client.get(platform.folders(child)))["grafana.app/folder"] == parent
    with pytest.raises(GrafanaError) as caught:
        api.client.request("DELETE", platform.folders(parent))
    assert caught.value.status in (400, 409) and "not empty" in caught.value.grafana_message
    api.client.request("DELETE", platform.folders(child))
    api.client.request("DELETE", platform.folders(parent))
    assert api.client.get(platform.folders(parent), missing_ok=True) is None


def test_the_legacy_search_finds_app_platform_boards_by_tag_and_lists_page(api: Api) -> None:
    platform = platform_of(api)
    uids = {api.uid(f"s{i}") for i in range(3)}
    for uid in uids:
        create(api, platform, uid)
    hits = api.client.paged("/api/search", {"type": "dash-db", "tag": api.uid("tag")})
    assert {h["uid"] for h in hits} == uids
    listed = {item["metadata"]["name"] for item in list_all(api.client, platform.dashboards())}
    assert uids <= listed


def test_a_board_stored_as_v2_says_so_when_read_at_v1_and_the_legacy_api_406s_or_converts(api: Api) -> None:
    platform = platform_of(api)
    v2 = next((v for v in V2_VERSIONS if platform.serves(DASHBOARD_GROUP, v) and v != "v2alpha1"), None)
    if v2 is None:
        pytest.skip("no v2 dashboard version served")
    uid = api.uid("v2")
    classic = {"title": uid, "tags": [api.uid("tag")], "panels": [
        {"id": 1, "type": "row", "title": "Row", "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0},
         "panels": []},
        {"id": 2, "type": "stat", "title": "Stat", "gridPos": {"h": 4, "w": 8, "x": 0, "y": 1}, "targets": [
            {"refId": "A", "expr": "up", "datasource": {"type": "prometheus", "uid": "prom"}}]}]}
    api.client.request("POST", platform.dashboards(version=v2), expected=(201,), body={
        "apiVersion": f"{DASHBOARD_GROUP}/{v2}", "kind": "Dashboard", "metadata": {"name": uid},
        "spec": ui_save_v2(classic, version=v2)})
    at_v1 = api.client.get(platform.dashboards(uid))
    assert at_v1["status"]["conversion"]["storedVersion"] == v2
    assert at_v1["spec"]["title"] == uid and any(p.get("title") == "Stat" for p in at_v1["spec"]["panels"])
    legacy = api.client.request("GET", f"/api/dashboards/uid/{uid}", expected=(200, 406))
    if legacy.status == 406:  # 12.x
        assert f"/apis/dashboard.grafana.app/{v2}/namespaces/" in legacy.body["message"]
    else:  # 13.x: a down-converted classic board
        assert legacy.body["dashboard"]["title"] == uid and legacy.body["dashboard"]["schemaVersion"] >= 42
    if api.double is not None:
        assert legacy.status == (406 if api.double.store.mode.version < (13,) else 200)
