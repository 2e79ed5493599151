"""Which environment of `dashgen.yaml` a command talks to: `--env` (or $DASHGEN_ENV), else the one $GRAFANA_URL
names, else the only one; or, when dashgen.yaml defines none, the one $GRAFANA_URL, $GRAFANA_TOKEN,
$GRAFANA_ORG_ID and $GRAFANA_DATASOURCE_UID describe. Pure: the process environment is passed in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import urlsplit

from dashgen.config import checks
from dashgen.config.model import Config, EnvironmentConfig
from dashgen.errors import DashgenError


class Selected(NamedTuple):
    name: str
    environment: EnvironmentConfig
    note: str | None = None  # one line for stderr when $GRAFANA_URL made the choice among several environments


GRAFANA_URL_ENV = "GRAFANA_URL"  # how messages, plans and backups name the environment made of $GRAFANA_*


def select_environment(config: Config, name: str | None, environ: Mapping[str, str] | None = None) -> Selected:
    """The environment a command talks to. First --env (or $DASHGEN_ENV), a name in dashgen.yaml. Without it,
    when `environ` has $GRAFANA_URL: the environment of dashgen.yaml with that url (and $GRAFANA_ORG_ID, if set),
    or, when dashgen.yaml defines none, the one $GRAFANA_URL, $GRAFANA_TOKEN, $GRAFANA_ORG_ID and
    $GRAFANA_DATASOURCE_UID describe. Without either, the only environment. Anything else is an error that says
    what to set: never a guess."""
    known = sorted(config.environments)
    if name is not None:
        if name not in config.environments:
            defined = f"dashgen.yaml defines: {', '.join(known)}" if known else "dashgen.yaml defines no environments"
            raise DashgenError(f"unknown environment {name!r} ({defined})")
        return Selected(name, config.environments[name])
    url = (environ or {}).get("GRAFANA_URL", "").strip()
    if url:
        return _by_grafana_url(config, url, environ or {})
    if not known:
        raise DashgenError("dashgen.yaml defines no environments: add one under `environments:`, or export "
                           "GRAFANA_URL, GRAFANA_TOKEN and GRAFANA_DATASOURCE_UID")
    if len(known) == 1:
        return Selected(known[0], config.environments[known[0]])
    raise DashgenError(f"choose an environment with --env or DASHGEN_ENV (one of: {', '.join(known)})")


def _by_grafana_url(config: Config, url: str, environ: Mapping[str, str]) -> Selected:
    problem = _url_problem(url)
    if problem:
        raise DashgenError(f"$GRAFANA_URL: {problem}")
    org_id = _org_id(environ.get("GRAFANA_ORG_ID", "").strip())
    if not config.environments:
        if checks.is_plain_http_to_remote(url):
            raise DashgenError(f"$GRAFANA_URL: {PLAIN_HTTP}")
        return Selected(GRAFANA_URL_ENV, _from_variables(url, org_id, environ))
    known = sorted(config.environments)
    matches = [n for n in known if _same_grafana(config.environments[n].url, url)
               and org_id in (None, config.environments[n].org_id)]
    where = f"{_origin(url)}{'' if org_id is None else f', org {org_id}'}"
    if len(matches) > 1:
        raise DashgenError(f"$GRAFANA_URL ({where}) is the url of several environments in dashgen.yaml "
                           f"({', '.join(matches)}): choose one with --env")
    if not matches:
        raise DashgenError(f"$GRAFANA_URL ({where}) is the url of no environment in dashgen.yaml "
                           f"({', '.join(known)}): choose one with --env, or unset GRAFANA_URL")
    chosen = matches[0]
    if checks.is_plain_http_to_remote(url) and not config.environments[chosen].allow_insecure:
        raise DashgenError(f"$GRAFANA_URL: {PLAIN_HTTP}")
    note = None if len(known) == 1 else f"no --env given: using environment {chosen!r}, whose url is $GRAFANA_URL"
    return Selected(chosen, config.environments[chosen], note)


def _from_variables(url: str, org_id: int | None, environ: Mapping[str, str]) -> EnvironmentConfig:
    datasource_uid = environ.get("GRAFANA_DATASOURCE_UID", "").strip()
    if not datasource_uid:
        raise DashgenError("$GRAFANA_URL is set and dashgen.yaml defines no environments: export "
                           "GRAFANA_DATASOURCE_UID too (the uid of the Prometheus datasource the board and alerts "
                           "query), or define the environment in dashgen.yaml")
    problem = checks.uid(datasource_uid)
    if problem:
        raise DashgenError(f"$GRAFANA_DATASOURCE_UID: {problem}")
    return EnvironmentConfig(url=url, datasource_uid=datasource_uid, token_env="GRAFANA_TOKEN", org_id=org_id or 1)


def _url_problem(url: str) -> str | None:
    """What is wrong with $GRAFANA_URL, without repeating it (it may hold credentials)."""
    if checks.http_url(url):
        return "expected an http:// or https:// URL"
    parts = urlsplit(url)
    try:
        _ = parts.port
    except ValueError:
        return "the port is not a number from 0 to 65535"
    if "@" in parts.netloc:
        return "holds credentials (user:password@): remove them and export the token as GRAFANA_TOKEN"
    return None


PLAIN_HTTP = ("http:// to a non-loopback host sends the token in clear: use https://, or define the environment in "
              "dashgen.yaml with allow_insecure: true")


def _org_id(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise DashgenError("$GRAFANA_ORG_ID: expected the number of a Grafana organisation (1 or more)")
    return int(text)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _same_grafana(a: str, b: str) -> bool:
    """Whether two URLs are the same Grafana: scheme and host in any case, default port, trailing slash."""
    def key(url: str) -> tuple[str, str, str, str]:
        parts = urlsplit(url.strip())
        try:
            port = str(parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower()))
        except ValueError:  # not a number: compare the text
            port = parts.netloc.rpartition(":")[2]
        return parts.scheme.lower(), (parts.hostname or "").lower(), port, parts.path.rstrip("/")
    return key(a) == key(b)
