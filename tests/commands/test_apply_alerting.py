"""Alerting through `apply`, `diff` and `pull` against the double's provisioning API, on the full project (two
rule groups, a two-level alert, Slack and PagerDuty, a mute timing, a template)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..factories import SECRETS
from .conftest import Small

P = "/api/v1/provisioning"
SLACK_URL = SECRETS["SMALL_SLACK_URL"]


def kinds_in_write_order(full: Small) -> list[str]:
    order = []
    for _, path in full.grafana.write_log():
        kind = ("folder" if path.startswith("/api/folders") else "dashboard" if path.startswith("/api/dashboards")
                else path.removeprefix(P + "/").split("/")[0])
        if kind == "folder" and path.startswith(P):
            kind = "rule-groups"
        if not order or order[-1] != kind:
            order.append(kind)
    return order


def test_first_apply_creates_every_alerting_object_in_dependency_order(full: Small) -> None:
    result = full.run("apply", "--yes")
    assert result.code == 0, result.out + result.err
    assert kinds_in_write_order(full) == ["folder", "contact-points", "mute-timings", "templates", "policies",
                                          "rule-groups", "dashboard"]
    alerting = full.grafana.alerting
    assert sorted(alerting.rules) == ["mm-no-orders", "mm-quote-stale", "mm-quote-stale-acme",
                                      "mm-spread-wide-critical", "mm-spread-wide-warning"]
    assert {r["provenance"] for r in alerting.rules.values()} == {"api"}
    assert alerting.contact_points["dashgen-slack"]["settings"]["url"] == SLACK_URL
    assert alerting.rules["mm-no-orders"]["data"][0]["datasourceUid"] == "prom-test"
    assert alerting.policy["routes"][0]["object_matchers"] == [["managed_by", "=", "dashgen"]]


def test_second_apply_sends_no_write_and_redacted_secrets_are_no_difference(full: Small) -> None:
    full.apply()
    again = full.run("apply", "--yes")
    assert again.code == 0 and full.grafana.writes() == 0, again.out
    assert full.run("diff").code == 0


def test_another_teams_routes_stay_byte_identical(full: Small) -> None:
    alerting = full.grafana.alerting
    alerting.contact_points["team-x"] = {"uid": "team-x", "name": "team-x", "type": "email",
                                         "settings": {"addresses": "x@example.com"}, "provenance": ""}
    theirs = [{"receiver": "team-x", "object_matchers": [["team", "=", "x"]], "group_wait": "1m",
               "routes": [{"receiver": "team-x", "object_matchers": [["severity", "=", "page"]], "continue": True}]},
              {"receiver": "grafana-default-email", "object_matchers": [["env", "=~", "stag.*"]]}]
    alerting.policy = {"receiver": "grafana-default-email", "group_by": ["grafana_folder", "alertname"],
                       "repeat_interval": "12h", "routes": json.loads(json.dumps(theirs))}
    before = json.dumps(alerting.policy, sort_keys=True)
    assert full.run("apply", "--yes").code == 0
    after = alerting.policy
    assert json.dumps(after["routes"][1:], sort_keys=True) == json.dumps(theirs, sort_keys=True)
    assert {k: v for k, v in after.items() if k != "routes"} == {
        k: v for k, v in json.loads(before).items() if k != "routes"}
    assert after["routes"][0]["receiver"] == "dashgen-slack"
    # a change in dashgen's routing rewrites only its subtree
    full.edit("alerts/routing.py", "    templates=[", '    repeat_interval="2h",\n    templates=[')
    assert full.run("apply", "--yes").code == 0
    assert alerting.policy["routes"][0]["repeat_interval"] == "2h"
    assert json.dumps(alerting.policy["routes"][1:], sort_keys=True) == json.dumps(theirs, sort_keys=True)


def _drop_alert(full: Small, name: str) -> None:
    """Take the alert out of alerts/rules.py, with its scenarios, and its thresholds, which would be unused."""
    rules = full.root / "alerts" / "rules.py"
    text = rules.read_text()
    start = text.index(f'    alert(\n        "{name}",')
    end = text.index("    ),\n", start) + len("    ),\n")
    rules.write_text(text[:start] + text[end:])
    if name == "NoOrders":
        (full.root / "alerts" / "tests" / "orders.yaml").unlink()
    if name == "SpreadWide":
        full.edit("dashgen.yaml", ", spread_bps: 20}", "}")


def test_removing_an_alert_deletes_only_its_rules_and_only_with_prune(full: Small) -> None:
    full.apply()
    alerting = full.grafana.alerting
    hand_made = json.loads(json.dumps(alerting.rules["mm-quote-stale"]))
    hand_made.update(uid="ops-own-rule", title="Ops own check", labels={"team": "ops"})
    alerting.rules["ops-own-rule"] = hand_made  # someone else's rule inside dashgen's group
    _drop_alert(full, "SpreadWide")
    kept = full.run("apply", "--yes")
    assert kept.code == 0 and full.grafana.writes() == 0, kept.out
    pruned = full.run("apply", "--yes", "--prune")
    assert pruned.code == 0, pruned.out + pruned.err
    # the group holds someone else's rule: dashgen's rules go rule by rule, so the other rule is never re-saved
    assert full.grafana.write_log() == [("DELETE", f"{P}/alert-rules/mm-spread-wide-critical"),
                                        ("DELETE", f"{P}/alert-rules/mm-spread-wide-warning")]
    assert not any(uid.startswith("mm-spread-wide") for uid in alerting.rules)
    assert "ops-own-rule" in alerting.rules
    assert {"mm-quote-stale", "mm-quote-stale-acme"} <= set(alerting.rules)


def test_removing_a_whole_group_deletes_its_rules_one_by_one(full: Small) -> None:
    full.apply()
    _drop_alert(full, "NoOrders")
    diff = full.run("diff")
    assert diff.code == 1 and "- rule-group small-folder/orders (orders): delete" in diff.out
    full.grafana.reset_counts()
    assert full.run("apply", "--yes", "--prune").code == 0
    assert full.grafana.write_log() == [("DELETE", f"{P}/alert-rules/mm-no-orders")]
    assert len(full.grafana.alerting.rules) == 4


def test_provenance_mismatch_is_a_clear_error_before_any_write(full: Small) -> None:
    full.apply()  # locked: everything stored as provenance "api"
    full.edit("dashgen.yaml", "provenance: locked", "provenance: editable")
    full.edit("alerts/rules.py", 'for_="2m"', 'for_="3m"')
    result = full.run("apply", "--yes")
    assert result.code == 2
    assert result.err.startswith("dashgen: error: rule-group small-folder/orders: alerting.provenance is editable, "
                                 "but it was written with provenance 'api'")
    assert "set alerting.provenance: locked in dashgen.yaml" in result.err and result.err.count("\n") == 1
    assert full.grafana.writes() == 0


def test_grafanas_own_provenance_refusal_is_reported_per_object(full: Small) -> None:
    full.grafana.inject(path=f"{P}/policies", method="PUT", status=500,
                        body={"message": "cannot change provenance from 'api' to ''"})
    result = full.run("apply", "--yes")
    assert result.code == 2
    assert ("FAILED  create policy dashgen (dashgen's subtree): the notification policy tree: Grafana refused to "
            "change its provenance") in result.out
    assert "not attempted  create rule-group" in result.out


def test_a_missing_secret_fails_before_anything_is_written(full: Small, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SMALL_PAGER_KEY")
    result = full.run("apply", "--yes")
    assert result.code == 2
    assert result.err == ("dashgen: error: contact point dashgen-oncall: $SMALL_PAGER_KEY is not set: "
                          "export the secret in it (nothing was written)\n")
    assert full.grafana.writes() == 0


def test_a_validation_error_from_grafana_is_exit_2_naming_the_group(full: Small) -> None:
    full.grafana.store.create_folder({"uid": "small-folder", "title": "Small"})
    alerting = full.grafana.alerting
    alerting.put_group("small-folder", "hand-made", {"interval": 60, "rules": [
        {"uid": "someone-else", "title": "NoOrders", "condition": "A",
         "data": [{"refId": "A", "datasourceUid": "__expr__", "relativeTimeRange": {"from": 0, "to": 0},
                   "model": {"refId": "A", "type": "math", "expression": "1 > 0"}}],
         "noDataState": "OK", "execErrState": "Error", "for": "1m", "labels": {}}]}, "")
    assert "someone-else" in alerting.rules
    result = full.run("apply", "--yes")
    assert result.code == 2
    assert ("FAILED  create rule-group small-folder/orders (orders): PUT "
            f"{P}/folder/small-folder/rule-groups/orders: 400 invalid alert rule: rule title under the same "
            "organisation and folder should be unique") in result.out


def test_secrets_are_resent_only_on_change_or_with_update_secrets(full: Small, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    full.apply()
    monkeypatch.setenv("SMALL_SLACK_URL", "https://hooks.slack.test/rotated")
    assert full.run("apply", "--yes").code == 0 and full.grafana.writes() == 0
    rotated = full.run("apply", "--yes", "--update-secrets")
    assert rotated.code == 0
    assert full.grafana.alerting.contact_points["dashgen-slack"]["settings"]["url"] == \
        "https://hooks.slack.test/rotated"
    full.edit("dashgen.yaml", 'recipient: "#small"', 'recipient: "#small-desk"')
    changed = full.run("diff")
    assert changed.code == 1 and "[REDACTED]" in changed.out and "rotated" not in changed.out


def test_after_apply_pull_equals_build_file_for_file(full: Small, tmp_path: Path) -> None:
    """The round trip the README promises: `diff -r build pulled` is empty for every Grafana object."""
    full.apply()
    assert full.run("--env", "test", "build", "--out-dir", str(tmp_path / "built")).code == 0
    assert full.run("pull", "--out-dir", str(tmp_path / "pulled")).code == 0

    def tree(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): p.read_text() for p in root.rglob("*")
                if p.is_file() and not str(p.relative_to(root)).startswith("prometheus/")}

    built, pulled = tree(tmp_path / "built"), tree(tmp_path / "pulled")
    assert sorted(built) == sorted(pulled) and any(n.startswith("alerting/rule-groups/") for n in built)
    assert {name for name in built if built[name] != pulled[name]} == set()
    assert "${SMALL_SLACK_URL}" in pulled["alerting/contact-points.json"]
    assert SLACK_URL not in pulled["alerting/contact-points.json"]


def test_secrets_never_appear_in_output_or_backups(full: Small, tmp_path: Path) -> None:
    outputs = []
    for args in (("apply", "--yes"), ("diff",), ("diff", "--output", "json"), ("apply", "--yes", "--update-secrets"),
                 ("pull", "--out-dir", str(tmp_path / "pulled"))):
        result = full.run(*args)
        outputs += [result.out, result.err]
    files = [p.read_text() for p in tmp_path.rglob("*") if p.is_file()]
    assert any("dashgen-slack" in text for text in files)  # backups and pulled files were scanned
    for secret in SECRETS.values():
        assert all(secret not in text for text in outputs + files)
    assert re.search(r"dashgen-oncall", "".join(files))  # the PagerDuty key's contact point was written too
