"""PromQL inspection: Grafana's variables and macros substituted so the query parses, then the selectors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

_NUMERIC_MACROS = re.compile(r"\$\{?__(range_s|range_ms|interval_ms|rate_interval_ms)\}?")
_IN_BRACKETS = re.compile(r"\[\s*\$\{?\w+(?::\w+)?\}?\s*\]")
_OFFSET = re.compile(r"offset\s+\$\{?\w+(?::\w+)?\}?")
_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")


class PromQLError(Exception):
    pass


@dataclass(frozen=True)
class Selector:
    metric: str
    matchers: dict[str, tuple[str, str]]  # label -> (operator, value)
    in_function: str | None  # the function a range selector is passed to (rate, increase, ...), if any
    range_text: str | None  # the range as written before substitution, e.g. "$__rate_interval"


def substitute(expr: str) -> str:
    """Durations in [..] and after `offset` become 5m; numeric macros a number. Label values stay as written."""
    text = _IN_BRACKETS.sub("[5m]", expr)
    text = _OFFSET.sub("offset 5m", text)
    return _NUMERIC_MACROS.sub("300", text)


def variables_used(text: str) -> set[str]:
    return {a or b for a, b in _VARIABLE.findall(text)}


def parse(expr: str) -> Any:
    import promql_parser  # a compiled extension: loaded only by lint and the e2e check

    try:
        return promql_parser.parse(substitute(expr))
    except (ValueError, TypeError) as exc:
        raise PromQLError(str(exc).strip().splitlines()[0] if str(exc).strip() else "cannot parse") from None


def _ranges(expr: str) -> list[str]:
    return [m.group(0)[1:-1].strip() for m in re.finditer(r"\[[^\]]*\]", expr)]


def selectors(expr: str) -> list[Selector]:
    """Every vector selector of `expr`, with its matchers and, for range selectors, the enclosing function."""
    return list(_selectors(expr))


@cache
def _selectors(expr: str) -> tuple[Selector, ...]:
    """Parsed once per process: several rules read the same query's selectors."""
    import promql_parser

    ranges = iter(_ranges(expr))
    found: list[Selector] = []

    def walk(node: Any, function: str | None) -> None:
        if isinstance(node, promql_parser.MatrixSelector):
            found.append(_selector(node.vector_selector, function, next(ranges, None)))
            return
        if isinstance(node, promql_parser.VectorSelector):
            found.append(_selector(node, None, None))
            return
        if isinstance(node, promql_parser.SubqueryExpr):
            next(ranges, None)
        name = str(node.func.name) if isinstance(node, promql_parser.Call) else function
        for attribute in ("lhs", "rhs", "expr", "args", "param"):
            child = getattr(node, attribute, None)
            for item in child if isinstance(child, list | tuple) else [child]:
                if item is not None and not isinstance(item, str | int | float):
                    walk(item, name)

    walk(parse(expr), None)
    return tuple(found)


def _selector(node: Any, function: str | None, written: str | None) -> Selector:
    ops = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}
    matchers = {m.name: (ops[str(m.op).split(".")[-1]], m.value) for m in node.matchers.matchers}
    return Selector(metric=str(node.name or matchers.get("__name__", ("", ""))[1]), matchers=matchers,
                    in_function=function, range_text=written)
