"""Writing output files atomically: a reader never sees half a file, a failed run leaves the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dashgen.errors import DashgenError


def write_text(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise DashgenError(f"cannot write: {exc.strerror}", where=str(path)) from None
    return path
