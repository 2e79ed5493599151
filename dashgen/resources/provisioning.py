"""What the alerting provisioning handlers share: the API prefix, provenance, secrets, durations."""

from __future__ import annotations

import re
from typing import Any

from dashgen.errors import DashgenError
from dashgen.grafana.client import GrafanaClient, Response
from dashgen.grafana.errors import GrafanaError
from dashgen.managed import MANAGED_PREFIX
from dashgen.resources.base import WriteContext

API = "/api/v1/provisioning"
REDACTED = "[REDACTED]"
PROVENANCE_FIX = ("it was written with provenance 'api' (alerting.provenance: locked, or another provisioning "
                  "tool), and Grafana only lets it be written that way again: set alerting.provenance: locked in "
                  "dashgen.yaml, or delete it in Grafana so dashgen recreates it")


def listed(client: GrafanaClient, path: str) -> list[dict[str, Any]]:
    """A provisioning list endpoint (contact points, mute timings, templates)."""
    return list(client.get(API + path) or [])


def managed(client: GrafanaClient, path: str, key: str) -> set[str]:
    """The `key` of every listed object dashgen owns (named `dashgen-...`)."""
    return {str(item[key]) for item in listed(client, path) if str(item.get(key, "")).startswith(MANAGED_PREFIX)}


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


_GO_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def canonical_duration(text: str) -> str:
    """"1m0s", "60s" and "1m" are the same `for`: the shortest unit that states it exactly."""
    match = _GO_DURATION.match(text or "0s")
    if not match or not text:
        return text
    seconds = int(match.group(1) or 0) * 3600 + int(match.group(2) or 0) * 60 + int(match.group(3) or 0)
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
