"""The numbers a definition may carry into JSON: real, finite numbers (JSON has no NaN or Infinity). Pure."""

from __future__ import annotations

import math


def is_finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
