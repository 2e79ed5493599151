"""Literal label values as PromQL text: the one place a value from dashgen.yaml or a query enters a PromQL string.

A PromQL string is a Go-style double-quoted literal: backslash escapes, and an unknown one (`\\-`) is a parse
error. A regex matcher's string is then an RE2 pattern, which Prometheus anchors at both ends. So a literal value
in a regex matcher is escaped twice: its RE2 metacharacters first (`regex_literal`), then the string literal
(`string_literal`), turning `first.eu` into `customer=~"first\\\\.eu"`. Python's `re.escape` is not RE2's escape: it
also escapes `-`, space, `#` and more, which PromQL refuses. Pure."""

from __future__ import annotations

from collections.abc import Iterable

RE2_METACHARACTERS = frozenset("\\.+*?()|[]{}^$")


def regex_literal(value: str) -> str:
    """An RE2 pattern that, anchored, matches exactly `value`: only RE2's metacharacters are escaped."""
    return "".join(f"\\{c}" if c in RE2_METACHARACTERS else c for c in value)


def regex_alternatives(values: Iterable[str]) -> str:
    """An RE2 pattern that, anchored, matches exactly one of `values`."""
    return "|".join(regex_literal(v) for v in values)


def string_literal(value: str) -> str:
    """The inside of a PromQL double-quoted string whose value is `value`."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def matcher(label: str, operator: str, value: str) -> str:
    """`label<operator>"value"`, the string value escaped; for =~ and !~ `value` is already an RE2 pattern."""
    return f'{label}{operator}"{string_literal(value)}"'
