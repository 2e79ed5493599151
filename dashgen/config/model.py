"""The typed shape of `dashgen.yaml`. Field names are the YAML keys; see docs/configuration.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from dashgen import grafana_time
from dashgen.config import checks


@dataclass(frozen=True)
class FolderConfig:
    uid: str = field(metadata={"check": checks.uid})
    title: str = field(metadata={"check": checks.non_empty})


@dataclass(frozen=True)
class BoardConfig:
    uid: str = field(metadata={"check": checks.uid})
    title: str = field(metadata={"check": checks.non_empty})
    folder: FolderConfig
    tags: list[str] = field(default_factory=list, metadata={"check": checks.tags})
    refresh: str = field(default="30s", metadata={"check": grafana_time.refresh_problem})  # "": no auto-refresh
    time_from: str = field(default="now-6h", metadata={"check": grafana_time.range_start_problem})
    timezone: str = field(default="utc", metadata={"check": grafana_time.timezone_problem})
    datasource_type: str = "prometheus"
    description: str = ""
    # Grafana 12+: whether its UI lets people edit the board dashgen manages (annotation
    # grafana.app/managerAllowsEdits). Off: the UI shows it read-only; changes go through the code.
    allow_ui_edits: bool = False


@dataclass(frozen=True)
class BasicAuthConfig:
    user_env: str = field(metadata={"check": checks.env_name})
    password_env: str = field(metadata={"check": checks.env_name})


@dataclass(frozen=True)
class TimeoutConfig:
    connect_s: float = field(default=5.0, metadata={"check": checks.positive_up_to(3600, " s")})
    read_s: float = field(default=30.0, metadata={"check": checks.positive_up_to(3600, " s")})


@dataclass(frozen=True)
class RetryConfig:
    attempts: int = field(default=4, metadata={"check": checks.positive_up_to(100, "")})  # tries, the first included
    backoff_s: float = field(default=0.5, metadata={"check": checks.positive_up_to(3600, " s")})  # doubles, jittered
    max_wait_s: float = field(default=30.0, metadata={"check": checks.positive_up_to(3600, " s")})


@dataclass(frozen=True)
class EnvironmentConfig:
    url: str = field(metadata={"check": checks.http_url})
    datasource_uid: str = field(metadata={"check": checks.uid})
    token_env: str | None = field(default=None, metadata={"check": checks.env_name})
    basic_auth: BasicAuthConfig | None = None
    org_id: int = field(default=1, metadata={"check": checks.positive})
    tls_verify: bool = True  # false only with a warning on every run
    ca_bundle: str | None = None  # path to a PEM bundle, relative to the project directory
    allow_insecure: bool = False  # allow http:// to a host other than loopback
    timeouts: TimeoutConfig = field(default_factory=TimeoutConfig)
    retries: RetryConfig = field(default_factory=RetryConfig)
    # which API dashboards and folders go through: auto (the app-platform /apis where Grafana serves a stable
    # version, 12+; else the legacy /api), or forced either way
    api: Literal["auto", "apis", "legacy"] = "auto"

    def validate(self) -> tuple[str, str] | None:
        if (self.token_env is None) == (self.basic_auth is None):
            return "token_env", "give exactly one of token_env (service-account token) or basic_auth"
        if checks.is_plain_http_to_remote(self.url) and not self.allow_insecure:
            return "url", ("http:// to a non-loopback host sends the token in clear: "
                           "use https:// or allow_insecure: true")
        if self.ca_bundle is not None and not self.tls_verify:
            return "ca_bundle", "ca_bundle has no effect with tls_verify: false; remove one of them"
        return None


@dataclass(frozen=True)
class MuteTiming:
    """An Alertmanager time interval (dashgen/timeinterval.py): when every given part holds. A time range across
    midnight (22:00-02:00) and a weekday or month range across the cycle's end (saturday:sunday) are split.
    Routes mute by its name (route(..., mute=["<name>"]) in alerts/); Grafana holds it as `dashgen-<name>`."""

    times: list[str] = field(default_factory=list, metadata={"check": checks.time_ranges})
    location: str = field(default="UTC", metadata={"check": checks.time_zone})
    weekdays: list[str] = field(default_factory=list, metadata={"check": checks.weekdays})
    days_of_month: list[int | str] = field(default_factory=list, metadata={"check": checks.days_of_month})
    months: list[int | str] = field(default_factory=list, metadata={"check": checks.months})
    years: list[int | str] = field(default_factory=list, metadata={"check": checks.years})

    def validate(self) -> tuple[str, str] | None:
        if not (self.times or self.weekdays or self.days_of_month or self.months or self.years):
            return "times", "an empty window mutes at every moment: give times (e.g. 00:00-06:00) or days"
        return None


@dataclass(frozen=True)
class ContactPointConfig:
    """Where one contact point delivers. Secrets are the NAMES of environment variables, read at apply time."""

    type: Literal["slack", "pagerduty", "webhook"]
    webhook_url_env: str | None = field(default=None, metadata={"check": checks.env_name})
    integration_key_env: str | None = field(default=None, metadata={"check": checks.env_name})
    recipient: str | None = None  # slack channel, when the webhook does not fix it

    def validate(self) -> tuple[str, str] | None:
        if self.type == "pagerduty" and self.integration_key_env is None:
            return "integration_key_env", "a pagerduty contact point needs integration_key_env"
        if self.type in ("slack", "webhook") and self.webhook_url_env is None:
            return "webhook_url_env", f"a {self.type} contact point needs webhook_url_env"
        return None


@dataclass(frozen=True)
class ThresholdsConfig:
    defaults: dict[str, float]
    clients: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class AlertingConfig:
    runbook_base_url: str = field(metadata={"check": checks.http_url})
    contact_points: dict[str, ContactPointConfig]
    thresholds: ThresholdsConfig
    evaluation_interval: str = field(default="30s", metadata={"check": checks.group_interval})
    provenance: Literal["locked", "editable"] = "locked"
    mute_timings: dict[str, MuteTiming] = field(default_factory=dict, metadata={"check": checks.managed_names})
    # rule uids are <prefix>-<runbook>[-<severity>][-<client>]: unique in the Grafana organisation
    rule_uid_prefix: str = field(default="dashgen", metadata={"check": checks.uid_prefix})


def _reason(value: object) -> str | None:
    return None if str(value).strip() else "say why: a suppression needs a written reason"


@dataclass(frozen=True)
class Suppression:
    rule: str  # a rule id (DG105) or name (counter-rate)
    location: str  # where, as lint prints it ("General / 24h filled volume"); shell-style wildcards allowed
    reason: str = field(metadata={"check": _reason})


@dataclass(frozen=True)
class LintConfig:
    suppress: list[Suppression] = field(default_factory=list)


@dataclass(frozen=True)
class Config:
    board: BoardConfig
    environments: dict[str, EnvironmentConfig] = field(default_factory=dict)
    alerting: AlertingConfig | None = None
    lint: LintConfig = field(default_factory=LintConfig)
    # the line of every key path ("alerting.thresholds.clients.<name>"), for errors found after loading
    lines: dict[str, int] = field(default_factory=dict, init=False, compare=False, repr=False)

    def where(self, path: str) -> str:
        """`dashgen.yaml:LINE` of a key path, or of its nearest parent that has one."""
        while path and path not in self.lines:
            path = path.rpartition(".")[0]
        return f"dashgen.yaml:{self.lines[path]}" if path in self.lines else "dashgen.yaml"
