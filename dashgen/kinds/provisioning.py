"""What the alerting provisioning kinds share: the API prefix, listing, provenance, secrets."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from dashgen.errors import DashgenError
from dashgen.grafana.errors import GrafanaError
from dashgen.kinds.base import WriteContext
from dashgen.managed import MANAGED_PREFIX

API = "/api/v1/provisioning"
REDACTED = "[REDACTED]"
PROVENANCE_FIX = ("it was written with provenance 'api' (alerting.provenance: locked, or another provisioning "
                  "tool), and Grafana only lets it be written that way again: set alerting.provenance: locked in "
                  "dashgen.yaml, or delete it in Grafana so dashgen recreates it")

if TYPE_CHECKING:
    from dashgen.alerting.compile import CompiledAlerting
    from dashgen.grafana.client import GrafanaClient, Response
    from dashgen.project import CompiledProject


def alerting_of(compiled: CompiledProject) -> CompiledAlerting:
    """The compiled alerting objects: the alerting kinds are registered only for projects that have them."""
    assert compiled.alerting is not None, "alerting kinds are used only in projects with alerts/"
    return compiled.alerting


def listed(client: GrafanaClient, path: str) -> list[dict[str, Any]]:
    """A provisioning list endpoint (contact points, mute timings, templates): a JSON list of objects."""
    items = client.get(API + path, shape=list)
    return [item for item in items if isinstance(item, dict)]


def is_ours(name: Any) -> bool:
    return str(name or "").startswith(MANAGED_PREFIX)


def send(client: GrafanaClient, method: str, path: str, context: WriteContext, *, what: str, body: Any = None,
         expected: tuple[int, ...] = (200,)) -> Response:
    """A provisioning write with dashgen's provenance header; Grafana's provenance refusals (500 in 10.x-13.0,
    409 from 13.1, 403 for policies, templates and mute timings) become one clear error naming the object."""
    try:
        return client.request(method, API + path, body=body, headers=context.headers, expected=expected)
    except GrafanaError as exc:
        if "provenance" in exc.grafana_message.lower():
            raise DashgenError(f"{what}: Grafana refused to change its provenance: {PROVENANCE_FIX}") from None
        raise


def check_provenance(what: str, live_provenance: str | None, context: WriteContext) -> None:
    """Refuse before writing anything when the write would flip provenance from 'api'."""
    if live_provenance == "api" and "X-Disable-Provenance" in context.headers:
        raise DashgenError(f"{what}: alerting.provenance is editable, but {PROVENANCE_FIX}")


def fill_secrets(value: Any, secrets: dict[str, str], what: str) -> Any:
    """`${VAR}` placeholders in contact point settings -> the variable's value, at write time only."""
    if isinstance(value, dict):
        return {k: fill_secrets(v, secrets, what) for k, v in value.items()}
    if isinstance(value, str) and re.fullmatch(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}", value):
        name = value[2:-1]
        if name not in secrets:
            raise DashgenError(f"{what}: ${name} is not set: export the secret in it")
        return secrets[name]
    return value


def compact(value: Any) -> Any:
    """Without empty and default-valued fields (None, false, "", [], {}), recursively: Grafana's Go structs
    encode them with `omitempty`, so what comes back lacks them."""
    if isinstance(value, dict):
        out = {k: compact(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if not _empty(v)}
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)
