"""The API under test: the double in three version modes, and a real Grafana when
DASHGEN_TEST_GRAFANA_URL and DASHGEN_TEST_GRAFANA_TOKEN are set (skipped, with that reason, otherwise)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from dashgen.grafana.client import GrafanaClient
from dashgen.grafana.settings import ClientSettings, Credentials

from ..grafana_double import TOKEN, GrafanaDouble

REAL_URL = os.environ.get("DASHGEN_TEST_GRAFANA_URL")
REAL_TOKEN = os.environ.get("DASHGEN_TEST_GRAFANA_TOKEN")


@dataclass
class Api:
    client: GrafanaClient
    prefix: str  # every uid a test creates starts with it, and is cleaned up
    double: GrafanaDouble | None

    def uid(self, name: str) -> str:
        return f"{self.prefix}-{name}"[:40]


def _client(url: str, token: str) -> GrafanaClient:
    return GrafanaClient(ClientSettings(env_name="contract", base_url=url.rstrip("/"), org_id=1,
                                        credentials=Credentials("$DASHGEN_TEST_GRAFANA_TOKEN", token=token),
                                        verify=True, connect_timeout_s=5, read_timeout_s=30, attempts=3,
                                        backoff_s=0.2, max_wait_s=5))


@pytest.fixture(params=["double-11.2.0", "double-11.6.0", "double-12.2.0", "double-13.0.0", "real"])
def api(request: pytest.FixtureRequest) -> Iterator[Api]:
    prefix = f"dgc-{uuid.uuid4().hex[:8]}"
    if request.param == "real":
        if not (REAL_URL and REAL_TOKEN):
            pytest.skip("set DASHGEN_TEST_GRAFANA_URL and DASHGEN_TEST_GRAFANA_TOKEN to run against a real Grafana")
        api = Api(_client(REAL_URL, REAL_TOKEN), prefix, None)
        yield api
        _cleanup(api)
        return
    with GrafanaDouble(version=request.param.split("-", 1)[1]) as double:
        yield Api(_client(double.url, TOKEN), prefix, double)


def _cleanup(api: Api) -> None:
    for hit in api.client.paged("/api/search", {"query": api.prefix, "type": "dash-db"}):
        if hit["uid"].startswith(api.prefix):
            api.client.request("DELETE", f"/api/dashboards/uid/{hit['uid']}", expected=(200, 404))
    for folder in api.client.paged("/api/folders", {}, limit=1000):
        if folder["uid"].startswith(api.prefix):
            api.client.request("DELETE", f"/api/folders/{folder['uid']}", expected=(200, 404))
