"""Unified diffs of JSON values, as reviewers read them. Pure."""

from __future__ import annotations

import difflib
from typing import Any

from dashgen.jsonfile import dumps


def unified(live: Any, desired: Any, label: str) -> str:
    before = dumps(live).splitlines() if live is not None else []
    after = dumps(desired).splitlines() if desired is not None else []
    lines = difflib.unified_diff(before, after, fromfile=f"live/{label}", tofile=f"code/{label}", lineterm="", n=3)
    return "\n".join(lines)
