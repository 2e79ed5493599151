"""A Review as a pull-request comment (markdown), plain text, or a stable JSON document. Pure.

Markdown: a heading that sums the change up ("2 objects changed: board Market Making Desk (3 panels), rule group
inventory (1 rule)"), then a section per object with one bullet per change, values in code spans,
"before → after"; a long value (a query, a description, a template) as a unified diff folded in
`<details>`. Words in markdown are escaped for markdown, and text inside raw HTML (the `<summary>` of a fold) for
HTML (html.escape), so no title or value can close a tag or open one; a line break inside a line never reaches
the markdown (a value of several lines is a diff, model.py; words are kept to one line). Text: the same lines,
plain. JSON: everything, keys sorted (dashgen.jsonfile)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from dashgen.jsonfile import dumps
from dashgen.review.model import Change, ObjectReview, Review

KIND_WORDS = {"dashboard": "board", "rule-group": "rule group", "contact-point": "contact point",
              "mute-timing": "mute timing", "policy": "policy", "template": "template", "folder": "folder"}
COUNTED = ("panel", "row", "variable", "rule", "route")
ARROW = "→"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind)


def _plural(word: str, count: int) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def object_words(item: ObjectReview) -> str:
    """"board Market Making Desk (3 panels)", "rule group inventory (added)"."""
    counts = [_plural(part, n) for part, n in item.counts() if part in COUNTED]
    extra = [item.action] if item.action != "changed" else []
    inside = ", ".join([*extra, *counts])
    return f"{kind_words(item.kind)} {item.title}" + (f" ({inside})" if inside else "")


def summary_line(review: Review) -> str:
    if not review.has_changes:
        return f"No changes between {review.base} and the working tree."
    n = len(review.objects)
    return f"{n} object{'' if n == 1 else 's'} changed: " + ", ".join(object_words(o) for o in review.objects)


def _between(review: Review) -> str:
    return f"{review.base} ({review.commit[:12]})" if review.commit else review.base


# ---------------------------------------------------------------------------------------------------- lines
class Style(NamedTuple):
    value: Callable[[Any], str]  # a before or after value
    subject: Callable[[Change], str]
    words: Callable[[str], str]  # plain words (escaped for markdown)


def _line(change: Change, style: Style) -> str:
    """One change in words: "`Spread / Spread vs band`: unit `bps` → `percent`"."""
    head = f"{style.subject(change)}: " if change.subject else ""
    what = style.words(change.what)
    folded = bool(change.diff)
    if change.action == "moved":
        words = style.words(f"moved from {change.before} to {change.after}")
    elif change.before is None and change.after is None:
        words = f"{what} {change.action}"
    elif change.action == "added":
        words = f"{what} added" + ("" if folded else f": {style.value(change.after)}")
    elif change.action == "removed":
        words = f"{what} removed" + ("" if folded else f" (was {style.value(change.before)})")
    elif folded:
        words = f"{what} changed"
    elif change.excerpt is not None:
        words = f"{what} {style.value(change.excerpt[0])} {ARROW} {style.value(change.excerpt[1])}"
    else:
        words = f"{what} {style.value(change.before)} {ARROW} {style.value(change.after)}"
    return head + words + (f" ({style.words(change.note)})" if change.note else "")


def _json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


# ------------------------------------------------------------------------------------------------- markdown
def _one_line(text: str) -> str:
    return _LINE_BREAK.sub(" ", text)


def _escape(text: str) -> str:
    """Words in markdown: on one line, markdown's and HTML's special characters as themselves."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(text))


def _html(text: str) -> str:
    """Words inside raw HTML (a `<summary>`): markdown is not read there, HTML is."""
    return html.escape(_one_line(text))


def _code(text: str) -> str:
    if _LINE_BREAK.search(text):  # a line break would end the list item: the value as a JSON string
        text = json.dumps(text, ensure_ascii=False)
    ticks = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (ticks + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or ticks else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return _code("true" if value else "false")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _code(value) if value else '`""`'
    return _code(_json_text(value))


def _md_subject(change: Change) -> str:
    return _escape(change.subject) if change.part in ("rule", "route") else _code(change.subject)


MARKDOWN = Style(_md_value, _md_subject, _escape)


def markdown(review: Review) -> str:
    lines = [f"### {_escape(summary_line(review))}", ""]
    if not review.has_changes:
        return "\n".join(lines)
    lines += [f"Between {_code(_between(review))} and the working tree; {review.unchanged} other object"
              f"{'' if review.unchanged == 1 else 's'} unchanged.", ""]
    for item in review.objects:
        lines.append(f"#### {_escape(kind_words(item.kind))} {_escape(item.title)} ({_code(item.uid)}): {item.action}")
        lines.append("")
        for change in item.changes:
            lines.append(f"- {_line(change, MARKDOWN)}")
            if change.diff:
                fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", change.diff)), default=0))
                what = f"{change.subject}: {change.what}" if change.subject else change.what
                lines += ["", f"  <details><summary>{_html(what)}: diff</summary>", "", f"  {fence}diff",
                          *(f"  {line}" for line in change.diff.splitlines()), f"  {fence}", "", "  </details>", ""]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# ----------------------------------------------------------------------------------------------------- text
def _text_value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value if value and not re.search(r"\s", value) else json.dumps(value, ensure_ascii=False)
    return _json_text(value)


TEXT = Style(_text_value, lambda change: change.subject, lambda words: words)


def text(review: Review) -> str:
    lines = [summary_line(review)]
    if review.has_changes:
        lines.append(f"between {_between(review)} and the working tree; {review.unchanged} unchanged")
    for item in review.objects:
        lines += ["", f"{kind_words(item.kind)} {item.title} ({item.uid}): {item.action}"]
        for change in item.changes:
            lines.append(f"  {_line(change, TEXT)}")
            lines.extend(f"    {line}" for line in change.diff.splitlines())
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------------- json
def document(review: Review) -> dict[str, Any]:
    return {
        "base": review.base,
        "commit": review.commit,
        "changes": review.has_changes,
        "summary": summary_line(review),
        "unchanged": review.unchanged,
        "objects": [{"kind": o.kind, "uid": o.uid, "title": o.title, "action": o.action,
                     "counts": dict(o.counts()),
                     "changes": [{"part": c.part, "subject": c.subject, "what": c.what, "action": c.action,
                                  "before": c.before, "after": c.after, "note": c.note, "diff": c.diff}
                                 for c in o.changes]}
                    for o in review.objects],
    }


def as_json(review: Review) -> str:
    return dumps(document(review))


RENDERERS = {"markdown": markdown, "text": text, "json": as_json}


def render(review: Review, output: str) -> str:
    return RENDERERS[output](review)
