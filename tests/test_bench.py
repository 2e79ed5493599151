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
    desired = bench.bench_desired()
    assert [d.kind for d in desired].count("dashboard") == 21
    with GrafanaDouble() as grafana:
        _, requests, writes = bench.apply_once(grafana, desired, 4)
        assert writes == 22 and requests > writes
        assert bench.apply_once(grafana, desired, 4)[2] == 0
        assert bench.apply_once(grafana, bench.bench_desired(change_one_panel=True), 4)[2] == 1
