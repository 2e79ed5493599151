"""A Grafana double: a real HTTP server on 127.0.0.1 in a thread, following ../shared/grafana-api.md.

    with GrafanaDouble(version="11.6.0") as grafana:
        grafana.url, grafana.token          # where and how to talk to it
        grafana.count("POST", "/api/dashboards/db"), grafana.writes()
        grafana.inject(status=503, path="/api/search", times=2)
        grafana.ui_edit("mm-desk", lambda d: d.update(title="edited"))
        grafana.label_values("client", ["acme", "beta"])   # the datasource proxy's Prometheus label values

It counts requests by method and path and injects latency, error statuses (JSON or not), 429 with
Retry-After, connection resets and slow responses."""

from __future__ import annotations

import contextlib
import copy
import json
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .alerting import AlertingStore
from .apis import AppPlatform, namespace_for
from .store import Mode, Result, Store

TOKEN = "glsa_double_0123456789abcdef_token"  # the Editor service-account token
VIEWER_TOKEN = "glsa_double_viewer_fedcba9876543210"  # a Viewer (read-only) service-account token

JSON_NULL = object()  # a handler's answer of JSON `null` (Go's encoding of an empty list)
Route = tuple[str, re.Pattern[str], str, Callable[..., Result]]


@dataclass
class Fault:
    method: str | None
    path: str  # prefix
    times: int
    status: int | None = None
    body: Any = None  # dict -> JSON, str -> sent as text/html
    headers: dict[str, str] | None = None
    reset: bool = False
    delay_s: float = 0.0  # sleep before answering (past the client's read timeout = a slow response)
    action: Callable[[], None] | None = None  # runs first (e.g. someone else's save), then the request as usual

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and (self.method in (None, method)) and path.startswith(self.path)


