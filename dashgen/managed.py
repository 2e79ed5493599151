"""How dashgen marks what it manages in Grafana, so it never touches anything else (design §7)."""

MANAGED_TAG = "managed-by-dashgen"  # on every dashboard dashgen writes; prune looks only at these
SAVE_MESSAGE_PREFIX = "dashgen "  # every save message starts so; a version without it is someone else's edit
