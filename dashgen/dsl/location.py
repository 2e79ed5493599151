"""Where in the user's files a definition was written, for error messages."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Location:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def caller_location() -> Location:
    """The first frame outside the dashgen package: the user's line that called a DSL function."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not _in_package(filename):
            return Location(display_path(filename), frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    return Location("<unknown>", 0)


@cache
def _in_package(filename: str) -> bool:
    """Resolved once per file (every DSL call asks, for each frame)."""
    return str(Path(filename).resolve()).startswith(_PACKAGE_DIR)


def display_path(filename: str) -> str:
    """Shown relative to the current directory when it is below it, as users type paths."""
    return _display_path(filename, os.getcwd())


@cache
def _display_path(filename: str, cwd: str) -> str:
    """Once per file and directory: every DSL call names its file (resolving a path is a syscall per part)."""
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return str(path)
