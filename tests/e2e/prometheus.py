"""The e2e tier's marker, the desk's label values, and a real Prometheus (Debian's package) over the synthetic
desk: dashgen.preview.local's, on 127.0.0.1 over backfilled storage, always stopped, also on failure."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import pytest

from dashgen.catalogue import Catalogue
from dashgen.preview.local import synthetic_prometheus
from dashgen.preview.prometheus import PrometheusClient
from dashgen.preview.synthetic import Desk

# every e2e module: `make e2e` runs them; skipped (saying why) without Debian's prometheus, unless CI requires it
E2E = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (shutil.which("prometheus") and shutil.which("promtool"))
        and os.environ.get("DASHGEN_REQUIRE_PROMTOOL") != "1",
        reason="Debian's prometheus package is not installed (apt-get install -y prometheus)",
    ),
]

# the desk's names (test data: dashgen itself knows none): 3 clients x 2 exchanges x 2 symbols x 2 accounts,
# 2 tags, 3 assets, 2 reference currencies
DOMAINS: dict[str, list[str]] = {
    "client": ["acme", "beta", "gamma"],
    "exchange": ["binance", "okx"],
    "symbol": ["BTC-USDT", "ETH-USDT"],
    "account": ["a1", "a2"],
    "tag": ["core", "tight"],
    "asset": ["BTC", "ETH", "USDT"],
    "ref": ["USD", "EUR"],
    "level": ["1", "2"],
    "service": ["quoter", "hedger"],
    "instance": ["i-1"],
}


@contextmanager
def serve(catalogue: Catalogue, desk: Desk, domains: Mapping[str, Sequence[str]]) -> Iterator[PrometheusClient]:
    """A client of a local Prometheus holding the synthetic desk with `domains`' label values."""
    with synthetic_prometheus(catalogue, desk, domains) as server:
        client = PrometheusClient(server.url)
        try:
            yield client
        finally:
            client.close()
