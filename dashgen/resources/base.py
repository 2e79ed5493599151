"""The handler interface and the plain objects that flow between read, plan and write.

A handler has two pure steps (`normalise`, `details`) and four I/O steps that go through the client
(`discover`, `read`, `foreign_edit`, `write`, `delete`). Plan and diff only ever see `Desired` and `Live`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient



@dataclass(frozen=True)
class Desired:
    kind: str
    uid: str
    title: str
    body: dict[str, Any]  # normalised content, compared with Live.body
    parent: str | None = None  # the folder it lives in


@dataclass(frozen=True)
class ForeignEdit:
    """The latest saved version of a managed object was not written by dashgen."""

    version: int
    by: str
    at: str
    message: str


@dataclass(frozen=True)
class Live:
    kind: str
    uid: str
    title: str
    body: dict[str, Any]  # normalised: what Grafana adds is gone
    raw: dict[str, Any] = field(repr=False)  # the full API answer, for backups
    version: int | None = None
    parent: str | None = None
    contents: frozenset[str] = frozenset()  # for folders: uids of everything inside (dashboards, subfolders)
    provenance: str | None = None  # alerting objects: "api" when written without X-Disable-Provenance


@dataclass(frozen=True)
class Detail:
    """One changed part of an object: a panel, a variable, or the rest of its settings."""

    what: str  # "panel", "variable", "settings", "object"
    key: str  # e.g. "Spread / Spread vs target and band"
    action: DetailAction
    diff: str  # unified diff of the JSON of just this part, live -> code


DetailAction = Literal["added", "removed", "changed"]


def detail_action(before: object, after: object) -> DetailAction:
    return "added" if before is None else "removed" if after is None else "changed"


@dataclass(frozen=True)
class WriteContext:
    message: str  # the save message: dashgen's version and the git commit
    prune: bool = False
    secrets: dict[str, str] = field(default_factory=dict, repr=False)  # env var name -> value, for contact points
    headers: dict[str, str] = field(default_factory=dict)  # e.g. X-Disable-Provenance for editable alerting


class Handler(Protocol):
    kind: str
    batch_read: bool  # read() takes all uids in one call (list endpoints) rather than one call per uid

    def normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Pure: the API's answer without what Grafana adds, comparable with Desired.body."""

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        """Pure: the body a write would leave in Grafana, in the normalised form compared with Live.body."""

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        """Pure: the changed parts between two normalised bodies."""

    def discover(self, client: GrafanaClient) -> set[str]:
        """Uids of objects in Grafana that dashgen manages (for --prune), whether or not the code has them."""

    def read(self, client: GrafanaClient, uids: set[str]) -> dict[str, Live]:
        """The live objects among `uids` (missing ones are absent)."""

    def foreign_edit(self, client: GrafanaClient, live: Live) -> ForeignEdit | None:
        """Who last saved it, when that was not dashgen; None for kinds without a history."""

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None: ...

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None: ...
