"""The preview's Prometheus HTTP API client (I/O): range and instant queries, label values, and a board's queries
evaluated concurrently into series per panel.

Only Prometheus' JSON is believed. A server that cannot be reached, or answers something else (a login page, a
proxy's error), stops the preview with one line naming the URL and the panel being asked (DashgenError, exit 2).
An error Prometheus itself answers for one query (bad_data, a timeout, too many points) is that target's error:
it lands in its panel's PanelData.error and the other panels still draw.

A URL's credentials (`http://user:password@host/`) are sent as basic auth and never shown: every message and
the page's source line name the server by `display_url` (no userinfo, no query string); the password is also
given to the redactor, so nothing printed can carry it."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit, urlunsplit

from dashgen.errors import DashgenError
from dashgen.preview.queries import Query, legend
from dashgen.preview.series import PanelData, Series

if TYPE_CHECKING:
    import requests

TIMEOUT_S = 30.0
PARALLEL = 8  # concurrent queries: a desk-sized board has ~60 targets


class QueryError(Exception):
    """Prometheus answered this query with an error (its JSON `status: error`)."""


def display_url(url: str) -> str:
    """The URL as messages and the page show it: without userinfo (`user:password@`), query string or fragment,
    and without a trailing slash."""
    parts = _split(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", "")).rstrip("/")


def _split(url: str) -> SplitResult:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc.rpartition("@")[2]:
        raise DashgenError("--prometheus takes an http:// or https:// URL (e.g. http://localhost:9090)")
    return parts


class PrometheusClient:
    def __init__(self, url: str, timeout_s: float = TIMEOUT_S) -> None:
        import requests  # only when a preview asks Prometheus

        from dashgen.redact import redact

        parts = _split(url)
        self.url = display_url(url)  # what every message names
        self._base = self.url  # what is asked: no userinfo (sent as basic auth instead), no query string
        self._params = parse_qsl(parts.query, keep_blank_values=True)  # the URL's own query, sent with each call
        # the password, and the values of the URL's own query (an api_key=...): never in a message or the page
        redact.add(parts.password, unquote(parts.password or ""), *(value for _, value in self._params))
        self.timeout_s = timeout_s
        self._session: requests.Session = requests.Session()
        self._session.headers["Accept"] = "application/json"
        if parts.username is not None or parts.password is not None:
            self._session.auth = (unquote(parts.username or ""), unquote(parts.password or ""))

    def close(self) -> None:
        self._session.close()

    def _get(self, path: str, params: Mapping[str, Any], what: str) -> Any:
        """`data` of a successful answer; QueryError for Prometheus' own error; DashgenError for anything else.
        `what` says what was being asked, for the message (e.g. "panel 'Orders / Open orders' [A]")."""
        import requests

        where = self.url + path
        try:
            response = self._session.get(self._base + path, params=[*self._params, *params.items()],
                                         timeout=self.timeout_s)
        except requests.Timeout:
            raise DashgenError(f"Prometheus at {self.url} did not answer within {self.timeout_s:g} s "
                               f"({what})") from None
        except requests.RequestException as exc:
            raise DashgenError(f"cannot reach Prometheus at {self.url} ({what}): {self._scrub(_reason(exc))}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("status") not in ("success", "error"):
            kind = response.headers.get("Content-Type", "").split(";")[0] or "no content type"
            raise DashgenError(f"{where} answered HTTP {response.status_code} with {kind}, not Prometheus' JSON "
                               f"({what}): is {self.url} a Prometheus server?")
        if body["status"] == "error":
            raise QueryError(self._scrub(f"{body.get('errorType', 'error')}: {body.get('error', 'no message')}"))
        return body.get("data")

    @staticmethod
    def _scrub(text: str) -> str:
        """`text` through the one redactor (a server or library may echo the request): an error shown on the
        page does not pass through the console."""
        from dashgen.redact import redact

        return redact(text)

    def not_json(self, what: str) -> DashgenError:
        """The one message for an answer that is JSON but not in Prometheus' shape."""
        return DashgenError(f"Prometheus at {self.url} answered a result that is not Prometheus' JSON ({what}): "
                            f"is {self.url} a Prometheus server?")

    def build_version(self) -> str | None:
        """The server's version, asked first so that an unreachable server fails before any query; None where a
        Prometheus-compatible server answers that it does not say."""
        try:
            data = self._get("/api/v1/status/buildinfo", {}, "asking its version")
        except QueryError:
            return None
        return str(data.get("version")) if isinstance(data, dict) and data.get("version") else None

    def query_range(self, expr: str, start: int, end: int, step: int, what: str = "a range query") -> list[Any]:
        data = self._get("/api/v1/query_range", {"query": expr, "start": start, "end": end, "step": step}, what)
        if not isinstance(data, dict):
            raise self.not_json(what)
        return self._list(data.get("result"), what)

    def _list(self, result: object, what: str) -> list[Any]:
        if result is None:
            return []
        if not isinstance(result, list):
            raise self.not_json(what)
        return result

    def query(self, expr: str, at: int, what: str = "an instant query") -> list[Any]:
        """An instant query's vector; a scalar or string result as one series without labels."""
        data = self._get("/api/v1/query", {"query": expr, "time": at}, what)
        if not isinstance(data, dict):
            raise self.not_json(what)
        if data.get("resultType") in ("scalar", "string"):
            return [{"metric": {}, "value": data.get("result")}]
        return self._list(data.get("result"), what)

    def label_values(self, label: str, match: str | None, start: int, end: int,
                     what: str = "label values") -> list[str]:
        """As Grafana runs label_values(match, label) (and label_values(label) without a selector)."""
        params: dict[str, Any] = {"start": start, "end": end}
        if match:
            params["match[]"] = match
        return [str(v) for v in self._list(self._get(f"/api/v1/label/{label}/values", params, what), what)]


