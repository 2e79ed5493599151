"""PromQL from jinja2 templates in which every catalogue metric is a pre-filtered selector.

`{{ mm_open_orders }}` renders as `mm_open_orders{client=~"$client",exchange=~"$exchange",...}` with a
matcher for every board variable whose label the metric has, so no panel can forget a filter.
`{{ mm_open_orders(side="bid") }}` adds fixed matchers; undefined names are errors, never "".

Speed: a template is parsed once per process, whatever the bindings (the board's variables, or each client
split of an alert: hundreds of variants of one template). A template made only of PromQL text and such
placeholders (a catalogue metric, optionally called with plain string literals) is rendered directly, as jinja2
would render it; anything else (other jinja syntax, an unknown name, escapes in a literal, errors) goes to
jinja2, imported and compiled only then, once per template.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from dashgen.catalogue import Catalogue, Metric
from dashgen.dsl.variables import QueryVariable
from dashgen.promql_text import matcher


class QueryError(Exception):
    """A template that cannot render; the caller adds where it was written."""


@dataclass(frozen=True)
class Binding:
    """A label every selector of that metric filters on: `label<operator>"value"`, e.g. a board variable
    (`client=~"$client"`) or an alert rule's client split (`client!~"acme|bit\\.x"`). `value` is the string's
    value, escaped when rendered; for =~ and !~ it is an RE2 pattern (see dashgen.promql_text)."""

    label: str
    operator: str
    value: str
    source: str  # for messages: "the board variable $client"

    @classmethod
    def of(cls, variable: QueryVariable) -> Binding:
        return cls(label=variable.matches, operator=variable.operator, value=f"${variable.name}",
                   source=f"the board variable ${variable.name}")


class Selector:
    """A metric as a jinja2 value: renders with the board filters; call it to add fixed matchers."""

    def __init__(self, metric: Metric, bindings: Sequence[Binding]) -> None:
        self.metric = metric
        self.bindings = {b.label: b for b in bindings if b.label in metric.labels}

    def __str__(self) -> str:
        return self.render({})

    def __call__(self, **fixed: str) -> str:
        for label, value in fixed.items():
            if label not in self.metric.labels:
                raise QueryError(f"{self.metric.name} has no label {label!r} (labels: {', '.join(self.metric.labels)})")
            if label in self.bindings:
                raise QueryError(
                    f"{self.metric.name}: {label!r} is filtered by {self.bindings[label].source}; "
                    "a query may not override it"
                )
            domain = self.metric.values.get(label)
            if domain is not None and value not in domain:
                raise QueryError(f"{self.metric.name}: {label}={value!r} is not one of {domain}")
        return self.render(fixed)

    def render(self, fixed: dict[str, str]) -> str:
        matchers = []
        for label in self.metric.labels:
            if label in self.bindings:
                binding = self.bindings[label]
                matchers.append(matcher(label, binding.operator, binding.value))
            elif label in fixed:
                matchers.append(matcher(label, "=", fixed[label]))
        return f"{self.metric.name}{{{','.join(matchers)}}}" if matchers else self.metric.name


class QueryRenderer:
    def __init__(self, catalogue: Catalogue, bindings: Sequence[Binding]) -> None:
        self._metrics = catalogue.metrics
        self._bindings = tuple(bindings)
        self._selectors: dict[str, Selector] = {}  # made on first use: a template names a few metrics

    def render(self, template: str) -> str:
        parts = self._parts(template)
        if parts is None:
            return _jinja_render(template, {name: self._selector(name) for name in self._metrics})
        out = []
        for literal, name, fixed in parts:
            out.append(literal)
            if name:
                selector = self._selector(name)
                out.append(str(selector) if fixed is None else selector(**dict(fixed)))
        return "".join(out).strip()

    def metrics_in(self, template: str) -> set[str]:
        """The catalogue metrics a template names (call after render, which reports bad templates)."""
        parts = self._parts(template)
        names = {name for _, name, _ in parts if name} if parts is not None else _jinja_names(template)
        return {name for name in names if name in self._metrics}

    def _parts(self, template: str) -> tuple[Part, ...] | None:
        """The template's parts when it can be rendered without jinja2: every placeholder names a metric."""
        parts = _placeholders(template)
        if parts is None or any(name and name not in self._metrics for _, name, _ in parts):
            return None
        return parts

    def _selector(self, name: str) -> Selector:
        if name not in self._selectors:
            self._selectors[name] = Selector(self._metrics[name], self._bindings)
        return self._selectors[name]


# ------------------------------------------------------------------------------ parsing, once per template
Part = tuple[str, str, tuple[tuple[str, str], ...] | None]  # text before, a name ("" after the last), fixed

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*?)\)\s*)?\}\}", re.DOTALL)
_ARGUMENT = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:\"([^\"\\]*)\"|'([^'\\]*)')\s*(,|$)")
_JINJA_SYNTAX = ("{{", "{%", "{#")
_JINJA_WORDS = frozenset({"true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is", "if",
                          "else"})


@cache
def _placeholders(template: str) -> tuple[Part, ...] | None:
    """The template as text and placeholders `{{ name }}` / `{{ name(label="value", ...) }}`, or None when
    it holds any other jinja2 syntax. Also None for a carriage return (jinja2 rewrites newlines in text) and
    a literal with a backslash or the other quote's escape (jinja2 decodes escapes): jinja2 renders those."""
    if "\r" in template:
        return None
    parts: list[Part] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        literal, name, arguments = template[position:match.start()], match.group(1), match.group(2)
        fixed = None if arguments is None else _arguments(arguments)
        if any(s in literal for s in _JINJA_SYNTAX) or name in _JINJA_WORDS or (arguments is not None
                                                                                 and fixed is None):
            return None
        parts.append((literal, name, fixed))
        position = match.end()
    rest = template[position:]
    if any(s in rest for s in _JINJA_SYNTAX):
        return None
    parts.append((rest, "", None))
    return tuple(parts)


def _arguments(text: str) -> tuple[tuple[str, str], ...] | None:
    """`side="bid", state='used'` as pairs, or None unless every argument is a keyword with a plain literal."""
    if not text.strip():
        return ()
    pairs: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _ARGUMENT.match(text, position)
        if match is None or keyword.iskeyword(match.group(1)) or match.group(1) in _JINJA_WORDS:
            return None
        pairs.append((match.group(1), match.group(2) if match.group(2) is not None else match.group(3)))
        position = match.end()
        if match.group(4) == "," and position == len(text):  # a trailing comma: jinja2's call
            return None
    return tuple(pairs) if len({name for name, _ in pairs}) == len(pairs) else None


# ------------------------------------------------------------------------ jinja2, for everything else
if TYPE_CHECKING:
    import jinja2


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


@cache
def _jinja_template(template: str) -> jinja2.Template:
    return _environment().from_string(template)


def _jinja_render(template: str, selectors: dict[str, Any]) -> str:
    import jinja2

    try:
        return _jinja_template(template).render(selectors).strip()
    except jinja2.UndefinedError as exc:
        raise QueryError(f"{exc.message} (not a metric in metrics.yaml)") from None
    except jinja2.TemplateSyntaxError as exc:
        raise QueryError(f"template syntax: {exc.message}") from None


@cache
def _jinja_names(template: str) -> frozenset[str]:
    import jinja2.meta

    return frozenset(jinja2.meta.find_undeclared_variables(_environment().parse(template)))


def label_values_query(metric: Metric, label: str, bindings: Sequence[Binding]) -> str:
    """Grafana's Prometheus variable query, filtered by the earlier variables (the chain)."""
    return f"label_values({Selector(metric, bindings)}, {label})"
