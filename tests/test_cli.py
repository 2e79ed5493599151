"""`dashgen` end to end: files written, summary printed, exit codes of design §6, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashgen import __version__
from dashgen.outputs import MARKER

from .conftest import REPO, asset


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--version")
    assert (result.code, result.out) == (0, f"dashgen {__version__}\n")


def test_build_writes_the_board_and_prints_a_summary(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", str(REPO), "build", "--out-dir", str(tmp_path / "out"))
    assert result.code == 0, result.err
    written = tmp_path / "out" / "dashboards" / "mm-desk.json"
    board = json.loads(written.read_text())
    assert board["uid"] == "mm-desk"
    lines = result.out.splitlines()
    wrote = [line.removeprefix("wrote ") for line in lines if line.startswith("wrote ")]
    assert str(written) in wrote
    assert {str(p) for p in (tmp_path / "out").rglob("*") if p.is_file()} == {*wrote, str(tmp_path / "out" / MARKER)}
    assert len(wrote) == 10 and str(tmp_path / "out" / "prometheus" / "rules.yaml") in wrote
    summary = lines[len(wrote):]
    assert summary[0].startswith("board mm-desk (Market Making Desk): 6 rows, 26 panels, 9 variables, ")
    assert [line.split()[0] for line in summary[1:7]] == ["General", "Inventory", "Depths", "Orders", "Spread",
                                                         "Trades"]
    assert result.err == ""


def test_build_from_a_subdirectory_writes_build_in_the_project_root(cli, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path) -> None:
    project = tmp_path / "proj"
    import shutil

    shutil.copytree(asset("minimal"), project)
    monkeypatch.chdir(project / "panels")
    result = cli("build")
    assert result.code == 0, result.err
    assert (project / "build" / "dashboards" / "mini.json").is_file()
    assert not (project / "panels" / "build").exists()
    assert f"wrote {project / 'build' / 'dashboards' / 'mini.json'}" in result.out.splitlines()
    assert "board mini (Mini Board): 2 rows, 4 panels, 3 variables, 4 queries" in result.out


def test_a_query_naming_an_unknown_metric_is_an_error_at_the_panel(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", str(asset("undefined_metric")), "build", "--out-dir", "out")
    assert result.code == 2
    assert result.err.strip().endswith(
        "panels/beta.py:7: panel 'Typo' query A: 'mm_mid_prise' is undefined (not a metric in metrics.yaml)"
    )


def test_no_project_is_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", str(tmp_path), "build")
    assert result.code == 2
    assert "no dashgen.yaml in" in result.err and "--project" in result.err


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("frobnicate").code == 2
    assert cli("build", "--no-such-flag").code == 2


def test_an_unexpected_exception_is_a_bug_exit_3_with_traceback(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import dashgen.commands.build as build

    def explode(**_: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(build, "main", explode)
    result = cli("--project", str(REPO), "build")
    assert result.code == 3
    assert "Traceback" in result.err and "a bug in dashgen" in result.err


def test_ctrl_c_exits_130(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import dashgen.commands.build as build

    def interrupt(**_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "main", interrupt)
    assert cli("--project", str(REPO), "build").code == 130


def _build_with_seed(seed: str, out: Path) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "dashgen", "--project", str(REPO), "build", "--out-dir", str(out)],
        check=True, env=env, capture_output=True,
    )
    return (out / "dashboards" / "mm-desk.json").read_bytes()


def test_two_builds_are_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    first = _build_with_seed("0", tmp_path / "a")
    second = _build_with_seed("4242", tmp_path / "b")
    assert first == second
    assert first.endswith(b"}\n") and b"\t" not in first
    text = first.decode()
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_the_only_nulls_are_the_dashboard_id_and_base_threshold_steps(board: dict) -> None:  # type: ignore[type-arg]
    nulls: list[str] = []

    def walk(value: object, path: str) -> None:
        if value is None:
            nulls.append(path)
        elif isinstance(value, dict):
            for key, child in value.items():
                walk(child, f"{path}.{key}")
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, f"{path}[{index}]")

    walk(board, "$")
    assert "$.id" in nulls
    others = [p for p in nulls if p != "$.id"]
    assert others and all(p.endswith("thresholds.steps[0].value") for p in others), others
    for legacy in ("rows", "style", "sharedCrosshair", "hideControls", "version"):
        assert legacy not in board
    assert "span" not in json.dumps(board).replace('"spanNulls"', "")
