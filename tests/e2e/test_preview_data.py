"""`dashgen preview`'s data step on a real local Prometheus over the synthetic desk (`make e2e`): every panel that
draws series gets some, without errors, the series a panel's labels imply, and the Prometheus started for it is
stopped and its directory removed afterwards, also when interrupted. Skipped without Prometheus unless
DASHGEN_REQUIRE_PROMTOOL=1."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from dashgen.preview import data, local
from dashgen.preview.series import BoardData
from dashgen.project import CompiledProject, compile_project, load_project

from ..conftest import REPO
from ..factories import small_project
from .prometheus import E2E

pytestmark = E2E

DRAWN = ("timeseries", "stat", "bargauge", "candlestick", "table")


class Started:
    """Every LocalPrometheus started, to look at afterwards."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.servers: list[tuple[local.LocalPrometheus, int]] = []
        start = local.LocalPrometheus.start

        def recording(server: local.LocalPrometheus, timeout_s: float = local.READY_TIMEOUT_S) -> Any:
            started = start(server, timeout_s)
            assert server.process is not None
            self.servers.append((server, server.process.pid))
            return started

        monkeypatch.setattr(local.LocalPrometheus, "start", recording)

    def assert_all_gone(self) -> None:
        assert self.servers
        for server, pid in self.servers:
            assert server.process is None
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)  # stopped and reaped
            assert not server.workdir.exists()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Started:
    monkeypatch.setattr(local, "default_cache_dir", lambda: tmp_path / "cache")
    return Started(monkeypatch)


def _drawn(compiled: CompiledProject) -> dict[int, str]:
    from dashgen.board import walk

    return {at.panel["id"]: at.location for at in walk.panels(compiled.board.dashboard)
            if at.panel.get("type") in DRAWN and at.panel.get("targets")}


def _check(compiled: CompiledProject, board: BoardData) -> None:
    assert board.source.startswith("synthetic desk data (local Prometheus ")
    assert board.source.endswith(", 2025-01-01 00:00\N{EN DASH}06:00 UTC")
    assert (board.start, board.end, board.step) == (1735689600, 1735689600 + 6 * 3600, 20)
    problems = []
    for panel_id, where in _drawn(compiled).items():
        panel = board.panels.get(panel_id)
        if panel is None or panel.error or not any(v is not None for s in panel.series for v in s.values):
            problems.append(f"{where}: {panel}")
    assert problems == []


def _timed(compiled: CompiledProject) -> tuple[BoardData, float]:
    began = time.monotonic()
    board = data.load_board_data(compiled, None)
    return board, time.monotonic() - began


def test_the_desk(started: Started, capsys: pytest.CaptureFixture[str]) -> None:
    compiled = compile_project(load_project(REPO))
    board, first = _timed(compiled)
    started.assert_all_gone()
    _check(compiled, board)
    by_title = {where: board.panels[pid] for pid, where in _drawn(compiled).items()}
    sides = by_title["Orders / Open orders per side"].series
    assert sorted(s.name for s in sides) == ["ask", "bid"]  # sum by (side): the catalogue's two sides
    depth = by_title["Depths / Bid depth by distance"].series
    assert sorted(s.labels["distance"] for s in depth) == sorted(["0.5", "1", "2", "5", "10", "20"])
    assert {s.name for s in by_title["Inventory / Total balance"].series} == {"USD"}  # the board's default ref
    again, cached = _timed(compiled)
    assert again == board
    started.assert_all_gone()
    with capsys.disabled():
        print(f"\n  preview data of the desk: {first:.2f} s (backfill and start), {cached:.2f} s (cached blocks)")


def test_the_small_full_project(started: Started, tmp_path: Path) -> None:
    compiled = compile_project(load_project(small_project(tmp_path / "p", "http://127.0.0.1:9", full=True)))
    board = data.load_board_data(compiled, None)
    started.assert_all_gone()
    _check(compiled, board)
    by_title = {where: board.panels[pid] for pid, where in _drawn(compiled).items()}
    spread = by_title["Prices / Spread"].series
    assert [s.name for s in spread] == ["binance spread"]  # the Venue variable's default, single-valued
    fills = by_title["Prices / 24h fills"].series
    assert len(fills) == 1 and len(fills[0].values) == 1  # an instant query: one value
    assert len(by_title["Prices / Price"].series) == 4  # open, high, low, close
    assert by_title["Prices / Price"].series[0].times[1] - by_title["Prices / Price"].series[0].times[0] == 300


def test_an_interrupt_stops_prometheus_and_removes_its_directory(started: Started, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = compile_project(load_project(small_project(tmp_path / "p", "http://127.0.0.1:9", full=True)))

    def interrupted(*_: object) -> BoardData:
        raise KeyboardInterrupt

    monkeypatch.setattr(data, "evaluate_board", interrupted)
    with pytest.raises(KeyboardInterrupt):
        data.load_board_data(compiled, None)
    started.assert_all_gone()
