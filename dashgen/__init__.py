"""dashgen: a Grafana board and its alerts, as code (panels/, alerts/, dashgen.yaml, metrics.yaml)."""

__version__ = "0.1.0"
