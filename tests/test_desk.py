"""The desk's smoke test: the one test besides the snapshots (tests/test_snapshots.py) that reads the desk's own
panels/, alerts/, metrics.yaml and dashgen.yaml. It counts nothing and patches nothing in them, so a routine desk
change (a panel, a threshold, an alert) keeps it green; behaviour is tested on factory projects
(tests/factories.py)."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest
import yaml

from .conftest import HAVE_PROMTOOL, REPO, REQUIRE_PROMTOOL
from .grafana_double import TOKEN, GrafanaDouble

CLEAN = re.compile(r"lint: 0 error\(s\), 0 warning\(s\), \d+ suppressed with a reason\n")


def desk_against(root: Path, url: str) -> tuple[Path, list[str]]:
    """A copy of the desk whose only environment, `test`, is the double at `url`; and the names of the
    environment variables its contact points read their secrets from."""
    for name in ("panels", "alerts"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "metrics.yaml", root / "metrics.yaml")
    config = yaml.safe_load((REPO / "dashgen.yaml").read_text())
    config["environments"] = {"test": {"url": url, "token_env": "GRAFANA_TOKEN", "datasource_uid": "prom-test"}}
    (root / "dashgen.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    contact_points = (config.get("alerting") or {}).get("contact_points", {})
    secrets = [value for point in contact_points.values() for key, value in point.items() if key.endswith("_env")]
    return root, secrets


def test_the_desk_builds_lints_clean_passes_its_scenarios_applies_and_converges(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    built = cli("--project", str(REPO), "build", "--out-dir", str(tmp_path / "build"))
    assert (built.code, built.err) == (0, ""), built.err
    linted = cli("--project", str(REPO), "lint")
    assert linted.code == 0 and CLEAN.fullmatch(linted.out), linted.out
    if HAVE_PROMTOOL or REQUIRE_PROMTOOL:
        scenarios = cli("--project", str(REPO), "test-alerts")
        assert scenarios.code == 0, scenarios.out + scenarios.err
    else:
        warnings.warn("promtool is not installed: the desk's alert scenarios did not run", stacklevel=1)

    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)
    with GrafanaDouble("11.6.0") as grafana:
        root, secrets = desk_against(tmp_path / "desk", grafana.url)
        for name in secrets:
            monkeypatch.setenv(name, f"smoke-test-secret-for-{name.lower()}")
        applied = cli("--project", str(root), "apply", "--yes")
        assert applied.code == 0, applied.out + applied.err
        assert "0 failed, 0 not attempted" in applied.out
        grafana.reset_counts()
        assert cli("--project", str(root), "diff").code == 0
        again = cli("--project", str(root), "apply", "--yes")
        assert again.out.splitlines()[-1] == "nothing to apply" and grafana.writes() == 0
        (uid,) = grafana.store.dashboards
        grafana.ui_edit(uid, None)  # a person opens the board and saves it unchanged
        after_ui_save = cli("--project", str(root), "diff")
        assert after_ui_save.code == 0, after_ui_save.out
