"""The two builds a review compares, and the only I/O of dashgen/review: the project at a git ref, and in the
working tree.

The ref's side never touches the user's checkout: its commit is resolved (`git rev-parse --verify`), the
commit's tree is read into a temporary index (`GIT_INDEX_FILE=<tmp>/index git read-tree`, never the user's
index) and the project's files are written from it into a temporary directory (`git checkout-index --prefix`;
no checkout, no stash, no change to the user's index, files or worktree list). Unlike `git archive`, this ignores
the export-ignore and export-subst attributes: the files are the commit's as git stores them, symlinks included.
The project is compiled there by a child process (BaseBuild), because a project's modules are imported as the
packages `panels` and `alerts` and the two sides must not share them.

The child is started first, so it runs while this process compiles the working tree: on two cores a review
takes about as long as one build. It answers on a channel nothing else writes to (a pipe of its own, or a file in
its temporary directory), and anything it prints goes to this process's stderr, so a project's or a library's
print never reaches the review's output nor corrupts the answer. It runs in its own process group, which is killed
with it (git included) when the review stops early. Both sides are compiled environment-neutral, as
`dashgen build` without --env: contact point secrets stay `${VAR}` placeholders, never values. A failure on
either side is a DashgenError naming the side ("at origin/main: panels/spread.py:12: ..."), and so is a child
that stops without answering ("at origin/main: the build stopped without an answer (exit status 1)", or
"(killed by signal 9 (SIGKILL))")."""

from __future__ import annotations

import contextlib
import io
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

from dashgen import processes
from dashgen.errors import DashgenError
from dashgen.processes import kill_group

if TYPE_CHECKING:
    from dashgen.kinds.base import Desired

ANSWER = "answer.json"  # the new interpreter's answer, in the build's directory
INDEX = "index"  # the temporary index the commit's tree is read into
TREE = "tree"  # the commit's files (the project's subtree), at their paths in the repository


@dataclass(frozen=True)
class Repository:
    top: Path  # the work tree's top level
    subdir: str  # the project's directory inside it, as git names it: "" at the top, else "sub/dir/"


def _git(args: list[str], cwd: Path, *, env: dict[str, str] | None = None,
         stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """git, its output read whole (no deadlock on either stream), its messages in English (LC_ALL=C)."""
    try:
        return processes.git(args, cwd, env=env, stdin=stdin)
    except FileNotFoundError:
        raise DashgenError("review compares with a git ref, but git is not installed (not found on PATH)") from None


def _said(done: subprocess.CompletedProcess[bytes]) -> str:
    """git's last line on stderr, the reason it gives."""
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else "no reason given"


def repository(root: Path) -> Repository:
    """The git repository whose work tree holds the project at `root`."""
    found = _git(["rev-parse", "--show-toplevel", "--show-prefix"], root)
    if found.returncode != 0:
        raise DashgenError(f"the project {root} is not in a git repository: review compares the working tree with "
                           "a git ref (run `git init` and commit, or review a project inside a repository)")
    top, prefix = [*os.fsdecode(found.stdout).splitlines(), ""][:2]
    return Repository(Path(top), prefix.strip())


def resolve(repo: Repository, ref: str) -> str:
    """The commit `ref` names (a branch, tag, commit or expression such as HEAD~2); a bad ref is a user error."""
    if not ref or ref.startswith("-"):
        raise DashgenError(f"--base {ref!r} is not a git ref")
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], repo.top)
    commit = found.stdout.decode(errors="replace").strip()
    if found.returncode != 0 or not commit:
        raise DashgenError(f"--base {ref}: no such commit in {repo.top} (a branch, tag or commit; fetch it first "
                           "if it is remote)")
    return commit


def extract(repo: Repository, commit: str, into: Path) -> Path:
    """The project's subtree at `commit`, written below `into`/tree at its path in the repository (the commit's
    tree read into the index `into`/index, then its files under the project's directory checked out from that
    index: no pathspec, no archive attributes); returns the project directory there. Reads only the object
    database: the user's files, index and stash are untouched."""
    index = {"GIT_INDEX_FILE": str(into / INDEX)}
    read = _git(["read-tree", commit], repo.top, env=index)
    if read.returncode != 0:
        raise DashgenError(f"git read-tree could not read the commit's files: {_said(read)}")
    listed = _git(["ls-files", "-z", "--cached", "--full-name"], repo.top, env=index)
    if listed.returncode != 0:
        raise DashgenError(f"git ls-files could not list the commit's files: {_said(listed)}")
    prefix = os.fsencode(repo.subdir)
    wanted = [path for path in listed.stdout.split(b"\0") if path and path.startswith(prefix)]
    where = repo.subdir.rstrip("/") or "the repository's top level"
    if not wanted:
        raise DashgenError(f"no {where} in that commit: the project did not exist there")
    tree = into / TREE
    tree.mkdir()
    written = _git(["checkout-index", "--force", "-z", "--stdin", f"--prefix={tree}{os.sep}"], repo.top,
                   env=index, stdin=b"\0".join(wanted) + b"\0")
    if written.returncode != 0:
        raise DashgenError(f"git checkout-index could not write the commit's files: {_said(written)}")
    project = tree / repo.subdir
    if not (project / "dashgen.yaml").is_file():
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
    os.chdir(directory / TREE)  # errors name the files by their path in the repository
    return compile_project(load_project(extracted)).desired()


