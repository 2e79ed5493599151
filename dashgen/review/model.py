"""The review of a change, as plain values: per object, the changes in words with before and after values.
render.py prints it; summary.py (with boards.py and alerting.py) builds it. Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from dashgen.kinds.jsondiff import unified_text

if TYPE_CHECKING:
    from dashgen.kinds.base import Desired

Json = dict[str, Any]

ObjectAction = Literal["added", "removed", "changed"]
ChangeAction = Literal["added", "removed", "changed", "moved"]

LONG = 60  # a text value longer than this (or of several lines) is shown as a unified diff, not inline


@dataclass(frozen=True)
class Change:
    """One change inside an object, e.g. panel "Spread / Spread vs band": unit "bps" -> "percent"."""

    part: str  # what the subject is: "panel", "row", "variable", "settings", "rule", "group", "route", ...
    subject: str  # which one: "Spread / Spread vs band", "InventoryDrift warning for client acme"; "" the object
    what: str  # the field in words: "unit", "query A", "threshold", "panel" (the part itself added/removed)
    action: ChangeAction
    before: Any = None  # JSON values (None: absent); for "moved", where it was and is, in words
    after: Any = None
    note: str = ""  # words added after the line, e.g. an added panel's type
    diff: str = ""  # a unified diff when the values are long text (queries, templates, descriptions)
    excerpt: tuple[str, str] | None = None  # one long line changed in a few words: just those, with "…" around


@dataclass(frozen=True)
class ObjectReview:
    kind: str  # "dashboard", "rule-group", "contact-point", "policy", "mute-timing", "template", "folder"
    uid: str
    title: str
    action: ObjectAction
    changes: tuple[Change, ...] = ()

    def counts(self) -> list[tuple[str, int]]:
        """How many distinct parts changed, per part in first-seen order: [("panel", 3), ("variable", 1)]."""
        seen: dict[str, set[str]] = {}
        for change in self.changes:
            if change.part not in ("settings", "object"):
                seen.setdefault(change.part, set()).add(change.subject)
        return [(part, len(subjects)) for part, subjects in seen.items()]


@dataclass(frozen=True)
class Review:
    base: str  # the ref as the user gave it
    commit: str  # what it resolved to
    objects: tuple[ObjectReview, ...]  # only the added, removed and changed ones: boards, rules, routing, ...
    unchanged: int  # objects the same on both sides

    @property
    def has_changes(self) -> bool:
        return bool(self.objects)


def is_long(value: Any) -> bool:
    """Shown as a unified diff, not inline: longer than LONG, or of several lines (a line break in a code span
    would end the markdown list item it is in)."""
    return isinstance(value, str) and (is_multiline(value) or len(value) > LONG)


def is_multiline(value: str) -> bool:
    return "\n" in value or "\r" in value


class Sides:
    """What an explanation may look up on either side besides the object itself: the boards' panels by id
    (an alert rule's panel link is shown as the panel's location)."""

    def __init__(self, before: Sequence[Desired], after: Sequence[Desired]) -> None:
        self.before = before
        self.after = after

    def panel_name(self, panel_id: str, *, after: bool) -> str:
        from dashgen.board import walk

        for item in self.after if after else self.before:
            if item.kind == "dashboard":
                for at in walk.panels(item.body):
                    if str(at.panel.get("id")) == panel_id:
                        return f"{at.location} (panel {panel_id})"
        return f"panel {panel_id}"


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted path -> value of every leaf below objects (lists are leaves, compared whole)."""
    if isinstance(value, dict) and value:
        found: dict[str, Any] = {}
        for key in value:
            found.update(leaves(value[key], f"{prefix}{key}."))
        return found
    return {prefix.rstrip("."): value} if prefix else {}


def value_change(part: str, subject: str, what: str, before: Any, after: Any, note: str = "") -> Change:
    """`what` went from `before` to `after` (None: absent); long text also as a unified diff."""
    action: ChangeAction = "added" if before is None else "removed" if after is None else "changed"
    shown = excerpt(before, after)
    if shown is not None:
        return Change(part, subject, what, action, before, after, note=note, excerpt=shown)
    diff = text_diff(before, after, what) if is_long(before) or is_long(after) else ""
    return Change(part, subject, what, action, before, after, note=note, diff=diff)


EXCERPT_CONTEXT = 2  # words kept on each side of the change


def excerpt(before: Any, after: Any) -> tuple[str, str] | None:
    """Two long one-line texts that differ in a few words ("… (limit 0.15). Check …" against "… (limit 0.12).
    Check …"): those words, with two words of context on each side and "…" where text was left out; None when
    the texts are short, of several lines, or differ in more than a short stretch."""
    if not (isinstance(before, str) and isinstance(after, str)) or is_multiline(before + after):
        return None
    if not (is_long(before) or is_long(after)):
        return None
    old, new = before.split(" "), after.split(" ")
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    first, keep_end = max(0, start - EXCERPT_CONTEXT), max(0, end - EXCERPT_CONTEXT)
    parts = []
    for words in (old, new):
        middle = " ".join(words[first:len(words) - keep_end])
        if len(middle) > LONG:
            return None
        parts.append(("… " if first else "") + middle + (" …" if keep_end else ""))
    return parts[0], parts[1]


def text_diff(before: Any, after: Any, label: str) -> str:
    return unified_text("" if before is None else str(before), "" if after is None else str(after),
                        f"base/{label}", f"head/{label}")


def leaf_changes(part: str, subject: str, before: Json | None, after: Json | None,
                 name: Callable[[str], str | None] = lambda path: path) -> list[Change]:
    """One change per differing leaf, named by `name(path)` (None: not shown, told elsewhere)."""
    old, new = leaves(before or {}), leaves(after or {})
    found = []
    for path in [*new, *(p for p in old if p not in new)]:
        if old.get(path) != new.get(path):
            what = name(path)
            if what is not None:
                found.append(value_change(part, subject, what, old.get(path), new.get(path)))
    return found


