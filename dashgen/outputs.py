"""Writing output files and output directories.

A file is written whole or not at all (a hidden temporary file renamed over it). An output directory (build's,
pull's) is replaced as a whole: written into a hidden sibling, then swapped in, so it holds exactly what this run
wrote, and a run that fails or is interrupted leaves the previous output as it was. A directory is replaced only
when it is absent, empty, or carries the marker dashgen writes in it (MARKER) and nothing at its top but the
output's own directories, so a mistyped --out never deletes anyone's files. The marker's text is fixed, so
`diff -r build pulled` does not see it. Files and directories get what the umask allows (0666 / 0777 less the
umask), as any tool's output does; backups ask for 0600."""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from dashgen.dsl.location import display_path
from dashgen.errors import DashgenError

MARKER = ".dashgen-build"
MARKER_TEXT = ("Written by dashgen (build or pull): the whole directory is replaced on every run, so keep nothing\n"
               "else in it (dashgen refuses to replace it while it holds anything else at its top).\n")
PUBLIC = 0o666


def write_text(path: Path, text: str, *, mode: int = PUBLIC) -> Path:
    """`mode` before the umask is applied (the kernel applies it, as for any file a program creates)."""
    return write_bytes(path, text.encode("utf-8"), mode=mode)


def write_bytes(path: Path, content: bytes, *, mode: int = PUBLIC) -> Path:
    """`path` holds `content` whole or keeps what it held: written beside it, then renamed over it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create(path.parent, f".{path.name}.", mode)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise DashgenError(f"cannot write: {exc.strerror}", where=display_path(str(path))) from None
    return path


def replace_tree(out: Path, files: Mapping[str, str | bytes], *, protected: Sequence[tuple[Path, str]],
                 layout: Collection[str], top_files: Collection[str] = ()) -> list[Path]:
    """Make `out` hold exactly `files` (path below `out` -> text, or bytes) and the marker; returns the paths
    written. `protected`: directories (with how to name them) that `out` must be neither equal to nor above;
    `layout`: the top-level directories such an output may hold (every file of `files` is below one, or is one
    of `top_files`, the files such an output may hold at its top)."""
    check_replaceable(out, protected, layout, top_files)
    outside = sorted(name for name in files if name.split("/")[0] not in layout and name not in top_files)
    assert not outside, f"outside the output layout {sorted(layout)}: {outside}"
    target = out.resolve() if out.is_symlink() else out  # a symlinked output directory stays a symlink
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = _fresh(target.parent, f".{target.name}.dashgen-new-")
        os.mkdir(staging)
    except OSError as exc:
        raise DashgenError(f"cannot write: {exc.strerror}", where=display_path(str(out))) from None
    try:
        for relative, content in sorted(files.items()):
            if isinstance(content, bytes):
                write_bytes(staging / relative, content)
            else:
                write_text(staging / relative, content)
        write_text(staging / MARKER, MARKER_TEXT)
        _swap(staging, target)
    except OSError as exc:
        raise DashgenError(f"cannot replace: {exc.strerror}", where=display_path(str(out))) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already after a successful swap
    return [out / relative for relative in files]


def check_replaceable(out: Path, protected: Sequence[tuple[Path, str]], layout: Collection[str],
                      top_files: Collection[str] = ()) -> None:
    """A DashgenError unless `out` may be replaced as a whole (see the module docstring)."""
    shown = display_path(str(out)) if not out.is_absolute() or out.resolve() != Path.cwd().resolve() else str(out)
    resolved = out.resolve()
    for above in (False, True):
        for directory, name in protected:
            keep = directory.resolve()
            if resolved in keep.parents if above else resolved == keep:
                raise DashgenError(f"{shown} {'holds' if above else 'is'} {name}: refusing to replace it with the "
                                   "output; choose an output directory of its own (e.g. build)")
    if not os.path.lexists(out):
        return
    if not out.is_dir():
        raise DashgenError(f"{shown} exists and is not a directory: refusing to replace it")
    try:
        entries = sorted(os.listdir(out))
    except OSError as exc:
        raise DashgenError(f"cannot read: {exc.strerror}", where=shown) from None
    if not entries:
        return
    if not (out / MARKER).is_file():
        raise DashgenError(f"{shown} is not empty and has no {MARKER} marker, so dashgen did not write it: refusing "
                           "to replace it (remove or empty it, or choose another output directory)")
    stray = [name for name in entries if name != MARKER
             and not (name in layout and (out / name).is_dir() and not (out / name).is_symlink())
             and not (name in top_files and (out / name).is_file() and not (out / name).is_symlink())]
    if stray:
        raise DashgenError(f"{shown}/{stray[0]} was not written by dashgen: refusing to replace {shown} and delete "
                           "it (move it away, or choose another output directory)")


def _swap(staging: Path, target: Path) -> None:
    """Put `staging` at `target`; the previous `target` is deleted only once the new one is in place."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return
    aside = _fresh(target.parent, f".{target.name}.dashgen-old-")
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _fresh(directory: Path, prefix: str) -> Path:
    while True:
        candidate = directory / f"{prefix}{os.urandom(6).hex()}"
        if not os.path.lexists(candidate):
            return candidate


def _create(directory: Path, prefix: str, mode: int) -> tuple[int, Path]:
    """A new file opened for writing, created with `mode` (less the umask), never an existing one."""
    while True:
        candidate = directory / f"{prefix}{os.urandom(6).hex()}.tmp"
        try:
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode), \
                candidate
        except FileExistsError:
            continue
