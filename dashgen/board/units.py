"""Grafana's unit ids, for a panel's `unit=` and a table's `column_units`. Pure.

Grafana shows a unit id it does not know as a literal suffix, silently: `unit="percnt"` prints "12 percnt".
The known ids are @grafana/data's value formats, kept with their names in grafana_units.json (which names the
version and file they come from). Besides them, Grafana's getValueFormat reads `prefix:<text>`, `suffix:<text>`,
`si:<unit>`, `count:<unit>`, `currency:<symbol>`, `time:<format>` and `bool:<true>/<false>`: those are how to
write a unit of one's own (`suffix: bps`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dashgen.suggest import LOOSE_CUTOFF, closest

UNITS_FILE = Path(__file__).with_name("grafana_units.json")
CUSTOM_FORMS = ("prefix:", "suffix:", "si:", "count:", "currency:", "time:", "bool:")


@cache
def unit_names() -> dict[str, str]:
    """Every unit id Grafana knows -> its name in Grafana's unit picker ("s" -> "seconds (s)")."""
    data = json.loads(UNITS_FILE.read_text(encoding="utf-8"))
    names: dict[str, str] = {uid: name for units in data["categories"].values() for uid, name in units.items()}
    names.update({alias: names[target] for alias, target in data["aliases"].items()})
    return names


def unit_problem(unit: str) -> str | None:
    """None for a unit Grafana knows; else one sentence, with the nearest id or unit name when there is one."""
    if unit in unit_names():
        return None
    form = next((form for form in CUSTOM_FORMS if unit.startswith(form)), None)
    if form is not None:
        return None if unit[len(form):].strip() else f"unit {unit!r} has nothing after {form!r}"
    guess = _nearest(unit.strip())
    hint = f"did you mean {guess!r} ({unit_names()[guess]})? " if guess else ""
    return f"unknown unit {unit!r}: {hint}(a unit of your own is written 'suffix: {unit.strip()}')"


def _nearest(text: str) -> str | None:
    """The id written in another case, else the closest id or name (`percnt` -> percent, `seconds` -> s)."""
    # of ids that differ only in case (Bps/bps, Mohm/mohm), the lower-case one for `BPS`
    guess = closest(text, sorted(unit_names(), reverse=True), cutoff=LOOSE_CUTOFF)
    if guess is not None:
        return guess
    by_name = {name.lower(): uid for uid, name in unit_names().items()}
    name = closest(text.lower(), sorted(by_name), cutoff=LOOSE_CUTOFF)
    return None if name is None else by_name[name]
