"""From desired objects and live Grafana to a plan (pure), and from a plan to writes (through handlers)."""
