"""Routing as users write it in `alerts/routing.py` (ROUTING = routing(...)): contact points, dashgen's subtree
of the notification policy tree, and notification templates. Every object dashgen creates is named
`dashgen-<name>`, which is how it recognises its own contact points, mute timings and templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dashgen.dsl.location import Location, caller_location

LOW_LIQUIDITY = "low-liquidity"  # the mute timing built from alerting.low_liquidity_window


@dataclass(frozen=True)
class ContactPoint:
    name: str
    config: str  # key under alerting.contact_points in dashgen.yaml (type and secret variables)


@dataclass(frozen=True)
class Route:
    receiver: str
    match: tuple[tuple[str, str], ...] = ()
    continue_: bool = False
    mute: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    name: str
    text: str


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
    defined_at: Location = field(default=Location("<unknown>", 0), compare=False)


def contact_point(name: str, *, config: str) -> ContactPoint:
    return ContactPoint(name=name, config=config)


def route(receiver: str, *, match: Mapping[str, str], continue_: bool = False, mute: Sequence[str] = ()) -> Route:
    return Route(receiver=receiver, match=tuple(match.items()), continue_=continue_, mute=tuple(mute))


def template(name: str, text: str) -> Template:
    return Template(name=name, text=text)


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
    return Routing(contact_points=tuple(contact_points), receiver=receiver, routes=tuple(routes),
                   group_by=tuple(group_by), templates=tuple(templates), group_wait=group_wait,
                   group_interval=group_interval, repeat_interval=repeat_interval, defined_at=caller_location())