class GrafanaDouble:
    def __init__(self, version: str = "11.6.0", *, hide_version: bool = False, latency_s: float = 0.0,
                 org_id: int = 1, token: str = TOKEN, viewer_token: str = VIEWER_TOKEN,
                 new_layouts: bool | None = None, stack_id: str | None = None) -> None:
        """`new_layouts`: the dashboardNewLayouts toggle (default: on from 13.0, as Grafana ships it)."""
        self.version_text = version
        numbers = tuple(int(p) for p in version.split("."))
        self.store = Store(Mode(version=numbers, new_layouts=numbers >= (13,) if new_layouts is None
                                else new_layouts), namespace=namespace_for(org_id, stack_id))
        self.hide_version = hide_version
        self.latency_s = latency_s
        self.org_id = org_id
        self.token = token
        self.viewer_token = viewer_token  # a read-only (Viewer) service account
        self.echo_headers = False  # like some proxies: error bodies repeat the request's headers
        self.timings: list[tuple[float, float]] = []  # (start, end) of every request, for waves()
        self.denied: dict[str, str] = {}  # "METHOD /path-prefix" -> permission named in the 403
        self.requests: Counter[tuple[str, str]] = Counter()
        self.log: list[tuple[str, str]] = []  # every request in arrival order
        self.queries: list[tuple[str, str, dict[str, list[str]]]] = []  # the same, with each query string parsed
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.routes: list[Route] = []
        self.alerting = AlertingStore(self.store)
        # datasource uid -> label -> values its Prometheus answers through the datasource proxy
        self.datasources: dict[str, dict[str, list[str]]] = {"prom-test": {}}
        self.apis = AppPlatform(self)
        self._request = threading.local()
        self._add_core_routes()
        self._add_alerting_routes()
        self.apis.add_routes(self.add_route)

    # ------------------------------------------------------------ lifecycle
    def start(self) -> GrafanaDouble:
        handler = _make_handler(self)
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and close the port, at once: serve_forever notices a shutdown only when its select()
        returns, so a connection wakes it instead of waiting for its next poll (20 ms, per test)."""
        server, self._server = self._server, None
        if server is None:
            return
        stopping = threading.Thread(target=server.shutdown)
        stopping.start()
        while stopping.is_alive():
            with contextlib.suppress(OSError):
                socket.create_connection(server.server_address[:2], timeout=0.1).close()
            stopping.join(0.002)
        server.server_close()

    def __enter__(self) -> GrafanaDouble:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the double first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # ------------------------------------------------------- test controls
    def count(self, method: str | None = None, path: str | None = None) -> int:
        return sum(n for (m, p), n in self.requests.items()
                   if (method is None or m == method) and (path is None or p.startswith(path)))

    def writes(self) -> int:
        return sum(n for (m, _), n in self.requests.items() if m != "GET")

    def write_log(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.log if m != "GET"]

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.log.clear()
            self.queries.clear()
            self.timings.clear()

    def waves(self) -> int:
        """Sequential waves: the longest chain of requests each sent after the previous one was answered."""
        with self._lock:
            spans = sorted(self.timings, key=lambda span: span[1])
        depth: list[int] = []
        for i, (start, _) in enumerate(spans):
            depth.append(1 + max((depth[j] for j in range(i) if spans[j][1] <= start), default=0))
        return max(depth, default=0)

    def login_page(self, times: int = 10_000) -> None:
        """An auth proxy in front of Grafana answers every API call with 200 and its HTML login page."""
        self.inject(path="/api", status=200, times=times,
                    body="<!DOCTYPE html><html><head><title>Sign in - Corp SSO</title><style>body{}</style></head>"
                         "<body><form action='/oauth2/start'><input name='rd'></form></body></html>")

    def inject(self, *, path: str = "/", method: str | None = None, times: int = 1, status: int | None = None,
               body: Any = None, headers: dict[str, str] | None = None, reset: bool = False,
               delay_s: float = 0.0) -> None:
        self.faults.append(Fault(method, path, times, status, body, headers, reset, delay_s))

    def before(self, method: str, path: str, action: Callable[[], None], times: int = 1) -> None:
        """Run `action` just before the next matching request is handled: a race with someone else."""
        self.faults.append(Fault(method, path, times, action=action))

    def label_values(self, label: str, values: list[str], datasource_uid: str = "prom-test") -> None:
        """What the datasource's Prometheus answers to /api/v1/label/<label>/values (through the proxy)."""
        self.datasources.setdefault(datasource_uid, {})[label] = list(values)

    def deny(self, method: str, path: str, permission: str) -> None:
        self.denied[f"{method} {path}"] = permission

    def ui_edit(self, uid: str, change: Callable[[dict[str, Any]], None] | None = None, user: str = "alice", *,
                rendered: Callable[[dict[str, Any]], bool] | None = None,
                v2_change: Callable[[dict[str, Any]], None] | None = None) -> None:
        """Someone opens the board in Grafana's UI, makes `change` (None: no change at all) and presses Save.
        The UI posts what its save model writes (tests/grafana_double/ui_save.py): plugin defaults on the panels
        whose plugin loaded (`rendered`; default: those not in a collapsed row), a raised schemaVersion, and so
        on, with the loaded version, `overwrite: false` and an empty message.

        11.6 saves through the legacy API. 12.x saves through /apis (v1beta1), keeping the object's annotations
        and adding `grafana.app/saved-from-ui`. With dashboardNewLayouts (13.x by default) the save is the v2
        schema (v2.py `ui_save_v2` of the scene's save model), stored as v2; `v2_change` then edits the v2 spec
        (e.g. a row's conditional rendering, which only v2 has). A board managed by a tool without
        `grafana.app/managerAllowsEdits` is read-only in the UI: that raises PermissionError."""
        from .ui_save import ui_save
        from .v2 import ui_save_v2

        with self.store.lock:
            stored = self.store.dashboards[uid]
            notes = dict(stored.annotations)
            if notes.get("grafana.app/managerId") and notes.get("grafana.app/managerAllowsEdits") != "true":
                manager = f"{notes.get('grafana.app/managedBy')} {notes['grafana.app/managerId']}"
                raise PermissionError(f"Grafana's UI shows {uid} read-only: managed by {manager} without "
                                      "grafana.app/managerAllowsEdits")
            mode = self.store.mode
            if stored.is_v2:
                assert change is None, "a v2 board is changed with v2_change"
                spec = copy.deepcopy(stored.data)
            else:
                data = copy.deepcopy(stored.data)
                if change is not None:
                    change(data)
                scene = (12, 2, 0) if mode.version >= (13,) else mode.version_triple
                spec = ui_save(data, grafana=scene, rendered=rendered)
                if mode.new_layouts:
                    spec = ui_save_v2(spec, version=self.apis.groups()["dashboard.grafana.app"][0])
            if v2_change is not None:
                assert mode.new_layouts, "only a v2 board has v2 features"
                v2_change(spec)
            if not mode.apis:
                status, answer = self.store.save_dashboard(
                    {"dashboard": spec, "folderUid": stored.folder_uid, "message": "", "overwrite": False}, user=user)
                assert status == 200, answer
                return
            version = self.apis.groups()["dashboard.grafana.app"][0] if mode.new_layouts else "v1beta1"
            notes["grafana.app/saved-from-ui"] = f"Grafana v{self.version_text} (0000000)"
            if stored.folder_uid:
                notes["grafana.app/folder"] = stored.folder_uid
            self.apis._write_dashboard(stored, version, {"name": uid, "annotations": notes}, spec, user=user)

    def user(self) -> str:
        """Who the current request authenticates as."""
        return "viewer-sa" if self._role() == "Viewer" else "dashgen-sa"

    def frontend_settings(self) -> Result:
        """A few of /api/frontend/settings' keys: `namespace` (since 10.3), buildInfo, featureToggles."""
        return 200, {"namespace": self.store.namespace, "appSubUrl": "",
                     "buildInfo": {"version": self.version_text, "commit": "0000000", "edition": "Open Source"},
                     "featureToggles": {"kubernetesDashboards": self.store.mode.apis,
                                        "dashboardNewLayouts": self.store.mode.new_layouts}}

    def add_route(self, method: str, pattern: str, permission: str, handler: Callable[..., Result]) -> None:
        self.routes.append((method, re.compile(f"^{pattern}$"), permission, handler))

    # -------------------------------------------------------------- routes
    def _add_core_routes(self) -> None:
        s = self.store
        self.add_route("GET", "/api/folders", "folders:read",
                       lambda q, b: s.list_folders((q.get("parentUid") or [None])[0],
                                                   int((q.get("limit") or ["1000"])[0]),
                                                   int((q.get("page") or ["1"])[0])))
        self.add_route("GET", "/api/folders/(?P<uid>[^/]+)", "folders:read", lambda q, b, uid: s.get_folder(uid))
        self.add_route("POST", "/api/folders", "folders:create", lambda q, b: s.create_folder(b or {}))
        self.add_route("PUT", "/api/folders/(?P<uid>[^/]+)", "folders:write",
                       lambda q, b, uid: s.update_folder(uid, b or {}))
        self.add_route("DELETE", "/api/folders/(?P<uid>[^/]+)", "folders:delete",
                       lambda q, b, uid: self._delete_folder(q, uid))
        self.add_route("GET", "/api/dashboards/uid/(?P<uid>[^/]+)", "dashboards:read",
                       lambda q, b, uid: s.get_dashboard(uid))
        self.add_route("GET", "/api/dashboards/uid/(?P<uid>[^/]+)/versions", "dashboards:read",
                       lambda q, b, uid: s.versions(uid, int((q.get("limit") or ["1000"])[0]), self._role()))
        self.add_route("POST", "/api/dashboards/db", "dashboards:write",
                       lambda q, b: s.save_dashboard(b or {}, user="dashgen-sa"))
        self.add_route("DELETE", "/api/dashboards/uid/(?P<uid>[^/]+)", "dashboards:delete",
                       lambda q, b, uid: s.delete_dashboard(uid))
        self.add_route("GET", "/api/search", "dashboards:read", lambda q, b: s.search(q))
        self.add_route("GET", "/api/frontend/settings", "", lambda q, b: self.frontend_settings())
        self.add_route("GET", "/api/datasources/proxy/uid/(?P<uid>[^/]+)/api/v1/label/(?P<label>[^/]+)/values",
                       "datasources:query", lambda q, b, uid, label: self._proxied_label_values(uid, label))

    def _proxied_label_values(self, uid: str, label: str) -> Result:
        """pkg/api/dataproxy.go ProxyDataSourceRequestWithUID: an unknown uid is 404 "Unable to find datasource";
        otherwise Prometheus' own answer (its label values API: every value, sorted)."""
        labels = self.datasources.get(unquote(uid))
        if labels is None:
            return 404, {"message": "Unable to find datasource", "traceID": ""}
        return 200, {"status": "success", "data": sorted(labels.get(unquote(label), []))}

    def provenance(self) -> str:
        """What the current request writes: "" with X-Disable-Provenance (any value), else "api"."""
        headers = getattr(self._request, "headers", None)
        return "" if headers is not None and headers.get("X-Disable-Provenance") is not None else "api"

    def _add_alerting_routes(self) -> None:
        a, p, prov = self.alerting, "/api/v1/provisioning", self.provenance
        name = "(?P<name>[^/]+)"

        def version(q: dict[str, list[str]]) -> str | None:
            return (q.get("version") or [None])[0]

        self.add_route("GET", f"{p}/alert-rules", "alert.rules:read", lambda q, b: a.list_rules())
        self.add_route("GET", f"{p}/alert-rules/{name}", "alert.rules:read", lambda q, b, name: a.get_rule(name))
        self.add_route("POST", f"{p}/alert-rules", "alert.rules:write", lambda q, b: a.create_rule(b, prov()))
        self.add_route("PUT", f"{p}/alert-rules/{name}", "alert.rules:write",
                       lambda q, b, name: a.update_rule(unquote(name), b, prov()))
        self.add_route("DELETE", f"{p}/alert-rules/{name}", "alert.rules:delete",
                       lambda q, b, name: a.delete_rule(name, prov()))
        group = "/folder/(?P<folder>[^/]+)/rule-groups/(?P<group>[^/]+)"
        self.add_route("GET", p + group, "alert.rules:read",
                       lambda q, b, folder, group: a.get_group(unquote(folder), unquote(group)))
        self.add_route("PUT", p + group, "alert.rules:write",
                       lambda q, b, folder, group: a.put_group(unquote(folder), unquote(group), b, prov()))
        self.add_route("DELETE", p + group, "alert.rules:delete",
                       lambda q, b, folder, group: a.delete_group(unquote(folder), unquote(group), prov()))
        self.add_route("GET", f"{p}/contact-points", "alert.notifications:read",
                       lambda q, b: a.list_contact_points((q.get("name") or [None])[0]))
        self.add_route("POST", f"{p}/contact-points", "alert.notifications:write",
                       lambda q, b: a.create_contact_point(b, prov()))
        self.add_route("PUT", f"{p}/contact-points/{name}", "alert.notifications:write",
                       lambda q, b, name: a.update_contact_point(name, b, prov()))
        self.add_route("DELETE", f"{p}/contact-points/{name}", "alert.notifications:write",
                       lambda q, b, name: a.delete_contact_point(name, prov()))
        self.add_route("GET", f"{p}/policies", "alert.notifications:read", lambda q, b: a.get_policy())
        self.add_route("PUT", f"{p}/policies", "alert.notifications:write", lambda q, b: a.put_policy(b, prov()))
        self.add_route("GET", f"{p}/mute-timings", "alert.notifications:read", lambda q, b: a.list_mute_timings())
        self.add_route("GET", f"{p}/mute-timings/{name}", "alert.notifications:read",
                       lambda q, b, name: a.get_mute_timing(unquote(name)))
        self.add_route("POST", f"{p}/mute-timings", "alert.notifications:write",
                       lambda q, b: a.create_mute_timing(b, prov()))
        self.add_route("PUT", f"{p}/mute-timings/{name}", "alert.notifications:write",
                       lambda q, b, name: a.update_mute_timing(unquote(name), b, prov()))
        self.add_route("DELETE", f"{p}/mute-timings/{name}", "alert.notifications:write",
                       lambda q, b, name: a.delete_mute_timing(unquote(name), prov(), version(q)))
        self.add_route("GET", f"{p}/templates", "alert.notifications:read", lambda q, b: a.list_templates())
        self.add_route("GET", f"{p}/templates/{name}", "alert.notifications:read",
                       lambda q, b, name: a.get_template(unquote(name)))
        self.add_route("PUT", f"{p}/templates/{name}", "alert.notifications:write",
                       lambda q, b, name: a.put_template(unquote(name), b, prov()))
        self.add_route("DELETE", f"{p}/templates/{name}", "alert.notifications:write",
                       lambda q, b, name: a.delete_template(unquote(name), prov(), version(q)))

    def _delete_folder(self, query: dict[str, list[str]], uid: str) -> Result:
        """Grafana deletes everything below the folder, subfolders included: so it refuses while the folder or
        any folder below it holds alert rules, unless forceDeleteRules=true (which deletes those rules too)."""
        inside = self.store.folder_and_descendants(uid)
        held = [u for u, r in self.alerting.rules.items() if r["folderUID"] in inside]
        if held and (query.get("forceDeleteRules") or ["false"])[0] != "true":
            return 400, {"message": "folder cannot be deleted: it contains alert rules"}
        for rule_uid in held:
            del self.alerting.rules[rule_uid]
        return self.store.delete_folder(uid)

    def _role(self) -> str:
        headers = getattr(self._request, "headers", None)
        auth = headers.get("Authorization", "") if headers is not None else ""
        return "Viewer" if auth == f"Bearer {self.viewer_token}" else "Editor"

    def _auth_error(self, headers: Any) -> Result | None:
        auth = headers.get("Authorization", "")
        if not auth:
            return 401, {"message": "Unauthorized", "messageId": "auth.unauthorized", "statusCode": 401,
                         "traceID": ""}
        if auth not in (f"Bearer {self.token}", f"Bearer {self.viewer_token}"):
            return 401, {"message": "Invalid API key", "messageId": "api-key.invalid", "statusCode": 401,
                         "traceID": ""}
        org = headers.get("X-Grafana-Org-Id")
        if org is not None and org != str(self.org_id):
            return 401, {"message": "API key does not belong to the requested organization",
                         "messageId": "api-key.organization-mismatch", "statusCode": 401, "traceID": ""}
        return None

    def handle(self, method: str, path: str, query: dict[str, list[str]], body: Any, headers: Any) -> Result:
        if method == "GET" and path == "/api/health":
            health: dict[str, Any] = {"commit": "0000000", "database": "ok"}
            if not self.hide_version:
                health["version"] = self.version_text
            return 200, health
        problem = self._auth_error(headers)
        if problem is not None:
            return problem
        for method_path, permission in self.denied.items():
            denied_method, denied_path = method_path.split(" ", 1)
            if method == denied_method and path.startswith(denied_path):
                return 403, {"title": "Access denied", "accessErrorId": "ACE0000000001",
                             "message": f"You'll need additional permissions to perform this action. "
                                        f"Permissions needed: {permission}"}
        self._request.headers = headers
        if method != "GET" and self._role() == "Viewer":
            return 403, {"title": "Access denied", "accessErrorId": "ACE0000000002",
                         "message": "You'll need additional permissions to perform this action. "
                                    "Permissions needed: any of dashboards:write"}
        for route_method, pattern, _, handler in self.routes:
            match = pattern.match(path)
            if route_method == method and match:
                with self.store.lock:
                    return handler(query, body, **match.groupdict())
        return 404, {"message": "Not found"}


