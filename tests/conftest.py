"""Shared fixtures. Side effects fail loudly: no test reaches beyond loopback, and every test runs in its
own empty working directory so a stray write can never land in the repository."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashgen.cli import main
from dashgen.discovery import discover_board
from dashgen.project import Project, compile_project, load_project

REPO = Path(__file__).resolve().parent.parent
ASSETS = Path(__file__).resolve().parent / "assets"


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


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `dashgen ARGS...` in-process; returns exit code, stdout and stderr."""

    def run(*args: str) -> CliResult:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code=code, out=captured.out, err=captured.err)

    return run


@pytest.fixture(scope="session")
def project() -> Project:
    return load_project(REPO)


@pytest.fixture(scope="session")
def board(project: Project) -> dict:  # type: ignore[type-arg]
    return compile_project(project).board.dashboard


def asset(name: str) -> Path:
    return ASSETS / name


__all__ = ["ASSETS", "REPO", "CliResult", "asset", "discover_board"]
