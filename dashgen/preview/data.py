"""The preview's data step: the compiled board's queries evaluated, series per panel (`BoardData`).

Sources, in this order: `--prometheus URL` (the board's time range up to now, variables at their defaults);
else, when `prometheus` and `promtool` are installed, a local Prometheus started over the synthetic desk (the
metrics the board's queries name, from the project's catalogue; the board's range anchored at the data's end,
so `now-6h` to `now` is the data's 6 hours); else no data, the layout alone, saying why."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from dashgen.catalogue import Catalogue
from dashgen.preview.series import BoardData, no_data
from dashgen.preview.synthetic import Desk
from dashgen.processes import PROMETHEUS_HINT
from dashgen.project import CompiledProject

# 6 hours at 30 s: half the samples of the e2e desk's 15 s (backfill time is per sample), still at least two
# samples in every window Grafana's $__rate_interval gives (4 x its 15 s scrape interval)
PREVIEW_DESK = Desk(step=30)
NO_PROMETHEUS = (f"prometheus is not installed and no --prometheus URL was given: {PROMETHEUS_HINT}, or pass "
                 "--prometheus URL")


def load_board_data(compiled: CompiledProject, prometheus_url: str | None) -> BoardData:
    dashboard = compiled.board.dashboard
    if prometheus_url:
        return from_prometheus(dashboard, prometheus_url)
    from dashgen.preview import local

    if not local.available():
        return no_data(NO_PROMETHEUS)
    return from_synthetic(dashboard, compiled.catalogue)


def from_prometheus(dashboard: dict[str, Any], url: str, now: int | None = None) -> BoardData:
    """The board over a Prometheus server (`now`: the end of the board's `now`, the current time by default)."""
    from dashgen.preview.prometheus import PrometheusClient

    client = PrometheusClient(url)
    try:
        version = client.build_version()
        source = f"Prometheus {client.url}" + (f" ({version})" if version else "")
        return evaluate_board(dashboard, client, int(time.time()) if now is None else now, source)
    finally:
        client.close()


def from_synthetic(dashboard: dict[str, Any], catalogue: Catalogue) -> BoardData:
    """The board over a local Prometheus holding the synthetic desk, its `now` the data's end."""
    from dashgen.preview import local, synthetic
    from dashgen.preview.prometheus import PrometheusClient

    desk = PREVIEW_DESK
    metrics = synthetic.metrics_used(dashboard, catalogue)
    domains = synthetic.board_domains(dashboard, catalogue)
    cache_dir = local.default_cache_dir()
    with local.synthetic_prometheus(catalogue, desk, domains, metrics, cache_dir) as server:
        client = PrometheusClient(server.url)
        try:
            version = client.build_version()
            window = f"{_utc(desk.start)}\N{EN DASH}{_utc(desk.end, time_only=_same_day(desk.start, desk.end))} UTC"
            source = f"synthetic desk data (local Prometheus {version or local.version()}), {window}"
            return evaluate_board(dashboard, client, desk.end, source)
        finally:
            client.close()


def evaluate_board(dashboard: dict[str, Any], client: Any, now: int, source: str) -> BoardData:
    """Every panel's queries over the board's range ending at `now`, variables at their defaults."""
    from dashgen.preview.prometheus import QueryError, evaluate
    from dashgen.preview.queries import board_range, defaults, queries

    start, end, step = board_range(dashboard, now)

    def label_values(label: str, match: str | None, start: int, end: int) -> list[str]:
        try:
            return list(client.label_values(label, match, start, end, f"the values of variable label {label!r}"))
        except QueryError:
            return []

    values = defaults(dashboard, start, end, label_values)
    panels = evaluate(client, queries(dashboard, now, values))
    return BoardData(source=source, start=start, end=end, step=step, panels=panels)


def _utc(at: int, time_only: bool = False) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%H:%M" if time_only else "%Y-%m-%d %H:%M")


def _same_day(start: int, end: int) -> bool:
    return datetime.fromtimestamp(start, UTC).date() == datetime.fromtimestamp(end - 1, UTC).date()
