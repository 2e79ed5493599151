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
from dashgen.project import CompiledProject

from .factories import small_project


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--version")
    assert (result.code, result.out) == (0, f"dashgen {__version__}\n")


def test_build_writes_the_board_and_prints_a_summary(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "small")
    result = cli("--project", str(root), "build", "--out-dir", str(tmp_path / "out"))
    assert result.code == 0, result.err
    written = tmp_path / "out" / "dashboards" / "small.json"
    board = json.loads(written.read_text())
    assert board["uid"] == "small"
    lines = result.out.splitlines()
    wrote = [line.removeprefix("wrote ") for line in lines if line.startswith("wrote ")]
    assert str(written) in wrote
    assert {str(p) for p in (tmp_path / "out").rglob("*") if p.is_file()} == {*wrote, str(tmp_path / "out" / MARKER)}
    assert len(wrote) == 7 and str(tmp_path / "out" / "prometheus" / "rules.yaml") in wrote
    assert lines[len(wrote):] == ["board small (Small Board): 2 rows, 4 panels, 2 variables, 4 queries",
                                  "  Prices  2 panels", "  Orders  2 panels", "  variables: datasource, client"]
    assert result.err == ""


def test_build_from_a_subdirectory_writes_build_in_the_project_root(cli, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path) -> None:
    project = small_project(tmp_path / "proj", alerting=False)
    monkeypatch.chdir(project / "panels")
    result = cli("build")
    assert result.code == 0, result.err
    assert (project / "build" / "dashboards" / "small.json").is_file()
    assert not (project / "panels" / "build").exists()
    assert f"wrote {project / 'build' / 'dashboards' / 'small.json'}" in result.out.splitlines()
    assert "board small (Small Board): 2 rows, 4 panels, 2 variables, 4 queries" in result.out


def test_a_query_naming_an_unknown_metric_is_an_error_at_the_panel(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "small", alerting=False, files={"panels/orders.py": TYPO})
    result = cli("--project", str(root), "build", "--out-dir", "out")
    assert result.code == 2
    assert result.err.strip().endswith(
        "panels/orders.py:4: panel 'Typo' query A: 'mm_mid_prise' is undefined (not a metric in metrics.yaml)"
    )


TYPO = """\
from dashgen.dsl import query, section, stat

SECTION = section("Orders", order=2, panels=[
    stat("Typo", description="a typo in a metric name", unit="none", queries=[query("avg({{ mm_mid_prise }})")]),
])
"""


def test_no_project_is_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", str(tmp_path), "build")
    assert result.code == 2
    assert "no dashgen.yaml in" in result.err and "--project" in result.err


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("frobnicate").code == 2
    assert cli("build", "--no-such-flag").code == 2


def test_an_unexpected_exception_is_a_bug_exit_3_with_traceback(cli, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import dashgen.commands.build as build

    def explode(**_: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(build, "main", explode)
    result = cli("--project", str(small_project(tmp_path / "small")), "build")
    assert result.code == 3
    assert "Traceback" in result.err and "a bug in dashgen" in result.err


def test_ctrl_c_exits_130(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import dashgen.commands.build as build

    def interrupt(**_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "main", interrupt)
    assert cli("--project", str(small_project(tmp_path / "small")), "build").code == 130


def _build_with_seed(seed: str, root: Path, out: Path) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "dashgen", "--project", str(root), "build", "--out-dir", str(out)],
                   check=True, env=env, capture_output=True)
    return b"".join(path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file())


@pytest.mark.slow
def test_two_builds_are_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    """The full project (sets of variables, labels, clients, routes); a hash seed is chosen when Python starts."""
    root = small_project(tmp_path / "full", full=True)
    first = _build_with_seed("0", root, tmp_path / "a")
    second = _build_with_seed("4242", root, tmp_path / "b")
    assert first == second
    board = (tmp_path / "a/dashboards/small.json").read_text()
    assert board.endswith("}\n") and "\t" not in board
    assert board == json.dumps(json.loads(board), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_the_only_nulls_are_the_dashboard_id_and_base_threshold_steps(compiled_full: CompiledProject) -> None:
    board = compiled_full.board.dashboard
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
