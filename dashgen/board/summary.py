"""A short, human summary of a compiled dashboard (rows, panels per row, variables, queries). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BoardSummary:
    uid: str
    title: str
    rows: tuple[tuple[str, int], ...]  # (row title, panel count)
    variables: tuple[str, ...]
    queries: int

    @property
    def panels(self) -> int:
        return sum(count for _, count in self.rows)

    def lines(self) -> list[str]:
        width = max((len(title) for title, _ in self.rows), default=0)
        head = (
            f"board {self.uid} ({self.title}): {len(self.rows)} rows, {self.panels} panels, "
            f"{len(self.variables)} variables, {self.queries} queries"
        )
        rows = [f"  {title:<{width}}  {count} panels" for title, count in self.rows]
        return [head, *rows, f"  variables: {', '.join(self.variables)}"]


def iter_rows(dashboard: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(row title, its panels) in board order, whether the row is expanded or collapsed."""
    rows: list[tuple[str, list[dict[str, Any]]]] = []
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            rows.append((str(panel.get("title", "")), list(panel.get("panels", []))))
        elif rows:
            rows[-1][1].append(panel)
        else:
            rows.append(("", [panel]))
    return rows


def iter_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """Every non-row panel, in board order, whether its row is expanded or collapsed."""
    return [panel for _, panels in iter_rows(dashboard) for panel in panels]


def summarise(dashboard: dict[str, Any]) -> BoardSummary:
    return BoardSummary(
        uid=dashboard.get("uid", ""),
        title=dashboard.get("title", ""),
        rows=tuple((title, len(panels)) for title, panels in iter_rows(dashboard)),
        variables=tuple(v["name"] for v in dashboard.get("templating", {}).get("list", [])),
        queries=sum(len(p.get("targets", [])) for p in iter_panels(dashboard)),
    )
