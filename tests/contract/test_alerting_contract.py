"""The alerting provisioning facts dashgen's canonical forms rely on (../shared/grafana-api.md, "What Grafana does
to what you send"), run through dashgen's own client: against the double by default, against a real Grafana
too when DASHGEN_TEST_GRAFANA_URL/TOKEN are set. Everything created starts with the test's `dgc-` prefix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dashgen.kinds.rule_group import RuleGroupKind, stored_rule

from .conftest import Api

P = "/api/v1/provisioning"


@pytest.fixture
def folder(api: Api) -> Iterator[str]:
    uid = api.uid("alerts")
    api.client.request("POST", "/api/folders", body={"uid": uid, "title": uid})
    yield uid
    api.client.request("DELETE", f"/api/folders/{uid}", params={"forceDeleteRules": "true"}, expected=(200, 404))


def rule(api: Api, folder: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"uid": api.uid(name), "title": api.uid(name), "folderUID": folder, "ruleGroup": "contract",
            "condition": "C", "noDataState": "OK", "execErrState": "Error", "for": "60s",
            "labels": {"managed_by": "dashgen"}, "annotations": {"summary": "contract"},
            "data": [{"refId": "A", "datasourceUid": "__expr__", "relativeTimeRange": {"from": 0, "to": 0},
                      "model": {"refId": "A", "type": "math", "expression": "1"}},
                     {"refId": "C", "datasourceUid": "__expr__", "relativeTimeRange": {"from": 0, "to": 0},
                      "model": {"refId": "C", "type": "threshold", "expression": "A",
                                "conditions": [{"evaluator": {"type": "gt", "params": [30.0]}}]}}],
            **extra}


def test_a_group_reads_back_with_grafanas_defaults_and_formats(api: Api, folder: str) -> None:
    sent = rule(api, folder, "defaults")
    api.client.request("PUT", f"{P}/folder/{folder}/rule-groups/contract",
                       body={"title": "contract", "folderUid": folder, "interval": 60, "rules": [sent]})
    group = api.client.get(f"{P}/folder/{folder}/rule-groups/contract")
    (stored,) = group["rules"]
    assert group["interval"] == 60 and stored["for"] == "1m"
    for query in stored["data"]:
        assert query["queryType"] == "" and query["model"]["intervalMs"] == 1000
        assert query["model"]["maxDataPoints"] == 43200
    threshold = stored["data"][1]["model"]["conditions"][0]["evaluator"]["params"][0]
    assert threshold == 30 and isinstance(threshold, int)
    kind = RuleGroupKind()  # and dashgen's canonical form sees no difference
    assert kind.canonical({**group, "rules": [stored]}) == kind.canonical({**group, "rules": [stored_rule(sent)]})


def test_provenance_is_in_the_rule_list_not_in_the_group(api: Api, folder: str) -> None:
    api.client.request("PUT", f"{P}/folder/{folder}/rule-groups/contract",
                       body={"title": "contract", "folderUid": folder, "interval": 60,
                             "rules": [rule(api, folder, "prov")]})
    listed = {r["uid"]: r for r in api.client.get(f"{P}/alert-rules", shape=list)}
    assert listed[api.uid("prov")].get("provenance") == "api"
    group = api.client.get(f"{P}/folder/{folder}/rule-groups/contract")
    assert not group["rules"][0].get("provenance")


def test_contact_point_secrets_read_back_redacted_and_lists_are_lists(api: Api) -> None:
    uid = api.uid("cp")
    api.client.request("POST", f"{P}/contact-points", expected=(202, 200),
                       body={"uid": uid, "name": uid, "type": "slack",
                             "settings": {"url": "https://hooks.slack.test/contract-secret", "recipient": "#x"}})
    try:
        (point,) = [p for p in api.client.get(f"{P}/contact-points", shape=list) if p.get("uid") == uid]
        assert point["settings"]["url"] == "[REDACTED]"
        assert isinstance(api.client.get(f"{P}/policies"), dict)
        assert isinstance(api.client.get(f"{P}/templates", shape=list), list)  # Go's `null` for none reads as []
    finally:
        api.client.request("DELETE", f"{P}/contact-points/{uid}", expected=(202, 204, 200, 404))
