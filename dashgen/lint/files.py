"""Lint of JSON files a user passes: dashboards (dashgen's or not, bare or as `{"dashboard": ...}`) and rule groups
as build and pull write them (`alerting/rule-groups/<group>.json`: title, interval, rules). A rule's panel link is
checked against the dashboards passed with it. `read_documents` reads the files; the rest is pure over the parsed
documents."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dashgen.catalogue import Catalogue
from dashgen.dsl.location import display_path
from dashgen.errors import DashgenError
from dashgen.lint.alert_rules import AlertContext
from dashgen.lint.board_rules import BoardContext
from dashgen.lint.model import Finding
from dashgen.lint.runner import run
from dashgen.textfile import read_user_text


def read_documents(paths: Sequence[Path]) -> list[tuple[str, Any]]:
    """(path as shown, parsed JSON) of each file; one that cannot be read or is not JSON is an error naming it."""
    documents = []
    for path in paths:
        shown = display_path(str(path))
        try:
            data = json.loads(read_user_text(path, shown))
        except OSError as exc:
            raise DashgenError(f"cannot read: {exc.strerror}", where=shown) from None
        except ValueError as exc:
            raise DashgenError(f"not JSON: {exc}", where=shown) from None
        documents.append((shown, data))
    return documents


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
