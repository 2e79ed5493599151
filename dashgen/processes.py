"""The programs dashgen runs (I/O): found on PATH, and stopped with everything they started.

A program dashgen starts runs in a session (process group) of its own, so a terminal's Ctrl-C reaches dashgen
alone and dashgen decides what to stop. `kill_group` kills such a group, the program and its helpers, with
SIGKILL where the system has process groups (POSIX os.killpg), else the program alone, and reaps the program;
`stop` asks a program to end first (SIGTERM) and kills its group when it does not within a grace time."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

from dashgen.errors import DashgenError

PROMETHEUS_HINT = "install Prometheus and promtool: `apt-get install -y prometheus` (Debian/Ubuntu)"


def find_binary(name: str) -> str | None:
    """The program `name` (a name looked up on PATH, or a path), as it can be run; None: there is none."""
    return shutil.which(name)


def require_binary(name: str, hint: str) -> str:
    """The program `name` (see find_binary); a DashgenError saying how to install it (`hint`) when missing."""
    found = find_binary(name)
    if found is None:
        raise DashgenError(f"{name} not found: {hint}")
    return found


def kill_group(process: subprocess.Popen[Any] | int) -> None:
    """Kill the process group `process` leads (it and what it started) and reap `process`. `process`: a Popen
    started with start_new_session=True, or the id of a child this process forked (POSIX) that leads its own
    group and is not yet waited for. Without process groups (no os.killpg), or when the group is gone, the
    process alone is killed."""
    pid = process if isinstance(process, int) else process.pid
    killpg = getattr(os, "killpg", None)  # POSIX
    if killpg is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            killpg(pid, signal.SIGKILL)
    if isinstance(process, int):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
        os.waitpid(pid, 0)
        return
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):  # it ended just now
            process.kill()
    process.wait()


def stop(process: subprocess.Popen[Any], grace_s: float) -> None:
    """End `process`: SIGTERM, then its group killed (kill_group) when it is still running after `grace_s`, or
    when the wait is interrupted (Ctrl-C); reaped either way. A process that has ended is left as it is."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        kill_group(process)
    except BaseException:
        kill_group(process)
        raise


def git(args: list[str], cwd: Path, *, env: dict[str, str] | None = None, stdin: bytes | None = None,
        timeout_s: float | None = None) -> subprocess.CompletedProcess[bytes]:
    """git, its output read whole (no deadlock on either stream), its messages in English (LC_ALL=C) for the
    callers that read them. FileNotFoundError when git is not installed; the caller says what that means."""
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False, timeout=timeout_s,
                          env={**os.environ, **(env or {}), "LC_ALL": "C"})

