"""From a configured environment and the process environment to the settings a client needs.

Secrets are read here, from the environment variables the config names, and are only ever held in
`Credentials`, whose repr hides them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dashgen.config import EnvironmentConfig
from dashgen.errors import DashgenError
from dashgen.redact import redact


@dataclass(frozen=True)
class Credentials:
    description: str  # e.g. "$GRAFANA_TOKEN": how messages name them, never their value
    token: str | None = field(default=None, repr=False)
    basic: tuple[str, str] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ClientSettings:
    env_name: str
    base_url: str
    org_id: int
    credentials: Credentials
    verify: bool | str  # True, False, or a CA bundle path
    connect_timeout_s: float
    read_timeout_s: float
    attempts: int
    backoff_s: float
    max_wait_s: float
    warnings: tuple[str, ...] = ()
    api: str = "auto"  # auto | apis | legacy: the API for dashboards and folders (grafana/platform.py)


def _secret(environ: Mapping[str, str], variable: str, env_name: str, what: str) -> str:
    value = environ.get(variable, "")
    if not value.strip():
        raise DashgenError(f"environment {env_name!r}: ${variable} is not set: export the {what} in it")
    redact.add(value)
    return value.strip()


def client_settings(
    env_name: str, env: EnvironmentConfig, project_root: Path, environ: Mapping[str, str]
) -> ClientSettings:
    if env.token_env is not None:
        token = _secret(environ, env.token_env, env_name, "Grafana service-account token")
        credentials = Credentials(description=f"${env.token_env}", token=token)
    else:
        assert env.basic_auth is not None  # EnvironmentConfig.validate guarantees one of the two
        user = _secret(environ, env.basic_auth.user_env, env_name, "Grafana user name")
        password = _secret(environ, env.basic_auth.password_env, env_name, "Grafana password")
        credentials = Credentials(
            description=f"${env.basic_auth.user_env}/${env.basic_auth.password_env}", basic=(user, password)
        )
    warnings: list[str] = []
    verify: bool | str = env.tls_verify
    if env.ca_bundle is not None:
        bundle = (project_root / env.ca_bundle).resolve()
        if not bundle.is_file():
            raise DashgenError(f"environments.{env_name}.ca_bundle: no file at {bundle}")
        verify = str(bundle)
    if not env.tls_verify:
        warnings.append(f"environment {env_name!r}: TLS verification is OFF (tls_verify: false); "
                        "anyone on the path can read the token")
    return ClientSettings(
        env_name=env_name,
        base_url=env.url.rstrip("/"),
        org_id=env.org_id,
        credentials=credentials,
        verify=verify,
        connect_timeout_s=env.timeouts.connect_s,
        read_timeout_s=env.timeouts.read_s,
        attempts=env.retries.attempts,
        backoff_s=env.retries.backoff_s,
        max_wait_s=env.retries.max_wait_s,
        warnings=tuple(warnings),
        api=env.api,
    )