class _QuietServer(ThreadingHTTPServer):
    # socketserver's default backlog of 5 is less than dashgen's 8 parallel requests: on a busy machine the
    # kernel dropped the extra connections, and the client's retry of its SYN came after its connect timeout
    request_queue_size = 64

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) leaves a broken pipe: expected, not worth a traceback."""


def _make_handler(double: GrafanaDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # answers go out at once, not after the client's delayed ACK

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self, method: str) -> None:
            started = time.monotonic()
            try:
                self._answer(method)
            finally:
                with double._lock:
                    double.timings.append((started, time.monotonic()))

        def _answer(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            with double._lock:
                double.requests[(method, parts.path)] += 1
                double.log.append((method, parts.path))
                double.queries.append((method, parts.path, parse_qs(parts.query)))
                fault = next((f for f in double.faults if f.matches(method, parts.path)), None)
                if fault is not None:
                    fault.times -= 1
            if double.latency_s:
                time.sleep(double.latency_s)
            if fault is not None and fault.delay_s:
                time.sleep(fault.delay_s)
            if fault is not None and fault.action is not None:
                with double.store.lock:
                    fault.action()
            if fault is not None and fault.reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            if fault is not None and fault.status is not None:
                body = fault.body
                if double.echo_headers and fault.status >= 400 and isinstance(body, dict):
                    echoed = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
                    body = {**body, "message": f"{body.get('message', 'error')} (request headers: {echoed})"}
                self._send(fault.status, body, fault.headers or {})
                return
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                self._send(400, {"message": "bad request data"}, {})
                return
            status, payload = double.handle(method, parts.path, parse_qs(parts.query), body, self.headers)
            if double.echo_headers and status >= 400:
                echoed = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
                payload = {**(payload if isinstance(payload, dict) else {}),
                           "message": f"{(payload or {}).get('message', 'error')} (request headers: {echoed})"}
            self._send(status, payload, {})

        def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
            if payload is None:
                data, content_type = b"", "application/json"
            elif payload is JSON_NULL:
                data, content_type = b"null", "application/json"
            elif isinstance(payload, str):
                data, content_type = payload.encode(), "text/html; charset=utf-8"
            else:
                data, content_type = json.dumps(payload).encode(), "application/json"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PUT(self) -> None:
            self._serve("PUT")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

    return Handler
