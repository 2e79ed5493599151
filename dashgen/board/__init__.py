"""Compiling the board definitions to Grafana dashboard JSON (pure: no file or network I/O)."""
