"""The interface every Grafana resource kind implements, and the plain objects that flow between its steps.

A kind owns everything about one sort of Grafana object:
- pure steps: `desired` (its objects in a compiled project, in the form Grafana will store them), `canonical`
  (the comparison form, applied to both sides: what Grafana fills in, reformats or a UI save rewrites is gone),
  `to_write` (the body a write would leave), `details` (the changed parts), `files` (where build and pull put
  its objects);
- I/O steps through the client: `read` (the live objects it manages or is asked for), `write`, `delete`.
Plan and diff only ever see `Desired` and `Live`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from dashgen.grafana.apis import Manager

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient
    from dashgen.project import CompiledProject


@dataclass(frozen=True)
class Desired:
    kind: str
    uid: str
    title: str
    body: dict[str, Any]  # what Grafana will hold once it is written (what build writes)
    parent: str | None = None  # the folder it lives in
    annotations: Mapping[str, str] = field(default_factory=dict)  # app-platform notes dashgen writes (12+)


@dataclass(frozen=True)
class Edit:
    """The live object no longer matches what dashgen wrote (its checksum): someone changed it since."""

    by: str  # who saved it last, "" when Grafana does not say
    at: str
    reason: str  # e.g. "content differs from what dashgen wrote"


@dataclass(frozen=True)
class Live:
    kind: str
    uid: str
    title: str
    body: dict[str, Any]  # without server-only fields: comparable with Desired.body (what pull writes)
    raw: Any = field(repr=False)  # the full API answer, for backups and to send back what is not dashgen's
    version: int | str | None = None  # legacy: the version number; app platform: metadata.resourceVersion
    parent: str | None = None
    contents: frozenset[str] = frozenset()  # for folders: "kind:uid" of everything inside
    provenance: str | None = None  # alerting objects: "api" when written without X-Disable-Provenance
    edited: Edit | None = None  # changed outside dashgen since its last write (kinds that keep a checksum)
    annotations: Mapping[str, str] | None = None  # read through the app-platform API (12+); None: legacy API
    manager: Manager | None = None  # the tool that owns it (grafana.app/managedBy + managerId), if any
    stored_as: str | None = None  # a dashboard stored in the v2 schema: its API version ("v2", "v2beta1")


DetailAction = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Detail:
    """One changed part of an object: a panel, a variable, a rule, or the rest of its settings."""

    what: str  # "panel", "variable", "rule", "settings", "object"
    key: str  # e.g. "Traffic / Requests per second" (a panel's location)
    action: DetailAction
    diff: str  # unified diff of the canonical JSON of just this part, live -> code
    fields: tuple[str, ...] = ()  # the changed fields inside it, e.g. ("fieldConfig.defaults.unit",)


def detail_action(before: object, after: object) -> DetailAction:
    return "added" if before is None else "removed" if after is None else "changed"


@dataclass(frozen=True)
class WriteContext:
    message: str  # the save message: dashgen's version and the git commit
    prune: bool = False
    secrets: dict[str, str] = field(default_factory=dict, repr=False)  # env var name -> value, for contact points
    headers: dict[str, str] = field(default_factory=dict)  # e.g. X-Disable-Provenance for editable alerting


class Kind(Protocol):
    kind: str

    # ----------------------------------------------------------------- pure
    def desired(self, compiled: CompiledProject) -> list[Desired]:
        """This kind's objects in the compiled project, in the form Grafana will store them."""

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        """The comparison form, applied to both sides."""

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        """The body a write would leave in Grafana, comparable with Live.body."""

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        """The changed parts between two canonical bodies."""

    def comparable(self, desired: Desired, live: Live, *, prune: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        """The two forms plan compares and `details` explains: (the code's, the live object's)."""

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        """Path below the output directory -> text, for build (desired bodies) and pull (live bodies)."""

    def pulled(self, live: Live, desired: Desired | None) -> dict[str, Any]:
        """Pure: what pull writes for a live object (the code's object, if any, names placeholders)."""

    # ------------------------------------------------------------------ I/O
    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        """The live objects among `wanted`, and every other object of this kind dashgen manages."""

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None: ...

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None: ...


class KindDefaults:
    """The steps most kinds share: a write leaves the desired body; pull writes the live body; both sides are
    compared in the kind's canonical form."""

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        return desired.body

    def comparable(self, desired: Desired, live: Live, *, prune: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        return self.canonical(self.to_write(desired, live, prune=prune)), self.canonical(live.body)

    def pulled(self, live: Live, desired: Desired | None) -> dict[str, Any]:
        return live.body
