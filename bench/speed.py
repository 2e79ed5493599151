"""Whole-process speed of the commands people wait for, as paired A/B runs in one process: `make bench`.

Each figure times two commands as whole processes (interpreter start, imports, work, exit), alternating A and B
so that both see the same machine load, after one warm-up run of each (file cache, .pyc files). Reported: the
median wall time of each, their ratio, the ratio of their CPU time (user + system of the child: steadier than
wall time on a busy machine) and the child's peak RSS. A target is judged on the ratio of the wall medians.

- `dashgen build` of the desk against grafanalib's own `generate-dashboard` of bench/reference.dashboard.py, a
  board of the same size written with grafanalib alone: dashgen's price over the library it builds with;
- `dashgen lint` against `dashgen build`: lint imports only what it needs;
- `dashgen --help` against a bare `python -c pass`: start-up before any command runs;
- `dashgen build` of the desk with 300 clients, each overriding every threshold key in dashgen.yaml (a copy of
  the desk in a temporary directory), against the desk's own build: rules multiply, the cost per rule must not.

`python bench/speed.py --runs N` changes the number of pairs (default 15; the 300-client figure runs a third)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# As people run dashgen: with .pyc files (written by the warm-up run), whatever this shell says.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
CLIENTS = 300
DEFAULT_RUNS = 15


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    rss_mb: float  # the child's peak resident set


@dataclass(frozen=True)
class Figure:
    name: str
    a: str
    b: str
    target: float | None  # on the ratio of wall medians (or on A's median in seconds, when `absolute`)
    absolute: bool
    a_runs: tuple[Sample, ...]
    b_runs: tuple[Sample, ...]

    @property
    def value(self) -> float:
        a = statistics.median(s.wall for s in self.a_runs)
        return a if self.absolute else a / statistics.median(s.wall for s in self.b_runs)

    @property
    def ok(self) -> bool | None:
        return None if self.target is None else self.value <= self.target


def run_once(argv: Sequence[str], cwd: Path) -> Sample:
    """One whole process; its CPU time and peak RSS from wait4 (this child's alone)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode not in (0, 1):  # lint exits 1 on findings at error severity; anything else is broken
        raise SystemExit(f"{' '.join(argv)}: exit {process.returncode}\n{errors.decode(errors='replace')}")
    return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024)


def paired(a: Sequence[str], b: Sequence[str], runs: int) -> tuple[tuple[Sample, ...], tuple[Sample, ...]]:
    run_once(a, ROOT), run_once(b, ROOT)  # warm-up
    a_runs, b_runs = [], []
    for _ in range(runs):
        a_runs.append(run_once(a, ROOT))
        b_runs.append(run_once(b, ROOT))
    return tuple(a_runs), tuple(b_runs)


def many_clients(directory: Path, clients: int) -> Path:
    """A copy of the desk in which `clients` clients each override every threshold key of the defaults."""
    root = directory / f"desk-{clients}-clients"
    for name in ("panels", "alerts"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "metrics.yaml", root / "metrics.yaml")
    config: dict[str, Any] = yaml.safe_load((ROOT / "dashgen.yaml").read_text())
    thresholds = config["alerting"]["thresholds"]
    thresholds["clients"] = {
        f"client-{n:03d}": {key: _raised(value, n) for key, value in thresholds["defaults"].items()}
        for n in range(1, clients + 1)
    }
    (root / "dashgen.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root


def _raised(value: int | float, n: int) -> int | float:
    """Client n's value: always another than the default, of the same type."""
    return value + n if isinstance(value, int) else round(value + n / 1000, 6)


def figures(runs: int, directory: Path) -> list[Figure]:
    dashgen = str(BIN / "dashgen")
    out = directory / "out"

    def build(project: Path) -> list[str]:
        return [dashgen, "--project", str(project), "build", "--out-dir", str(out)]

    desk = build(ROOT)
    reference = [str(BIN / "generate-dashboard"), "-o", str(directory / "reference.json"),
                 str(ROOT / "bench" / "reference.dashboard.py")]
    lint = [dashgen, "--project", str(ROOT), "lint"]
    wide = build(many_clients(directory, CLIENTS))
    found = []
    for name, a, b, target, absolute, pairs in (
        ("build / grafanalib generate-dashboard", desk, reference, 1.0, False, runs),
        ("lint / build", lint, desk, 1.1, False, runs),
        ("--help (s) / python -c pass", [dashgen, "--help"], [sys.executable, "-c", "pass"], 0.080, True, runs),
        ("--version (s) / python -c pass", [dashgen, "--version"], [sys.executable, "-c", "pass"], None, True,
         runs),
        (f"build {CLIENTS} clients x 5 overrides / desk", wide, desk, 1.5, False, max(3, runs // 3)),
    ):
        a_runs, b_runs = paired(a, b, pairs)
        found.append(Figure(name, " ".join(a), " ".join(b), target, absolute, a_runs, b_runs))
    return found


def report(found: Sequence[Figure]) -> list[str]:
    lines = [f"{'figure (A / B)':<42} {'A s':>7} {'B s':>7} {'A/B':>6} {'cpu A/B':>8} {'A MB':>6} {'B MB':>6} "
             f"{'target':>7}  ok"]
    for figure in found:
        a, b = (statistics.median(s.wall for s in runs) for runs in (figure.a_runs, figure.b_runs))
        cpu = statistics.median(s.cpu for s in figure.a_runs) / statistics.median(s.cpu for s in figure.b_runs)
        a_mb, b_mb = (max(s.rss_mb for s in runs) for runs in (figure.a_runs, figure.b_runs))
        target = "" if figure.target is None else (f"{figure.target:.3f}s" if figure.absolute
                                                   else f"{figure.target:.1f}x")
        ok = {None: "", True: "yes", False: "NO"}[figure.ok]
        lines.append(f"{figure.name:<42} {a:>7.3f} {b:>7.3f} {a / b:>5.2f}x {cpu:>7.2f}x {a_mb:>6.1f} {b_mb:>6.1f} "
                     f"{target:>7}  {ok}")
    runs = ", ".join(f"{len(f.a_runs)}" for f in found)
    lines.append(f"(pairs per figure: {runs}; medians of wall time; peak RSS is the largest of the runs; "
                 f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="A/B pairs per figure")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        found = figures(args.runs, Path(tmp))
    for line in report(found):
        print(line)
    missed = [f.name for f in found if f.ok is False]
    if missed:  # a figure, not a failure: `make bench` reports; the closing notes say why a target is missed
        print(f"missed targets: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
