"""The base's build (dashgen/review/base.py) in both of its forms: a fork of this process, and where the system
has no fork a new interpreter; both answer the same objects and the same errors, and neither runs a `dashgen/`
the user's commit happens to hold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from dashgen.errors import DashgenError
from dashgen.review import base
from dashgen.review.base import BaseBuild, working_tree

from ..factories import edit, small_project

IDENTITY = ("-c", "user.email=review@example.com", "-c", "user.name=Review Test", "-c", "commit.gpgsign=false")

# The new interpreter is the path where there is no fork (Windows): a whole Python start each, so the slow tier
SIDES = [pytest.param(True, id="fork"), pytest.param(False, id="new-interpreter", marks=pytest.mark.slow)]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *IDENTITY, *args], cwd=repo, capture_output=True, text=True, check=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = small_project(tmp_path / "repo", full=True)
    # a package of the user's named like dashgen's: the base's build must run the dashgen reviewing, not this
    (root / "dashgen").mkdir()
    (root / "dashgen" / "__init__.py").write_text("raise SystemExit('the repository's dashgen/ was imported')\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "desk")
    return root


@pytest.mark.parametrize("fork", SIDES)
def test_the_base_is_the_committed_project(repo: Path, fork: bool) -> None:
    committed = working_tree(repo)
    edit(repo / "dashgen.yaml", "quote_age_s: 60", "quote_age_s: 90")
    with BaseBuild("HEAD", repo, fork=fork) as built:
        assert built.result() == committed
        assert built.directory.is_dir()
    assert not built.directory.exists()
    assert working_tree(repo) != committed


@pytest.mark.parametrize("fork", SIDES)
def test_an_error_at_the_base_names_the_ref(repo: Path, fork: bool) -> None:
    with BaseBuild("nope", repo, fork=fork) as built, pytest.raises(DashgenError) as raised:
        built.result()
    assert str(raised.value).startswith("at nope: --base nope: no such commit")


def test_leaving_early_stops_the_build_and_removes_its_directory(repo: Path) -> None:
    with BaseBuild("HEAD", repo) as built:
        pid = built.pid
    assert not built.directory.exists()
    assert pid is not None and built.pid is None


# ------------------------------------------------------------------------------------------- a child's output
PRINTS = """\
import os as _os
import sys as _sys
import warnings as _warnings

print("the project prints on import")
_sys.stdout.write("x" * 200_000 + "\\n")  # more than a pipe holds
_sys.stdout.flush()
print("and on stderr", file=_sys.stderr)
_warnings.warn("and warns")
"""
NOISE = PRINTS + '_os.write(1, b"and writes to fd 1 directly\\n")\n'  # below Python's streams


def committed_then_restored(repo: Path, path: str, prepend: str) -> None:
    """Commit `path` with `prepend` put first, then put the file back as it was in the working tree."""
    file = repo / path
    good = file.read_text()
    file.write_text(prepend + good)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "changed at the base")
    file.write_text(good)


@pytest.mark.parametrize("fork", SIDES)
def test_what_the_base_prints_never_reaches_stdout_nor_the_answer(repo: Path, fork: bool,
                                                                  capfd: pytest.CaptureFixture[str]) -> None:
    expected = working_tree(repo)
    committed_then_restored(repo, "panels/prices.py", NOISE)
    capfd.readouterr()
    with BaseBuild("HEAD", repo, fork=fork) as built:
        assert built.result() == expected
    out, err = capfd.readouterr()
    assert out == ""
    assert "the project prints on import" in err and "and writes to fd 1 directly" in err


CHILD = """\
import json, sys
from pathlib import Path
from dashgen.review.base import BaseBuild
with BaseBuild("HEAD", Path(sys.argv[1]), fork=sys.argv[2] == "fork") as built:
    print(json.dumps(len(built.result())))
"""


@pytest.mark.parametrize("fork", SIDES)
def test_a_broken_stderr_does_not_fail_the_base(repo: Path, fork: bool) -> None:
    """The child's stdout is the review's stderr; a reader of it gone is no error of the base's build (what
    Python prints is lost; a write of the project's own to fd 1 fails as it would in `dashgen build`)."""
    committed_then_restored(repo, "panels/prices.py", PRINTS)
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(repo), "fork" if fork else "new"],
                              stdout=subprocess.PIPE, stderr=write, cwd=repo.parent, check=False)
    finally:
        os.close(write)
    assert done.returncode == 0
    assert int(done.stdout) == len(working_tree(repo))


