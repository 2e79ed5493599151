"""The two builds a review compares, and the only I/O of dashgen/review: the project at a git ref, and in the
working tree.

The ref's side never touches the user's checkout: its commit is resolved (`git rev-parse --verify`), the
project's subtree at that commit is extracted into a temporary directory (`git archive | tar`; no checkout, no
stash, no change to the index or the worktree list), and compiled there by a subprocess
(`python -m dashgen.review.snapshot`), because a project's modules are imported as the packages `panels` and
`alerts` and the two sides must not share them. The subprocess is started first, before this process imports the
compiler, so it runs while this process compiles the working tree: on two cores a review takes about as long as
one build. Both sides are compiled
environment-neutral, as `dashgen build` without --env: contact point secrets stay `${VAR}` placeholders, never
values. A failure on either side is a DashgenError naming the side ("at origin/main: panels/spread.py:12: ...")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from dashgen.errors import EXIT_CANNOT_RUN, DashgenError

if TYPE_CHECKING:
    from dashgen.kinds.base import Desired


@dataclass(frozen=True)
class Repository:
    top: Path  # the work tree's top level
    subdir: str  # the project's directory inside it, as git names it: "" at the top, else "sub/dir/"


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DashgenError("review compares with a git ref, but git is not installed (not found on PATH)") from None


def repository(root: Path) -> Repository:
    """The git repository whose work tree holds the project at `root`."""
    found = _git(["rev-parse", "--show-toplevel", "--show-prefix"], root)
    if found.returncode != 0:
        raise DashgenError(f"the project {root} is not in a git repository: review compares the working tree with "
                           "a git ref (run `git init` and commit, or review a project inside a repository)")
    top, prefix = [*found.stdout.splitlines(), ""][:2]
    return Repository(Path(top), prefix.strip())


def resolve(repo: Repository, ref: str) -> str:
    """The commit `ref` names (a branch, tag, commit or expression such as HEAD~2); a bad ref is a user error."""
    if not ref or ref.startswith("-"):
        raise DashgenError(f"--base {ref!r} is not a git ref")
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], repo.top)
    if found.returncode != 0 or not found.stdout.strip():
        raise DashgenError(f"--base {ref}: no such commit in {repo.top} (a branch, tag or commit; fetch it first "
                           "if it is remote)")
    return found.stdout.strip()


def extract(repo: Repository, commit: str, into: Path) -> Path:
    """The project's subtree at `commit`, written below `into` at its path in the repository; returns the project
    directory there. Reads only the object database: the user's files, index and stash are untouched."""
    pathspec = ["--", repo.subdir] if repo.subdir else []
    archive = subprocess.Popen(["git", "archive", "--format=tar", commit, *pathspec], cwd=repo.top,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert archive.stdout is not None
    unpack = subprocess.run(["tar", "-x", "-f", "-", "-C", str(into)], stdin=archive.stdout, capture_output=True,
                            check=False)
    archive.stdout.close()
    problem = archive.stderr.read().decode(errors="replace").strip() if archive.stderr else ""
    if archive.wait() != 0:
        if "did not match" in problem:
            raise DashgenError(f"no {repo.subdir.rstrip('/')} in that commit: the project did not exist there")
        raise DashgenError(f"git archive failed: {problem.splitlines()[-1] if problem else 'no reason given'}")
    if unpack.returncode != 0:
        raise DashgenError(f"tar could not unpack the commit's files: {unpack.stderr.decode(errors='replace')[:300]}")
    project = into / repo.subdir
    if not (project / "dashgen.yaml").is_file():
        where = repo.subdir.rstrip("/") or "the repository's top level"
        raise DashgenError(f"no dashgen.yaml in {where} in that commit: the project did not exist there")
    return project


def to_json(desired: list[Desired]) -> str:
    """What the subprocess prints: the desired objects as plain JSON (compact: read by the parent only)."""
    return json.dumps([{"kind": d.kind, "uid": d.uid, "title": d.title, "parent": d.parent, "body": d.body}
                       for d in desired], separators=(",", ":"), allow_nan=False)


def from_json(text: str) -> list[Desired]:
    from dashgen.kinds.base import Desired

    items: list[dict[str, Any]] = json.loads(text)
    return [Desired(kind=i["kind"], uid=i["uid"], title=i["title"], body=i["body"], parent=i["parent"])
            for i in items]


class BaseBuild:
    """The project built at `ref`, in a subprocess started at construction; `result()` waits for it. As a context
    manager it stops the subprocess (if still running) and removes its directory on exit.

    Started before this process imports the compiler: the subprocess finds the project and its repository as
    this process does (the same `--project`, the same working directory), resolves `ref`, unpacks the commit and
    builds, while this process builds the working tree."""

    def __init__(self, ref: str, project: Path | None) -> None:
        self.ref = ref
        self.directory = Path(tempfile.mkdtemp(prefix="dashgen-review-"))
        # -P: the unpacked commit (the subprocess's working directory while it builds) may hold a `dashgen/` of its
        # own, which must not shadow the dashgen running now
        command = [sys.executable, "-P", "-m", "dashgen.review.snapshot", ref, str(project or ""),
                   str(self.directory)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self) -> list[Desired]:
        out, err = self.process.communicate()
        if self.process.returncode == EXIT_CANNOT_RUN:
            message = err.strip().splitlines()[-1] if err.strip() else "it could not be built"
            raise DashgenError(f"at {self.ref}: {message}")
        if self.process.returncode != 0:
            raise RuntimeError(f"building {self.ref} failed (exit {self.process.returncode}):\n{err}")
        return from_json(out)

    def __enter__(self) -> BaseBuild:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.directory, ignore_errors=True)


def at_commit(ref: str, project: Path | None, directory: Path) -> list[Desired]:
    """What the subprocess does: the project (found as the working tree's is) at the commit `ref` names,
    unpacked below `directory` and built there, environment-neutral."""
    from dashgen.project import compile_project, find_root, load_project

    repo = repository(find_root(project))
    extracted = extract(repo, resolve(repo, ref), directory)
    os.chdir(directory)  # errors name the files by their path in the repository
    return compile_project(load_project(extracted)).desired()


def working_tree(root: Path) -> list[Desired]:
    """The project as it is on disk (committed or not), compiled environment-neutral in this process."""
    from dashgen.project import compile_project, load_project

    try:
        return compile_project(load_project(root)).desired()
    except DashgenError as exc:
        raise DashgenError(f"in the working tree: {exc}") from None
