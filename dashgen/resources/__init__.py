"""One handler per Grafana resource kind behind one small interface (see base.py)."""
