"""Rules over a dashboard's JSON model: they work on any board, dashgen's or not. The metric-contract rules
need the catalogue and are skipped without one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dashgen.board import walk
from dashgen.board.layout import GRID_COLUMNS
from dashgen.catalogue import Catalogue
from dashgen.lint.model import Issue, rule
from dashgen.lint.promql import PromQLError, selectors, variables_used

RATE_FUNCTIONS = ("rate", "increase", "irate")
RATE_WINDOWS = ("$__rate_interval", "${__rate_interval}", "$interval", "${interval}")
BUILTIN = re.compile(r"^__")


@dataclass(frozen=True)
class Target:
    location: str  # "Row / Title"
    ref_id: str
    expr: str


@dataclass(frozen=True)
class BoardContext:
    dashboard: dict[str, Any]
    catalogue: Catalogue | None

    def panels(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for at in walk.panels(self.dashboard):
            yield at.location, at.panel

    def targets(self) -> Iterator[Target]:
        for at in walk.targets(self.dashboard):
            if at.target.get("expr"):
                yield Target(at.location, at.ref_id, str(at.target["expr"]))

    def variables(self) -> list[dict[str, Any]]:
        return list(self.dashboard.get("templating", {}).get("list", []))

    def bound_labels(self) -> dict[str, str]:
        """label -> variable, from each query variable's label_values(..., label)."""
        found = {}
        for variable in self.variables():
            query = variable.get("query")
            text = query.get("query", "") if isinstance(query, dict) else str(query or "")
            match = re.search(r"label_values\((?:.*,\s*)?(\w+)\)\s*$", text)
            if variable.get("type") == "query" and match:
                found[match.group(1)] = str(variable["name"])
        return found


def _parsed(context: BoardContext) -> Iterator[tuple[Target, list[Any]]]:
    for target in context.targets():
        try:
            yield target, selectors(target.expr)
        except PromQLError:
            continue  # reported by promql-parse


@rule("DG101", "promql-parse", "every query parses as PromQL (after Grafana's variables and macros)", scope="board")
def promql_parse(context: BoardContext) -> Iterator[Issue]:
    for target in context.targets():
        try:
            selectors(target.expr)
        except PromQLError as exc:
            yield Issue(target.location, f"{exc}: {target.expr}", target.ref_id)


@rule("DG102", "unknown-metric", "every metric a query reads is in metrics.yaml", scope="board")
def unknown_metric(context: BoardContext) -> Iterator[Issue]:
    if context.catalogue is None:
        return
    for target, found in _parsed(context):
        for selector in found:
            if selector.metric not in context.catalogue:
                yield Issue(target.location, f"{selector.metric} is not in the metric catalogue", target.ref_id)


@rule("DG103", "unknown-label", "every label matcher names a label the metric has", scope="board")
def unknown_label(context: BoardContext) -> Iterator[Issue]:
    if context.catalogue is None:
        return
    for target, found in _parsed(context):
        for selector in found:
            metric = context.catalogue.get(selector.metric)
            for label in sorted(set(selector.matchers) - {"__name__"} - set(metric.labels if metric else [])):
                if metric is not None:
                    yield Issue(target.location, f"{selector.metric} has no label {label!r} "
                                f"(labels: {', '.join(metric.labels)})", target.ref_id)


@rule("DG104", "missing-filter", "every query filters by every board variable its metric's labels call for",
      scope="board")
def missing_filter(context: BoardContext) -> Iterator[Issue]:
    if context.catalogue is None:
        return
    bound = context.bound_labels()
    for target, found in _parsed(context):
        for selector in found:
            metric = context.catalogue.get(selector.metric)
            for label in metric.labels if metric else []:
                variable = bound.get(label)
                if variable is None:
                    continue
                operator, value = selector.matchers.get(label, ("", ""))
                if operator not in ("=", "=~") or variable not in variables_used(value):
                    yield Issue(target.location, f"{selector.metric} is not filtered by ${variable} "
                                f"(add {label}=~\"${variable}\")", target.ref_id)


@rule("DG105", "counter-rate", "counters only inside rate/increase/irate, over $__rate_interval or $interval",
      scope="board")
