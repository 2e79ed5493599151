"""The PNGs' browsers: one that fails stops the others at once (they run in sessions of their own, which a
terminal's Ctrl-C does not reach, so nothing else would), none is left running."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from dashgen.errors import DashgenError
from dashgen.preview import png


def test_a_failing_browser_stops_the_ones_still_drawing_at_once(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    browser = tmp_path / "fake-chromium"
    # panel 1 fails at once; the others hang far past the test (their timeout stays 60 s)
    browser.write_text(f'#!/bin/sh\necho $$ >> {pids}\ncase "$*" in *"#panel=1"*) exit 3;; esac\nsleep 300\n')
    browser.chmod(0o755)
    shots = [png.Shot(n, f"panel {n}", 40, 30) for n in (2, 3, 1)]
    started = time.monotonic()
    with pytest.raises(DashgenError, match=r"could not draw panel 1 .*exit status 3"):
        png.pictures("<html></html>", shots, str(browser), parallel=3, workdir=tmp_path)
    assert time.monotonic() - started < 20  # not the 60 s timeout of the hanging two
    for pid in map(int, pids.read_text().split()):
        assert _gone(pid), pid


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    return state in ("Z", "X")


def test_an_interrupt_while_drawing_stops_every_browser_and_stays_an_interrupt(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    pids = tmp_path / "pids"
    browser = tmp_path / "fake-chromium"
    browser.write_text(f"#!/bin/sh\necho $$ >> {pids}\nsleep 300\n")
    browser.chmod(0o755)
    shots = [png.Shot(n, f"panel {n}", 40, 30) for n in (1, 2)]

    def interrupt() -> None:  # Ctrl-C in the main thread once both browsers run
        while not pids.exists() or len(pids.read_text().split()) < 2:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        png.pictures("<html></html>", shots, str(browser), parallel=2, workdir=tmp_path)
    assert time.monotonic() - started < 20
    for pid in map(int, pids.read_text().split()):
        assert _gone(pid), pid
