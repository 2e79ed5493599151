"""The console script's first code: a Ctrl-C while dashgen is still starting says "dashgen: interrupted", exit 130.

Importing typer, click and a command's modules takes ~100 ms, and Python's own SIGINT handler would raise
KeyboardInterrupt inside one of those imports and print its traceback. So, before any of them, SIGINT ends the
process at once (nothing has been written yet, there is nothing to clean up), until a command starts: `cli.run`
calls `interrupts_raise`, and from there a Ctrl-C is a KeyboardInterrupt the command can stop cleanly on.

This module imports only os and signal (a millisecond), so that the handler is in place before anything slow."""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from types import FrameType

EXIT_INTERRUPTED = 130  # as dashgen.errors says; repeated so that nothing of dashgen is imported before the handler


def _interrupted_while_starting(signum: int, frame: FrameType | None) -> None:
    os.write(2, b"dashgen: interrupted\n")
    os._exit(EXIT_INTERRUPTED)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a CI job cancelled, a terminal closed) while a command runs: raised like Ctrl-C's
    KeyboardInterrupt, so that what the command started (a local Prometheus, a child build, temporary
    directories) is stopped and removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminated(signum: int, frame: FrameType | None) -> None:
    for stopping in STOPPING:  # the unwinding itself is not cut short by the next one (CI sends SIGTERM again)
        signal.signal(stopping, signal.SIG_IGN)
    raise Terminated(signum)


# SIGTERM and SIGHUP, where the system has them (Windows has no SIGHUP)
STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def interrupts_raise() -> dict[int, object]:
    """From here a Ctrl-C raises KeyboardInterrupt (a no-op unless `main` installed the start-up handler), and
    SIGTERM/SIGHUP raise Terminated where they would have ended the process at once. Returns the handlers it
    replaced, for `interrupts_restored`."""
    if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    replaced: dict[int, object] = {}
    for signum in STOPPING:
        if signal.getsignal(signum) is signal.SIG_DFL:
            replaced[signum] = signal.signal(signum, _terminated)
    return replaced


def interrupts_restored(replaced: dict[int, object]) -> None:
    for signum, handler in replaced.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    """The `dashgen` console script and `python -m dashgen`."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when started with SIGINT ignored
        signal.signal(signal.SIGINT, _interrupted_while_starting)
    from dashgen.cli import main as cli_main

    return cli_main(argv)
