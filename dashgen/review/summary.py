"""Two builds of a project (the base ref's and the working tree's desired objects) -> a Review in words.

Objects are matched by (kind, uid) and compared in each kind's canonical form, the one `dashgen diff` compares
with (so what Grafana or a UI save would rewrite is never a change here either); an object whose canonical forms
are equal is unchanged. A changed object is explained part by part: boards by boards.py (panels matched by their
stable ids, variables by name), the alerting kinds by alerting.py (rules by uid, thresholds per client split).
Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dashgen.kinds.base import Desired, Kind
from dashgen.review import alerting, boards
from dashgen.review.model import Change, Json, ObjectAction, ObjectReview, Review, Sides, leaf_changes

Explain = Callable[[Json | None, Json | None, Sides], list[Change]]
REVIEW_ORDER = ("dashboard", "rule-group", "policy", "contact-point", "mute-timing", "template", "folder")


def review(before: Sequence[Desired], after: Sequence[Desired], *, base: str, commit: str) -> Review:
    """The objects added, removed or changed from `before` (the base) to `after` (the working tree)."""
    from dashgen.kinds import kinds

    registry: dict[str, Kind] = {kind.kind: kind for kind in kinds(alerting=True)}
    old = {(d.kind, d.uid): d for d in before}
    new = {(d.kind, d.uid): d for d in after}
    sides = Sides(before, after)
    objects: list[ObjectReview] = []
    unchanged = 0
    for key in _review_order([*new, *(key for key in old if key not in new)]):
        was, now = old.get(key), new.get(key)
        kind = registry.get(key[0])
        canonical: Callable[[Json], Json] = kind.canonical if kind is not None else _same
        was_body = _compared(key[0], was.body, canonical) if was is not None else None
        now_body = _compared(key[0], now.body, canonical) if now is not None else None
        # a contact point's secrets are redacted in its canonical form; which variable holds one is still a change
        secrets = alerting.secret_sources(was.body, now.body) if key[0] == "contact-point" and was and now else []
        if was_body == now_body and not secrets:
            unchanged += 1
            continue
        shown = now or was
        assert shown is not None
        action: ObjectAction = "added" if was is None else "removed" if now is None else "changed"
        changes = [*EXPLAIN.get(key[0], leaf_object)(was_body, now_body, sides), *secrets]
        objects.append(ObjectReview(key[0], key[1], shown.title, action, tuple(changes)))
    return Review(base=base, commit=commit, objects=tuple(objects), unchanged=unchanged)


def _same(body: Json) -> Json:
    return body


def _compared(kind: str, body: Json, canonical: Callable[[Json], Json]) -> Json:
    """The kind's canonical form (what diff compares); for a board, plus the variables' defaults the code sets."""
    return boards.with_defaults(body, canonical(body)) if kind == "dashboard" else canonical(body)


def _review_order(keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What a reviewer reads first: the board, then the rules, the routing, the rest; objects in build order."""
    return sorted(keys, key=lambda key: REVIEW_ORDER.index(key[0]) if key[0] in REVIEW_ORDER else len(REVIEW_ORDER))


def leaf_object(before: Json | None, after: Json | None, sides: Sides) -> list[Change]:
    """Any kind without its own explanation (folders): its changed fields."""
    if before is None or after is None:
        return []
    return leaf_changes("settings", "", before, after)


EXPLAIN: dict[str, Explain] = {
    "dashboard": boards.explain, "rule-group": alerting.rule_group, "contact-point": alerting.contact_point,
    "policy": alerting.policy, "mute-timing": alerting.mute_timing, "template": alerting.template,
}
