"""Environments: selection, secrets from the process environment, TLS and insecure-URL rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashgen.config import load_config
from dashgen.errors import DashgenError
from dashgen.grafana.settings import client_settings, select_environment

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
