"""Command-line conventions end to end: --project/--env before or after the command, -o/--output and --out-dir
(old spellings kept, with a note), $GRAFANA_URL as the environment, and secrets never echoed."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ..conftest import CliResult
from ..factories import edit, small_project
from ..grafana_double import TOKEN, GrafanaDouble

Cli = Callable[..., CliResult]


@pytest.fixture
def grafana(monkeypatch: pytest.MonkeyPatch) -> Iterator[GrafanaDouble]:
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)
    with GrafanaDouble() as double:
        yield double


def project(tmp_path: Path, grafana: GrafanaDouble, *, environments: bool = True) -> Path:
    root = small_project(tmp_path / "p", grafana.url, alerting=False)
    if not environments:
        config = root / "dashgen.yaml"
        config.write_text(config.read_text().split("environments:")[0])
    return root


def test_project_and_env_work_before_or_after_the_command(cli: Cli, tmp_path: Path, grafana: GrafanaDouble) -> None:
    root = str(project(tmp_path, grafana))
    before = cli("--project", root, "--env", "test", "diff", "-o", "json")
    after = cli("diff", "-o", "json", "--project", root, "--env", "test")
    assert before.code == after.code == 1 and before.out == after.out and json.loads(after.out)["environment"] == "test"
    assert cli("--project", root, "diff", "--env", "test", "--project", root).code == 1  # the same value twice is fine
    built = cli("build", "--project", root, "--env", "test", "--out-dir", str(tmp_path / "b"))
    assert built.code == 0 and '"prom-test"' in (tmp_path / "b/dashboards/small.json").read_text()


def test_env_given_differently_before_and_after_the_command_is_a_usage_error(cli: Cli, tmp_path: Path,
                                                                              grafana: GrafanaDouble) -> None:
    result = cli("--project", str(project(tmp_path, grafana)), "--env", "prod", "diff", "--env", "test")
    assert result.code == 2 and result.out == ""
    assert result.err.splitlines()[-1] == ("Error: --env is given twice, 'prod' before the command and 'test' after "
                                           "it: give it once")
    assert grafana.count() == 0


def test_a_typed_env_beats_dashgen_env_wherever_it_is(cli: Cli, tmp_path: Path, grafana: GrafanaDouble,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = str(project(tmp_path, grafana))
    monkeypatch.setenv("DASHGEN_ENV", "prod")
    assert "unknown environment 'prod'" in cli("--project", root, "diff").err
    assert cli("--project", root, "diff", "--env", "test").code == 1
    assert cli("--project", root, "--env", "test", "diff").code == 1


def test_output_format_is_dash_o_everywhere_and_checked(cli: Cli, tmp_path: Path, grafana: GrafanaDouble) -> None:
    root = str(project(tmp_path, grafana))
    assert json.loads(cli("--project", root, "lint", "-o", "json").out)["findings"] == []
    assert json.loads(cli("--project", root, "lint", "--output", "json").out)["findings"] == []
    wrong = cli("--project", root, "diff", "-o", "yaml")
    assert wrong.code == 2 and wrong.err.splitlines()[-1] == (
        "Error: Invalid value for '-o' / '--output': 'yaml' is not one of 'text', 'json'.")
    assert cli("--project", root, "lint", "-o", "xml").code == 2
    assert grafana.count() == 0


def test_old_spellings_still_work_with_a_one_line_note(cli: Cli, tmp_path: Path, grafana: GrafanaDouble) -> None:
    root = str(project(tmp_path, grafana))
    old = cli("--project", root, "lint", "--format", "json")
    assert old.code == 0 and json.loads(old.out)["findings"] == []
    assert old.err == "dashgen: note: --format is deprecated; use -o/--output\n"
    assert "--format" not in cli("lint", "--help").out  # hidden


def test_out_is_another_name_of_out_dir(cli: Cli, tmp_path: Path, grafana: GrafanaDouble) -> None:
    """The design's spelling (`build --out`, `preview --out`) and --out-dir are one option, both shown."""
    root = str(project(tmp_path, grafana))
    built = cli("--project", root, "build", "--out", str(tmp_path / "short"))
    assert built.code == 0 and built.err == "" and (tmp_path / "short/dashboards/small.json").is_file()
    assert "--out-dir, --out" in cli("build", "--help").out.replace("-out-dir,--out", "-out-dir, --out")


