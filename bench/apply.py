"""Apply against the Grafana double with 50 ms of latency per request, for a bench project of 21 dashboards
(the desk's board plus 20 copies under other uids): request counts and wall time of a first apply, a no-op
apply and a one-panel change, and --parallel 1 against --parallel 4. Run with `make bench`.

It drives the same read / plan / execute steps `dashgen apply` runs (dashgen.commands.remote and
dashgen.sync), with the desired objects widened to 21 dashboards."""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashgen.commands.remote import handlers  # noqa: E402
from dashgen.grafana.client import GrafanaClient  # noqa: E402
from dashgen.grafana.settings import ClientSettings, Credentials  # noqa: E402
from dashgen.project import compile_project, load_project  # noqa: E402
from dashgen.kinds.base import Desired, WriteContext  # noqa: E402
from dashgen.sync.execute import execute  # noqa: E402
from dashgen.sync.plan import make_plan  # noqa: E402
from dashgen.sync.read import read_live  # noqa: E402
from tests.grafana_double import TOKEN, GrafanaDouble  # noqa: E402

LATENCY_S = 0.05
COPIES = 20


def bench_desired(change_one_panel: bool = False) -> list[Desired]:
    project = load_project(ROOT)
    desired = compile_project(project).desired()
    folder, board = (next(d for d in desired if d.kind == kind) for kind in ("folder", "dashboard"))
    copies = []
    for n in range(1, COPIES + 1):
        uid = f"{board.uid}-copy-{n:02d}"
        body = {**board.body, "uid": uid, "title": f"{board.title} (copy {n:02d})"}
        copies.append(Desired("dashboard", uid, body["title"], body, board.parent))
    if change_one_panel:  # one panel of the main board only
        body = copy.deepcopy(board.body)
        body["panels"][1]["fieldConfig"]["defaults"]["unit"] = "currencyUSD"
        board = Desired(board.kind, board.uid, board.title, body, board.parent)
    return [folder, board, *copies]


def apply_once(grafana: GrafanaDouble, desired: list[Desired], parallel: int) -> tuple[float, int, int]:
    settings = ClientSettings(env_name="bench", base_url=grafana.url, org_id=1,
                              credentials=Credentials("$TOKEN", token=TOKEN), verify=True, connect_timeout_s=5,
                              read_timeout_s=30, attempts=3, backoff_s=0.1, max_wait_s=5)
    grafana.reset_counts()
    start = time.perf_counter()
    client = GrafanaClient(settings)
    client.info()
    kinds = handlers(alerting=False)  # the dashboards scenario of issue 3
    plan = make_plan(kinds, desired, read_live(client, kinds, desired, parallel=parallel))
    outcomes = execute(plan, kinds, client, WriteContext("dashgen bench"), prune=False, parallel=parallel)
    seconds = time.perf_counter() - start
    assert all(o.status == "written" for o in outcomes), outcomes
    return seconds, grafana.count(), grafana.writes()


def main() -> int:
    rows = []
    first_apply = {}
    for parallel in (4, 1):
        with GrafanaDouble(latency_s=LATENCY_S) as grafana:
            first = apply_once(grafana, bench_desired(), parallel)
            noop = apply_once(grafana, bench_desired(), parallel)
            change = apply_once(grafana, bench_desired(change_one_panel=True), parallel)
        first_apply[parallel] = first[0]
        for name, (seconds, requests, writes) in (("first apply", first), ("no-op apply", noop),
                                                  ("one-panel change", change)):
            rows.append((f"{name} --parallel {parallel}", seconds, requests, writes))
    print(f"{'scenario (21 dashboards, 50 ms/request)':<42} {'wall s':>7} {'requests':>9} {'writes':>7}")
    for name, seconds, requests, writes in rows:
        print(f"{name:<42} {seconds:>7.2f} {requests:>9} {writes:>7}")
    print(f"first apply --parallel 1 / --parallel 4: {first_apply[1] / first_apply[4]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
