"""PromQL inspection for tests: parse a Grafana query and list the vector selectors it reads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import promql_parser

# Grafana's range macros and interval variables, replaced by durations so the query parses.
_RANGE_MACROS = re.compile(r"\$(__rate_interval|__interval|__range|interval)\b|\$\{(interval)\}")


def parse(expr: str) -> Any:
    return promql_parser.parse(_RANGE_MACROS.sub("5m", expr))


def selectors(node: Any) -> Iterator[Any]:
    if isinstance(node, promql_parser.VectorSelector):
        yield node
        return
    for attribute in ("lhs", "rhs", "expr", "args", "vector_selector", "param"):
        child = getattr(node, attribute, None)
        if isinstance(child, list | tuple):
            for item in child:
                yield from selectors(item)
        elif child is not None and not isinstance(child, str | int | float):
            yield from selectors(child)


def matchers(selector: Any) -> dict[str, tuple[str, str]]:
    """label -> (operator, value) of one selector; operator as in PromQL (=, !=, =~, !~)."""
    ops = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}
    found = {}
    for m in selector.matchers.matchers:
        found[m.name] = (ops[str(m.op).split(".")[-1]], m.value)
    return found
