"""One typed error for every failed Grafana request, with a one-line message and a hint where one is known."""

from __future__ import annotations

import re
from typing import Any

from dashgen.errors import DashgenError

CONFLICT_STATUSES = (409, 412)  # Grafana 13 answers a version mismatch with 409 where 10-12 use 412


class GrafanaError(DashgenError):
    def __init__(
        self,
        method: str,
        path: str,
        status: int | None,
        message: str,
        *,
        body: Any = None,
        hint: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.grafana_message = message
        self.body = body if isinstance(body, dict) else {}
        self.hint = hint
        status_text = f"{status} " if status is not None else ""
        text = f"{method} {path}: {status_text}{message}"
        super().__init__(f"{text} ({hint})" if hint else text)

    @property
    def grafana_status(self) -> str:
        """The dashboard API's `status` field (version-mismatch, name-exists, plugin-dashboard, ...)."""
        return str(self.body.get("status", ""))

    @property
    def is_conflict(self) -> bool:
        return self.status in CONFLICT_STATUSES


def hint_for(status: int, body: dict[str, Any], message: str, credentials: str) -> str | None:
    """What to do next, from the status and the message only (other error fields vary between versions)."""
    if status == 401:
        lowered = message.lower()
        if "expired" in lowered or body.get("messageId") == "api-key.expired":
            return f"the token in {credentials} has expired: create a new service-account token"
        if "organization" in lowered or body.get("messageId") == "api-key.organization-mismatch":
            return f"the token in {credentials} belongs to another organisation than org_id"
        return f"check the token in {credentials}"
    if status == 403 and re.search(r"resource manager|managed by", message, re.IGNORECASE):
        return "another tool manages this object in Grafana: dashgen never takes it over; remove it from that manager"
    if status == 403:
        needed = re.search(r"Permissions needed:\s*(.+)$", message)
        if needed:
            return f"the service account needs the permission {needed.group(1).strip()}"
        return "the service account lacks a permission: give it the Editor role or the dashboard/folder actions"
    if status in CONFLICT_STATUSES:
        return "someone changed it in Grafana since dashgen read it: run `dashgen diff` and apply again"
    if status >= 500:
        return "Grafana failed; its server log has the details"
    return None
