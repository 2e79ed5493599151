"""`dashgen lint`: small rules over compiled boards (or any dashboard JSON) and alerts, each with its own id."""
