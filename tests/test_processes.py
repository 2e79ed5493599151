"""dashgen.processes: a program found or a DashgenError with the install hint; kill_group kills the program and
what it started (a Popen or a forked child's id) and reaps it, the program alone where there are no process
groups; stop asks first (SIGTERM) and kills the group when the program does not end in its grace time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashgen import processes
from dashgen.errors import DashgenError

posix = pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")


def test_a_program_on_path_is_found_and_a_missing_one_says_how_to_install_it(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "tool"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert processes.find_binary("tool") == str(program)
    assert processes.require_binary("tool", "unused") == str(program)
    assert processes.find_binary("promtool") is None
    with pytest.raises(DashgenError) as raised:
        processes.require_binary("promtool", processes.PROMETHEUS_HINT)
    assert str(raised.value) == ("promtool not found: install Prometheus and promtool: "
                                 "`apt-get install -y prometheus` (Debian/Ubuntu)")


def _with_helper(tmp_path: Path, script: str = "") -> tuple[subprocess.Popen[bytes], int]:
    """A shell in a session of its own that started a helper (sleep); returns the shell and the helper's id."""
    helper = tmp_path / "helper.pid"
    process = subprocess.Popen(["sh", "-c", f"{script}sleep 300 & echo $! > {helper}; wait"],
                               start_new_session=True)
    deadline = time.monotonic() + 20
    while not helper.exists() or not helper.read_text().strip():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return process, int(helper.read_text())


def _gone(pid: int) -> bool:
    """Ended: no such process, or one killed and not yet reaped by init (a zombie)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.01)
    return False


@posix
def test_kill_group_kills_the_program_and_its_helpers_and_reaps_it(tmp_path: Path) -> None:
    process, helper = _with_helper(tmp_path)
    processes.kill_group(process)
    assert process.returncode == -signal.SIGKILL
    assert _gone(helper)


@posix
def test_kill_group_of_a_forked_child_kills_its_group_and_reaps_it(tmp_path: Path) -> None:
    helper = tmp_path / "helper.pid"
    pid = os.fork()
    if pid == 0:
        try:
            os.setpgid(0, 0)
            sleeper = subprocess.Popen(["sleep", "300"])
            helper.write_text(str(sleeper.pid))
            sleeper.wait()
        finally:
            os._exit(0)
    deadline = time.monotonic() + 20
    while not helper.exists() or not helper.read_text().strip():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    processes.kill_group(pid)
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(pid, os.WNOHANG)
    assert _gone(int(helper.read_text()))


def test_without_process_groups_the_program_alone_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "killpg", raising=False)
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    processes.kill_group(process)
    assert process.returncode is not None and process.returncode != 0


def test_kill_group_of_a_program_that_has_ended_only_reaps_it() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    while process.poll() is None:
        time.sleep(0.01)
    processes.kill_group(process)
    assert process.returncode == 0


def test_stop_asks_first() -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"], start_new_session=True)
    processes.stop(process, grace_s=20)
    assert process.returncode == (-signal.SIGTERM if os.name == "posix" else 1)


@posix
def test_stop_kills_the_group_of_a_program_that_does_not_end_in_its_grace_time(tmp_path: Path) -> None:
    process, helper = _with_helper(tmp_path, "trap '' TERM; ")
    started = time.monotonic()
    processes.stop(process, grace_s=0.5)
    assert time.monotonic() - started < 10
    assert process.returncode == -signal.SIGKILL
    assert _gone(helper)


def test_stop_leaves_a_program_that_has_ended_as_it_is() -> None:
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    processes.stop(process, grace_s=1)
    assert process.returncode == 3
