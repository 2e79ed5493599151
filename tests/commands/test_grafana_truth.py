"""diff, apply and pull tell the truth against a Grafana double as awkward as Grafana's source (issue 9):
they converge, a UI save that changes nothing is no change, edits are told by content, only Grafana's JSON
is believed, others' objects go back exactly as read, secrets never show, search is paged, pull == build."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import dashgen.grafana.client
from dashgen.kinds.dashboard import with_checksum
from dashgen.managed import MANAGED_TAG

from ..factories import SLACK_URL
from ..grafana_double import TOKEN, GrafanaDouble
from ..grafana_double.server import VIEWER_TOKEN
from .conftest import Small

VERSIONS = ["11.6.0", "12.2.0", "13.0.0"]
# A save in Grafana 13's UI stores the board in the v2 schema: tests/commands/test_app_platform.py has those.
UI_VERSIONS = pytest.mark.parametrize("small", ["11.6.0", "12.2.0"], indirect=True)


@pytest.fixture(params=VERSIONS)
def small(request: pytest.FixtureRequest, make: Callable[..., Small]) -> Small:
    """The small project with alerting, on each Grafana version; the UI may save its board."""
    return make(request.param, alerting=True, allow_ui_edits=True)


def applied(small: Small) -> Small:
    small.apply()
    return small


# ----------------------------------------------------------------------------------------- 1. convergence
def test_after_apply_diff_exits_0_and_a_second_apply_writes_nothing_on_every_kind(small: Small) -> None:
    first = small.run("apply", "--yes")
    assert first.code == 0, first.err
    kinds_written = {line.split()[2] for line in first.out.splitlines() if line.strip().startswith("done")}
    assert kinds_written == {"folder", "dashboard", "contact-point", "mute-timing", "template", "policy", "rule-group"}
    small.grafana.reset_counts()
    diff = small.run("diff")
    assert diff.code == 0, diff.out
    assert small.run("apply", "--yes").out.splitlines()[-1] == "nothing to apply"
    assert small.grafana.writes() == 0


def test_the_build_holds_what_grafana_will_store(small: Small, tmp_path: Path) -> None:
    assert small.run("build", "--out-dir", str(tmp_path / "b")).code == 0
    group = json.loads((tmp_path / "b/alerting/rule-groups/orders.json").read_text())
    (rule,) = group["rules"]
    assert {q["queryType"] for q in rule["data"]} == {""}
    assert all(q["model"]["intervalMs"] == 1000 and q["model"]["maxDataPoints"] == 43200 for q in rule["data"])
    assert rule["for"] == "1m" and "30.0" not in (tmp_path / "b/alerting/rule-groups/orders.json").read_text()


# ------------------------------------------------------------------------------------ 2. UI saves
@pytest.mark.parametrize("on_screen", ["every panel", "no panel", "the first panel only"])
@UI_VERSIONS
def test_a_ui_save_without_a_change_is_no_change(small: Small, on_screen: str) -> None:
    applied(small)
    rendered = {"every panel": lambda p: True, "no panel": lambda p: False,
                "the first panel only": lambda p: p.get("title") == "Mid"}[on_screen]
    before = json.dumps(small.board(), sort_keys=True)
    small.grafana.ui_edit("small", None, user="trader", rendered=rendered)
    assert json.dumps(small.board(), sort_keys=True) != before  # the UI really rewrote the JSON
    diff = small.run("diff")
    assert diff.code == 0, diff.out
    apply = small.run("apply", "--yes")
    assert apply.code == 0 and small.grafana.writes() == 0


@UI_VERSIONS
def test_a_code_change_after_a_no_op_ui_save_applies_without_a_conflict(small: Small) -> None:
    applied(small)
    small.grafana.ui_edit("small", None, user="trader")
    small.edit("panels/prices.py", 'unit="none"', 'unit="currencyUSD"')
    result = small.run("apply", "--yes")
    assert result.code == 0, result.err
    assert "changed outside dashgen" not in result.out
    assert "~ panel Prices / Mid: fieldConfig.defaults.unit" in result.out


@UI_VERSIONS
def test_a_real_ui_edit_of_one_panel_is_that_panel_and_field_and_blocks_apply(small: Small) -> None:
    applied(small)

    def retitle_legend(board: dict[str, Any]) -> None:
        (fills,) = [p for p in board["panels"] if p.get("title") == "Fills"]
        fills["targets"][0]["legendFormat"] = "{{client}}"

    small.grafana.ui_edit("small", retitle_legend, user="trader")
    diff = small.run("diff")
    assert diff.code == 1
    changed = [line for line in diff.out.splitlines() if re.match(r"^  [~+-] ", line)]
    assert changed == ["  ~ panel Prices / Fills: targets"]
    assert re.search(r"changed outside dashgen by (user:)?trader", diff.out)
    blocked = small.run("apply", "--yes")
    assert blocked.code == 1 and small.grafana.writes() == 0 and "re-run with --force" in blocked.err


@UI_VERSIONS
def test_a_read_only_token_can_diff_and_is_told_who_edited(small: Small, monkeypatch: pytest.MonkeyPatch) -> None:
    applied(small)
    small.grafana.ui_edit("small", lambda board: board.update(refresh="5s"), user="trader")
    monkeypatch.setenv("GRAFANA_TOKEN", VIEWER_TOKEN)
    diff = small.run("diff")
    assert diff.code == 1, diff.err
    assert re.search(r"changed outside dashgen by (user:)?trader", diff.out)
    assert [line for line in diff.err.splitlines() if "through" not in line] == []
    assert small.grafana.count("GET", "/api/dashboards/uid/small/versions") == 0  # no history needed
    refused = small.run("apply", "--yes", "--force")
    assert refused.code == 2 and "dashboards:write" in refused.out


# ---------------------------------------------------------------------------- 4. only Grafana's JSON
def test_a_login_page_is_exit_2_naming_the_url_and_never_an_empty_grafana(small: Small) -> None:
    small.grafana.login_page()
    for command in (("diff",), ("apply", "--yes"), ("pull", "--out-dir", str(small.root / "pulled"))):
        result = small.run(*command)
        assert result.code == 2, command
        assert re.fullmatch(r"dashgen: error: GET http://127\.0\.0\.1:\d+/(api/health|apis): 200 expected JSON from "
                            r"Grafana, got text/html: 'Sign in - Corp SSO' \(.*\)\n", result.err), result.err
        assert "<" not in result.err and "written" not in result.out
    assert small.grafana.writes() == 0


def test_apply_never_writes_after_one_read_it_could_not_trust(small: Small) -> None:
    applied(small)
    small.edit("panels/prices.py", 'unit="none"', 'unit="currencyUSD"')
    small.grafana.inject(path="/api/v1/provisioning/policies", status=200, body="<html>login</html>", times=10)
    result = small.run("apply", "--yes")
    assert result.code == 2 and "/api/v1/provisioning/policies: 200 expected JSON" in result.err
    assert small.grafana.writes() == 0 and "done" not in result.out


def dashboard_writes(grafana: GrafanaDouble) -> str:
    """Where dashgen saves dashboards: the app-platform API on 12+, the legacy API before."""
    return "/apis/dashboard.grafana.app/" if grafana.store.mode.apis else "/api/dashboards/db"


def test_the_summary_counts_only_writes_grafana_confirmed(small: Small) -> None:
    small.grafana.inject(path=dashboard_writes(small.grafana), method="POST", status=200, body="<html>login</html>")
    result = small.run("apply", "--yes")
    assert result.code == 2
    assert re.search(r"FAILED  create dashboard small .*200 expected JSON", result.out)
    assert "small" not in small.grafana.store.dashboards
    assert re.search(r"apply: \d+ written, 1 failed", result.out)


# ------------------------------------------------------------------ 5. others' objects go back as read
def test_a_hand_made_rule_in_a_managed_group_keeps_every_field_and_its_provenance(small: Small) -> None:
    applied(small)
    group = small.grafana.alerting.get_group("small-folder", "orders")[1]
    mine = group["rules"][0]
    theirs = {k: v for k, v in mine.items() if k not in ("id", "updated", "provenance", "orgID")}
    theirs.update({"uid": "hand-made", "title": "Hand made", "labels": {"team": "ops"},
                   "notification_settings": {"receiver": "grafana-default-email"}, "keep_firing_for": "5m",
                   "missingSeriesEvalsToResolve": 3})
    status, _ = small.grafana.alerting.put_group("small-folder", "orders",
                                                 {**group, "rules": [mine, theirs]}, provenance="")
    assert status == 200
    before = small.grafana.alerting.get_rule("hand-made")[1]
    small.edit("dashgen.yaml", "orders_max: 30.0", "orders_max: 40")
    result = small.run("apply", "--yes")
    assert result.code == 0, result.err
    after = small.grafana.alerting.get_rule("hand-made")[1]
    assert after == before  # every field, its provenance ("") and its `updated`
    assert small.grafana.alerting.get_rule(mine["uid"])[1]["provenance"] == "api"


def test_other_teams_routes_and_contact_points_stay_exactly_as_they_were(small: Small) -> None:
    a = small.grafana.alerting
    a.contact_points["ops"] = {"uid": "ops", "name": "ops", "type": "email", "provenance": "",
                               "settings": {"addresses": "ops@example.com"}, "disableResolveMessage": False}
    theirs = {"receiver": "ops", "object_matchers": [["team", "=", "ops"]], "group_wait": "1m", "continue": True}
    a.policy["routes"] = [theirs]
    before = (json.dumps(a.contact_points["ops"]), json.dumps(a.get_policy()[1]["routes"][0]))
    applied(small)
    small.edit("alerts/routing.py", 'group_by=["alert"]', 'group_by=["alert", "client"]')
    assert small.run("apply", "--yes").code == 0
    routes = a.get_policy()[1]["routes"]
    assert json.dumps(a.contact_points["ops"]) == before[0]
    assert [json.dumps(r) for r in routes if r.get("receiver") == "ops"] == [before[1]]


# ---------------------------------------------------------------------------------------- 6. secrets
def test_secrets_never_show_even_when_the_server_echoes_request_headers(small: Small) -> None:
    applied(small)
    small.grafana.echo_headers = True
    small.grafana.inject(path="/api/v1/provisioning/contact-points/", method="PUT", status=500,
                         body={"message": f"upstream rejected {SLACK_URL}"})
    for method in ("POST", "PUT"):
        small.grafana.inject(path=dashboard_writes(small.grafana), method=method, status=500, body={"message": "boom"})
    small.edit("panels/prices.py", 'unit="none"', 'unit="currencyUSD"')
    result = small.run("apply", "--yes", "--update-secrets")
    assert result.code == 2 and "request headers" in result.out  # the echo really happened
    backups = [p.read_text() for p in (small.root / ".dashgen").rglob("*.json")]
    for text in [result.out, result.err, *backups]:
        assert TOKEN not in text and TOKEN[5:20] not in text and SLACK_URL not in text
    assert "Bearer [REDACTED]" in result.out


# ------------------------------------------------------------------------------------------ 7. paging
def test_a_managed_board_beyond_the_first_search_page_is_still_seen(small: Small,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of 20 here (Grafana's are 5000: tests/grafana/test_client.py checks dashgen asks for that)."""
    monkeypatch.setattr(dashgen.grafana.client, "SEARCH_LIMIT", 20)
    applied(small)
    store = small.grafana.store
    for n in range(20):  # another team's boards, filling the first page of a tag search
        store.save_dashboard({"dashboard": {"uid": f"other-{n}", "title": f"a-{n:05d}", "tags": [MANAGED_TAG]},
                              "folderUid": "small-folder"}, user="ops")
    store.save_dashboard({"dashboard": with_checksum({"uid": "zz-dropped", "title": "zz dropped",
                                                      "tags": [MANAGED_TAG]}), "folderUid": "small-folder"},
                         user="dashgen-sa")
    diff = small.run("diff")
    assert "- dashboard zz-dropped (zz dropped): delete" in diff.out
    assert [q["page"] for _, path, q in small.grafana.queries if path == "/api/search"] == [["1"], ["2"]]


# ------------------------------------------------------------------------------------ 8. pull == build
def test_after_apply_pull_writes_exactly_what_build_writes(small: Small, tmp_path: Path) -> None:
    applied(small)
    assert small.run("--env", "test", "build", "--out-dir", str(tmp_path / "built")).code == 0
    assert small.run("pull", "--out-dir", str(tmp_path / "pulled")).code == 0

    def tree(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*"))
                if p.is_file() and not str(p.relative_to(root)).startswith("prometheus/")}

    built, pulled = tree(tmp_path / "built"), tree(tmp_path / "pulled")
    assert list(built) == list(pulled)
    assert [name for name in built if built[name] != pulled[name]] == []
    assert "${SMALL_SLACK_URL}" in pulled["alerting/contact-points.json"]
