"""The Grafana test double (see server.py)."""

from .server import TOKEN, GrafanaDouble

__all__ = ["TOKEN", "GrafanaDouble"]
