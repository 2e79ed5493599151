"""Shared fixtures. Side effects fail loudly: no test reaches beyond loopback, and every test runs in its
own empty working directory so a stray write can never land in the repository."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click
import pytest
import typer.main

from dashgen.cli import main
from dashgen.project import CompiledProject, Project, compile_project, load_project

from .factories import small_project

REPO = Path(__file__).resolve().parent.parent  # the desk's own files are read only by test_snapshots and test_desk

HAVE_PROMTOOL = shutil.which("promtool") is not None
REQUIRE_PROMTOOL = os.environ.get("DASHGEN_REQUIRE_PROMTOOL") == "1"  # .ci/run sets it: fail, never skip
needs_promtool = pytest.mark.skipif(
    not HAVE_PROMTOOL and not REQUIRE_PROMTOOL,
    reason="promtool is not installed (apt-get install -y prometheus); DASHGEN_REQUIRE_PROMTOOL=1 makes this fail",
)


def _allowed_remote_hosts() -> set[str]:
    """Only the real Grafana a developer points the contract tests at (DASHGEN_TEST_GRAFANA_URL)."""
    url = os.environ.get("DASHGEN_TEST_GRAFANA_URL")
    if not url:
        return set()
    host = urlsplit(url).hostname or ""
    try:
        return {host, *(info[4][0] for info in socket.getaddrinfo(host, None))}
    except OSError:
        return {host}


@pytest.fixture(autouse=True)
def _no_remote_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect
    allowed = _allowed_remote_hosts()
    for variable in ("DASHGEN_ENV", "GRAFANA_URL", "GRAFANA_ORG_ID", "GRAFANA_DATASOURCE_UID"):
        monkeypatch.delenv(variable, raising=False)  # a developer's default environment must not leak in

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in allowed and host not in ("127.0.0.1", "::1", "localhost") and not str(host).startswith("127."):
            raise RuntimeError(f"test tried to reach {address!r}; tests may only use loopback")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    cwd = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(cwd)
    yield cwd


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


_COMMANDS: dict[tuple[int, str | None], click.Command] = {}
_BUILD_COMMAND = typer.main.get_command


def _built_once(app: typer.Typer) -> click.Command:
    """typer.main.get_command, once per app: typer builds the click command from the app's functions on every
    call (~7 ms), which a dashgen process does once and the suite ~500 times. What it builds depends only on the
    app and on typer's shell-detection switch for the completion options, which key the cache."""
    key = (id(app), os.environ.get("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"))
    if key not in _COMMANDS:
        _COMMANDS[key] = _BUILD_COMMAND(app)
    return _COMMANDS[key]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run `dashgen ARGS...` in-process, through dashgen.cli.main; returns exit code, stdout and stderr."""
    monkeypatch.setattr(typer.main, "get_command", _built_once)

    def run(*args: str) -> CliResult:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code=code, out=captured.out, err=captured.err)

    return run


@pytest.fixture(scope="session")
def full_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The full factory project (tests/factories.py), loaded once for the tests that only read it."""
    return load_project(small_project(tmp_path_factory.mktemp("full"), full=True))


@pytest.fixture(scope="session")
def compiled_full(full_project: Project) -> CompiledProject:
    """The full factory project compiled once (environment-neutral), for the tests that only read it."""
    return compile_project(full_project)


__all__ = ["HAVE_PROMTOOL", "REPO", "REQUIRE_PROMTOOL", "CliResult", "needs_promtool"]