def _reason(exc: Exception) -> str:
    """Why a connection failed, in a few words (not urllib3's nested repr)."""
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "No route to host", "Connection reset",
                   "Temporary failure in name resolution", "Network is unreachable", "Read timed out"):
        if marker in text:
            return marker.lower()
    first = text.splitlines()[0] if text else type(exc).__name__
    return re.sub(r"with url: \S+", "with url: (the request)", first)[:200]  # the path and query asked


def _number(text: object) -> float | None:
    """A sample value (`"1.5"`, `"NaN"`, `"+Inf"`); None where it is no finite number (JSON holds no NaN)."""
    try:
        value = float(str(text))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class NotPrometheus(ValueError):
    """A result that is not in the shape Prometheus answers."""


def series_of(query: Query, result: Sequence[Any]) -> tuple[Series, ...]:
    """Prometheus' result as series: a range query's on the query's full step grid (None where a series has no
    sample), an instant query's with its one sample. NotPrometheus for any other shape."""
    try:
        return _series_of(query, result)
    except (AttributeError, TypeError, ValueError, OverflowError) as exc:
        raise NotPrometheus(str(exc)) from None


def _series_of(query: Query, result: Sequence[Any]) -> tuple[Series, ...]:
    found: list[Series] = []
    grid = tuple(range(query.start, query.end + 1, query.step)) if not query.instant else ()
    for item in result:
        metric = item.get("metric") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(metric or {}, dict):
            raise NotPrometheus(f"a series that is {type(item).__name__}")
        labels = {str(k): str(v) for k, v in (metric or {}).items()}
        name = legend(query.legend, labels, query.expr)
        if query.instant:
            at, value = item.get("value") or (query.end, None)
            found.append(Series(query.ref_id, name, labels, (int(float(at)),), (_number(value),)))
            continue
        values = item.get("values") or []
        if not isinstance(values, list):
            raise NotPrometheus("samples that are no list")
        samples = {int(float(t)): _number(v) for t, v in values}
        found.append(Series(query.ref_id, name, labels, grid, tuple(samples.get(t) for t in grid)))
    return tuple(found)


def run(client: PrometheusClient, query: Query) -> tuple[Series, ...] | str:
    """One target's series, or the error Prometheus answered for it."""
    what = f"panel {query.location!r} [{query.ref_id}]"
    try:
        if query.instant:
            return series_of(query, client.query(query.expr, query.end, what))
        return series_of(query, client.query_range(query.expr, query.start, query.end, query.step, what))
    except QueryError as exc:
        return f"[{query.ref_id}] {exc}"
    except NotPrometheus:
        raise client.not_json(what) from None


def evaluate(client: PrometheusClient, queries: Sequence[Query], parallel: int = PARALLEL) -> dict[int, PanelData]:
    """Every query at once (at most `parallel`), gathered per panel in board order; a target's error goes to its
    panel's `error` (the panel's other targets still give their series)."""
    from dashgen.kinds.parallel import pmap

    answers = pmap(lambda q: run(client, q), queries, parallel)
    series: dict[int, list[Series]] = {}
    errors: dict[int, list[str]] = {}
    for query, answer in zip(queries, answers, strict=True):
        series.setdefault(query.panel_id, [])
        if isinstance(answer, str):
            errors.setdefault(query.panel_id, []).append(answer)
        else:
            series[query.panel_id].extend(answer)
    return {panel: PanelData(series=tuple(found), error="; ".join(errors[panel]) if panel in errors else None)
            for panel, found in series.items()}
