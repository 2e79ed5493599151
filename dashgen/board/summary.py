"""A short, human summary of a compiled dashboard (rows, panels per row, variables, queries). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashgen.board import walk


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


def summarise(dashboard: dict[str, Any]) -> BoardSummary:
    return BoardSummary(
        uid=dashboard.get("uid", ""),
        title=dashboard.get("title", ""),
        rows=tuple((row.title, len(row.panels)) for row in walk.rows(dashboard)),
        variables=tuple(v["name"] for v in dashboard.get("templating", {}).get("list", [])),
        queries=sum(1 for _ in walk.targets(dashboard)),
    )
