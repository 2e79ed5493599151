"""The reviewer's view: every compiled file exactly as `dashgen build` writes it.

Behaviour is tested elsewhere (tests/board/, tests/alerting/); this file only makes every change visible as a
diff of real .json / .yaml files. Update with `make snapshot-update` after an intended change, and commit the
snapshots with the code."""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion

from dashgen.project import Project, compile_project

from .snapshot_json import JSONTextSnapshot, YAMLTextSnapshot


@pytest.fixture(scope="module")
def files(project: Project) -> dict[str, str]:
    return compile_project(project).files()


def test_board_json(files: dict[str, str], snapshot: SnapshotAssertion) -> None:
    assert files["dashboards/mm-desk.json"] == snapshot.use_extension(JSONTextSnapshot)


ALERTING_FILES = ["alerting/contact-points.json", "alerting/policy.json", "alerting/mute-timings.json",
                  "alerting/templates.json", *(f"alerting/rule-groups/{g}.json" for g in
                                               ("freshness", "spread", "inventory", "orders"))]


IDS = [p.removeprefix("alerting/").replace("/", "-").removesuffix(".json") for p in ALERTING_FILES]


@pytest.mark.parametrize("path", ALERTING_FILES, ids=IDS)
def test_alerting_json(files: dict[str, str], path: str, snapshot: SnapshotAssertion) -> None:
    assert files[path] == snapshot.use_extension(JSONTextSnapshot)


def test_every_alerting_file_is_snapshotted(files: dict[str, str]) -> None:
    assert sorted(p for p in files if p.startswith("alerting/")) == sorted(ALERTING_FILES)


def test_prometheus_rules_yaml(files: dict[str, str], snapshot: SnapshotAssertion) -> None:
    assert files["prometheus/rules.yaml"] == snapshot.use_extension(YAMLTextSnapshot)
