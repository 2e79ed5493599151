"""How dashgen marks what it manages in Grafana, so it never touches anything else (design §7), and which
settings it treats as secrets, and what the objects it names may be called. Constants and small checks only:
handlers import these without loading the compilers."""

from __future__ import annotations

import re
from typing import Any

MANAGED_TAG = "managed-by-dashgen"  # on every dashboard dashgen writes; prune looks only at these
SAVE_MESSAGE_PREFIX = "dashgen "  # every save message starts so; a version without it is someone else's edit
MANAGED_LABEL = ("managed_by", "dashgen")  # on every alert rule, and the matcher of dashgen's policy subtree
MANAGED_PREFIX = "dashgen-"  # contact points, mute timings and templates dashgen owns
NAME_LIMIT = 32  # Grafana uids are at most 40 characters, and dashgen's are `dashgen-<name>`
NAME_RULE = f"a name is 1-{NAME_LIMIT} letters, digits, '-' and '_'"
_NAME = re.compile(rf"[A-Za-z0-9_-]{{1,{NAME_LIMIT}}}")
# Settings Grafana stores as secrets (and one, the webhook URL, that dashgen treats as one).
SECRET_FIELDS = {"slack": ("url",), "pagerduty": ("integrationKey",), "webhook": ("url",)}


def is_managed_name(name: object) -> bool:
    """What a contact point, mute timing or template may be called (NAME_RULE): Grafana holds it as
    dashgen-<name>, a uid."""
    return isinstance(name, str) and _NAME.fullmatch(name) is not None


def secret_variables(contact_point: dict[str, Any]) -> dict[str, str]:
    """Secret setting -> the environment variable holding it, from a compiled contact point (`${VAR}`)."""
    found = {}
    for name in SECRET_FIELDS.get(contact_point["type"], ()):
        value = str(contact_point["settings"].get(name, ""))
        if value.startswith("${") and value.endswith("}"):
            found[name] = value[2:-1]
    return found
