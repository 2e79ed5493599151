"""The Grafana HTTP client: auth and org headers, timeouts, retries with backoff, typed errors, and answers
that are checked before anything believes them.

Only Grafana's JSON is believed: a redirect (to a login page), an HTML or other non-JSON body, an empty body
where one is due, or JSON of the wrong shape (a list where an object is due) is a GrafanaError naming the URL
and what came back (content type and a short, tag-free excerpt), never an empty result.

Retries: connection errors, timeouts, 502, 503 and 504 only for idempotent methods (GET, PUT, DELETE);
429 for any method (Grafana refused the request unprocessed), honouring Retry-After. Waits grow
exponentially from `backoff_s` with full jitter, capped at `max_wait_s`.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import email.utils
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from dashgen import __version__
from dashgen.grafana.errors import GrafanaError, hint_for
from dashgen.grafana.platform import Platform, choose, namespace_of, served_versions
from dashgen.grafana.settings import ClientSettings

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({502, 503, 504})
EMPTY_OK = frozenset({202, 204, 404})  # statuses Grafana may answer with an empty body
MAX_IN_FLIGHT = 8  # requests open at once, across every thread sharing the client
SEARCH_LIMIT = 5000  # /api/search answers 422 above this


@dataclass(frozen=True)
class Response:
    status: int
    body: Any  # parsed JSON, or None when the body is empty
    text: str
    content_type: str = ""
    is_json: bool = False  # the body parsed as JSON (`null` included)


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
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._on_retry = on_retry
        self._local = threading.local()
        self._info: GrafanaInfo | None = None
        self._platform: Platform | None = None
        self._platform_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, max_in_flight))

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

    def platform(self) -> Platform:
        """Once: the API dashboards and folders go through (grafana/platform.py), and its namespace."""
        with self._platform_lock:
            if self._platform is None:
                served = None
                if self.settings.api == "legacy":
                    self.info()
                else:  # the health check and discovery side by side; 404: a Grafana without the app platform
                    with concurrent.futures.ThreadPoolExecutor(2) as pool:
                        health = pool.submit(self.info)
                        discovery = pool.submit(self.get, "/apis", missing_ok=True)
                        health.result()  # an unreachable or unhealthy Grafana is said first
                        groups = discovery.result()
                    served = served_versions(groups) if groups is not None else None
                info = self.info()
                chosen = choose(self.settings.api, served, info.version_text, info.version)
                if chosen.apis:
                    settings = self.get("/api/frontend/settings")
                    chosen = dataclasses.replace(chosen, namespace=namespace_of(settings))
                self._platform = chosen
            return self._platform

    def get(self, path: str, *, params: Mapping[str, Any] | None = None, missing_ok: bool = False,
            shape: type = dict) -> Any:
        """The JSON answer, which must be a `shape` (dict or list); None for a 404 when `missing_ok`."""
        response = self.request("GET", path, params=params, expected=(200,), missing_ok=missing_ok)
        if response.status == 404:
            return None
        if response.body is None and shape is list:
            return []  # Go encodes an empty list as `null` (e.g. no notification templates)
        if not isinstance(response.body, shape):
            raise self._untrusted("GET", path, response, f"a JSON {_SHAPE_WORD[shape]}")
        return response.body

    def paged(self, path: str, params: Mapping[str, Any], *, limit: int | None = None) -> list[Any]:
        """Every item of a `limit`/`page` listing such as /api/search (`limit` per page, default SEARCH_LIMIT, read
        when called so a test can make pages small): pages until a short page."""
        limit = SEARCH_LIMIT if limit is None else limit
        found: list[Any] = []
        page = 1
        while True:
            items = self.get(path, params={**params, "limit": limit, "page": page}, shape=list)
            found.extend(items)
            if len(items) < limit:
                return found
            page += 1

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
                with self._slots:
                    raw = self._session().request(
                        method,
                        url,
                        params=params,
                        json=body,
                        headers=dict(headers or {}),
                        timeout=(self.settings.connect_timeout_s, self.settings.read_timeout_s),
                        allow_redirects=False,  # a redirect is a login page, never Grafana's answer
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
            if 300 <= response.status < 400:
                location = raw.headers.get("Location") or "(no Location)"
                raise GrafanaError(method, path, response.status, f"redirected to {_short_url(location)}",
                                   hint="a login page or proxy answered instead of Grafana's API: check the url "
                                   "and that the token reaches Grafana")
            if response.status in expected or (missing_ok and response.status == 404):
                return self._checked(method, path, response)
            raise self._error(method, path, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _checked(self, method: str, path: str, response: Response) -> Response:
        """An expected status is believed only with Grafana's JSON (or an empty body where Grafana sends one)."""
        if not response.text.strip():
            if response.status in EMPTY_OK or (method != "GET" and response.status == 200):
                return response
            raise self._untrusted(method, path, response, "a JSON body")
        if not response.is_json:
            raise self._untrusted(method, path, response, "JSON")
        return response

    def _untrusted(self, method: str, path: str, response: Response, wanted: str) -> GrafanaError:
        return GrafanaError(method, self.settings.base_url + path, response.status,
                            f"expected {wanted} from Grafana, got {describe_body(response)}",
                            hint="is a login page or proxy in front of Grafana? nothing was written after this "
                                 "answer")

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
        message = " ".join(str(body.get("message") or "").split())[:300]
        if not message:
            message = describe_body(response) if response.text.strip() else "(empty body)"
        hint = hint_for(response.status, body, message, self.settings.credentials.description)
        return GrafanaError(method, path, response.status, message, body=body, hint=hint)


_SHAPE_WORD: dict[type, str] = {dict: "object", list: "list"}


def _response(raw: requests.Response) -> Response:
    text = raw.text
    content_type = raw.headers.get("Content-Type", "").split(";")[0].strip().lower()
    body, is_json = None, False
    if text.strip() and (content_type == "application/json" or content_type.endswith("+json")):
        try:
            body, is_json = raw.json(), True
        except ValueError:
            body = None
    return Response(status=raw.status_code, body=body, text=text, content_type=content_type, is_json=is_json)


def describe_body(response: Response) -> str:
    """What came back, for a message: content type, and a short excerpt without markup (never raw HTML)."""
    kind = response.content_type or "no content type"
    if response.body is not None:
        return f"JSON {type(response.body).__name__} ({kind})"
    text = response.text
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        text = title.group(1)
    plain = " ".join(re.sub(r"<[^>]*>", " ", re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)).split())
    excerpt = plain[:60] + ("..." if len(plain) > 60 else "")
    return f"{kind}: {excerpt!r}" if excerpt else f"{kind}, empty"


def _short_url(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else parts.path or location


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
