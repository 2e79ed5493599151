"""The bench scripts still run against the current code (they are not timed here: `make bench` does that)."""

from __future__ import annotations

import importlib.util
import sys

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