def test_grafana_url_serves_a_project_without_environments(cli: Cli, tmp_path: Path, grafana: GrafanaDouble,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, grafana, environments=False)
    monkeypatch.setenv("GRAFANA_URL", grafana.url)
    missing = cli("--project", str(root), "diff")
    assert (missing.code, missing.err) == (2, "dashgen: error: $GRAFANA_URL is set and dashgen.yaml defines no "
                                              "environments: export GRAFANA_DATASOURCE_UID too (the uid of the "
                                              "Prometheus datasource the board and alerts query), or define the "
                                              "environment in dashgen.yaml\n")
    monkeypatch.setenv("GRAFANA_DATASOURCE_UID", "prom-env")
    diff = cli("--project", str(root), "diff")
    assert diff.code == 1 and diff.out.startswith("# GRAFANA_URL: Grafana 11.6.0, ") and diff.err == ""
    assert cli("--project", str(root), "apply", "--yes").code == 0
    board = grafana.store.dashboards["small"].data
    assert board["templating"]["list"][0]["current"]["value"] == "prom-env"
    assert cli("--project", str(root), "diff").code == 0


def test_grafana_url_picks_among_environments_with_a_note(cli: Cli, tmp_path: Path, grafana: GrafanaDouble,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, grafana)
    config = root / "dashgen.yaml"
    config.write_text(config.read_text() + "  prod: {url: https://grafana.example.com, token_env: PROD_TOKEN, "
                                           "datasource_uid: prom-prod}\n")
    assert cli("--project", str(root), "diff").err == (
        "dashgen: error: choose an environment with --env or DASHGEN_ENV (one of: prod, test)\n")
    monkeypatch.setenv("GRAFANA_URL", grafana.url + "/")
    diff = cli("--project", str(root), "diff")
    assert diff.code == 1 and diff.out.startswith("# test: ")
    assert diff.err == "dashgen: note: no --env given: using environment 'test', whose url is $GRAFANA_URL\n"
    monkeypatch.setenv("GRAFANA_URL", "https://elsewhere.example.com")
    assert cli("--project", str(root), "diff").err == (
        "dashgen: error: $GRAFANA_URL (https://elsewhere.example.com) is the url of no environment in dashgen.yaml "
        "(prod, test): choose one with --env, or unset GRAFANA_URL\n")
    assert cli("--project", str(root), "--env", "test", "diff").code == 1  # --env needs no GRAFANA_URL to agree


def test_a_token_pasted_into_token_env_is_never_printed(cli: Cli, tmp_path: Path, grafana: GrafanaDouble) -> None:
    root = project(tmp_path, grafana)
    token = "glsa_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4_0a1b2c3d"
    edit(root / "dashgen.yaml", "token_env: GRAFANA_TOKEN", f"token_env: {token}")
    for command in (("diff",), ("apply", "--yes"), ("pull",), ("--env", "test", "build")):
        result = cli("--project", str(root), *command)
        assert (result.code, result.err) == (2, "dashgen: error: dashgen.yaml:8: environments.test.token_env: must "
                                                "name an environment variable, not hold the secret itself (it looks "
                                                "like a Grafana service-account token)\n"), command
        assert token not in result.out + result.err
    assert grafana.count() == 0


def test_ctrl_c_at_the_apply_question_is_interrupted_not_a_bug(cli: Cli, tmp_path: Path, grafana: GrafanaDouble,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = str(project(tmp_path, grafana))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)

    def ctrl_c(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("click.termui.visible_prompt_func", ctrl_c)  # what click.confirm reads the answer with
    result = cli("--project", root, "apply")
    assert (result.code, result.err) == (130, "dashgen: interrupted\n"), result.err
    assert grafana.writes() == 0


@pytest.mark.parametrize("command", ["diff", "apply", "pull"])
def test_parallel_below_one_is_a_usage_error_before_grafana_is_asked(cli: Cli, tmp_path: Path, grafana: GrafanaDouble,
                                                                      command: str) -> None:
    result = cli("--project", str(project(tmp_path, grafana)), command, "--parallel", "0")
    assert result.code == 2 and result.out == ""
    assert result.err.splitlines()[-1] == "Error: Invalid value for '--parallel': 0 is not in the range x>=1."
    assert grafana.count() == 0
