"""The reviewer's view: the compiled board exactly as `dashgen build` writes it.

Behaviour is tested elsewhere (tests/board/); this file only makes every change visible as a JSON diff.
Update with `make snapshot-update` after an intended change, and commit the .json with the code."""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion

from dashgen.project import Project, compile_project

from .snapshot_json import JSONTextSnapshot


@pytest.fixture
def json_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONTextSnapshot)


def test_board_json(project: Project, json_snapshot: SnapshotAssertion) -> None:
    files = compile_project(project).files()
    assert files["dashboards/mm-desk.json"] == json_snapshot
