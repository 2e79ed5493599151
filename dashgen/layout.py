"""Where each object goes below an output directory: the one layout `build` writes and `pull` mirrors. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dashgen.jsonfile import dumps


def output_files(*, dashboards: Sequence[dict[str, Any]], rule_groups: Sequence[dict[str, Any]] = (),
                 contact_points: Sequence[dict[str, Any]] = (), policy: dict[str, Any] | None = None,
                 mute_timings: Sequence[dict[str, Any]] = (), templates: Sequence[dict[str, Any]] = (),
                 alerting: bool = False) -> dict[str, str]:
    files = {f"dashboards/{d['uid']}.json": dumps({**d, "id": None}) for d in dashboards}
    if alerting:
        for group in rule_groups:
            files[f"alerting/rule-groups/{group['title']}.json"] = dumps(group)
        files["alerting/contact-points.json"] = dumps(list(contact_points))
        files["alerting/policy.json"] = dumps(policy or {})
        files["alerting/mute-timings.json"] = dumps(list(mute_timings))
        files["alerting/templates.json"] = dumps(list(templates))
    return files
