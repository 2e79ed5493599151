"""The bench scripts still run against the current code (they are not timed here: `make bench` does that)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from dashgen.project import load_project

from .conftest import REPO
from .grafana_double import GrafanaDouble


def load_bench(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_apply_bench_scenarios_run_and_count_what_they_should() -> None:
    bench = load_bench("apply")
    desired = bench.bench_desired(boards=5)
    assert [d.kind for d in desired].count("dashboard") == 5
    with GrafanaDouble(latency_s=0.02) as grafana:  # waves are told apart by time: give requests some
        _, requests, waves, writes = bench.apply_once(grafana, desired, 8)
        assert writes == 6 and requests > writes and waves >= 3
        _, _, waves, writes = bench.apply_once(grafana, desired, 8, write=False)
        assert writes == 0 and waves <= 3  # health with discovery; lists with the wanted objects; nothing left
        assert bench.apply_once(grafana, bench.bench_desired(boards=5, change_one_panel=True), 4)[3] == 1


def test_speed_bench_builds_its_projects_and_reports_its_figures(tmp_path: Path) -> None:
    bench = load_bench("speed")
    wide = bench.many_clients(tmp_path, 3)
    project = load_project(wide)
    alerting = project.config.alerting
    assert alerting is not None
    defaults = alerting.thresholds.defaults
    assert sorted(alerting.thresholds.clients) == ["client-001", "client-002", "client-003"]
    for overrides in alerting.thresholds.clients.values():
        assert set(overrides) == set(defaults) and all(overrides[k] != defaults[k] for k in defaults)
    sample = bench.run_once([sys.executable, "-c", "pass"], tmp_path)
    assert sample.wall > 0 and sample.rss_mb > 1
    figure = bench.Figure("x / y", "x", "y", 1.0, False, (sample, sample), (sample, sample))
    [header, line, _] = bench.report([figure])
    assert header.split()[:4] == ["figure", "(A", "/", "B)"] and line.split()[-1] == "yes" and figure.value == 1.0


def test_the_reference_board_is_the_size_the_bench_says() -> None:
    """grafanalib's own loader and encoder, as `generate-dashboard` runs them: 6 rows, 26 panels, 9 variables."""
    from grafanalib._gen import loader

    board = json.loads(json.dumps(loader(str(REPO / "bench" / "reference.dashboard.py")).to_json_data(),
                                  default=lambda o: o.to_json_data()))
    rows = [p for p in board["panels"] if p["type"] == "row"]
    panels = [p for p in board["panels"] if p["type"] != "row"] + [c for r in rows for c in r.get("panels", [])]
    assert (len(rows), len(panels), len(board["templating"]["list"])) == (6, 26, 9)