def counter_rate(context: BoardContext) -> Iterator[Issue]:
    if context.catalogue is None:
        return
    for target, found in _parsed(context):
        for selector in found:
            metric = context.catalogue.get(selector.metric)
            if metric is None or metric.type != "counter":
                continue
            if selector.in_function not in RATE_FUNCTIONS:
                yield Issue(target.location, f"counter {selector.metric} is read raw: wrap it in rate() or "
                            "increase()", target.ref_id)
            elif selector.range_text not in RATE_WINDOWS:
                yield Issue(target.location, f"{selector.in_function}({selector.metric}[{selector.range_text}]): "
                            "use $__rate_interval, or $interval where the section follows the interval",
                            target.ref_id)


@rule("DG106", "panel-metadata", "every panel has a title, a description and a unit", scope="board")
def panel_metadata(context: BoardContext) -> Iterator[Issue]:
    for location, panel in context.panels():
        missing = [name for name, value in (("title", panel.get("title")),
                                            ("description", panel.get("description")),
                                            ("unit", panel.get("fieldConfig", {}).get("defaults", {}).get("unit")))
                   if not str(value or "").strip()]
        if missing:
            yield Issue(location or "(untitled panel)", f"missing {', '.join(missing)}")


@rule("DG107", "panel-datasource", "panels and queries use the board's templated datasource", scope="board")
def panel_datasource(context: BoardContext) -> Iterator[Issue]:
    names = {str(v["name"]) for v in context.variables() if v.get("type") == "datasource"}
    templated = {f"${{{n}}}" for n in names} | {f"${n}" for n in names}
    for location, panel in context.panels():
        queries = [(f"query {t.get('refId')}", t.get("datasource")) for t in panel.get("targets", [])]
        for where, datasource in [("panel", panel.get("datasource")), *queries]:
            uid = datasource.get("uid") if isinstance(datasource, dict) else datasource
            if uid not in templated:
                need = sorted(templated)[0] if templated else "a datasource variable"
                yield Issue(location, f"{where} datasource is {uid!r}, not the templated {need}")


def _overlaps(a: dict[str, int], b: dict[str, int]) -> bool:
    across = a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
    return across and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


@rule("DG108", "grid", "panels lie within 24 columns and do not overlap", scope="board")
def grid(context: BoardContext) -> Iterator[Issue]:
    for grid_panels in walk.grids(context.dashboard):
        group = [(p.get("title", ""), p.get("gridPos") or {}) for p in grid_panels]
        for title, pos in group:
            x, w = pos.get("x", 0), pos.get("w", 0)
            if not pos or x < 0 or w < 1 or x + w > GRID_COLUMNS:
                yield Issue(title, f"gridPos {pos} is outside the {GRID_COLUMNS}-column grid")
        for i, (title, a) in enumerate(group):
            for other, b in group[i + 1:]:
                if a and b and _overlaps(a, b):
                    yield Issue(title, f"overlaps {other!r} ({a} and {b})")


@rule("DG109", "panel-id", "panel ids are unique", scope="board")
def panel_id(context: BoardContext) -> Iterator[Issue]:
    seen: dict[Any, str] = {}
    for panel in walk.stored(context.dashboard):
        pid = panel.get("id")
        if pid in seen:
            yield Issue(str(panel.get("title", "")), f"id {pid} is also used by {seen[pid]!r}")
        seen[pid] = str(panel.get("title", ""))


@rule("DG110", "unknown-variable", "every $variable used exists", scope="board")
def unknown_variable(context: BoardContext) -> Iterator[Issue]:
    names = {str(v.get("name")) for v in context.variables()}
    for target in context.targets():
        for used in sorted(variables_used(target.expr)):
            if used not in names and not BUILTIN.match(used):
                yield Issue(target.location, f"${used} is not a variable of this board", target.ref_id)
    for location, panel in context.panels():
        if panel.get("repeat") and panel["repeat"] not in names:
            yield Issue(location, f"repeats over ${panel['repeat']}, which is not a variable")
    for variable in context.variables():
        query = variable.get("query")
        for used in sorted(variables_used(query if isinstance(query, str) else "")):
            if used not in names and not BUILTIN.match(used):
                yield Issue(f"variable {variable.get('name')}", f"${used} is not a variable of this board")
