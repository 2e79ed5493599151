"""The user's own cache directory, the one place it is computed: `$XDG_CACHE_HOME/dashgen`, else
`~/.cache/dashgen`. Cheap to import (a build imports it: board/attrs_code.py)."""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path:
    """$XDG_CACHE_HOME/dashgen, else ~/.cache/dashgen (not made here: each user of it makes its own part)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dashgen"
