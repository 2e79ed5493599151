"""The subprocess of `dashgen review` that builds the project at a commit (base.py starts it):

    python -P -m dashgen.review.snapshot REF PROJECT_DIR_OR_EMPTY DIRECTORY ANSWER

The base's build where the system cannot fork (base.BaseBuild): it finds the project as the review does
(--project, else from the working directory), unpacks the project's subtree at the commit REF names below
DIRECTORY, compiles it there environment-neutral, and writes base.payload's JSON answer to the file ANSWER
(whole, or not at all). Its stdout is the review's stderr, and only ever what the project or a library prints:
the answer travels apart, so no print can corrupt it. Not a command: an implementation detail of review."""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from dashgen.review.base import payload, quiet_output, write_answer

    ref, project, directory, answer = argv
    quiet_output()
    write_answer(Path(answer), payload(ref, Path(project) if project else None, Path(directory)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
