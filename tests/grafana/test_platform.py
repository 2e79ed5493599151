"""Choosing between the app-platform API and the legacy API, from discovery answers (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from dashgen.errors import DashgenError
from dashgen.grafana.platform import choose, namespace_of, served_versions


def group_list(**groups: list[str]) -> dict[str, Any]:
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
        {"name": name.replace("_", "."), "versions": [{"groupVersion": f"{name}/{v}", "version": v} for v in versions],
         "preferredVersion": {"version": versions[0]}} for name, versions in groups.items()]}


GRAFANA_11_6 = group_list(dashboard_grafana_app=["v0alpha1", "v1alpha1", "v2alpha1"], folder_grafana_app=["v0alpha1"])
GRAFANA_12 = group_list(dashboard_grafana_app=["v1beta1", "v0alpha1", "v2beta1", "v2alpha1"],
                        folder_grafana_app=["v1beta1"])
GRAFANA_13 = group_list(dashboard_grafana_app=["v2", "v2beta1", "v2alpha1", "v0alpha1", "v1", "v1beta1"],
                        folder_grafana_app=["v1", "v1beta1"])


@pytest.mark.parametrize(("groups", "api", "dashboards", "folders"), [
    (GRAFANA_11_6, "legacy", "", ""),
    (GRAFANA_12, "apis", "v1beta1", "v1beta1"),
    (GRAFANA_13, "apis", "v1", "v1"),  # v1 even though v2 is preferred: dashgen writes the classic schema
])
def test_auto_takes_the_app_platform_at_a_stable_version_only(groups: dict[str, Any], api: str, dashboards: str,
                                                              folders: str) -> None:
    chosen = choose("auto", served_versions(groups), "x")
    assert (chosen.api, chosen.dashboard_version, chosen.folder_version) == (api, dashboards, folders)


def test_dashboards_without_folders_at_a_stable_version_stay_on_the_legacy_api() -> None:
    only_dashboards = group_list(dashboard_grafana_app=["v1beta1"], folder_grafana_app=["v0alpha1"])
    chosen = choose("auto", served_versions(only_dashboards), "12.0.0")
    assert chosen.api == "legacy" and "folder.grafana.app" in chosen.reason


def test_no_apis_at_all_is_the_legacy_api() -> None:
    assert choose("auto", None, "10.4.0").api == "legacy"


def test_forcing_the_app_platform_where_it_is_not_served_is_an_error_that_says_what_to_do() -> None:
    with pytest.raises(DashgenError, match=r"api: apis is set.*11\.6\.0 does not serve dashboard\.grafana"):
        choose("apis", served_versions(GRAFANA_11_6), "11.6.0")


def test_forcing_the_legacy_api_needs_no_discovery() -> None:
    assert choose("legacy", None, None).api == "legacy"
    assert choose("legacy", served_versions(GRAFANA_13), "13.0.0").api == "legacy"


def test_an_answer_that_is_not_discovery_is_refused() -> None:
    for answer in ({"groups": []}, [], {"kind": "APIGroupList", "groups": None}, "<html>"):
        with pytest.raises(DashgenError, match="not Kubernetes API discovery"):
            served_versions(answer)


@pytest.mark.parametrize(("settings", "namespace"), [
    ({"namespace": "default"}, "default"), ({"namespace": "org-3"}, "org-3"),
    ({"namespace": "stacks-1234"}, "stacks-1234"),  # Grafana Cloud: the stack, whatever the org
])
def test_the_namespace_comes_from_frontend_settings(settings: dict[str, Any], namespace: str) -> None:
    assert namespace_of(settings) == namespace


@pytest.mark.parametrize("settings", [{}, {"namespace": ""}, {"namespace": "../../x"}, {"namespace": 1}, "<html>"])
def test_an_answer_without_a_namespace_is_not_grafanas(settings: Any) -> None:
    with pytest.raises(DashgenError, match="no Kubernetes namespace"):
        namespace_of(settings)


def test_a_12_or_13_whose_apis_is_404_is_a_proxy_problem_not_the_legacy_api() -> None:
    with pytest.raises(DashgenError, match=r"GET /apis answered 404: is a proxy .* set api: legacy"):
        choose("auto", None, "13.0.1", (13, 0, 1))
    assert choose("auto", None, "11.6.0", (11, 6, 0)).api == "legacy"
    assert choose("legacy", None, "13.0.1", (13, 0, 1)).api == "legacy"


def test_paths_name_group_version_namespace_and_resource() -> None:
    chosen = choose("auto", served_versions(GRAFANA_13), "13.0.0")
    chosen = type(chosen)(**{**chosen.__dict__, "namespace": "org-2"})
    assert chosen.dashboards("mm-desk") == "/apis/dashboard.grafana.app/v1/namespaces/org-2/dashboards/mm-desk"
    assert chosen.dashboards("mm-desk", version="v2") == \
        "/apis/dashboard.grafana.app/v2/namespaces/org-2/dashboards/mm-desk"
    assert chosen.folders() == "/apis/folder.grafana.app/v1/namespaces/org-2/folders"
