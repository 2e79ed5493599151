"""The one error type a user can cause, and the exit codes of design §6."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FOUND = 1  # the command found something: a diff, a lint finding, a failed alert test
EXIT_CANNOT_RUN = 2  # bad usage, bad config, bad definitions, Grafana unreachable or refusing
EXIT_BUG = 3  # an unexpected exception inside dashgen itself
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # as a shell reports a command killed by SIGPIPE


class DashgenError(Exception):
    """A problem the user can fix. Its text is one line that says what and where.

    Caught once, at the top of the CLI, printed to stderr without a traceback, exit 2.
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)
