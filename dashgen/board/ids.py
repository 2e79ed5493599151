"""Stable panel ids. Each panel's id is a hash of its key (section key + panel key; a key defaults to the title),
so inserting, moving or removing a panel never renumbers another, and saved links (`viewPanel=`), panel links
and alert rules' `__panelId__` keep pointing at the same panel. Row panels get one from their section's key.
Ids lie in [1, 2**30): integers Grafana stores (int32) with room above for panels someone adds in the UI
(Grafana gives those the highest id + 1). Two panels that would share an id are an error naming both. Pure."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from dashgen.dsl.location import Location
from dashgen.errors import DashgenError

ID_RANGE = 2**30 - 1  # ids are 1 .. 2**30 - 1


def stable_id(*key: str) -> int:
    digest = hashlib.sha256("\x1f".join(key).encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % ID_RANGE


@dataclass
class IdAllocator:
    """Hands out ids for one board and refuses a second owner of an id."""

    owners: dict[int, tuple[tuple[str, ...], str]] = field(default_factory=dict)  # id -> (key, "name at file:line")

    def row(self, section_key: str, *, title: str, where: Location) -> int:
        return self._claim(("row", section_key), f"row {title!r}", where)

    def panel(self, section_key: str, panel_key: str, *, title: str, where: Location) -> int:
        return self._claim(("panel", section_key, panel_key), f"panel {title!r}", where)

    def _claim(self, key: tuple[str, ...], name: str, where: Location) -> int:
        allocated = stable_id(*key)
        owner = self.owners.get(allocated)
        if owner is not None:
            why = "have the same key" if owner[0] == key else f"hash to the same panel id {allocated}"
            raise DashgenError(f"{name} and {owner[1]} {why}: give one of them another key=", where=str(where))
        self.owners[allocated] = (key, f"{name} at {where}")
        return allocated
