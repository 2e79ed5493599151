"""Behaviour of the desk's compiled board: what design §3 promises, checked on the JSON itself."""

from __future__ import annotations

import re
from typing import Any

from dashgen.board import walk
from dashgen.dsl.variables import QueryVariable
from dashgen.lint.promql import selectors
from dashgen.project import Project

DESIGN_VARIABLES = ["client", "exchange", "symbol", "account", "tag", "ref", "asset", "interval"]
DESIGN_ROWS = ["General", "Inventory", "Depths", "Orders", "Spread", "Trades"]


def rows(board: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(row, its panels), whether the row is expanded (panels follow it) or collapsed (panels inside)."""
    out: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for panel in board["panels"]:
        if panel["type"] == "row":
            out.append((panel, list(panel.get("panels", []))))
        else:
            out[-1][1].append(panel)
    return out


def query_variables(project: Project) -> list[QueryVariable]:
    return list(project.board.variables.query_variables)


def test_variables_in_design_order_after_the_datasource(board: dict[str, Any]) -> None:
    names = [v["name"] for v in board["templating"]["list"]]
    assert names == ["datasource", *DESIGN_VARIABLES]
    kinds = {v["name"]: v["type"] for v in board["templating"]["list"]}
    assert kinds["datasource"] == "datasource"
    assert kinds["interval"] == "interval"
    assert all(kinds[n] == "query" for n in DESIGN_VARIABLES[:-1])


def test_variable_options_follow_the_design(board: dict[str, Any]) -> None:
    by_name = {v["name"]: v for v in board["templating"]["list"]}
    for name in ["client", "exchange", "symbol", "account", "tag", "asset"]:
        assert by_name[name]["multi"] is True and by_name[name]["includeAll"] is True, name
        assert by_name[name]["allValue"] == ".*"
    assert by_name["ref"]["multi"] is False and by_name["ref"]["includeAll"] is False
    assert by_name["ref"]["label"] == "Reference currency"
    assert by_name["interval"]["query"].split(",") == ["1m", "5m", "15m", "1h", "4h", "1d"]


def test_each_query_variable_is_filtered_by_every_earlier_one_its_source_metric_carries(
    project: Project, board: dict[str, Any]
) -> None:
    by_name = {v["name"]: v for v in board["templating"]["list"]}
    earlier: list[QueryVariable] = []
    filtered = []
    for variable in query_variables(project):
        text = by_name[variable.name]["query"]
        match = re.fullmatch(r"label_values\((.*), (\w+)\)", text)
        assert match, text
        selector_text, label = match.groups()
        assert label == variable.matches
        (selector,) = selectors(selector_text)
        metric = project.catalogue.metrics[selector.metric]
        expected = {v.matches: (v.operator, f"${v.name}") for v in earlier if v.matches in metric.labels}
        assert selector.matchers == expected, variable.name
        if expected:
            filtered.append(variable.name)
        earlier.append(variable)
    assert filtered == ["exchange", "symbol", "account", "tag", "ref", "asset"]  # every one after the first


def test_rows_are_the_design_sections_in_order_each_with_its_panels(project: Project, board: dict[str, Any]) -> None:
    found = rows(board)
    assert [row["title"] for row, _ in found] == DESIGN_ROWS
    for (row, panels), section in zip(found, project.board.sections, strict=True):
        assert row["title"] == section.title
        assert [p["title"] for p in panels] == [p.title for p in section.panels]
        assert row["collapsed"] is section.collapsed
        if not section.collapsed:
            assert row["panels"] == []


def test_design_panels_are_present_in_their_rows(board: dict[str, Any]) -> None:
    kinds = {row["title"]: [(p["type"], p["title"]) for p in panels] for row, panels in rows(board)}
    general = kinds["General"]
    assert [k for k, _ in general].count("stat") == 4
    assert ("candlestick", "Price") in general
    assert len(kinds["Depths"]) == 4 and {k for k, _ in kinds["Depths"]} == {"bargauge"}
    assert ("table", "Live order ladder") in kinds["Orders"]
    assert any("Spread" in title for _, title in kinds["Spread"])
    assert [title for _, title in kinds["Trades"]] == ["Buys vs sells", "Filled volume", "Realized PnL"]


def test_every_query_filters_by_every_variable_its_metrics_labels_call_for(
    project: Project, board: dict[str, Any]
) -> None:
    variables = query_variables(project)
    checked = 0
    for panel in (at.panel for at in walk.panels(board)):
        for target in panel["targets"]:
            for selector in selectors(target["expr"]):
                metric = project.catalogue.metrics.get(selector.metric)
                assert metric is not None, f"{panel['title']}: {selector.metric} is not in the catalogue"
                found = selector.matchers
                for variable in variables:
                    if variable.matches in metric.labels:
                        assert found.get(variable.matches) == (variable.operator, f"${variable.name}"), (
                            f"{panel['title']} {target['refId']}: {selector.metric} lacks ${variable.name}"
                        )
                checked += 1
    assert checked >= 30  # every panel's selectors were looked at, not none


def test_grid_stays_within_24_columns_and_nothing_overlaps(board: dict[str, Any]) -> None:
    def boxes_overlap(a: dict[str, int], b: dict[str, int]) -> bool:
        return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a[
            "y"] + a["h"]

    visible = [p["gridPos"] for p in board["panels"]]  # what the board shows with every row as saved
    groups = [visible] + [
        [row["gridPos"], *(p["gridPos"] for p in row["panels"])] for row in board["panels"] if row.get("collapsed")
    ]
    for group in groups:
        for pos in group:
            assert 1 <= pos["w"] <= 24 and pos["x"] >= 0 and pos["x"] + pos["w"] <= 24 and pos["h"] >= 1
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                assert not boxes_overlap(a, b), (a, b)


def test_panel_ids_are_unique_across_rows_and_collapsed_rows(board: dict[str, Any]) -> None:
    ids = [p["id"] for p in board["panels"]] + [c["id"] for p in board["panels"] for c in p.get("panels", [])]
    assert len(ids) == len(set(ids))
    assert all(isinstance(i, int) and i > 0 for i in ids)


def test_every_panel_has_title_description_unit_and_the_templated_datasource(board: dict[str, Any]) -> None:
    for panel in (at.panel for at in walk.panels(board)):
        assert panel["title"].strip()
        assert panel["description"].strip(), panel["title"]
        assert panel["fieldConfig"]["defaults"]["unit"], panel["title"]
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        for target in panel["targets"]:
            assert target["datasource"] == {"type": "prometheus", "uid": "${datasource}"}


def test_counters_are_rated_and_rates_follow_the_interval(board: dict[str, Any]) -> None:
    for panel in (at.panel for at in walk.panels(board)):
        for target in panel["targets"]:
            if "_total" in target["expr"]:
                assert re.search(r"(rate|increase)\(mm_\w+_total\{[^}]*\}\[\$(__rate_interval|interval|__range)\]\)",
                                 target["expr"]), target["expr"]


def test_board_identity_and_schema(board: dict[str, Any]) -> None:
    assert board["uid"] == "mm-desk"
    assert board["title"] == "Market Making Desk"
    assert board["id"] is None
    assert board["schemaVersion"] == 41
