"""The base's build (dashgen/review/base.py) in both of its forms: a fork of this process, and where the system
has no fork a new interpreter; both answer the same objects and the same errors, and neither runs a `dashgen/`
the user's commit happens to hold."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dashgen.errors import DashgenError
from dashgen.review.base import BaseBuild, working_tree

from ..factories import small_project

IDENTITY = ("-c", "user.email=review@example.com", "-c", "user.name=Review Test", "-c", "commit.gpgsign=false")


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


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "new-interpreter"])
def test_the_base_is_the_committed_project(repo: Path, fork: bool) -> None:
    committed = working_tree(repo)
    config = repo / "dashgen.yaml"
    config.write_text(config.read_text().replace("quote_age_s: 60", "quote_age_s: 90"))
    with BaseBuild("HEAD", repo, fork=fork) as built:
        assert built.result() == committed
        assert built.directory.is_dir()
    assert not built.directory.exists()
    assert working_tree(repo) != committed


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "new-interpreter"])
def test_an_error_at_the_base_names_the_ref(repo: Path, fork: bool) -> None:
    with BaseBuild("nope", repo, fork=fork) as built, pytest.raises(DashgenError) as raised:
        built.result()
    assert str(raised.value).startswith("at nope: --base nope: no such commit")


def test_leaving_early_stops_the_build_and_removes_its_directory(repo: Path) -> None:
    with BaseBuild("HEAD", repo) as built:
        pid = built.pid
    assert not built.directory.exists()
    assert pid is not None and built.pid is None
