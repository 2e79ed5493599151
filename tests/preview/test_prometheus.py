"""The preview's Prometheus client against a tiny fake Prometheus on loopback: the range and instant calls carry
Grafana's parameters, an error Prometheus answers for one target lands in its panel, and a server that cannot be
reached or answers something other than Prometheus' JSON is one line naming the URL."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dashgen.errors import DashgenError
from dashgen.preview import local
from dashgen.preview.data import NO_PROMETHEUS, from_prometheus, load_board_data
from dashgen.preview.local import free_port
from dashgen.preview.model import board_model
from dashgen.preview.page import render_page
from dashgen.preview.prometheus import PrometheusClient, display_url, run
from dashgen.preview.queries import Query
from dashgen.preview.series import PanelData, Series, no_data
from dashgen.project import compile_project, load_project

from ..factories import small_project

NOW = 1735711200
START = NOW - 6 * 3600


class FakePrometheus:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str]]] = []
        self.html = False  # answer a login page instead of JSON
        self.auth: str | None = None  # the Authorization header required (401 without it)
        self.headers: list[str | None] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, Any]:
        if path == "/api/v1/status/buildinfo":
            return 200, {"status": "success", "data": {"version": "2.99.0"}}
        query = params.get("query", "")
        if "broken" in query:
            return 400, {"status": "error", "errorType": "bad_data", "error": "1:7: parse error: unexpected"}
        if path == "/api/v1/query_range":
            start, step = int(params["start"]), int(params["step"])
            values = [[start, "1"], [start + step, "NaN"], [start + 3 * step, "2.5"]]  # a gap at 2 steps
            return 200, {"status": "success", "data": {"resultType": "matrix", "result": [
                {"metric": {"side": "bid"}, "values": values}, {"metric": {"side": "ask"}, "values": values[:1]}]}}
        if path == "/api/v1/query":
            if query == "time()":
                return 200, {"status": "success", "data": {"resultType": "scalar", "result": [NOW, "7"]}}
            return 200, {"status": "success", "data": {"resultType": "vector", "result": [
                {"metric": {"__name__": "m", "a": "1"}, "value": [int(params["time"]), "4"]}]}}
        return 404, {"status": "error", "errorType": "not_found", "error": path}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.calls.append((url.path, params))
                fake.headers.append(self.headers.get("Authorization"))
                status, body = fake.answer(url.path, params)
                if fake.auth is not None and self.headers.get("Authorization") != fake.auth:
                    status, body = 401, "Unauthorized"
                text, kind = (json.dumps(body), "application/json")
                if fake.html:
                    status, text, kind = 200, "<html><body>Sign in</body></html>", "text/html"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *_: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> FakePrometheus:
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake() -> Iterator[FakePrometheus]:
    with FakePrometheus() as server:
        yield server


def _board(*panels: dict[str, Any]) -> dict[str, Any]:
    variables = [{"name": "side", "type": "custom", "multi": True, "includeAll": True, "allValue": ".*",
                  "current": {"value": ["$__all"]}, "query": "bid,ask"}]
    return {"time": {"from": "now-6h", "to": "now"}, "templating": {"list": variables},
            "panels": [{"type": "row", "title": "Orders", "id": 9, "panels": [], "collapsed": False}, *panels]}


def _panel(panel_id: int, *targets: dict[str, Any], kind: str = "timeseries") -> dict[str, Any]:
    return {"id": panel_id, "type": kind, "title": f"Panel {panel_id}", "targets": list(targets)}


def test_range_and_instant_queries_carry_grafanas_parameters(fake: FakePrometheus) -> None:
    board = _board(
        _panel(1, {"refId": "A", "expr": 'sum by (side) (rate(m{side=~"$side"}[$__rate_interval]))',
                   "legendFormat": "{{side}}"}),
        _panel(2, {"refId": "A", "expr": "m", "instant": True, "range": False, "format": "table"},
               {"refId": "B", "expr": "time()", "instant": True}, kind="table"))
    data = from_prometheus(board, fake.url + "/", now=NOW + 7)  # `now` off the step grid: aligned down
    assert data.source == f"Prometheus {fake.url} (2.99.0)"
    assert (data.start, data.end, data.step) == (START + 7, NOW + 7, 20)
    calls = {(path, params.get("query")): params for path, params in fake.calls}
    assert calls[("/api/v1/query_range", 'sum by (side) (rate(m{side=~".*"}[1m]))')] == {
        "query": 'sum by (side) (rate(m{side=~".*"}[1m]))', "start": str(START), "end": str(NOW), "step": "20"}
    assert calls[("/api/v1/query", "m")] == {"query": "m", "time": str(NOW + 7)}
    grid = tuple(range(START, NOW + 1, 20))
    [bid, ask] = data.panels[1].series
    assert bid == Series("A", "bid", {"side": "bid"}, grid, (1.0, None, None, 2.5, *[None] * (len(grid) - 4)))
    assert (ask.name, ask.values[:2]) == ("ask", (1.0, None))
    assert data.panels[2] == PanelData(series=(
        Series("A", 'm{a="1"}', {"__name__": "m", "a": "1"}, (NOW + 7,), (4.0,)),
        Series("B", "time()", {}, (NOW,), (7.0,))))


def test_an_error_prometheus_answers_for_one_target_lands_in_its_panel(fake: FakePrometheus) -> None:
    board = _board(_panel(1, {"refId": "A", "expr": "m"}, {"refId": "B", "expr": "broken("}),
                   _panel(2, {"refId": "A", "expr": "m"}))
    data = from_prometheus(board, fake.url, now=NOW)
    assert data.panels[1].error == "[B] bad_data: 1:7: parse error: unexpected"
    assert [s.ref_id for s in data.panels[1].series] == ["A", "A"]  # its other target still draws
    assert data.panels[2].error is None and len(data.panels[2].series) == 2


def test_an_answer_that_is_not_prometheus_json_is_one_line_naming_the_url(fake: FakePrometheus) -> None:
    fake.html = True
    with pytest.raises(DashgenError) as raised:
        from_prometheus(_board(_panel(1, {"refId": "A", "expr": "m"})), fake.url, now=NOW)
    assert str(raised.value) == (f"{fake.url}/api/v1/status/buildinfo answered HTTP 200 with text/html, not "
                                 f"Prometheus' JSON (asking its version): is {fake.url} a Prometheus server?")


def test_a_query_answered_with_html_names_the_panel(fake: FakePrometheus) -> None:
    original = fake.answer

    def login_page_for_queries(path: str, params: dict[str, str]) -> tuple[int, Any]:
        fake.html = path != "/api/v1/status/buildinfo"
        return original(path, params)

    fake.answer = login_page_for_queries  # type: ignore[method-assign]
    with pytest.raises(DashgenError, match=r"answered HTTP 200 with text/html, not Prometheus' JSON "
                                           r"\(panel 'Orders / Panel 1' \[A\]\)"):
        from_prometheus(_board(_panel(1, {"refId": "A", "expr": "m"})), fake.url, now=NOW)


def test_an_unreachable_server_is_one_line_naming_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(DashgenError) as raised:
        from_prometheus(_board(_panel(1, {"refId": "A", "expr": "m"})), url, now=NOW)
    assert str(raised.value) == f"cannot reach Prometheus at {url} (asking its version): connection refused"
    assert "\n" not in str(raised.value)


def test_the_data_step_asks_the_given_prometheus_first(fake: FakePrometheus, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "synthetic_prometheus", None)  # never reached
    compiled = compile_project(load_project(small_project(tmp_path, "http://127.0.0.1:9", full=True)))
    data = load_board_data(compiled, fake.url)
    assert data.source == f"Prometheus {fake.url} (2.99.0)"
    queried = {params["query"] for path, params in fake.calls if path == "/api/v1/query_range"}
    assert 'avg(mm_mid_price{client=~".*",exchange="binance"})' in queried
    assert data.panels and all(panel.error is None for panel in data.panels.values())


def test_without_prometheus_and_a_url_the_layout_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "available", lambda: False)
    compiled = compile_project(load_project(small_project(tmp_path)))
    assert load_board_data(compiled, None) == no_data(NO_PROMETHEUS)
    assert no_data(NO_PROMETHEUS).note == (
        "no data source: prometheus is not installed and no --prometheus URL was given: install Prometheus and "
        "promtool: `apt-get install -y prometheus` (Debian/Ubuntu), or pass --prometheus URL")


PASSWORD = "s3cretPW"


@pytest.mark.parametrize(("url", "shown"), [
    ("http://admin:s3cretPW@127.0.0.1:1/", "http://127.0.0.1:1"),
    ("https://u:p%40ss@prom.example:9090/prometheus/?token=abc#x", "https://prom.example:9090/prometheus"),
    ("http://[::1]:9090", "http://[::1]:9090"),
    ("http://localhost:9090/", "http://localhost:9090"),
])
def test_display_url_drops_userinfo_and_query(url: str, shown: str) -> None:
    assert display_url(url) == shown


def test_not_a_url_is_one_line_without_the_url() -> None:
    with pytest.raises(DashgenError) as raised:
        PrometheusClient(f"ftp://admin:{PASSWORD}@host/")
    assert PASSWORD not in str(raised.value) and "--prometheus takes an http://" in str(raised.value)


def test_credentials_in_the_url_are_sent_as_basic_auth_and_never_shown(fake: FakePrometheus, tmp_path: Path) -> None:
    fake.auth = "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
    host = fake.url.removeprefix("http://")
    board = _board(_panel(1, {"refId": "A", "expr": "m"}))
    data = from_prometheus(board, f"http://admin:{PASSWORD}@{host}/?tenant=t1", now=NOW)
    assert data.source == f"Prometheus {fake.url} (2.99.0)"
    assert set(fake.headers) == {fake.auth}  # every call authenticated
    assert all(params.get("tenant") == "t1" for _, params in fake.calls)  # the URL's own query kept
    assert data.panels[1].error is None
    compiled = compile_project(load_project(small_project(tmp_path)))
    page = render_page(board_model(compiled.board.dashboard), data)
    assert PASSWORD not in page and "admin" not in page and "tenant" not in page


def test_errors_never_carry_the_password(fake: FakePrometheus) -> None:
    board = _board(_panel(1, {"refId": "A", "expr": "m"}))
    host = fake.url.removeprefix("http://")
    unreachable = f"http://admin:{PASSWORD}@127.0.0.1:{free_port()}/"
    with pytest.raises(DashgenError) as raised:
        from_prometheus(board, unreachable, now=NOW)
    assert PASSWORD not in str(raised.value) and "admin" not in str(raised.value)
    assert str(raised.value).startswith("cannot reach Prometheus at http://127.0.0.1:")
    fake.auth = "Basic nothing-matches"  # a wrong password: 401, not Prometheus' JSON
    with pytest.raises(DashgenError) as raised:
        from_prometheus(board, f"http://admin:{PASSWORD}@{host}/?token={PASSWORD}", now=NOW)
    assert PASSWORD not in str(raised.value)
    assert str(raised.value).startswith(f"{fake.url}/api/v1/status/buildinfo answered HTTP 401")


QUERY = Query(panel_id=1, location="Orders / P", ref_id="A", expr="m", legend="", instant=False, start=0, end=60,
              step=30)


class Answers:
    """A client whose range queries answer `result`, as given."""

    url = "http://prom:9090"

    def __init__(self, result: object) -> None:
        self.result = result

    def query_range(self, *_: object) -> object:
        return self.result

    def not_json(self, what: str) -> DashgenError:
        return PrometheusClient.not_json(self, what)  # type: ignore[arg-type]


@pytest.mark.parametrize("result", [
    ["not a dict"], [1], [{"metric": "x", "values": []}], [{"metric": {}, "values": 5}],
    [{"metric": {}, "values": [["t", "1"]]}], [{"metric": {}, "values": [[1]]}], [None],
])
def test_a_result_of_another_shape_is_one_line_not_prometheus_json(result: object) -> None:
    with pytest.raises(DashgenError) as raised:
        run(Answers(result), QUERY)  # type: ignore[arg-type]
    assert str(raised.value) == ("Prometheus at http://prom:9090 answered a result that is not Prometheus' JSON "
                                 "(panel 'Orders / P' [A]): is http://prom:9090 a Prometheus server?")


def test_a_data_field_of_another_shape_is_one_line_not_prometheus_json(fake: FakePrometheus) -> None:
    original = fake.answer

    def odd(path: str, params: dict[str, str]) -> tuple[int, Any]:
        if path == "/api/v1/query_range":
            return 200, {"status": "success", "data": {"resultType": "matrix", "result": {"a": 1}}}
        return original(path, params)

    fake.answer = odd  # type: ignore[method-assign]
    with pytest.raises(DashgenError, match=r"not Prometheus' JSON \(panel 'Orders / Panel 1' \[A\]\)"):
        from_prometheus(_board(_panel(1, {"refId": "A", "expr": "m"})), fake.url, now=NOW)


def test_the_urls_query_values_never_show_in_a_message() -> None:
    """A Prometheus behind a gateway may take its key in the query (`?api_key=...`): requests names the path and
    query it asked in its errors; dashgen's messages never carry them."""
    from dashgen.preview.prometheus import PrometheusClient, _reason

    error = OSError("HTTPSConnectionPool(host='p', port=1): Max retries exceeded with url: "
                    "/prom/api/v1/status/buildinfo?api_key=SECRETKEY123 (Caused by SSLError('wrong version'))")
    assert "SECRETKEY123" not in _reason(error) and "Max retries exceeded" in _reason(error)
    client = PrometheusClient("https://bob:hunter2pw@prom.example/prom?api_key=SECRETKEY123&x=ab")
    try:
        scrubbed = client._scrub("echoed: hunter2pw SECRETKEY123 ab")
        assert "hunter2pw" not in scrubbed and "SECRETKEY123" not in scrubbed
        assert scrubbed.endswith(" ab")  # values shorter than the redactor's minimum stay: they mask ordinary words
        assert "SECRETKEY123" not in client.url and "hunter2pw" not in client.url
    finally:
        client.close()
