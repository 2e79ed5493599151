"""How dashgen marks what it manages in Grafana, so it never touches anything else (design §7), and which
settings it treats as secrets. Constants only: handlers import these without loading the compilers."""

from __future__ import annotations

from typing import Any

MANAGED_TAG = "managed-by-dashgen"  # on every dashboard dashgen writes; prune looks only at these
SAVE_MESSAGE_PREFIX = "dashgen "  # every save message starts so; a version without it is someone else's edit
MANAGED_LABEL = ("managed_by", "dashgen")  # on every alert rule, and the matcher of dashgen's policy subtree
MANAGED_PREFIX = "dashgen-"  # contact points, mute timings and templates dashgen owns
# Settings Grafana stores as secrets (and one, the webhook URL, that dashgen treats as one).
SECRET_FIELDS = {"slack": ("url",), "pagerduty": ("integrationKey",), "webhook": ("url",)}


def secret_variables(contact_point: dict[str, Any]) -> dict[str, str]:
    """Secret setting -> the environment variable holding it, from a compiled contact point (`${VAR}`)."""
    found = {}
    for name in SECRET_FIELDS.get(contact_point["type"], ()):
        value = str(contact_point["settings"].get(name, ""))
        if value.startswith("${") and value.endswith("}"):
            found[name] = value[2:-1]
    return found
