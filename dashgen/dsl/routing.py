"""Routing as users write it in `alerts/routing.py` (ROUTING = routing(...)): contact points, dashgen's subtree
of the notification policy tree, and notification templates. Every object dashgen creates is named
`dashgen-<name>`, which is how it recognises its own contact points, mute timings and templates.

Each declaration remembers its file:line, so that a mistake found later (a duplicate, a route that can never
match: dsl/routing_checks.py) names every place involved."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dashgen import durations
from dashgen.alerting import gotemplate
from dashgen.dsl.location import Location, caller_location
from dashgen.errors import DashgenError
from dashgen.managed import MANAGED_PREFIX, NAME_RULE, is_managed_name

TITLE_TEMPLATE, MESSAGE_TEMPLATE = "dashgen.title", "dashgen.message"  # what every contact point renders
_LABEL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UNKNOWN = Location("<unknown>", 0)


@dataclass(frozen=True)
class ContactPoint:
    name: str
    config: str  # key under alerting.contact_points in dashgen.yaml (type and secret variables)
    defined_at: Location = field(default=_UNKNOWN, compare=False)


@dataclass(frozen=True)
class Route:
    receiver: str
    match: tuple[tuple[str, str], ...] = ()
    continue_: bool = False
    mute: tuple[str, ...] = ()  # names of alerting.mute_timings in dashgen.yaml
    defined_at: Location = field(default=_UNKNOWN, compare=False)


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    defined_at: Location = field(default=_UNKNOWN, compare=False)


@dataclass(frozen=True)
class Routing:
    contact_points: tuple[ContactPoint, ...]
    receiver: str  # where alerts no route takes go
    routes: tuple[Route, ...]
    group_by: tuple[str, ...]
    templates: tuple[Template, ...]
    group_wait: str = "30s"
    group_interval: str = "5m"
    repeat_interval: str = "4h"
    defined_at: Location = field(default=_UNKNOWN, compare=False)


def _name(kind: str, name: str, where: Location) -> None:
    if not is_managed_name(name):
        raise DashgenError(f"{kind} {name!r}: {NAME_RULE} (Grafana names it {MANAGED_PREFIX}{name})",
                           where=str(where))


def contact_point(name: str, *, config: str) -> ContactPoint:
    where = caller_location()
    _name("contact point", name, where)
    return ContactPoint(name=name, config=config, defined_at=where)


def route(receiver: str, *, match: Mapping[str, str], continue_: bool = False, mute: Sequence[str] = ()) -> Route:
    where = caller_location()
    for label, value in match.items():
        if not isinstance(label, str) or not _LABEL.fullmatch(label) or not isinstance(value, str):
            raise DashgenError(f"route to {receiver!r}: match {{{label!r}: {value!r}}} is not a label name "
                               "(letters, digits, '_') and a string value", where=str(where))
    if len(set(mute)) != len(tuple(mute)):
        raise DashgenError(f"route to {receiver!r}: a mute timing is listed twice", where=str(where))
    return Route(receiver=receiver, match=tuple(match.items()), continue_=continue_, mute=tuple(mute),
                 defined_at=where)


def template(name: str, text: str) -> Template:
    where = caller_location()
    _name("template", name, where)
    try:
        gotemplate.check(text)
    except gotemplate.TemplateSyntaxError as exc:
        raise DashgenError(f"template {name!r}: {exc}", where=str(where)) from None
    return Template(name=name, text=text, defined_at=where)


def _timing(name: str, value: str, where: Location, *, zero_ok: bool) -> None:
    ms = durations.parse_ms(value) if isinstance(value, str) else None
    if ms is None or (ms == 0 and not zero_ok):
        allowed = "a duration" if zero_ok else "a duration above zero"
        raise DashgenError(f"routing: {name}={value!r} is not {allowed} such as 30s, 5m or 4h", where=str(where))


def routing(
    *,
    contact_points: Sequence[ContactPoint],
    receiver: str,
    routes: Sequence[Route],
    group_by: Sequence[str],
    templates: Sequence[Template] = (),
    group_wait: str = "30s",
    group_interval: str = "5m",
    repeat_interval: str = "4h",
) -> Routing:
    from dashgen.dsl.routing_checks import check_routing  # it imports this module's types

    where = caller_location()
    _timing("group_wait", group_wait, where, zero_ok=True)
    _timing("group_interval", group_interval, where, zero_ok=False)  # Grafana: "cannot be zero"
    _timing("repeat_interval", repeat_interval, where, zero_ok=False)
    made = Routing(contact_points=tuple(contact_points), receiver=receiver, routes=tuple(routes),
                   group_by=tuple(group_by), templates=tuple(templates), group_wait=group_wait,
                   group_interval=group_interval, repeat_interval=repeat_interval, defined_at=where)
    check_routing(made)
    return made
