"""Which API dashboards and folders go through: the app-platform `/apis` (Grafana 12+) or the legacy `/api`.

Discovery is two reads: `GET /apis` (an APIGroupList: which groups and versions the server serves) and, when
the app platform is chosen, `GET /api/frontend/settings` (its `namespace`: org 1 `default`, org N `org-N`,
Grafana Cloud `stacks-<id>`). The app platform is chosen when both `dashboard.grafana.app` and
`folder.grafana.app` are served at a stable version (v1 on 13.x, v1beta1 on 12.x); 11.6 serves only alpha
versions, so it stays on the legacy API. An environment can force either (`api: apis|legacy`).

Choosing is pure (`choose`); the client does the two reads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from dashgen.errors import DashgenError

DASHBOARD_GROUP = "dashboard.grafana.app"
FOLDER_GROUP = "folder.grafana.app"
STABLE = ("v1", "v1beta1")  # in order of preference; alpha versions change without notice
V2_VERSIONS = ("v2", "v2beta1", "v2alpha1")  # the dashboard schema v2 versions, newest first

Flavour = Literal["apis", "legacy"]


@dataclass(frozen=True)
class Platform:
    api: Flavour
    reason: str  # one line: why this API (shown by diff/apply)
    namespace: str = ""
    dashboard_version: str = ""  # e.g. "v1" (13.x) or "v1beta1" (12.x)
    folder_version: str = ""
    served: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # group -> versions served

    @property
    def apis(self) -> bool:
        return self.api == "apis"

    def describe(self) -> str:
        if self.apis:
            return (f"the app-platform API ({DASHBOARD_GROUP}/{self.dashboard_version}, "
                    f"{FOLDER_GROUP}/{self.folder_version}, namespace {self.namespace})")
        return "the legacy API (/api)" + (", as the environment sets (api: legacy)" if self is LEGACY_ONLY else "")

    def serves(self, group: str, version: str) -> bool:
        return version in self.served.get(group, ())

    def path(self, group: str, version: str, resource: str, name: str = "") -> str:
        base = f"/apis/{group}/{version}/namespaces/{self.namespace}/{resource}"
        return f"{base}/{name}" if name else base

    def dashboards(self, name: str = "", version: str = "") -> str:
        return self.path(DASHBOARD_GROUP, version or self.dashboard_version, "dashboards", name)

    def folders(self, name: str = "") -> str:
        return self.path(FOLDER_GROUP, self.folder_version, "folders", name)


LEGACY_ONLY = Platform("legacy", "api: legacy in the environment")


def served_versions(groups: Any) -> dict[str, tuple[str, ...]]:
    """group -> served versions, from an APIGroupList (`GET /apis`); a DashgenError when it is not one."""
    if not isinstance(groups, dict) or groups.get("kind") != "APIGroupList" or not isinstance(
            groups.get("groups"), list):
        raise DashgenError("GET /apis: the answer is not Kubernetes API discovery (an APIGroupList): "
                           "is a proxy in front of Grafana? nothing was written")
    found: dict[str, tuple[str, ...]] = {}
    for group in groups["groups"]:
        if isinstance(group, dict) and isinstance(group.get("name"), str):
            versions = group.get("versions")
            found[group["name"]] = tuple(str(v.get("version")) for v in versions if isinstance(v, dict)) \
                if isinstance(versions, list) else ()
    return found


NAMESPACE = re.compile(r"^(default|org-\d+|stacks?-[A-Za-z0-9-]+)$")


def namespace_of(frontend_settings: Any) -> str:
    """`namespace` from /api/frontend/settings (served since 10.3): `default`, `org-N`, or `stacks-N` on Grafana
    Cloud. A server that serves the app platform and does not say is not answering as Grafana."""
    value = frontend_settings.get("namespace") if isinstance(frontend_settings, dict) else None
    if not isinstance(value, str) or not NAMESPACE.match(value):
        raise DashgenError(f"GET /api/frontend/settings: no Kubernetes namespace in the answer (got {value!r:.40}): "
                           "is a proxy in front of Grafana? nothing was written")
    return value


def stable_version(served: Mapping[str, tuple[str, ...]], group: str) -> str | None:
    return next((v for v in STABLE if v in served.get(group, ())), None)


def choose(forced: str, served: Mapping[str, tuple[str, ...]] | None, version_text: str | None,
           version: tuple[int, ...] | None = None) -> Platform:
    """The API to use, before the namespace is known. `served` None: the server answered 404 for /apis."""
    if forced == "legacy":
        return LEGACY_ONLY
    if served is None and version is not None and version >= (12,):
        raise DashgenError(f"Grafana {version_text} serves the app-platform API, but GET /apis answered 404: is a "
                           "proxy in front of Grafana not forwarding /apis? Forward it, or set api: legacy for this "
                           "environment knowingly (see docs/apply.md: Grafana 11.6, 12 and 13)")
    served = served or {}
    dashboard, folder = stable_version(served, DASHBOARD_GROUP), stable_version(served, FOLDER_GROUP)
    if dashboard and folder:
        return Platform("apis", f"app-platform API (/apis): {DASHBOARD_GROUP}/{dashboard}, {FOLDER_GROUP}/{folder}",
                        dashboard_version=dashboard, folder_version=folder, served=dict(served))
    grafana = f"Grafana {version_text}" if version_text else "this Grafana"
    missing = " and ".join(f"{g} v1/v1beta1" for g, v in ((DASHBOARD_GROUP, dashboard), (FOLDER_GROUP, folder))
                           if not v)
    if forced == "apis":
        raise DashgenError(f"api: apis is set for this environment, but {grafana} does not serve {missing}: "
                           "use api: auto or legacy (Grafana 12+ serves it)")
    return Platform("legacy", f"legacy API (/api): {grafana} does not serve {missing}", served=dict(served))
