"""A copy of the desk's project wired to a Grafana double, for end-to-end command tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import REPO, CliResult
from ..grafana_double import TOKEN, GrafanaDouble

ENVIRONMENT = """\
environments:
  test:
    url: {url}
    token_env: GRAFANA_TOKEN
    datasource_uid: prom-test
    timeouts: {{connect_s: 1, read_s: {read_s}}}
    retries: {{attempts: 3, backoff_s: 0.01, max_wait_s: 0.05}}
    api: {api}
"""


@dataclass
class Desk:
    root: Path
    grafana: GrafanaDouble
    cli: object

    def run(self, *args: str) -> CliResult:
        return self.cli("--project", str(self.root), *args)  # type: ignore[operator, no-any-return]

    def edit_panel_file(self, name: str, old: str, new: str) -> None:
        path = self.root / "panels" / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))


def make_project(root: Path, url: str, read_s: float = 2.0, *, api: str = "auto",
                 allow_ui_edits: bool = False) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(REPO / "panels", root / "panels")
    shutil.copy(REPO / "metrics.yaml", root / "metrics.yaml")
    text = (REPO / "dashgen.yaml").read_text()
    config = text.split("environments:")[0]
    lint = "\nlint:" + text.split("\nlint:", 1)[1]  # the desk's suppression: build, diff and apply lint first
    if allow_ui_edits:
        config = config.replace("allow_ui_edits: false", "allow_ui_edits: true", 1)
        assert "allow_ui_edits: true" in config
    (root / "dashgen.yaml").write_text(config + ENVIRONMENT.format(url=url, read_s=read_s, api=api) + lint)
    return root


@pytest.fixture
def grafana() -> Iterator[GrafanaDouble]:
    with GrafanaDouble() as double:
        yield double


@pytest.fixture
def desk(tmp_path: Path, grafana: GrafanaDouble, cli, monkeypatch: pytest.MonkeyPatch) -> Desk:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)
    return Desk(root=make_project(tmp_path / "desk", grafana.url), grafana=grafana, cli=cli)


SECRETS = {"SLACK_WEBHOOK_URL": "https://hooks.slack.test/services/T000/B000/very-secret-path",
           "PAGERDUTY_INTEGRATION_KEY": "pd-integration-key-0123456789abcdef"}


def make_alerting_project(root: Path, url: str, *, provenance: str = "locked") -> Path:
    """The whole desk project (board and alerts) pointed at the double."""
    root.mkdir(parents=True)
    for name in ("panels", "alerts"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "metrics.yaml", root / "metrics.yaml")
    text = (REPO / "dashgen.yaml").read_text()
    head, rest = text.split("environments:", 1)
    alerting = "alerting:" + rest.split("alerting:", 1)[1]
    alerting = alerting.replace("provenance: locked", f"provenance: {provenance}")
    (root / "dashgen.yaml").write_text(head + ENVIRONMENT.format(url=url, read_s=2.0, api="auto") + "\n" + alerting)
    return root


@pytest.fixture
def alert_desk(tmp_path: Path, grafana: GrafanaDouble, cli, monkeypatch: pytest.MonkeyPatch) -> Desk:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return Desk(root=make_alerting_project(tmp_path / "desk", grafana.url), grafana=grafana, cli=cli)
