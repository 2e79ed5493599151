"""The one JSON serialisation dashgen writes: sorted keys, 2-space indent, trailing newline."""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
