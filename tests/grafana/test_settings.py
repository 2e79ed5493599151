"""Environments: selection, secrets from the process environment, TLS and insecure-URL rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashgen.config import load_config
from dashgen.config.environments import select_environment
from dashgen.errors import DashgenError
from dashgen.grafana.settings import client_settings

BOARD = "board: {uid: b, title: B, folder: {uid: f, title: F}}\n"


def config(tmp_path: Path, environments: str):  # type: ignore[no-untyped-def]
    (tmp_path / "dashgen.yaml").write_text(BOARD + "environments:\n" + environments)
    return load_config(tmp_path)


def test_select_by_name_sole_default_and_unknown(tmp_path: Path) -> None:
    one = config(tmp_path, "  prod: {url: https://g.example, token_env: T, datasource_uid: p}\n")
    assert select_environment(one, None)[0] == "prod"
    two = config(tmp_path, "  prod: {url: https://g.example, token_env: T, datasource_uid: p}\n"
                           "  stage: {url: https://s.example, token_env: T, datasource_uid: s}\n")
    with pytest.raises(DashgenError, match=r"choose an environment with --env or DASHGEN_ENV \(one of: prod, stage\)"):
        select_environment(two, None)
    with pytest.raises(DashgenError, match=r"unknown environment 'qa' \(dashgen.yaml defines: prod, stage\)"):
        select_environment(two, "qa")


def test_token_comes_from_the_named_variable(tmp_path: Path) -> None:
    cfg = config(tmp_path, "  prod: {url: https://g.example/, token_env: GTOKEN, datasource_uid: p, org_id: 3}\n")
    settings = client_settings("prod", cfg.environments["prod"], tmp_path, {"GTOKEN": "glsa_x"})
    assert settings.credentials.token == "glsa_x" and settings.base_url == "https://g.example"
    assert settings.org_id == 3 and settings.verify is True and settings.warnings == ()
    with pytest.raises(DashgenError, match=r"environment 'prod': \$GTOKEN is not set"):
        client_settings("prod", cfg.environments["prod"], tmp_path, {})


def test_basic_auth_and_tls_off_warns(tmp_path: Path) -> None:
    cfg = config(tmp_path, "  lab:\n    url: https://lab.example\n    datasource_uid: p\n    tls_verify: false\n"
                           "    basic_auth: {user_env: GU, password_env: GP}\n")
    settings = client_settings("lab", cfg.environments["lab"], tmp_path, {"GU": "admin", "GP": "pw"})
    assert settings.credentials.basic == ("admin", "pw") and settings.verify is False
    assert "TLS verification is OFF" in settings.warnings[0]


def test_ca_bundle_is_resolved_against_the_project(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("pem")
    cfg = config(tmp_path, "  prod: {url: https://g.example, token_env: T, datasource_uid: p, ca_bundle: ca.pem}\n")
    assert client_settings("prod", cfg.environments["prod"], tmp_path, {"T": "x"}).verify == str(tmp_path / "ca.pem")


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ("{url: http://grafana.internal, token_env: T, datasource_uid: p}",
         "dashgen.yaml:3: environments.prod.url: http:// to a non-loopback host sends the token in clear: use "
         "https:// or allow_insecure: true"),
        ("{url: https://g, datasource_uid: p}",
         "dashgen.yaml:3: environments.prod.token_env: give exactly one of token_env (service-account token) or "
         "basic_auth"),
        ("{url: https://g, token_env: T, datasource_uid: p, timeouts: {read_s: 0}}",
         "dashgen.yaml:3: environments.prod.timeouts.read_s: must be greater than 0"),
    ],
)
def test_environment_errors(tmp_path: Path, environment: str, message: str) -> None:
    with pytest.raises(DashgenError) as caught:
        config(tmp_path, f"  prod: {environment}\n")
    assert str(caught.value) == message


def test_plain_http_is_fine_on_loopback_or_when_allowed(tmp_path: Path) -> None:
    cfg = config(tmp_path, "  a: {url: http://127.0.0.1:3000, token_env: T, datasource_uid: p}\n"
                     "  b: {url: http://localhost:3000, token_env: T, datasource_uid: p}\n"
                     "  c: {url: http://grafana.lab, token_env: T, datasource_uid: p, allow_insecure: true}\n")
    assert sorted(cfg.environments) == ["a", "b", "c"]


PROD = "  prod: {url: https://grafana.example.com, token_env: PROD_TOKEN, datasource_uid: prom-prod}\n"
STAGE = "  stage: {url: https://staging.example.com/, token_env: STAGE_TOKEN, datasource_uid: prom-stage, org_id: 2}\n"


def no_environments(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "dashgen.yaml").write_text(BOARD)
    return load_config(tmp_path)


def test_grafana_url_alone_is_the_environment_when_dashgen_yaml_defines_none(tmp_path: Path) -> None:
    environ = {"GRAFANA_URL": "https://g.example.com/", "GRAFANA_TOKEN": "glsa_x", "GRAFANA_ORG_ID": "4",
               "GRAFANA_DATASOURCE_UID": "prom-main"}
    name, environment, note = select_environment(no_environments(tmp_path), None, environ)
    assert (name, note) == ("GRAFANA_URL", None)
    assert (environment.url, environment.token_env, environment.org_id, environment.datasource_uid) == (
        "https://g.example.com/", "GRAFANA_TOKEN", 4, "prom-main")
    settings = client_settings(name, environment, tmp_path, environ)
    assert (settings.base_url, settings.org_id, settings.credentials.token) == ("https://g.example.com", 4, "glsa_x")
    with pytest.raises(DashgenError, match=r"^environment 'GRAFANA_URL': \$GRAFANA_TOKEN is not set"):
        client_settings(name, environment, tmp_path, {})
    default_org = select_environment(no_environments(tmp_path), None, {**environ, "GRAFANA_ORG_ID": ""})
    assert default_org.environment.org_id == 1


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"GRAFANA_URL": "https://g.example.com"},
         "$GRAFANA_URL is set and dashgen.yaml defines no environments: export GRAFANA_DATASOURCE_UID too (the uid "
         "of the Prometheus datasource the board and alerts query), or define the environment in dashgen.yaml"),
        ({"GRAFANA_URL": "https://g.example.com", "GRAFANA_DATASOURCE_UID": "prom main"},
         "$GRAFANA_DATASOURCE_UID: a Grafana uid is 1-40 characters of letters, digits, '-' and '_'"),
        ({"GRAFANA_URL": "https://g.example.com", "GRAFANA_ORG_ID": "main", "GRAFANA_DATASOURCE_UID": "p"},
         "$GRAFANA_ORG_ID: expected the number of a Grafana organisation (1 or more)"),
        ({"GRAFANA_URL": "https://g.example.com", "GRAFANA_ORG_ID": "0", "GRAFANA_DATASOURCE_UID": "p"},
         "$GRAFANA_ORG_ID: expected the number of a Grafana organisation (1 or more)"),
        ({"GRAFANA_URL": "grafana.example.com"}, "$GRAFANA_URL: expected an http:// or https:// URL"),
        ({"GRAFANA_URL": "https://admin:s3cret-pw@g.example.com"},
         "$GRAFANA_URL: holds credentials (user:password@): remove them and export the token as GRAFANA_TOKEN"),
        ({"GRAFANA_URL": "https://g.example.com:3k"}, "$GRAFANA_URL: the port is not a number from 0 to 65535"),
        ({"GRAFANA_URL": "http://grafana.internal:3000"},
         "$GRAFANA_URL: http:// to a non-loopback host sends the token in clear: use https://, or define the "
         "environment in dashgen.yaml with allow_insecure: true"),
    ],
)
def test_grafana_url_mistakes_say_which_variable_and_never_echo_credentials(
        tmp_path: Path, environ: dict[str, str], message: str) -> None:
    with pytest.raises(DashgenError) as caught:
        select_environment(no_environments(tmp_path), None, environ)
    assert str(caught.value) == message
    assert "s3cret" not in str(caught.value)


def test_grafana_url_on_loopback_may_be_plain_http(tmp_path: Path) -> None:
    environ = {"GRAFANA_URL": "http://localhost:3000", "GRAFANA_DATASOURCE_UID": "p"}
    assert select_environment(no_environments(tmp_path), None, environ).environment.url == "http://localhost:3000"


def test_grafana_url_picks_the_environment_with_that_url_and_says_so(tmp_path: Path) -> None:
    cfg = config(tmp_path, PROD + STAGE)
    picked = select_environment(cfg, None, {"GRAFANA_URL": "https://Staging.EXAMPLE.com:443"})
    assert (picked.name, picked.environment.token_env) == ("stage", "STAGE_TOKEN")  # its own settings, not GRAFANA_*
    assert picked.note == "no --env given: using environment 'stage', whose url is $GRAFANA_URL"
    assert select_environment(cfg, None, {"GRAFANA_URL": "https://staging.example.com", "GRAFANA_ORG_ID": "2"}
                              ).name == "stage"


def test_a_sole_environment_with_the_same_url_needs_no_note(tmp_path: Path) -> None:
    assert select_environment(config(tmp_path, PROD), None, {"GRAFANA_URL": "https://grafana.example.com/"}) == (
        "prod", config(tmp_path, PROD).environments["prod"], None)


def test_env_beats_grafana_url(tmp_path: Path) -> None:
    cfg = config(tmp_path, PROD + STAGE)
    assert select_environment(cfg, "prod", {"GRAFANA_URL": "https://staging.example.com"}) == (
        "prod", cfg.environments["prod"], None)


@pytest.mark.parametrize(
    ("environments", "environ", "message"),
    [
        (PROD, {"GRAFANA_URL": "https://other.example.com"},
         "$GRAFANA_URL (https://other.example.com) is the url of no environment in dashgen.yaml (prod): choose one "
         "with --env, or unset GRAFANA_URL"),
        (PROD + STAGE, {"GRAFANA_URL": "https://staging.example.com", "GRAFANA_ORG_ID": "3"},
         "$GRAFANA_URL (https://staging.example.com, org 3) is the url of no environment in dashgen.yaml (prod, "
         "stage): choose one with --env, or unset GRAFANA_URL"),
        (PROD + PROD.replace("prod", "prod2", 1), {"GRAFANA_URL": "https://grafana.example.com"},
         "$GRAFANA_URL (https://grafana.example.com) is the url of several environments in dashgen.yaml (prod, "
         "prod2): choose one with --env"),
    ],
)
def test_grafana_url_that_does_not_pick_one_environment_is_an_error(
        tmp_path: Path, environments: str, environ: dict[str, str], message: str) -> None:
    with pytest.raises(DashgenError) as caught:
        select_environment(config(tmp_path, environments), None, environ)
    assert str(caught.value) == message


def test_without_environments_or_grafana_url_the_error_says_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(DashgenError) as caught:
        select_environment(no_environments(tmp_path), None, {})
    assert str(caught.value) == ("dashgen.yaml defines no environments: add one under `environments:`, or export "
                                 "GRAFANA_URL, GRAFANA_TOKEN and GRAFANA_DATASOURCE_UID")
    with pytest.raises(DashgenError, match=r"^unknown environment 'prod' \(dashgen.yaml defines no environments\)$"):
        select_environment(no_environments(tmp_path), "prod", {"GRAFANA_URL": "https://g.example.com"})


@pytest.mark.parametrize(
    ("key", "value", "looks_like"),
    [
        ("token_env", "glsa_AbCdEfGhIjKlMnOpQrStUvWxYz012345_1a2b3c4d", "a Grafana service-account token"),
        ("token_env", "glc_eyJvIjoiMTIzNDU2IiwibiI6InN0YWNrIn0=", "a Grafana Cloud token"),
        ("token_env", "eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk", "a JSON web token or a Grafana API key"),
        ("token_env", "https://admin:hunter2@grafana.example.com", "a URL with credentials"),
    ],
)
def test_a_secret_pasted_into_an_env_key_is_refused_without_repeating_it(
        tmp_path: Path, key: str, value: str, looks_like: str) -> None:
    with pytest.raises(DashgenError) as caught:
        config(tmp_path, f"  prod:\n    url: https://g.example\n    datasource_uid: p\n    {key}: {value}\n")
    assert str(caught.value) == (f"dashgen.yaml:6: environments.prod.{key}: must name an environment variable, not "
                                 f"hold the secret itself (it looks like {looks_like})")
    assert value not in str(caught.value)


def test_basic_auth_names_are_checked_the_same_way(tmp_path: Path) -> None:
    with pytest.raises(DashgenError) as caught:
        config(tmp_path, "  prod:\n    url: https://g.example\n    datasource_uid: p\n"
                         "    basic_auth: {user_env: GRAFANA_USER, password_env: glsa_AbCdEfGhIjKlMnOp_1a2b3c4d}\n")
    assert str(caught.value) == ("dashgen.yaml:6: environments.prod.basic_auth.password_env: must name an environment "
                                 "variable, not hold the secret itself (it looks like a Grafana service-account token)")


def test_grafana_url_over_plain_http_picks_an_environment_that_allows_it(tmp_path: Path) -> None:
    """The environment's own allow_insecure decides (an environment holding a plain-http url must allow it)."""
    insecure = "  lab: {url: http://grafana.lab:3000, token_env: T, datasource_uid: p, allow_insecure: true}\n"
    chosen = select_environment(config(tmp_path, insecure + PROD), None, {"GRAFANA_URL": "http://grafana.lab:3000"})
    assert (chosen.name, chosen.note) == ("lab", "no --env given: using environment 'lab', whose url is $GRAFANA_URL")
