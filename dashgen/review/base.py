"""The two builds a review compares, and the only I/O of dashgen/review: the project at a git ref, and in the
working tree.

The ref's side never touches the user's checkout: its commit is resolved (`git rev-parse --verify`), the
project's subtree at that commit is extracted into a temporary directory (`git archive | tar`; no checkout, no
stash, no change to the index or the worktree list), and compiled there by a child process (BaseBuild), because
a project's modules are imported as the packages `panels` and `alerts` and the two sides must not share them.
The child is started first, so it runs while this process compiles the working tree: on two cores a review
takes about as long as one build. Both sides are compiled
environment-neutral, as `dashgen build` without --env: contact point secrets stay `${VAR}` placeholders, never
values. A failure on either side is a DashgenError naming the side ("at origin/main: panels/spread.py:12: ...")."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from dashgen.errors import DashgenError

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


def payload(ref: str, project: Path | None, directory: Path) -> bytes:
    """What the base's build answers, as JSON: {"desired": [...]} (the objects, plain), {"error": "..."} (a
    DashgenError: a problem the user can fix) or {"bug": "traceback"}."""
    try:
        desired = at_commit(ref, project, directory)
        answer: dict[str, Any] = {"desired": [{"kind": d.kind, "uid": d.uid, "title": d.title, "parent": d.parent,
                                               "body": d.body, "annotations": dict(d.annotations)}
                                              for d in desired]}
    except DashgenError as exc:
        answer = {"error": str(exc)}
    except BaseException:
        answer = {"bug": traceback.format_exc()}
    return json.dumps(answer, separators=(",", ":"), allow_nan=False).encode()


def at_commit(ref: str, project: Path | None, directory: Path) -> list[Desired]:
    """The project (found as the working tree's is) at the commit `ref` names, unpacked below `directory` and
    built there, environment-neutral."""
    from dashgen.project import compile_project, find_root, load_project

    repo = repository(find_root(project))
    extracted = extract(repo, resolve(repo, ref), directory)
    os.chdir(directory)  # errors name the files by their path in the repository
    return compile_project(load_project(extracted)).desired()


class BaseBuild:
    """The project built at `ref` in a child process, started at construction (it runs while this process
    builds the working tree); `result()` waits for it. As a context manager it stops the child (if still
    running) and removes its directory on exit.

    The child is a fork where the system has one: it starts with this process's modules already imported (the
    compiler's imports are most of a build's time), so the two builds together cost little more than one, even
    on one core. Elsewhere it is a new interpreter, `python -P -m dashgen.review.snapshot` (-P: the unpacked
    commit, its working directory while it builds, may hold a `dashgen/` of its own, which must not shadow the
    dashgen running now). Either way the child finds the project as this process does (the same --project, the
    same working directory) and answers with `payload`."""

    def __init__(self, ref: str, project: Path | None, *, fork: bool = hasattr(os, "fork")) -> None:
        self.ref = ref
        self.directory = Path(tempfile.mkdtemp(prefix="dashgen-review-"))
        self.pid: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.answer: bytes | None = None
        if not fork:
            command = [sys.executable, "-P", "-m", "dashgen.review.snapshot", ref, str(project or ""),
                       str(self.directory)]
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE)
            return
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
            stream.flush()
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: build, answer, and leave without running anything of the parent's
            try:
                os.close(read)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload(ref, project, self.directory))
            finally:
                os._exit(0)
        os.close(write)
        self.pipe = os.fdopen(read, "rb")

    def _wait(self) -> bytes:
        if self.answer is None:
            if self.process is not None:
                self.answer = self.process.communicate()[0]
            else:
                assert self.pid is not None
                self.answer = self.pipe.read()
                self.pipe.close()
                os.waitpid(self.pid, 0)
                self.pid = None
        return self.answer

    def result(self) -> list[Desired]:
        from dashgen.kinds.base import Desired

        text = self._wait()
        try:
            answer = json.loads(text)
        except ValueError:
            raise RuntimeError(f"building {self.ref} gave no answer: {text[:500]!r}") from None
        if "error" in answer:
            raise DashgenError(f"at {self.ref}: {answer['error']}")
        if "bug" in answer:
            raise RuntimeError(f"building {self.ref} failed:\n{answer['bug']}")
        return [Desired(kind=i["kind"], uid=i["uid"], title=i["title"], body=i["body"], parent=i["parent"],
                        annotations=i["annotations"]) for i in answer["desired"]]

    def __enter__(self) -> BaseBuild:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None
            self.pipe.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def working_tree(root: Path) -> list[Desired]:
    """The project as it is on disk (committed or not), compiled environment-neutral in this process."""
    from dashgen.project import compile_project, load_project

    try:
        return compile_project(load_project(root)).desired()
    except DashgenError as exc:
        raise DashgenError(f"in the working tree: {exc}") from None
