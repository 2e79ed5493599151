"""Compiling alerts/ and alerting config to Grafana alerting objects and a Prometheus rule file. Pure."""
