"""Thresholds: defaults overridden per client, split so that every series is judged by exactly one rule.

For an alert using keys K, the clients that override any key of K each get their own rule (a matcher
`<client_label>="first"`, the label named in metrics.yaml), and the default rule excludes them
(`<client_label>!~"first|second\\.eu"`, each name an escaped literal). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashgen.config import Config
from dashgen.config.model import ThresholdsConfig
from dashgen.dsl.alerts import Alert, ThresholdRef
from dashgen.errors import DashgenError
from dashgen.promql_text import regex_alternatives


@dataclass(frozen=True)
class Variant:
    client: str | None  # None: the default rule
    excluded: tuple[str, ...]  # clients the default rule leaves to their own rules
    values: dict[str, float]

    def matcher(self) -> tuple[str, str] | None:
        """(operator, value) of the client matcher this variant's selectors carry, if any."""
        if self.client is not None:
            return "=", self.client
        if self.excluded:
            return "!~", regex_alternatives(self.excluded)
        return None


def variants(alert: Alert, thresholds: ThresholdsConfig) -> list[Variant]:
    overridden = sorted(c for c, overrides in thresholds.clients.items() if set(overrides) & alert.threshold_keys)
    found = [Variant(client=None, excluded=tuple(overridden), values=dict(thresholds.defaults))]
    for client in overridden:
        found.append(Variant(client=client, excluded=(), values={**thresholds.defaults,
                                                                 **thresholds.clients[client]}))
    return found


def resolve(ref: ThresholdRef, values: dict[str, float]) -> float:
    if ref.key is None:
        assert ref.value is not None
        return ref.value
    return values[ref.key] * ref.times


def check_thresholds(config: Config, alerts: Sequence[Alert]) -> None:
    """Every key is used by some alert, every alert's key has a default, every override names a known key."""
    assert config.alerting is not None
    thresholds = config.alerting.thresholds
    used = set().union(*(a.threshold_keys for a in alerts)) if alerts else set()
    for alert in alerts:
        for key in sorted(alert.threshold_keys - set(thresholds.defaults)):
            raise DashgenError(f"alert {alert.name!r} uses threshold {key!r}: add it under "
                               "alerting.thresholds.defaults in dashgen.yaml", where=str(alert.defined_at))
    for key in sorted(set(thresholds.defaults) - used):
        path = f"alerting.thresholds.defaults.{key}"
        raise DashgenError(f"{path}: no alert uses this threshold (remove it, or use it in alerts/)",
                           where=config.where(path))
    for client, overrides in sorted(thresholds.clients.items()):
        for key in sorted(set(overrides) - set(thresholds.defaults)):
            path = f"alerting.thresholds.clients.{client}.{key}"
            raise DashgenError(f"{path}: unknown threshold key (known: {', '.join(sorted(thresholds.defaults))})",
                               where=config.where(path))
