"""`dashgen review --base REF`: what changed between REF and the working tree, in words, for a pull request.
Exit 0 when it could compare (with or without differences), 2 when it could not (not a git repository, a bad
ref, a build failure at either side, named)."""

from __future__ import annotations

from pathlib import Path

from dashgen.errors import EXIT_OK


def main(*, project: Path | None, base: str, output: str) -> int:
    from dashgen.project import find_root  # the compiler, imported before the base's build forks from here
    from dashgen.review import base as sides

    with sides.BaseBuild(base, project) as at_base:  # runs while this process builds the working tree
        from dashgen.console import out
        from dashgen.review.render import render
        from dashgen.review.summary import review

        root = find_root(project)
        repo = sides.repository(root)
        commit = sides.resolve(repo, base)  # a bad ref is told at once (the base's build finds it too)
        head = sides.working_tree(root)
        before = at_base.result()
    out(render(review(before, head, base=base, commit=commit), output), nl=False)
    return EXIT_OK
