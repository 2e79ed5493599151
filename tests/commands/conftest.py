"""Factory projects (tests/factories.py) wired to a Grafana double, for end-to-end command tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..conftest import CliResult
from ..factories import SECRETS, edit, small_project
from ..grafana_double import TOKEN, GrafanaDouble

DOUBLE_OPTIONS = ("org_id", "new_layouts", "stack_id", "hide_version")


@dataclass
class Small:
    """A factory project at `root` whose environment `test` is the double `grafana`; `run` runs dashgen on it."""

    root: Path
    grafana: GrafanaDouble
    run: Callable[..., CliResult]

    def edit(self, relative: str, old: str, new: str) -> None:
        """Replace `old` (which must be there) by `new` in one of the project's files."""
        edit(self.root / relative, old, new)

    def board(self, uid: str = "small") -> dict[str, Any]:
        return self.grafana.store.dashboards[uid].data

    def notes(self, uid: str = "small") -> dict[str, str]:
        return self.grafana.store.dashboards[uid].annotations

    def apply(self, *extra: str) -> CliResult:
        """`apply --yes`, which must succeed; the double's counts start afresh after it."""
        result = self.run("apply", "--yes", *extra)
        assert result.code == 0, result.out + result.err
        self.grafana.reset_counts()
        return result


@pytest.fixture
def make(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Small]]:  # type: ignore[no-untyped-def]
    """make(version="11.6.0", *, alerting=False, **options): a new double of that Grafana version and a factory
    project pointed at it (options go to the double when they are its own, else to `small_project`)."""
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    doubles: list[GrafanaDouble] = []

    def setup(version: str = "11.6.0", *, alerting: bool = False, **options: Any) -> Small:
        double_options = {k: options.pop(k) for k in DOUBLE_OPTIONS if k in options}
        grafana = GrafanaDouble(version=version, **double_options).start()
        doubles.append(grafana)
        root = small_project(tmp_path / f"p{len(doubles)}", grafana.url, alerting=alerting, **options)
        if "org_id" in double_options:
            edit(root / "dashgen.yaml", "    token_env:", f"    org_id: {double_options['org_id']}\n    token_env:")
        return Small(root, grafana, lambda *args: cli("--project", str(root), *args))

    yield setup
    for double in doubles:
        double.stop()


@pytest.fixture
def small(make: Callable[..., Small]) -> Small:
    """The small project without alerting, against a Grafana 11.6 double."""
    return make()


@pytest.fixture
def full(make: Callable[..., Small]) -> Small:
    """The full project (board and alerting, secrets in the environment), against a Grafana 11.6 double."""
    return make(alerting=True, full=True)