def test_a_whole_review_prints_only_its_answer(repo: Path) -> None:
    committed_then_restored(repo, "panels/prices.py", NOISE)
    done = subprocess.run([sys.executable, "-m", "dashgen", "--project", str(repo), "review", "--base", "HEAD",
                           "-o", "json"], capture_output=True, text=True, cwd=repo.parent, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["changes"] is False
    assert "the project prints on import" in done.stderr


# ----------------------------------------------------------------------------------------- a child that dies
@pytest.mark.parametrize("fork", SIDES)
@pytest.mark.parametrize(("how", "told"), [("os._exit(9)", "exit status 9"),
                                           ("os.kill(os.getpid(), signal.SIGKILL)", "killed by signal 9 (SIGKILL)")],
                         ids=["exit", "signal"])
def test_a_base_that_stops_without_an_answer_is_a_user_error_naming_the_ref(repo: Path, fork: bool, how: str,
                                                                            told: str) -> None:
    committed_then_restored(repo, "panels/prices.py", f"import os, signal\n{how}\n")
    with BaseBuild("HEAD", repo, fork=fork) as built, pytest.raises(DashgenError) as raised:
        built.result()
    assert str(raised.value) == f"at HEAD: the build stopped without an answer ({told})"


def test_the_answer_is_written_whole(tmp_path: Path) -> None:
    answer = tmp_path / base.ANSWER
    base.write_answer(answer, b'{"desired": []}')
    base.write_answer(answer, b'{"error": "again"}')
    assert answer.read_bytes() == b'{"error": "again"}'
    assert [p.name for p in tmp_path.iterdir()] == [base.ANSWER]  # no partial file left beside it


@pytest.mark.parametrize("fork", SIDES)
def test_the_child_leads_its_own_process_group(repo: Path, fork: bool) -> None:
    with BaseBuild("HEAD", repo, fork=fork) as built:
        pid = built.pid if fork else built.process.pid  # type: ignore[union-attr]
        assert pid is not None and os.getpgid(pid) == pid
        built.result()


def test_leaving_early_kills_what_the_child_started(repo: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped while the child waits on its own child (as on git): both end, not only the child."""
    started = tmp_path / "sleeper.pid"

    def slow_extract(repo: base.Repository, commit: str, into: Path) -> Path:
        sleeper = subprocess.Popen(["sleep", "60"])
        started.write_text(str(sleeper.pid))
        sleeper.wait()
        raise AssertionError("not killed")

    monkeypatch.setattr(base, "extract", slow_extract)
    with BaseBuild("HEAD", repo, fork=True):
        deadline = time.monotonic() + 20
        while not started.exists() or not started.read_text():
            assert time.monotonic() < deadline
            time.sleep(0.01)
    sleeper = int(started.read_text())
    deadline = time.monotonic() + 5
    while alive(sleeper):
        assert time.monotonic() < deadline, "the child's child outlived the review"
        time.sleep(0.01)


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie (one killed but not yet reaped is dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.parametrize("fork", SIDES)
def test_a_child_that_cannot_start_leaves_no_directory(repo: Path, tmp_path: Path, fork: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", refused) if fork else monkeypatch.setattr(subprocess, "Popen", refused)
    with pytest.raises(OSError, match="no more processes"):
        BaseBuild("HEAD", repo, fork=fork)
    assert list(temporary.iterdir()) == []


# ------------------------------------------------------------------------------------------ the commit's files
@pytest.mark.parametrize("fork", SIDES)
def test_archive_attributes_do_not_change_the_commits_files(repo: Path, fork: bool) -> None:
    """export-ignore and export-subst are for `git archive`; the base is the commit as git stores it."""
    expected = working_tree(repo)
    (repo / ".gitattributes").write_text("panels/orders.py export-ignore\nnotes.txt export-subst\n")
    (repo / "notes.txt").write_text("$Format:%H$\n")
    (repo / "config-link.yaml").symlink_to("dashgen.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "attributes")
    with BaseBuild("HEAD", repo, fork=fork) as built:
        assert built.result() == expected
        tree = built.directory / "tree"
        assert (tree / "notes.txt").read_text() == "$Format:%H$\n"
        assert (tree / "config-link.yaml").is_symlink()
        assert os.readlink(tree / "config-link.yaml") == "dashgen.yaml"
    assert git_output(repo, "status", "--porcelain") == ""


def git_output(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("fork", SIDES)
def test_a_project_directory_named_like_a_glob_is_only_itself(tmp_path: Path, fork: bool) -> None:
    top = tmp_path / "mono"
    project = small_project(top / "sub*dir", full=True)
    small_project(top / "subXdir", full=True)  # what `sub*dir` would match as a pathspec
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "two projects")
    expected = working_tree(project)
    with BaseBuild("HEAD", project, fork=fork) as built:
        assert built.result() == expected
        assert [p.name for p in (built.directory / "tree").iterdir()] == ["sub*dir"]
