"""What routing(...) refuses because Grafana would refuse it, or would hold it and misbehave: two contact points
or templates of one name, a receiver that does not exist, a grouping Grafana reads otherwise, a
route that can never match, and notifications whose templates nobody defines. Every message names each place
involved (file:line of the declarations). Pure.

Shadowing: routes are tried in order and the first that matches without `continue_=True` ends the search. All
matchers are equalities, so an earlier route whose matchers are a subset of a later one's matches every alert the
later one matches (an alert matching the later route carries every label the earlier asks for): the later one can
never match. With fewer or other matchers it can. A later route to the same contact point as an earlier,
continuing route with a subset of its matchers sends every alert it takes a second time."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dashgen.alerting import gotemplate
from dashgen.dsl.location import Location
from dashgen.dsl.routing import MESSAGE_TEMPLATE, TITLE_TEMPLATE, Route, Routing
from dashgen.errors import DashgenError
from dashgen.suggest import did_you_mean

_GROUP_LABEL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\.\.\.")


def check_routing(routing: Routing) -> None:
    _unique("contact point", ((p.name, p.defined_at) for p in routing.contact_points))
    _unique("template", ((t.name, t.defined_at) for t in routing.templates))
    _receivers(routing)
    _group_by(routing)
    _shadowing(routing.routes)
    _templates_used(routing)


def _unique(kind: str, declared: Iterable[tuple[str, Location]]) -> None:
    first: dict[str, Location] = {}
    for name, where in declared:
        if name in first:
            raise DashgenError(f"{kind} {name!r} is declared twice (first at {first[name]}): Grafana would hold "
                               "one of them; give each its own name", where=str(where))
        first[name] = where


def _receivers(routing: Routing) -> None:
    known = [p.name for p in routing.contact_points]
    for receiver, where in [(routing.receiver, routing.defined_at),
                            *((r.receiver, r.defined_at) for r in routing.routes)]:
        if receiver not in known:
            raise DashgenError(f"routing: receiver {receiver!r} is not one of the contact points "
                               f"({', '.join(sorted(known))}){did_you_mean(receiver, known)}", where=str(where))


def _group_by(routing: Routing) -> None:
    where = str(routing.defined_at)
    if not routing.group_by:
        raise DashgenError("routing: group_by is empty, which Grafana reads as the default policy's grouping: name "
                           "the labels, e.g. ['alert', 'severity'], or ['...'] for one notification per alert",
                           where=where)
    for label in routing.group_by:
        if not isinstance(label, str) or not _GROUP_LABEL.fullmatch(label):
            raise DashgenError(f"routing: group_by {label!r} is not a label name", where=where)
    twice = sorted({label for label in routing.group_by if routing.group_by.count(label) > 1})
    if twice:
        raise DashgenError(f"routing: group_by names {twice[0]!r} twice (Grafana refuses it)", where=where)


def _matchers(route: Route) -> str:
    return "{" + ", ".join(f'{name}="{value}"' for name, value in route.match) + "}"


def _shadowing(routes: tuple[Route, ...]) -> None:
    for index, later in enumerate(routes):
        for earlier in routes[:index]:
            if not set(earlier.match) <= set(later.match):
                continue
            if not earlier.continue_:
                raise DashgenError(
                    f"route to {later.receiver!r} matching {_matchers(later)} can never match: the route to "
                    f"{earlier.receiver!r} at {earlier.defined_at} matches {_matchers(earlier)}, a superset of its "
                    "alerts, and stops there; put the narrower route first, or give the earlier continue_=True",
                    where=str(later.defined_at))
            if earlier.receiver == later.receiver:
                raise DashgenError(
                    f"route to {later.receiver!r} matching {_matchers(later)} repeats the route at "
                    f"{earlier.defined_at} (matching {_matchers(earlier)}, continue_=True) to the same contact "
                    "point: every such alert would be sent twice; remove one", where=str(later.defined_at))


def _templates_used(routing: Routing) -> None:
    defined = set().union(*(gotemplate.defined(t.text) for t in routing.templates))
    missing = [name for name in (TITLE_TEMPLATE, MESSAGE_TEMPLATE) if name not in defined]
    if missing:
        listed = " and ".join(f'{{{{ define "{name}" }}}}' for name in missing)
        raise DashgenError(f"routing: contact points render {TITLE_TEMPLATE} and {MESSAGE_TEMPLATE}, but no "
                           f"template(...) has {listed}: notifications would fail in Grafana",
                           where=str(routing.defined_at))
