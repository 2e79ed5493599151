"""Query templates: selectors carry the board filters; fixed matchers are checked; undefined is an error."""

from __future__ import annotations

import pytest

from dashgen.catalogue.load import parse_catalogue
from dashgen.catalogue.queries import Binding, QueryError, QueryRenderer, label_values_query
from dashgen.dsl.queries import MetricRef, ParamValue, metric, query

CATALOGUE = parse_catalogue(
    """\
labels: {client: c, exchange: e, side: s, service: v}
metrics:
  - {name: mm_open_orders, type: gauge, unit: count, labels: [client, exchange, side], help: h,
     values: {side: [bid, ask]}}
  - {name: mm_heartbeat_timestamp_seconds, type: gauge, unit: s, labels: [client, service], help: h}
  - {name: mm_trades_total, type: counter, unit: count, labels: [client, side], help: h}
""",
    "metrics.yaml",
)
BINDINGS = [Binding("client", "=~", "$client", "the board variable $client"),
            Binding("exchange", "=", "$venue", "the board variable $venue")]
RENDER = QueryRenderer(CATALOGUE, BINDINGS).render


def test_a_metric_renders_with_a_matcher_for_each_bound_label_it_has() -> None:
    assert RENDER("sum({{ mm_open_orders }})") == 'sum(mm_open_orders{client=~"$client",exchange="$venue"})'
    assert RENDER("{{ mm_heartbeat_timestamp_seconds }}") == 'mm_heartbeat_timestamp_seconds{client=~"$client"}'


def test_fixed_matchers_are_added_in_label_order() -> None:
    assert RENDER('{{ mm_open_orders(side="ask") }}') == (
        'mm_open_orders{client=~"$client",exchange="$venue",side="ask"}'
    )


def test_promql_around_the_selector_is_kept_verbatim() -> None:
    expr = "sum by (side) (rate({{ mm_trades_total }}[$__rate_interval]))"
    assert RENDER(expr) == 'sum by (side) (rate(mm_trades_total{client=~"$client"}[$__rate_interval]))'


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ mm_open_order }}", "'mm_open_order' is undefined (not a metric in metrics.yaml)"),
        ('{{ mm_open_orders(venue="x") }}', "mm_open_orders has no label 'venue' (labels: client, exchange, side)"),
        ('{{ mm_open_orders(side="bids") }}', "mm_open_orders: side='bids' is not one of ['bid', 'ask']"),
        ('{{ mm_open_orders(client="acme") }}',
         "mm_open_orders: 'client' is filtered by the board variable $client; a query may not override it"),
        ("{{ mm_open_orders ", "template syntax: unexpected end of template, expected 'end of print statement'."),
    ],
)
def test_template_errors(template: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        RENDER(template)
    assert str(caught.value) == message


def test_label_values_query_filters_only_by_the_bindings_given() -> None:
    metric = CATALOGUE.metrics["mm_open_orders"]
    assert label_values_query(metric, "client", []) == "label_values(mm_open_orders, client)"
    assert label_values_query(metric, "side", BINDINGS) == (
        'label_values(mm_open_orders{client=~"$client",exchange="$venue"}, side)'
    )



def test_parameters_fill_in_what_differs_between_similar_queries() -> None:
    bids = query("sum by (side) ({{ orders }})", params={"orders": metric("mm_open_orders", side="bid")})
    assert RENDER(bids.expr, bids.params) == 'sum by (side) (mm_open_orders{client=~"$client",exchange="$venue",' \
                                             'side="bid"})'
    asks = query("sum({{ mm_open_orders(side=side) }}[{{ window }}])", params={"side": "ask", "window": "5m"})
    assert RENDER(asks.expr, asks.params) == ('sum(mm_open_orders{client=~"$client",exchange="$venue",side="ask"}'
                                              '[5m])')


@pytest.mark.parametrize(
    ("template", "params", "message"),
    [
        ("{{ a }}", {"a": "x", "b": "y"}, "parameter 'b' is not used in the query"),
        ("{{ mm_open_orders }}", {"mm_open_orders": "x"},
         "parameter 'mm_open_orders' has the name of a metric in metrics.yaml: rename the parameter"),
        ("{{ a }}", {"a": MetricRef("mm_open_order")},
         "metric('mm_open_order'): not a metric in metrics.yaml (did you mean mm_open_orders?)"),
        ("{{ a }}", {"a": MetricRef("mm_open_orders", (("side", "bids"),))},
         "mm_open_orders: side='bids' is not one of ['bid', 'ask']"),
    ],
)
def test_parameter_errors(template: str, params: dict[str, ParamValue], message: str) -> None:
    with pytest.raises(QueryError) as caught:
        RENDER(template, tuple(params.items()))
    assert str(caught.value) == message
