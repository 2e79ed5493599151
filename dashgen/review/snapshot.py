"""The subprocess of `dashgen review` that builds the project at a commit (base.py starts it):

    python -P -m dashgen.review.snapshot REF PROJECT_DIR_OR_EMPTY DIRECTORY

It finds the project as the review does (--project, else from the working directory), unpacks the project's
subtree at the commit REF names below DIRECTORY (then its working directory, so the files an error names are
shown by their path in the repository), compiles it environment-neutral, and prints the desired objects as JSON
on stdout. A problem the user can fix is one line on stderr and exit 2; anything else is a traceback (exit 1).
Not a command: an implementation detail of review."""

from __future__ import annotations

import sys
from pathlib import Path

from dashgen.errors import EXIT_CANNOT_RUN, DashgenError


def main(argv: list[str]) -> int:
    from dashgen.review.base import at_commit, to_json

    ref, project, directory = argv
    try:
        desired = at_commit(ref, Path(project) if project else None, Path(directory))
    except DashgenError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_CANNOT_RUN
    sys.stdout.write(to_json(desired))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
