"""QueryRenderer renders simple templates without jinja2, and hands everything else to jinja2: either way, the
text or the error is exactly what jinja2 gives. Checked against jinja2 itself, on chosen templates and on
generated ones mixing placeholders, literals, escapes and other jinja2 syntax. (The desk's queries are checked by
the snapshot tests: their text did not change.)"""

from __future__ import annotations

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashgen.board.queries import Binding, QueryError, QueryRenderer, Selector, _placeholders
from dashgen.catalogue import Catalogue
from dashgen.catalogue.load import parse_catalogue

CATALOGUE = parse_catalogue(
    """\
labels: {client: c, exchange: e, side: s, state: t}
metrics:
  - {name: mm_open_orders, type: gauge, unit: count, labels: [client, exchange, side], help: h,
     values: {side: [bid, ask]}}
  - {name: mm_balance, type: gauge, unit: count, labels: [client, state], help: h}
  - {name: none, type: gauge, unit: count, labels: [client], help: h}
""",
    "metrics.yaml",
)
BINDINGS = [Binding("client", "=~", "$client", "the board variable $client")]


def jinja2_reference(template: str, catalogue: Catalogue, bindings: list[Binding]) -> tuple[str, str]:
    """What the renderer did with jinja2 alone, before it learned to skip it: ("ok", text) or (error, text)."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    selectors = {name: Selector(metric, bindings) for name, metric in catalogue.metrics.items()}
    try:
        return "ok", environment.from_string(template).render(selectors).strip()
    except jinja2.UndefinedError as exc:
        return "QueryError", f"{exc.message} (not a metric in metrics.yaml)"
    except jinja2.TemplateSyntaxError as exc:
        return "QueryError", f"template syntax: {exc.message}"
    except Exception as exc:  # QueryError from a selector, TypeError from a bad call, ...
        return type(exc).__name__, str(exc)


def rendered(template: str, catalogue: Catalogue = CATALOGUE, bindings: list[Binding] = BINDINGS) -> tuple[str, str]:
    try:
        return "ok", QueryRenderer(catalogue, bindings).render(template)
    except Exception as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("template", [
    "sum({{ mm_open_orders }})",
    '{{ mm_open_orders(side="bid") }} / {{mm_open_orders(side=\'ask\')}}',
    '{{ mm_open_orders( side = "bid" , exchange="x,y" ) }}',
    "{{ mm_open_orders() }}",
    "  {{ mm_balance }}\n",
    'sum by (distance) (avg_over_time({{ mm_open_orders(side="bid") }}[$interval]))',
    "time() - max_over_time({{ mm_balance }}[1h])",
    "{{ mm_balance }}}} {",
])
def test_simple_templates_skip_jinja2_and_render_as_jinja2_does(template: str) -> None:
    assert _placeholders(template) is not None
    assert rendered(template) == jinja2_reference(template, CATALOGUE, BINDINGS)


@pytest.mark.parametrize("template", [
    "{{ mm_open_order }}",  # not a metric
    "{{ none }}",  # a jinja2 literal, even though a metric has that name
    '{{ mm_open_orders(side="bi\\x64") }}',  # an escape jinja2 decodes
    '{{ mm_open_orders(side="bid",) }}',
    '{{ mm_open_orders(exchange=")}}") }}',  # the first `)}}` ends the placeholder's pattern
    '{{ mm_open_orders(side="bid", side="ask") }}',
    "{{ mm_open_orders('bid') }}",
    "{{ mm_open_orders | upper }}",
    "{% if true %}{{ mm_balance }}{% endif %}",
    "{{ mm_balance }} {# a comment #}",
    "{{- mm_balance }}",
    "rate({{ mm_balance }}[5m])\r\n",
    "{{ mm_open_orders ",
    '{{ mm_open_orders(venue="x") }}',
    '{{ mm_open_orders(client="acme") }}',
])
def test_anything_else_is_rendered_or_refused_by_jinja2(template: str) -> None:
    assert rendered(template) == jinja2_reference(template, CATALOGUE, BINDINGS)


FRAGMENTS = st.sampled_from([
    "{{", "}}", " ", "(", ")", ",", "=", '"', "'", "\\", "\r", "\n", "{%", "%}", "{#", "|", "-", "[5m]", "sum(",
    "mm_open_orders", "mm_balance", "none", "side", "state", "client", '"bid"', "'used'", '"x"', "in",
])


@pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")  # jinja2 decoding `\(`
@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=14).map("".join))
def test_any_template_renders_or_fails_exactly_as_with_jinja2(template: str) -> None:
    assert rendered(template) == jinja2_reference(template, CATALOGUE, BINDINGS)


def test_a_query_error_names_the_metric_in_both_paths() -> None:
    with pytest.raises(QueryError, match="mm_open_orders has no label 'venue'"):
        QueryRenderer(CATALOGUE, BINDINGS).render('{{ mm_open_orders(venue="x") }}')
