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


def interrupts_raise() -> None:
    """From here a Ctrl-C raises KeyboardInterrupt (a no-op unless `main` installed the start-up handler)."""
    if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: Sequence[str] | None = None) -> int:
    """The `dashgen` console script and `python -m dashgen`."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when started with SIGINT ignored
        signal.signal(signal.SIGINT, _interrupted_while_starting)
    from dashgen.cli import main as cli_main

    return cli_main(argv)