class _Spill(io.RawIOBase):
    """The child's stdout and stderr: its fd 2 (the review's stderr), and never an error (a closed or broken
    stderr loses the text, it does not fail the build)."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        try:
            done = 0
            while done < len(view):
                done += os.write(2, view[done:])
        except OSError:
            pass
        return len(view)


def quiet_output() -> None:
    """In the child, before anything of the project runs: what it prints, at any level, goes to stderr and can
    never fail (fd 1 is fd 2; sys.stdout and sys.stderr write there and swallow a broken pipe)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    try:
        os.dup2(2, 1)
    except OSError:  # no fd 2: what is printed at the fd level is lost
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, 1)
        os.close(nowhere)
    sys.stdout, sys.stderr = (io.TextIOWrapper(io.BufferedWriter(_Spill()), encoding="utf-8",
                                               errors="backslashreplace", line_buffering=True) for _ in range(2))


def write_answer(path: Path, answer: bytes) -> None:
    """The new interpreter's answer, whole or not at all: a child killed while writing leaves no answer."""
    from dashgen.outputs import write_bytes

    write_bytes(path, answer)


def _stderr() -> int:
    """Where the new interpreter's stdout and stderr go: this process's stderr (fd 2), else nowhere."""
    try:
        os.fstat(2)
    except OSError:
        return subprocess.DEVNULL
    return 2


def _how_it_ended(status: int) -> str:
    """An exit code as subprocess gives it (negative: the signal) in words."""
    if status < 0:
        try:
            name = f" ({signal.Signals(-status).name})"
        except ValueError:
            name = ""
        return f"killed by signal {-status}{name}"
    return f"exit status {status}"


class BaseBuild:
    """The project built at `ref` in a child process, started at construction (it runs while this process
    builds the working tree); `result()` waits for it. As a context manager it stops the child (if still
    running) with its process group and removes its directory on exit.

    The child is a fork where the system has one: it starts with this process's modules already imported (the
    compiler's imports are most of a build's time), so the two builds together cost little more than one, even
    on one core; it answers on a pipe of its own. Elsewhere it is a new interpreter, `python -P -m
    dashgen.review.snapshot` (-P: the unpacked commit, its working directory while it builds, may hold a
    `dashgen/` of its own, which must not shadow the dashgen running now), which answers in a file of its
    directory. Either way its stdout is this process's stderr, it finds the project as this process does (the
    same --project, the same working directory) and answers with `payload`."""

    def __init__(self, ref: str, project: Path | None, *, fork: bool = hasattr(os, "fork")) -> None:
        self.ref = ref
        self.pid: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.answer: bytes | None = None
        self.status = 0  # how the child ended, as subprocess says it (negative: killed by that signal)
        self.directory = Path(tempfile.mkdtemp(prefix="dashgen-review-"))
        try:
            if fork:
                self._fork(ref, project)
            else:
                self.process = subprocess.Popen(
                    [sys.executable, "-P", "-m", "dashgen.review.snapshot", ref, str(project or ""),
                     str(self.directory), str(self.directory / ANSWER)],
                    stdin=subprocess.DEVNULL, stdout=_stderr(), start_new_session=True)
        except BaseException:
            shutil.rmtree(self.directory, ignore_errors=True)
            raise

    def _fork(self, ref: str, project: Path | None) -> None:
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
            stream.flush()
        read, write = os.pipe()
        try:
            self.pid = os.fork()
        except BaseException:
            os.close(read)
            os.close(write)
            raise
        if self.pid == 0:  # the child: build, answer, and leave without running anything of the parent's
            try:
                with contextlib.suppress(OSError):  # the parent may have done it first
                    os.setpgid(0, 0)
                for stopping in ("SIGTTOU", "SIGTTIN"):  # a background group writing to a terminal set to
                    if hasattr(signal, stopping):  # `stty tostop` would be stopped, and the parent wait forever
                        signal.signal(getattr(signal, stopping), signal.SIG_IGN)
                os.close(read)
                quiet_output()
                answer = payload(ref, project, self.directory)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(answer)
            finally:
                os._exit(0)
        os.close(write)
        with contextlib.suppress(OSError):  # the child already did, or has ended
            os.setpgid(self.pid, self.pid)  # as the child does: whichever runs first
        self.pipe = os.fdopen(read, "rb")

    def _wait(self) -> bytes:
        if self.answer is None:
            if self.process is not None:
                self.status = self.process.wait()
                path = self.directory / ANSWER
                self.answer = path.read_bytes() if path.is_file() else b""
            else:
                assert self.pid is not None
                self.answer = self.pipe.read()
                self.pipe.close()
                self.status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
                self.pid = None
        return self.answer

    def result(self) -> list[Desired]:
        from dashgen.kinds.base import Desired

        text = self._wait()
        try:
            answer = json.loads(text)
        except ValueError:
            if not text or self.status != 0:
                raise DashgenError(f"at {self.ref}: the build stopped without an answer "
                                   f"({_how_it_ended(self.status)})") from None
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
        # the child and what it started (git); not yet waited for, so its id cannot name another group
        if self.process is not None and self.process.returncode is None:
            kill_group(self.process)
        if self.pid is not None:
            kill_group(self.pid)
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
