"""`dashgen preview`: a static HTML page of the board with real charts, drawn without Grafana."""
