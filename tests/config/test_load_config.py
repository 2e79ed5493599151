"""`dashgen.yaml` errors: each names the file, the line and the key path, and exits 2 from the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashgen.config import load_config
from dashgen.errors import DashgenError

from ..factories import small_project

GOOD = """\
board:
  uid: mm-desk
  title: Market Making Desk
  folder:
    uid: market-making
    title: Market Making
environments:
  prod: {url: https://grafana.example.com, token_env: GRAFANA_TOKEN, datasource_uid: prom-prod}
"""

CASES = [
    ("wrong type", GOOD.replace("uid: market-making", "uid: 12"),
     "dashgen.yaml:5: board.folder.uid: expected a string, got 12"),
    ("unknown key", GOOD.replace("  title: Market Making Desk\n", "  title: Market Making Desk\n  colour: red\n"),
     "dashgen.yaml:4: board.colour: unknown key (expected one of: allow_ui_edits, datasource_type, description, "
     "folder, refresh, tags, time_from, timezone, title, uid)"),
    ("missing key", GOOD.replace("    title: Market Making\n", ""),
     "dashgen.yaml:5: board.folder.title: missing required key"),
    ("missing section", "environments: {}\n", "dashgen.yaml:1: board: missing required key"),
    ("malformed", GOOD.replace("  title: Market Making Desk", "  title: [unclosed"),
     # libyaml and pure-Python PyYAML word it differently; both name the line and the missing ',' or ']'
     re.compile(r"dashgen.yaml:4: invalid YAML: (did not find )?expected ',' or '\]'.*")),
    ("bad uid", GOOD.replace("uid: mm-desk", "uid: mm desk!"),
     "dashgen.yaml:2: board.uid: a Grafana uid is 1-40 characters of letters, digits, '-' and '_'"),
    ("nested type", GOOD.replace("{url: https://grafana.example.com,", "{url: [a],"),
     "dashgen.yaml:8: environments.prod.url: expected a string, got a list"),
    ("token value instead of name", GOOD.replace("token_env: GRAFANA_TOKEN", "token_env: glsa_abc-123"),
     "dashgen.yaml:8: environments.prod.token_env: must name an environment variable, not hold the secret itself "
     "(it looks like a Grafana service-account token)"),
    ("value instead of name", GOOD.replace("token_env: GRAFANA_TOKEN", "token_env: grafana-token"),
     "dashgen.yaml:8: environments.prod.token_env: expected the NAME of an environment variable "
     "(letters, digits, '_'), not its value"),
    ("duplicate key", GOOD + "board: {}\n", "dashgen.yaml:9: board: duplicate key"),
    ("not a mapping", "- board\n", "dashgen.yaml:1: expected a mapping, got a list"),
    ("empty", "", "dashgen.yaml: the file is empty; see docs/configuration.md"),
    ("bad int", GOOD.replace("datasource_uid: prom-prod}", "datasource_uid: prom-prod, org_id: true}"),
     "dashgen.yaml:8: environments.prod.org_id: expected an integer, got True"),
]


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "dashgen.yaml").write_text(text)
    return tmp_path


def test_the_good_config_loads_into_typed_objects(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.board.folder.uid == "market-making"
    assert config.board.tags == []  # defaults apply
    prod = config.environments["prod"]
    assert (prod.url, prod.token_env, prod.org_id, prod.datasource_uid) == (
        "https://grafana.example.com", "GRAFANA_TOKEN", 1, "prom-prod")


@pytest.mark.parametrize(("text", "message"), [(t, m) for _, t, m in CASES], ids=[c for c, _, _ in CASES])
def test_config_errors_name_file_line_and_key(tmp_path: Path, text: str, message: str | re.Pattern[str]) -> None:
    with pytest.raises(DashgenError) as caught:
        load_config(write(tmp_path, text))
    if isinstance(message, re.Pattern):
        assert message.fullmatch(str(caught.value)), str(caught.value)
    else:
        assert str(caught.value) == message


@pytest.mark.parametrize(("text", "message"), [(t, m) for _, t, m in CASES[:3]], ids=[c for c, _, _ in CASES[:3]])
def test_cli_config_errors_exit_2_one_line(cli, tmp_path: Path, text: str, message: str | re.Pattern[str]) -> None:  # type: ignore[no-untyped-def]
    project = small_project(tmp_path / "p", alerting=False, files={"dashgen.yaml": text})
    result = cli("--project", str(project), "build")
    assert result.code == 2
    assert result.err == f"dashgen: error: {message}\n"


@pytest.mark.parametrize(
    ("key", "value", "looks_like"),
    [("integration_key_env", "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", "a PagerDuty integration key"),
     ("webhook_url_env", "https://hooks.slack.com/services/T0/B0/XyZ", "a URL"),
     ("webhook_url_env", "xoxb-1234-5678-abcd", "a Slack token")],
)
def test_a_contact_point_secret_pasted_into_its_env_key_is_refused_without_repeating_it(
        tmp_path: Path, key: str, value: str, looks_like: str) -> None:
    kind = "pagerduty" if key == "integration_key_env" else "slack"
    alerting = ("alerting:\n  runbook_base_url: https://runbooks.example.com/\n  thresholds: {defaults: {a: 1}}\n"
                f"  contact_points:\n    oncall:\n      type: {kind}\n      {key}: {value}\n")
    with pytest.raises(DashgenError) as caught:
        load_config(write(tmp_path, GOOD + alerting))
    assert str(caught.value) == (f"dashgen.yaml:15: alerting.contact_points.oncall.{key}: must name an environment "
                                 f"variable, not hold the secret itself (it looks like {looks_like})")
    assert value not in str(caught.value)
