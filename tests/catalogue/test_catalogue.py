"""The metric catalogue: the project's contract loads, and a broken contract is caught at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashgen.catalogue import load_catalogue
from dashgen.catalogue.load import parse_catalogue
from dashgen.errors import DashgenError

from ..factories import small_project

HEAD = "labels: {client: c, side: s}\nmetrics:\n"


def test_a_project_catalogue_loads_its_metrics_labels_values_and_counters(tmp_path: Path) -> None:
    catalogue = load_catalogue(small_project(tmp_path / "full", full=True))
    assert sorted(catalogue.metrics) == ["mm_balance", "mm_mid_price", "mm_open_orders", "mm_quote_timestamp_seconds",
                                         "mm_spread_bps", "mm_trades_total"]
    orders = catalogue.metrics["mm_open_orders"]
    assert orders.labels == ["client", "exchange", "side"]
    assert orders.values["side"] == ["bid", "ask"]
    counters = sorted(name for name, m in catalogue.metrics.items() if m.type == "counter")
    assert counters == ["mm_trades_total"]
    assert all(m.help and m.unit for m in catalogue.metrics.values())


CASES = [
    ("unknown label", "  - {name: a, type: gauge, unit: x, labels: [venue], help: h}\n",
     "metrics.yaml:3: metrics[0] (a): label 'venue' is not declared under `labels:`"),
    ("twice", "  - {name: a, type: gauge, unit: x, labels: [], help: h}\n" * 2,
     "metrics.yaml:4: metrics[1] (a): metric defined twice"),
    ("counter name", "  - {name: fills, type: counter, unit: x, labels: [], help: h}\n",
     "metrics.yaml:3: metrics[0] (fills): a counter's name must end in _total"),
    ("bad type", "  - {name: a, type: summary, unit: x, labels: [], help: h}\n",
     "metrics.yaml:3: metrics[0].type: expected one of gauge, counter; got 'summary'"),
    ("bad name", "  - {name: a-b, type: gauge, unit: x, labels: [], help: h}\n",
     "metrics.yaml:3: metrics[0].name: not a valid Prometheus metric name"),
    ("values for a non-label",
     "  - {name: a, type: gauge, unit: x, labels: [client], help: h, values: {side: [bid]}}\n",
     "metrics.yaml:3: metrics[0] (a): values given for 'side', which is not one of its labels"),
]


@pytest.mark.parametrize(("body", "message"), [(b, m) for _, b, m in CASES], ids=[c for c, _, _ in CASES])
def test_catalogue_errors(body: str, message: str) -> None:
    with pytest.raises(DashgenError) as caught:
        parse_catalogue(HEAD + body, "metrics.yaml")
    assert str(caught.value) == message
