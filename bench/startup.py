"""Whole-process start-up cost: medians of repeated runs of `dashgen --version`, `dashgen build` and a bare
`python -c pass`, with each command's ratio to the bare interpreter. Run with `make bench`."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
TARGETS = {"dashgen --version": 0.3, "dashgen build": 1.0}


def median_seconds(argv: list[str], runs: int = RUNS) -> float:
    subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)  # warm the file cache and .pyc files
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    dashgen = str(Path(sys.executable).with_name("dashgen"))
    with tempfile.TemporaryDirectory() as out:
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "dashgen --version": [dashgen, "--version"],
            "dashgen build": [dashgen, "--project", str(ROOT), "build", "--out-dir", out],
        }
        medians = {name: median_seconds(argv) for name, argv in commands.items()}
    base = medians["python -c pass"]
    print(f"{'command':<20} {'median s':>9} {'x python':>9} {'target s':>9}  ok")
    failed = False
    for name, seconds in medians.items():
        target = TARGETS.get(name)
        ok = "" if target is None else ("yes" if seconds < target else "NO")
        failed |= ok == "NO"
        print(f"{name:<20} {seconds:>9.3f} {seconds / base:>9.1f} {target if target else '':>9}  {ok}")
    print(f"({RUNS} runs each, median; 2-core machine)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
