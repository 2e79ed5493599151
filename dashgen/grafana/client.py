"""The Grafana HTTP client: auth and org headers, timeouts, retries with backoff, typed errors.

Retries: connection errors, timeouts, 502, 503 and 504 only for idempotent methods (GET, PUT, DELETE);
429 for any method (Grafana refused the request unprocessed), honouring Retry-After. Waits grow
exponentially from `backoff_s` with full jitter, capped at `max_wait_s`.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from dashgen import __version__
from dashgen.grafana.errors import GrafanaError, hint_for
from dashgen.grafana.settings import ClientSettings

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({502, 503, 504})


@dataclass(frozen=True)
class Response:
    status: int
    body: Any  # parsed JSON, or None when the body is empty or not JSON
    text: str


@dataclass(frozen=True)
class GrafanaInfo:
    version: tuple[int, ...] | None  # None when the server hides it
    version_text: str | None


def parse_version(text: str | None) -> tuple[int, ...] | None:
    if not text:
        return None
    numbers = []
    for part in text.split("-")[0].split("."):
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers) or None


class GrafanaClient:
    def __init__(
        self,
        settings: ClientSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._on_retry = on_retry
        self._local = threading.local()
        self._info: GrafanaInfo | None = None

    # -- sessions: one per thread, so the bounded apply pool can share a client
    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update(
                {
                    "Accept": "application/json",
                    "User-Agent": f"dashgen/{__version__}",
                    "X-Grafana-Org-Id": str(self.settings.org_id),
                }
            )
            credentials = self.settings.credentials
            if credentials.token is not None:
                session.headers["Authorization"] = f"Bearer {credentials.token}"
            elif credentials.basic is not None:
                session.auth = credentials.basic
            session.verify = self.settings.verify
            self._local.session = session
        return session

    def info(self) -> GrafanaInfo:
        """GET /api/health once; the version decides the few behaviours that differ between releases."""
        if self._info is None:
            response = self.request("GET", "/api/health", expected=(200, 503))
            body = response.body if isinstance(response.body, dict) else {}
            if response.status == 503 or body.get("database") not in (None, "ok"):
                raise GrafanaError("GET", "/api/health", response.status, "Grafana reports its database failing",
                                   hint="wait for Grafana to recover, then run again")
            version_text = body.get("version")
            self._info = GrafanaInfo(version=parse_version(version_text), version_text=version_text)
        return self._info

    def get(self, path: str, *, params: Mapping[str, Any] | None = None, missing_ok: bool = False) -> Any:
        response = self.request("GET", path, params=params, expected=(200,), missing_ok=missing_ok)
        return None if response.status == 404 else response.body

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        expected: tuple[int, ...] = (200,),
        missing_ok: bool = False,
    ) -> Response:
        url = self.settings.base_url + path
        idempotent = method in IDEMPOTENT
        attempts = self.settings.attempts
        for attempt in range(1, attempts + 1):
            try:
                raw = self._session().request(
                    method,
                    url,
                    params=params,
                    json=body,
                    headers=dict(headers or {}),
                    timeout=(self.settings.connect_timeout_s, self.settings.read_timeout_s),
                )
            except requests.RequestException as exc:
                reason = _describe(exc, self.settings.read_timeout_s)
                if idempotent and attempt < attempts:
                    self._wait(attempt, None, f"{method} {path}: {reason}")
                    continue
                tries = f" after {attempt} attempts" if attempt > 1 else ""
                raise GrafanaError(method, path, None, f"cannot reach Grafana at {self.settings.base_url}: "
                                   f"{reason}{tries}") from None
            if attempt < attempts and (raw.status_code == 429 or (idempotent and raw.status_code in RETRY_STATUSES)):
                self._wait(attempt, raw.headers.get("Retry-After"), f"{method} {path}: {raw.status_code}")
                continue
            response = _response(raw)
            if response.status in expected or (missing_ok and response.status == 404):
                return response
            raise self._error(method, path, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, attempt: int, retry_after: str | None, what: str) -> None:
        delay = _retry_after_seconds(retry_after)
        if delay is None:
            delay = random.uniform(0, self.settings.backoff_s * 2 ** (attempt - 1))
        delay = min(delay, self.settings.max_wait_s)
        if self._on_retry is not None:
            self._on_retry(f"{what}; retrying in {delay:.1f}s (attempt {attempt + 1} of {self.settings.attempts})")
        self._sleep(delay)

    def _error(self, method: str, path: str, response: Response) -> GrafanaError:
        body = response.body if isinstance(response.body, dict) else {}
        message = str(body.get("message") or "").strip()
        if not message:
            snippet = " ".join(response.text.split())[:120]
            message = snippet or "(empty body)"
        hint = hint_for(response.status, body, message, self.settings.credentials.description)
        return GrafanaError(method, path, response.status, message, body=body, hint=hint)


def _response(raw: requests.Response) -> Response:
    text = raw.text
    try:
        body = raw.json() if text.strip() else None
    except ValueError:
        body = None
    return Response(status=raw.status_code, body=body, text=text)


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _describe(exc: requests.RequestException, read_timeout: float) -> str:
    """A short reason without URLs or pool internals."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS verification failed (set ca_bundle, or tls_verify: false only for a test instance)"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return f"no response within {read_timeout:g}s"
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "reset" in text or "aborted" in text or "remotedisconnected" in text:
        return "connection reset by the server"
    if "name or service not known" in text or "nodename nor servname" in text or "resolve" in text:
        return "host name does not resolve"
    return type(exc).__name__
