"""Everything that talks HTTP to Grafana: settings, the client, and its one error type."""
