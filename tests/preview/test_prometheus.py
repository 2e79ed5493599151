"""The preview's Prometheus client against a tiny fake Prometheus on loopback: the range and instant calls carry
Grafana's parameters, an error Prometheus answers for one target lands in its panel, and a server that cannot be
reached or answers something other than Prometheus' JSON is one line naming the URL."""

from __future__ import annotations

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
from dashgen.preview.series import PanelData, Series, no_data
from dashgen.project import compile_project, load_project

from ..factories import small_project

NOW = 1735711200
START = NOW - 6 * 3600


class FakePrometheus:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str]]] = []
        self.html = False  # answer a login page instead of JSON
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
                status, body = fake.answer(url.path, params)
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
        "no data source: prometheus is not installed and no --prometheus URL was given: apt-get install prometheus "
        "or pass --prometheus URL")
