"""Round trips of diff and apply against the Grafana double at a simulated 50 ms RTT. Run with `make bench`.

Two scenarios, each as A/B pairs in one run (--parallel 8 against --parallel 1):
- the desk: the whole project (board and alerting) in a copy of this repository, `dashgen apply` then a no-op
  `dashgen diff`, each as a whole process (what a user or CI waits for);
- 200 managed boards: the desk's board and 199 copies under other uids, first apply, no-op diff and a one-panel
  change, driving the same read / plan / execute steps `dashgen apply` runs with the desired objects widened.
Reported: requests, sequential waves (the longest chain of requests each sent after the previous one was
answered: what latency multiplies), writes and wall time."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashgen.grafana.client import GrafanaClient  # noqa: E402
from dashgen.grafana.settings import ClientSettings, Credentials  # noqa: E402
from dashgen.kinds import kinds as all_kinds  # noqa: E402
from dashgen.kinds.base import Desired, WriteContext  # noqa: E402
from dashgen.kinds.dashboard import with_checksum  # noqa: E402
from dashgen.project import compile_project, load_project  # noqa: E402
from dashgen.sync.execute import execute  # noqa: E402
from dashgen.sync.plan import make_plan  # noqa: E402
from dashgen.sync.read import read_live  # noqa: E402
from tests.grafana_double import TOKEN, GrafanaDouble  # noqa: E402

LATENCY_S = 0.05
BOARDS = 200
SECRETS = {"SLACK_WEBHOOK_URL": "https://hooks.slack.test/services/T0/B0/bench", "PAGERDUTY_INTEGRATION_KEY": "k" * 32}


# ------------------------------------------------------------------------------------ 200 managed boards
def bench_desired(boards: int = BOARDS, change_one_panel: bool = False) -> list[Desired]:
    desired = compile_project(load_project(ROOT)).desired()
    folder, board = (next(d for d in desired if d.kind == kind) for kind in ("folder", "dashboard"))
    copies = []
    for n in range(1, boards):
        uid = f"{board.uid}-copy-{n:03d}"
        body = with_checksum({**board.body, "uid": uid, "title": f"{board.title} (copy {n:03d})"})
        copies.append(Desired("dashboard", uid, body["title"], body, board.parent))
    if change_one_panel:  # one panel of the main board only
        body = copy.deepcopy(board.body)
        body["panels"][1]["fieldConfig"]["defaults"]["unit"] = "currencyUSD"
        board = Desired(board.kind, board.uid, board.title, with_checksum(body), board.parent)
    return [folder, board, *copies]


def apply_once(grafana: GrafanaDouble, desired: list[Desired], parallel: int, *,
               write: bool = True) -> tuple[float, int, int, int]:
    """(seconds, requests, waves, writes) of one apply (or, with write=False, one diff)."""
    settings = ClientSettings(env_name="bench", base_url=grafana.url, org_id=1,
                              credentials=Credentials("$TOKEN", token=TOKEN), verify=True, connect_timeout_s=5,
                              read_timeout_s=30, attempts=3, backoff_s=0.1, max_wait_s=5)
    grafana.reset_counts()
    start = time.perf_counter()
    client = GrafanaClient(settings, max_in_flight=parallel)
    client.platform()  # the health check and discovery, as `dashgen` connects
    kinds = all_kinds(alerting=False)
    plan = make_plan(kinds, desired, read_live(client, kinds, desired))
    if write:
        outcomes = execute(plan, kinds, client, WriteContext("dashgen bench"), prune=False, parallel=parallel)
        assert all(o.status == "written" for o in outcomes), outcomes
    seconds = time.perf_counter() - start
    return seconds, grafana.count(), grafana.waves(), grafana.writes()


# ------------------------------------------------------------------------------------- the desk, whole process
def desk_project(directory: Path, url: str) -> Path:
    root = directory / "desk"
    for name in ("panels", "alerts"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "metrics.yaml", root / "metrics.yaml")
    head, rest = (ROOT / "dashgen.yaml").read_text().split("environments:", 1)
    alerting = "alerting:" + rest.split("alerting:", 1)[1]
    (root / "dashgen.yaml").write_text(head + f"environments:\n  bench:\n    url: {url}\n    token_env: GRAFANA_TOKEN\n"
                                       "    datasource_uid: prom-bench\n" + alerting)
    return root


def run_dashgen(root: Path, *args: str) -> tuple[float, int]:
    env = {**os.environ, "GRAFANA_TOKEN": TOKEN, **SECRETS}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dashgen", "--project", str(root), *args], env=env,
                          capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done.returncode


def desk_rows(version: str) -> list[tuple[str, float, int, int, int]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp, GrafanaDouble(version, latency_s=LATENCY_S) as grafana:
        root = desk_project(Path(tmp), grafana.url)
        for parallel in (8, 1):
            grafana.reset_counts()
            seconds, code = run_dashgen(root, "apply", "--yes", "--parallel", str(parallel))
            assert code == 0, "apply failed"
            if parallel == 8:
                rows.append((f"desk {version}: first apply --parallel 8", seconds, grafana.count(),
                             grafana.waves(), grafana.writes()))
            grafana.reset_counts()
            seconds, code = run_dashgen(root, "diff", "--parallel", str(parallel))
            assert code == 0, "a no-op diff right after apply must exit 0"
            rows.append((f"desk {version}: no-op diff --parallel {parallel}", seconds, grafana.count(),
                         grafana.waves(), grafana.writes()))
    return rows


def main() -> int:
    rows = [*desk_rows("11.6.0"), *desk_rows("13.0.0")]  # the legacy API, and the app-platform API
    for version, parallels in (("11.6.0", (8, 1)), ("13.0.0", (8,))):
        for parallel in parallels:
            with GrafanaDouble(version, latency_s=LATENCY_S) as grafana:
                first = apply_once(grafana, bench_desired(), parallel)
                noop = apply_once(grafana, bench_desired(), parallel, write=False)
                change = apply_once(grafana, bench_desired(change_one_panel=True), parallel)
            rows += [(f"{BOARDS} boards {version}: {name} --parallel {parallel}", *numbers) for name, numbers in
                     (("first apply", first), ("no-op diff", noop), ("one-panel change", change))]
    print(f"{'scenario (50 ms per request)':<54} {'wall s':>7} {'requests':>9} {'waves':>6} {'writes':>7}")
    for name, seconds, requests, waves, writes in rows:
        print(f"{name:<54} {seconds:>7.2f} {requests:>9} {waves:>6} {writes:>7}")
    wall = {name: seconds for name, seconds, *_ in rows}
    for version in ("11.6.0", "13.0.0"):
        serial, parallel = (wall[f"desk {version}: no-op diff --parallel {n}"] for n in (1, 8))
        print(f"desk {version} no-op diff --parallel 1 / --parallel 8: {serial / parallel:.2f}x")
    one = wall[f"{BOARDS} boards 11.6.0: first apply --parallel 1"]
    eight = wall[f"{BOARDS} boards 11.6.0: first apply --parallel 8"]
    print(f"{BOARDS} boards 11.6.0 first apply --parallel 1 / --parallel 8: {one / eight:.2f}x")
    print(f"desk no-op diff 13.0.0 (/apis) / 11.6.0 (/api), --parallel 8: "
          f"{wall['desk 13.0.0: no-op diff --parallel 8'] / wall['desk 11.6.0: no-op diff --parallel 8']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
