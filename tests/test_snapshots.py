"""The reviewer's view: every file `dashgen build` writes for the desk, exactly as written.

Behaviour is tested elsewhere, on factory projects (tests/factories.py); this file only makes every change of the
desk visible as a diff of real .json / .yaml files. The tests follow the files the desk builds (a new rule group
is a new snapshot), so after an intended change `make snapshot-update` is all it takes: commit the snapshots with
the change."""

from __future__ import annotations

from functools import cache

import pytest
from syrupy.assertion import SnapshotAssertion

from dashgen.project import compile_project, load_project

from .conftest import REPO
from .snapshot_json import JSONTextSnapshot, YAMLTextSnapshot


@cache
def desk_files() -> dict[str, str]:
    return compile_project(load_project(REPO)).files()


def alerting_id(path: str) -> str:
    return path.removeprefix("alerting/").replace("/", "-").removesuffix(".json")


def alerting_files() -> list[str]:
    """The alerting files the desk builds; none when it does not build, so that test_board_json fails on the
    desk's own error instead of the whole run stopping at collection."""
    try:
        return sorted(p for p in desk_files() if p.startswith("alerting/"))
    except Exception:  # any error of the desk: test_board_json reports it
        return []


ALERTING_FILES = alerting_files()


def test_board_json(snapshot: SnapshotAssertion) -> None:
    (board,) = [text for path, text in desk_files().items() if path.startswith("dashboards/")]  # one board
    assert board == snapshot.use_extension(JSONTextSnapshot)


@pytest.mark.parametrize("path", ALERTING_FILES, ids=[alerting_id(p) for p in ALERTING_FILES])
def test_alerting_json(path: str, snapshot: SnapshotAssertion) -> None:
    assert desk_files()[path] == snapshot.use_extension(JSONTextSnapshot)


def test_prometheus_rules_yaml(snapshot: SnapshotAssertion) -> None:
    assert desk_files()["prometheus/rules.yaml"] == snapshot.use_extension(YAMLTextSnapshot)


def test_every_built_file_is_snapshotted() -> None:
    """A new kind of output needs its own snapshot test here."""
    known = ("dashboards/", "alerting/", "prometheus/rules.yaml")
    assert [p for p in desk_files() if not p.startswith(known)] == []
