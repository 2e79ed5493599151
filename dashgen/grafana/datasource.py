"""Asking the environment's Prometheus datasource through Grafana's datasource proxy
(`/api/datasources/proxy/uid/<uid>/<Prometheus API path>`): the environment's token is enough, Grafana adds the
datasource's own credentials. The service account needs `datasources:query` on it."""

from __future__ import annotations

from urllib.parse import quote

from dashgen.errors import DashgenError
from dashgen.grafana.client import GrafanaClient
from dashgen.grafana.errors import GrafanaError


def label_values(client: GrafanaClient, datasource_uid: str, label: str) -> frozenset[str]:
    """Every value of `label` the datasource holds (Prometheus' /api/v1/label/<label>/values)."""
    path = f"/api/datasources/proxy/uid/{quote(datasource_uid, safe='')}/api/v1/label/{quote(label, safe='')}/values"
    try:
        body = client.get(path)
    except GrafanaError as exc:
        if exc.status == 404:
            raise DashgenError(f"Grafana has no datasource with uid {datasource_uid!r} (GET {path}: 404)") from None
        raise
    data = body.get("data")
    if body.get("status") != "success" or not isinstance(data, list):
        raise DashgenError(f"datasource {datasource_uid!r} did not answer as Prometheus does (GET {path}: no "
                           "`status: success` with a list of values): is it a Prometheus datasource?")
    return frozenset(str(value) for value in data)
