"""Lint of JSON files a user passes: dashboards (dashgen's or not, bare or as `{"dashboard": ...}`) and rule groups
as build and pull write them (`alerting/rule-groups/<group>.json`: title, interval, rules). A rule's panel link is
checked against the dashboards passed with it. Pure over the parsed documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dashgen.catalogue import Catalogue
from dashgen.errors import DashgenError
from dashgen.lint.alert_rules import AlertContext
from dashgen.lint.board_rules import BoardContext
from dashgen.lint.model import Finding
from dashgen.lint.runner import run


def dashboard_of(data: Any) -> dict[str, Any] | None:
    board = data.get("dashboard", data) if isinstance(data, dict) else None
    return board if isinstance(board, dict) and isinstance(board.get("panels"), list) else None


def rule_group_of(data: Any) -> dict[str, Any] | None:
    return data if isinstance(data, dict) and isinstance(data.get("rules"), list) else None


def lint_documents(documents: Sequence[tuple[str, Any]], catalogue: Catalogue | None) -> list[Finding]:
    """`documents`: (path as shown, parsed JSON) in the order given; findings in the same order."""
    boards: dict[str, dict[str, Any]] = {}
    kinds: list[tuple[str, str, dict[str, Any]]] = []
    for shown, data in documents:
        board, group = dashboard_of(data), rule_group_of(data)
        if board is not None:
            boards[str(board.get("uid", ""))] = board
            kinds.append(("board", shown, board))
        elif group is not None:
            kinds.append(("alerts", shown, group))
        else:
            raise DashgenError("neither a dashboard JSON model (no `panels` list) nor a rule group (no `rules` "
                               "list)", where=shown)
    findings: list[Finding] = []
    for scope, shown, document in kinds:
        context = BoardContext(document, catalogue) if scope == "board" else \
            AlertContext((document,), boards, catalogue, every_board=False)
        findings += run(scope, context, file=shown)
    return findings
