"""dashgen: the market-making desk's Grafana board and alerts, as code."""

__version__ = "0.1.0"
