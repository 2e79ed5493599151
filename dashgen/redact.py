"""The one redactor: everything dashgen prints, logs or writes from a Grafana answer passes through it.

It removes the values of secrets dashgen holds (the Grafana token or password, contact-point secrets resolved
from the environment) wherever they appear, including JSON-escaped, and anything shaped like a Grafana token
or an HTTP credential, so a server or proxy that echoes request headers back cannot make dashgen leak them."""

from __future__ import annotations

import json
import re
import threading

MASK = "[REDACTED]"
# Grafana service-account tokens (glsa_), Grafana Cloud tokens (glc_), legacy API keys (eyJr...k=),
# and whatever follows an Authorization scheme.
_SHAPES = re.compile(
    r"\bgl(?:sa|c)_[A-Za-z0-9_+/=-]{8,}"
    r"|\beyJrIjoi[A-Za-z0-9+/=_-]{16,}"
    r"|(?i:\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}"
)
_MIN_SECRET = 4  # shorter values would mask ordinary words


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *values: str | None) -> None:
        """Remember secret values (and their JSON-escaped form) to mask from now on."""
        with self._lock:
            for value in values:
                if value and len(value.strip()) >= _MIN_SECRET:
                    self._secrets.add(value.strip())
                    self._secrets.add(json.dumps(value.strip())[1:-1])

    def __call__(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return _SHAPES.sub(_mask_shape, text)


def _mask_shape(match: re.Match[str]) -> str:
    found = match.group(0)
    scheme = re.match(r"(?i)(bearer|basic)\s+", found)
    return f"{scheme.group(0)}{MASK}" if scheme else MASK


redact = Redactor()  # process-wide: secrets are registered where they are read (settings, apply)
