"""Behaviour of a compiled board, checked on the JSON itself: the full factory project (tests/factories.py), whose
sections, panels and variables use every kind and option the desk does. The desk's own board is reviewed in
tests/__snapshots__ and linted clean by tests/test_desk.py."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dashgen.board import walk
from dashgen.dsl.variables import QueryVariable
from dashgen.lint.promql import selectors
from dashgen.project import CompiledProject, Project


@pytest.fixture(scope="module")
def board(compiled_full: CompiledProject) -> dict[str, Any]:
    return compiled_full.board.dashboard


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


def test_variables_in_their_order_with_their_kinds(board: dict[str, Any]) -> None:
    kinds = [(v["name"], v["type"]) for v in board["templating"]["list"]]
    assert kinds == [("datasource", "datasource"), ("client", "query"), ("exchange", "query"), ("asset", "query"),
                     ("interval", "interval")]


def test_variable_options_follow_their_definitions(board: dict[str, Any]) -> None:
    by_name = {v["name"]: v for v in board["templating"]["list"]}
    for name in ["client", "asset"]:
        assert by_name[name]["multi"] is True and by_name[name]["includeAll"] is True, name
        assert by_name[name]["allValue"] == ".*"
    assert by_name["exchange"]["multi"] is False and by_name["exchange"]["includeAll"] is False
    assert by_name["exchange"]["label"] == "Venue" and by_name["client"]["label"] == "Client"
    assert by_name["interval"]["query"].split(",") == ["1m", "5m", "1h"]


def test_each_query_variable_is_filtered_by_every_earlier_one_its_source_metric_carries(
    full_project: Project, board: dict[str, Any]
) -> None:
    by_name = {v["name"]: v for v in board["templating"]["list"]}
    earlier: list[QueryVariable] = []
    filtered = {}
    for variable in query_variables(full_project):
        text = by_name[variable.name]["query"]
        match = re.fullmatch(r"label_values\((.*), (\w+)\)", text)
        assert match, text
        selector_text, label = match.groups()
        assert label == variable.matches
        (selector,) = selectors(selector_text)
        metric = full_project.catalogue.metrics[selector.metric]
        expected = {v.matches: (v.operator, f"${v.name}") for v in earlier if v.matches in metric.labels}
        assert selector.matchers == expected, variable.name
        filtered[variable.name] = sorted(expected)
        earlier.append(variable)
    # asset's metric has no exchange label: it is filtered by client alone
    assert filtered == {"client": [], "exchange": ["client"], "asset": ["client"]}


def test_rows_are_the_sections_in_order_each_with_its_panels(full_project: Project, board: dict[str, Any]) -> None:
    found = rows(board)
    assert [row["title"] for row, _ in found] == ["Prices", "Orders"]
    for (row, panels), section in zip(found, full_project.board.sections, strict=True):
        assert row["title"] == section.title
        assert [p["title"] for p in panels] == [p.title for p in section.panels]
        assert row["collapsed"] is section.collapsed
        if not section.collapsed:
            assert row["panels"] == []
    assert [row["collapsed"] for row, _ in found] == [False, True]


def test_each_panel_kind_is_the_grafana_panel_type(board: dict[str, Any]) -> None:
    kinds = {row["title"]: [(p["type"], p["title"]) for p in panels] for row, panels in rows(board)}
    assert kinds == {
        "Prices": [("stat", "Mid"), ("stat", "24h fills"), ("stat", "Quoting venues"), ("stat", "Quote age"),
                   ("timeseries", "Spread"), ("timeseries", "Fills"), ("candlestick", "Price")],
        "Orders": [("timeseries", "Open orders"), ("bargauge", "Bids"), ("table", "Order book"),
                   ("bargauge", "Balances")],
    }


def test_every_query_filters_by_every_variable_its_metrics_labels_call_for(
    full_project: Project, board: dict[str, Any]
) -> None:
    variables = query_variables(full_project)
    checked = 0
    for panel in (at.panel for at in walk.panels(board)):
        for target in panel["targets"]:
            for selector in selectors(target["expr"]):
                metric = full_project.catalogue.metrics.get(selector.metric)
                assert metric is not None, f"{panel['title']}: {selector.metric} is not in the catalogue"
                found = selector.matchers
                for variable in variables:
                    if variable.matches in metric.labels:
                        assert found.get(variable.matches) == (variable.operator, f"${variable.name}"), (
                            f"{panel['title']} {target['refId']}: {selector.metric} lacks ${variable.name}"
                        )
                checked += 1
    assert checked == 15  # every panel's selectors were looked at, not none


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
    assert len(ids) == len(set(ids)) == 13
    assert all(isinstance(i, int) and i > 0 for i in ids)


def test_every_panel_has_title_description_unit_and_the_templated_datasource(board: dict[str, Any]) -> None:
    for panel in (at.panel for at in walk.panels(board)):
        assert panel["title"].strip()
        assert panel["description"].strip(), panel["title"]
        assert panel["fieldConfig"]["defaults"]["unit"], panel["title"]
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        for target in panel["targets"]:
            assert target["datasource"] == {"type": "prometheus", "uid": "${datasource}"}


def test_counters_are_read_through_rate_or_increase(board: dict[str, Any]) -> None:
    seen = 0
    for panel in (at.panel for at in walk.panels(board)):
        for target in panel["targets"]:
            if "_total" in target["expr"]:
                assert re.search(r"(rate|increase)\(mm_\w+_total\{[^}]*\}\[\$(__rate_interval|interval|__range)\]\)",
                                 target["expr"]), target["expr"]
                seen += 1
    assert seen == 2


def test_board_identity_and_schema(board: dict[str, Any]) -> None:
    assert board["uid"] == "small"
    assert board["title"] == "Small Board"
    assert board["id"] is None
    assert board["schemaVersion"] == 41
