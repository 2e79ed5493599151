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
  the desk in a temporary directory), against the desk's own build: rules multiply, the cost per rule must not;
- `dashgen review --base HEAD` of a changed copy of the desk (committed in a new repository, then every default
  threshold and one panel changed) against one build of it: the base's build runs beside the working tree's;
- `dashgen preview --prometheus URL` of the desk against its build: page generation with every panel's queries
  answered by a Prometheus that is already running (the synthetic desk, its last sample now; started once by
  the bench, not timed).

`python bench/speed.py --runs N` changes the number of pairs (default 15; the 300-client figure runs a third)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
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


def changed_desk(directory: Path) -> Path:
    """The desk committed in a new git repository, then changed in the working tree: every default threshold
    doubled and the first unit of the last section file set to percent."""
    root = directory / "desk-changed"
    for name in ("panels", "alerts"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("metrics.yaml", "dashgen.yaml"):
        shutil.copy(ROOT / name, root / name)
    git = ["git", "-c", "user.email=bench@example.com", "-c", "user.name=bench", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "desk"], check=True)
    config: dict[str, Any] = yaml.safe_load((root / "dashgen.yaml").read_text())
    defaults = config["alerting"]["thresholds"]["defaults"]
    config["alerting"]["thresholds"]["defaults"] = {key: value * 2 for key, value in defaults.items()}
    (root / "dashgen.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    section = sorted(path for path in (root / "panels").glob("[!_]*.py") if 'unit="' in path.read_text())[-1]
    section.write_text(re.sub(r'unit="[^"]+"', 'unit="percent"', section.read_text(), count=1))
    return root


@contextlib.contextmanager
def desk_prometheus() -> Iterator[str | None]:
    """The synthetic desk on a local Prometheus, its last sample at the current time (so the board's `now-6h`
    to `now` has data), kept by a child process (`serve_desk`) until the block ends; None without Debian's
    prometheus. A child: a bench process grown by compiling the desk would lend its size to the peak RSS of
    every process it starts (the high-water mark survives fork and exec)."""
    server = subprocess.Popen([sys.executable, __file__, "--serve-desk"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert server.stdin is not None and server.stdout is not None
    try:
        url = server.stdout.readline().strip()
        yield url or None
    finally:
        server.stdin.close()  # the child stops its Prometheus and exits
        server.wait(timeout=60)


def serve_desk() -> int:
    from dashgen.preview import local, synthetic
    from dashgen.preview.data import PREVIEW_DESK
    from dashgen.project import compile_project, load_project

    if not local.available():
        print("", flush=True)
        return 0
    compiled = compile_project(load_project(ROOT))
    dashboard = compiled.board.dashboard
    end = int(time.time()) // PREVIEW_DESK.step * PREVIEW_DESK.step
    desk = dataclasses.replace(PREVIEW_DESK, start=end - PREVIEW_DESK.hours * 3600)
    with local.synthetic_prometheus(compiled.catalogue, desk, synthetic.board_domains(dashboard, compiled.catalogue),
                                    synthetic.metrics_used(dashboard, compiled.catalogue), None) as server:
        print(server.url, flush=True)
        sys.stdin.read()  # until the bench closes it
    return 0


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
    changed = changed_desk(directory)
    review = [dashgen, "--project", str(changed), "review", "--base", "HEAD"]
    with desk_prometheus() as prometheus:
        preview = [dashgen, "--project", str(ROOT), "preview", "--out-dir", str(directory / "preview"),
                   "--prometheus", prometheus or "http://127.0.0.1:9"]
        return _measure(runs, [
            ("build / grafanalib generate-dashboard", desk, reference, 1.0, False, runs),
            ("lint / build", lint, desk, 1.1, False, runs),
            ("--help (s) / python -c pass", [dashgen, "--help"], [sys.executable, "-c", "pass"], 0.080, True, runs),
            ("--version (s) / python -c pass", [dashgen, "--version"], [sys.executable, "-c", "pass"], None, True,
             runs),
            (f"build {CLIENTS} clients x 5 overrides / desk", wide, desk, 1.5, False, max(3, runs // 3)),
            ("review --base HEAD (changed desk) / its build", review, build(changed), 2.0, False, runs),
            *([("preview --prometheus (running) / build", preview, desk, None, False, max(3, runs // 3))]
              if prometheus else []),
        ])


FigureSpec = tuple[str, list[str], list[str], float | None, bool, int]


def _measure(runs: int, specs: Sequence[FigureSpec]) -> list[Figure]:
    found = []
    for name, a, b, target, absolute, pairs in specs:
        a_runs, b_runs = paired(a, b, pairs)
        found.append(Figure(name, " ".join(a), " ".join(b), target, absolute, a_runs, b_runs))
    return found


def report(found: Sequence[Figure]) -> list[str]:
    lines = [f"{'figure (A / B)':<46} {'A s':>7} {'B s':>7} {'A/B':>6} {'cpu A/B':>8} {'A MB':>6} {'B MB':>6} "
             f"{'target':>7}  ok"]
    for figure in found:
        a, b = (statistics.median(s.wall for s in runs) for runs in (figure.a_runs, figure.b_runs))
        cpu = statistics.median(s.cpu for s in figure.a_runs) / statistics.median(s.cpu for s in figure.b_runs)
        a_mb, b_mb = (max(s.rss_mb for s in runs) for runs in (figure.a_runs, figure.b_runs))
        target = "" if figure.target is None else (f"{figure.target:.3f}s" if figure.absolute
                                                   else f"{figure.target:.1f}x")
        ok = {None: "", True: "yes", False: "NO"}[figure.ok]
        lines.append(f"{figure.name:<46} {a:>7.3f} {b:>7.3f} {a / b:>5.2f}x {cpu:>7.2f}x {a_mb:>6.1f} {b_mb:>6.1f} "
                     f"{target:>7}  {ok}")
    runs = ", ".join(f"{len(f.a_runs)}" for f in found)
    lines.append(f"(pairs per figure: {runs}; medians of wall time; peak RSS is the largest of the runs; "
                 f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="A/B pairs per figure")
    parser.add_argument("--serve-desk", action="store_true", help=argparse.SUPPRESS)  # desk_prometheus's child
    args = parser.parse_args(argv)
    if args.serve_desk:
        return serve_desk()
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
