"""The double's alerting provisioning API behaves as Grafana's source says (see alerting.py for the source of each
rule). Driven over real HTTP, as the client talks to it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.grafana_double import TOKEN, GrafanaDouble

P = "/api/v1/provisioning"
GROUP = f"{P}/folder/mm/rule-groups/feeds"


class Api:
    def __init__(self, grafana: GrafanaDouble) -> None:
        self.grafana = grafana
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {TOKEN}"

    def call(self, method: str, path: str, body: Any = None, *, editable: bool = False,
             query: dict[str, str] | None = None) -> requests.Response:
        headers = {"X-Disable-Provenance": "true"} if editable else {}
        return self.session.request(method, self.grafana.url + path, json=body, headers=headers, params=query,
                                    timeout=5)


@pytest.fixture
def grafana() -> Iterator[GrafanaDouble]:
    with GrafanaDouble(version="12.1.0") as double:
        yield double


@pytest.fixture
def api(grafana: GrafanaDouble) -> Api:
    client = Api(grafana)
    assert client.call("POST", "/api/folders", {"uid": "mm", "title": "Market Making"}).status_code == 200
    return client


def rule(uid: str, title: str, **extra: Any) -> dict[str, Any]:
    body = {"uid": uid, "title": title, "condition": "C",
            "data": [{"refId": "A", "relativeTimeRange": {"from": 600, "to": 0}, "datasourceUid": "prom",
                      "model": {"refId": "A", "expr": "up == 0"}},
                     {"refId": "C", "relativeTimeRange": {"from": 0, "to": 0}, "datasourceUid": "__expr__",
                      "model": {"refId": "C", "type": "threshold", "expression": "A",
                                "conditions": [{"evaluator": {"type": "gt", "params": [30.0]}}]}}],
            "noDataState": "OK", "execErrState": "Error", "for": "1m"}
    return {**body, **extra}


def put_group(api: Api, rules: list[dict[str, Any]], *, interval: int = 60,
              editable: bool = False) -> requests.Response:
    return api.call("PUT", GROUP, {"interval": interval, "rules": rules}, editable=editable)


def stored(api: Api, uid: str) -> dict[str, Any]:
    response = api.call("GET", f"{P}/alert-rules/{uid}")
    assert response.status_code == 200, response.text
    return response.json()


# ------------------------------------------------------------------------------------------------ 1. PreSave
def test_presave_fills_model_defaults_sorts_keys_and_drops_whole_float_fractions(api: Api) -> None:
    response = put_group(api, [rule("feed-stale", "FeedStale")])
    assert response.status_code == 200, response.text
    group = api.call("GET", GROUP)
    query, threshold = group.json()["rules"][0]["data"]
    assert query["model"] == {"expr": "up == 0", "intervalMs": 1000, "maxDataPoints": 43200, "refId": "A"}
    assert list(query["model"]) == ["expr", "intervalMs", "maxDataPoints", "refId"]  # Go map: keys sorted
    assert query["queryType"] == "" and threshold["queryType"] == ""
    assert list(threshold["model"]) == ["conditions", "expression", "intervalMs", "maxDataPoints", "refId", "type"]
    assert '"params": [30]' in group.text and "30.0" not in group.text
    assert query["relativeTimeRange"] == {"from": 600, "to": 0}


def test_query_type_is_taken_from_the_model_and_bad_defaults_are_replaced(api: Api) -> None:
    body = rule("feed-stale", "FeedStale")
    body["data"][0]["model"] = {"refId": "A", "expr": "x", "queryType": "range", "intervalMs": "5", "maxDataPoints": 0}
    body["data"][1]["model"]["maxDataPoints"] = 100
    assert put_group(api, [body]).status_code == 200
    query, threshold = stored(api, "feed-stale")["data"]
    assert query["queryType"] == "range"
    assert query["model"]["intervalMs"] == 1000 and query["model"]["maxDataPoints"] == 43200
    assert threshold["model"]["maxDataPoints"] == 100


def test_a_query_of_a_data_source_needs_from_greater_than_to(api: Api) -> None:
    body = rule("feed-stale", "FeedStale")
    body["data"][0]["relativeTimeRange"] = {"from": 0, "to": 0}
    response = put_group(api, [body])
    assert response.status_code == 500
    assert response.json()["message"].endswith("invalid alert query A: invalid relative time range: {From:0s To:0s}")


# ---------------------------------------------------------------------------------------------- 2. durations
@pytest.mark.parametrize(("sent", "read"), [("60s", "1m"), ("1m0s", "1m"), ("0m", "0s"), ("0", "0s"),
                                            ("90m", "1h30m"), ("24h", "1d"), ("168h", "1w"), ("1h30m", "1h30m")])
def test_durations_come_back_in_prometheus_form(api: Api, sent: str, read: str) -> None:
    body = rule("feed-stale", "FeedStale", **{"for": sent, "keep_firing_for": sent})
    assert put_group(api, [body]).status_code == 200
    got = stored(api, "feed-stale")
    assert got["for"] == read and got["keep_firing_for"] == read


@pytest.mark.parametrize("bad", ["1.5m", "30s1m", 60, None, ""])
def test_a_duration_grafana_cannot_parse_is_a_binding_error(api: Api, bad: Any) -> None:
    response = put_group(api, [rule("feed-stale", "FeedStale", **{"for": bad})])
    assert (response.status_code, response.json()) == (400, {"message": "bad request data"})


def test_group_interval_is_integer_seconds_divisible_by_the_base_interval(api: Api) -> None:
    response = put_group(api, [rule("feed-stale", "FeedStale")], interval=65)
    assert response.status_code == 400
    assert response.json()["message"] == ("invalid alert rule: interval (1m5s) should be non-zero and divided exactly "
                                           "by scheduler interval: 10")
    float_interval = api.call("PUT", GROUP, {"interval": 60.0, "rules": [rule("feed-stale", "FeedStale")]})
    assert float_interval.status_code == 400
    assert put_group(api, [rule("feed-stale", "FeedStale")], interval=120).status_code == 200
    assert api.call("GET", GROUP).json()["interval"] == 120


# ------------------------------------------------------------------------------------------ 3. server fields
def test_get_of_a_rule_carries_server_fields_and_omits_empty_ones(api: Api) -> None:
    assert put_group(api, [rule("feed-stale", "FeedStale")]).status_code == 200
    got = stored(api, "feed-stale")
    assert list(got) == ["id", "uid", "orgID", "folderUID", "ruleGroup", "title", "condition", "data", "updated",
                         "noDataState", "execErrState", "for", "keep_firing_for", "provenance", "isPaused",
                         "notification_settings", "record"]
    assert got["orgID"] == 1 and got["provenance"] == "api" and got["id"] > 0 and got["updated"]
    assert got["notification_settings"] is None and got["record"] is None and got["keep_firing_for"] == "0s"
    listed = api.call("GET", f"{P}/alert-rules").json()
    assert [r["uid"] for r in listed] == ["feed-stale"] and listed[0]["provenance"] == "api"


def test_a_rule_group_get_never_shows_provenance(api: Api) -> None:
    assert put_group(api, [rule("feed-stale", "FeedStale")]).status_code == 200
    group = api.call("GET", GROUP).json()
    assert set(group) == {"title", "folderUid", "interval", "rules"}
    assert "provenance" not in group["rules"][0]
    assert stored(api, "feed-stale")["provenance"] == "api"


def test_fields_of_a_rule_are_stored_and_given_back(api: Api) -> None:
    settings = {"receiver": "grafana-default-email", "group_by": ["alertname", "grafana_folder"],
                "group_wait": "60s", "repeat_interval": "240m"}
    alert = rule("feed-stale", "FeedStale", notification_settings=settings, missingSeriesEvalsToResolve=3,
                 keep_firing_for="5m", labels={"severity": "page"}, annotations={"summary": "stale"}, isPaused=True)
    record = rule("feed-rate", "FeedRate", record={"metric": "feed_rate", "from": "A"})
    assert put_group(api, [alert, record]).status_code == 200
    got = stored(api, "feed-stale")
    assert got["notification_settings"] == {"receiver": "grafana-default-email",
                                            "group_by": ["alertname", "grafana_folder"], "group_wait": "1m",
                                            "repeat_interval": "4h"}
    assert got["missingSeriesEvalsToResolve"] == 3 and got["keep_firing_for"] == "5m" and got["isPaused"] is True
    assert got["labels"] == {"severity": "page"} and got["annotations"] == {"summary": "stale"}
    recording = stored(api, "feed-rate")  # ClearRecordingRuleIgnoredFields
    assert recording["record"] == {"metric": "feed_rate", "from": "A"}
    assert (recording["condition"], recording["noDataState"], recording["for"]) == ("", "", "0s")


def test_notification_settings_must_name_an_existing_receiver(api: Api) -> None:
    alert = rule("feed-stale", "FeedStale", notification_settings={"receiver": "nobody"})
    response = put_group(api, [alert])
    assert response.status_code == 400
    assert response.json()["message"] == "invalid alert rule\nreceiver 'nobody' does not exist"


# ------------------------------------------------------------------------------- 4. group PUT and provenance
def test_group_put_answers_with_the_request_re_encoded(api: Api) -> None:
    response = put_group(api, [rule("feed-stale", "FeedStale", **{"for": "60s"})])
    echoed = response.json()
    assert echoed["title"] == "feeds" and echoed["folderUid"] == "mm" and echoed["interval"] == 60
    sent = echoed["rules"][0]
    assert sent["id"] == 0 and sent["orgID"] == 0 and sent["updated"] == "0001-01-01T00:00:00Z"
    assert sent["for"] == "1m" and "provenance" not in sent
    assert sent["data"][0]["model"] == {"refId": "A", "expr": "up == 0"}  # json.RawMessage: as sent
    assert "30.0" in response.text


def test_group_put_re_saves_every_rule_and_gives_all_the_requests_provenance(api: Api,
                                                                            grafana: GrafanaDouble) -> None:
    assert put_group(api, [rule("ops-own", "OpsOwn")], editable=True).status_code == 200
    foreign = stored(api, "ops-own")
    assert "provenance" not in foreign  # stored as none
    ours = rule("feed-stale", "FeedStale")
    assert put_group(api, [foreign, ours]).status_code == 200
    assert grafana.alerting.last_delta == {"new": ["feed-stale"], "update": [], "delete": [], "rewrite": ["ops-own"]}
    after = stored(api, "ops-own")
    # store.UpdateCalculatedRuleFields re-saves the unchanged rule: new `updated`, the request's provenance
    assert after["provenance"] == "api" and after["updated"] != foreign["updated"]
    assert after["data"] == foreign["data"]


def test_a_rule_sent_back_as_read_has_no_diff_but_a_reordered_model_has(api: Api, grafana: GrafanaDouble) -> None:
    assert put_group(api, [rule("feed-stale", "FeedStale")]).status_code == 200
    read = stored(api, "feed-stale")
    assert put_group(api, [read]).status_code == 200
    assert grafana.alerting.last_delta["update"] == [] and grafana.alerting.last_delta["rewrite"] == ["feed-stale"]
    assert put_group(api, [rule("feed-stale", "FeedStale")]).status_code == 200  # model without the defaults
    assert grafana.alerting.last_delta["update"] == ["feed-stale"]
    moved = json.loads(json.dumps(read))
    moved["data"][0]["model"] = dict(reversed(list(moved["data"][0]["model"].items())))  # same value, other order
    assert put_group(api, [moved]).status_code == 200
    assert grafana.alerting.last_delta["update"] == ["feed-stale"]


def test_api_and_none_provenance_may_replace_each_other_inside_a_group(api: Api) -> None:
    assert put_group(api, [rule("feed-stale", "FeedStale")]).status_code == 200
    assert put_group(api, [rule("feed-stale", "FeedStale")], editable=True).status_code == 200
    assert "provenance" not in stored(api, "feed-stale")
    assert put_group(api, [rule("feed-stale", "FeedStale")]).status_code == 200
    assert stored(api, "feed-stale")["provenance"] == "api"


@pytest.mark.parametrize(("version", "status"), [("12.1.0", 500), ("13.1.0", 409)])
def test_a_file_provisioned_rule_in_the_group_refuses_the_put(version: str, status: int) -> None:
    with GrafanaDouble(version=version) as grafana:
        api = Api(grafana)
        api.call("POST", "/api/folders", {"uid": "mm", "title": "Market Making"})
        assert put_group(api, [rule("from-file", "FromFile")]).status_code == 200
        grafana.alerting.rules["from-file"]["provenance"] = "file"
        response = put_group(api, [rule("feed-stale", "FeedStale")])  # from-file would be deleted
        assert response.status_code == status
        assert response.json()["message"] == "cannot delete with provided provenance 'api', needs 'file'"
        response = put_group(api, [stored(api, "from-file"), rule("feed-stale", "FeedStale")])
        assert response.json()["message"] == "cannot update with provided provenance 'api', needs 'file'"
        if status == 409:
            assert response.json()["messageId"] == "alerting.provenanceMismatch"
        assert stored(api, "from-file")["provenance"] == "file"


def test_rules_missing_from_the_body_are_deleted_but_an_empty_list_changes_only_the_interval(api: Api) -> None:
    assert put_group(api, [rule("a-rule", "A"), rule("b-rule", "B")]).status_code == 200
    assert put_group(api, [rule("a-rule", "A")]).status_code == 200
    assert api.call("GET", f"{P}/alert-rules/b-rule").status_code == 404
    assert put_group(api, [], interval=120).status_code == 200  # AlertRuleGroupFromApiAlertRuleGroup: [] -> nil
    group = api.call("GET", GROUP).json()
    assert group["interval"] == 120 and [r["uid"] for r in group["rules"]] == ["a-rule"]


def test_group_order_follows_the_body_and_a_missing_group_is_a_404(api: Api) -> None:
    assert put_group(api, [rule("b-rule", "B"), rule("a-rule", "A")]).status_code == 200
    assert [r["uid"] for r in api.call("GET", GROUP).json()["rules"]] == ["b-rule", "a-rule"]
    missing = api.call("GET", f"{P}/folder/mm/rule-groups/none")
    assert missing.status_code == 404 and missing.json()["messageId"] == "alerting.alert-rule.notFound"
    assert api.call("DELETE", GROUP).status_code == 204
    assert api.call("GET", GROUP).status_code == 404


# ------------------------------------------------------------------------------------------ 5. single rules
def test_single_rule_endpoints_with_provenance(api: Api) -> None:
    created = api.call("POST", f"{P}/alert-rules", rule("feed-stale", "FeedStale", folderUID="mm", ruleGroup="feeds"))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["provenance"] == "api" and body["data"][0]["model"]["maxDataPoints"] == 43200
    assert api.call("GET", GROUP).json()["interval"] == 60  # default_rule_evaluation_interval
    changed = rule("feed-stale", "FeedStale2", folderUID="mm", ruleGroup="feeds")
    updated = api.call("PUT", f"{P}/alert-rules/feed-stale", changed)
    assert updated.status_code == 200 and updated.json()["title"] == "FeedStale2"
    refused = api.call("PUT", f"{P}/alert-rules/feed-stale", changed, editable=True)
    assert (refused.status_code, refused.json()) == (500, {"message": "cannot change provenance from 'api' to ''"})
    refused = api.call("DELETE", f"{P}/alert-rules/feed-stale", editable=True)
    assert refused.status_code == 500
    assert refused.json() == {"message": "cannot delete with provided provenance '', needs 'api'"}
    missing = api.call("PUT", f"{P}/alert-rules/nope", changed)
    assert missing.status_code == 404 and missing.content == b""
    assert api.call("DELETE", f"{P}/alert-rules/feed-stale").status_code == 204
    gone = api.call("GET", f"{P}/alert-rules/feed-stale")
    assert gone.status_code == 404 and gone.content == b""


# --------------------------------------------------------------------------------------------- 6. policies
def test_policy_tree_is_re_encoded_through_the_route_struct(api: Api) -> None:
    tree = {"receiver": "grafana-default-email", "group_by": ["grafana_folder", "alertname"], "continue": False,
            "group_wait": "30s", "mute_time_intervals": [], "unknown": 1,
            "routes": [{"receiver": "grafana-default-email", "group_by": [], "continue": False,
                        "object_matchers": [["team", "=", '"x"'], ["env", "=~", "prod.*"]],
                        "matchers": ["severity=critical"], "group_interval": "300s", "routes": []},
                       {"receiver": "grafana-default-email", "continue": True, "repeat_interval": "1440m"}]}
    assert api.call("PUT", f"{P}/policies", tree).status_code == 202
    got = api.call("GET", f"{P}/policies").json()
    assert got == {"receiver": "grafana-default-email", "group_by": ["grafana_folder", "alertname"],
                   "routes": [{"receiver": "grafana-default-email", "matchers": ['severity="critical"'],
                               "object_matchers": [["env", "=~", "prod.*"], ["team", "=", "x"]],
                               "group_interval": "5m"},
                              {"receiver": "grafana-default-email", "continue": True, "repeat_interval": "1d"}],
                   "group_wait": "30s", "provenance": "api"}
    refused = api.call("PUT", f"{P}/policies", got, editable=True)
    assert refused.status_code == 403 and refused.json()["messageId"] == "alerting.notifications.invalidProvenance"
    unknown = api.call("PUT", f"{P}/policies", {"receiver": "nobody"})
    assert unknown.status_code == 400 and "receiver 'nobody' does not exist" in unknown.json()["message"]


# -------------------------------------------------------------- 7. contact points, mute timings, templates
def test_contact_points_are_listed_redacted_and_keep_secrets_sent_redacted(api: Api, grafana: GrafanaDouble) -> None:
    point = {"uid": "mm-slack", "name": "mm-slack", "type": "slack",
             "settings": {"url": "https://hooks.slack.test/secret", "recipient": "#mm"}}
    created = api.call("POST", f"{P}/contact-points", point)
    assert created.status_code == 202 and created.json()["settings"]["url"] == "[REDACTED]"
    listed = api.call("GET", f"{P}/contact-points").json()
    assert [p["name"] for p in listed] == ["grafana-default-email", "mm-slack"]
    assert listed[1] == {"uid": "mm-slack", "name": "mm-slack", "type": "slack",
                         "settings": {"url": "[REDACTED]", "recipient": "#mm"}, "disableResolveMessage": False,
                         "provenance": "api"}
    assert "provenance" not in listed[0]
    update = {**listed[1], "settings": {"url": "[REDACTED]", "recipient": "#desk"}}
    answer = api.call("PUT", f"{P}/contact-points/mm-slack", update)
    assert (answer.status_code, answer.json()) == (202, {"message": "contactpoint updated"})
    assert grafana.alerting.contact_points["mm-slack"]["settings"]["url"] == "https://hooks.slack.test/secret"
    refused = api.call("PUT", f"{P}/contact-points/mm-slack", update, editable=True)
    assert refused.status_code == 500 and refused.json()["message"] == "cannot change provenance from 'api' to ''"
    deleted = api.call("DELETE", f"{P}/contact-points/mm-slack", editable=True)  # no provenance check on delete
    assert (deleted.status_code, deleted.json()) == (202, {"message": "contactpoint deleted"})


def test_mute_timings_come_back_normalised_with_a_version_checked_on_put(api: Api) -> None:
    body = {"name": "weekends", "time_intervals": [{"weekdays": ["Monday:Friday", "sunday:sunday"],
                                                    "months": ["january:march"], "times": [
                                                        {"start_time": "09:00", "end_time": "17:30"}]}]}
    created = api.call("POST", f"{P}/mute-timings", body)
    assert created.status_code == 201
    listed = api.call("GET", f"{P}/mute-timings").json()
    assert listed == [{"name": "weekends", "time_intervals": [
        {"times": [{"start_time": "09:00", "end_time": "17:30"}], "weekdays": ["monday:friday", "sunday"],
         "months": ["1:3"]}], "version": created.json()["version"], "provenance": "api"}]
    version = listed[0]["version"]
    assert len(version) == 16
    stale = api.call("PUT", f"{P}/mute-timings/weekends", {**body, "version": "0000000000000000"})
    assert stale.status_code == 409
    changed = {**body, "version": version, "time_intervals": [{"weekdays": ["saturday"]}]}
    answer = api.call("PUT", f"{P}/mute-timings/weekends", changed)
    assert answer.status_code == 202 and answer.json()["version"] != version
    assert api.call("PUT", f"{P}/mute-timings/weekends", body, editable=True).status_code == 403
    assert api.call("GET", f"{P}/mute-timings/weekends").json()["time_intervals"] == [{"weekdays": ["saturday"]}]
    backwards = {"name": "x", "time_intervals": [{"weekdays": ["saturday:sunday"]}]}
    backwards = api.call("POST", f"{P}/mute-timings", backwards)
    assert backwards.status_code == 400  # timeinterval WeekdayRange: start day cannot be before end day


def test_templates_are_wrapped_in_a_define_and_carry_a_version(api: Api) -> None:
    answer = api.call("PUT", f"{P}/templates/mm.title", {"template": "  [{{ .Status }}]\nfiring  \n"})
    assert answer.status_code == 202
    expected = '{{ define "mm.title" }}\n  [{{ .Status }}]\n  firing\n{{ end }}'
    assert answer.json()["template"] == expected
    listed = api.call("GET", f"{P}/templates").json()
    assert [set(t) for t in listed] == [{"name", "template", "provenance", "version"}]
    assert listed[0]["template"] == expected and listed[0]["provenance"] == "api"
    stale = api.call("PUT", f"{P}/templates/mm.title", {"template": "x", "version": "0000000000000000"})
    assert stale.status_code == 409
    defined = '{{ define "mm.title" }}x{{ end }}'
    same = api.call("PUT", f"{P}/templates/mm.title", {"template": defined, "version": listed[0]["version"]})
    assert same.status_code == 202 and same.json()["template"] == defined
    assert api.call("PUT", f"{P}/templates/mm.title", {"template": "y"}, editable=True).status_code == 403
    assert api.call("DELETE", f"{P}/templates/mm.title", editable=True).status_code == 403
    assert api.call("DELETE", f"{P}/templates/mm.title").status_code == 204


@pytest.mark.parametrize(("version", "status"), [("12.1.0", 500), ("13.0.0", 500), ("13.1.0", 409)])
def test_changing_a_rules_or_contact_points_provenance_is_refused_as_the_contract_says(version: str,
                                                                                       status: int) -> None:
    """grafana-api.md: "cannot change provenance from 'api' to ''" is a 500 in 10.x-13.0, 409 from 13.1."""
    with GrafanaDouble(version=version) as grafana:
        api = Api(grafana)
        api.call("POST", "/api/folders", {"uid": "mm", "title": "Market Making"})
        assert api.call("POST", f"{P}/alert-rules", rule("r1", "R1", folderUID="mm", ruleGroup="g")).ok
        refused = api.call("PUT", f"{P}/alert-rules/r1", rule("r1", "R1", folderUID="mm", ruleGroup="g"),
                           editable=True)
        assert (refused.status_code, refused.json()["message"]) == (status, "cannot change provenance from 'api' "
                                                                            "to ''")
        point = {"uid": "cp", "name": "cp", "type": "slack", "settings": {"url": "https://hooks.slack.test/x"}}
        assert api.call("POST", f"{P}/contact-points", point).ok
        refused = api.call("PUT", f"{P}/contact-points/cp", point, editable=True)
        assert (refused.status_code, refused.json()["message"]) == (status, "cannot change provenance from 'api' "
                                                                            "to ''")


def test_a_folder_is_not_deleted_while_a_folder_below_it_holds_rules(grafana: GrafanaDouble, api: Api) -> None:
    """grafana-api.md: DELETE /api/folders/{uid} deletes every dashboard and subfolder in it; 400 if it holds
    alert rules (unless forceDeleteRules=true): rules in a subfolder are inside it too."""
    assert api.call("POST", "/api/folders", {"uid": "child", "title": "Child", "parentUid": "mm"}).ok
    assert api.call("POST", f"{P}/alert-rules", rule("r1", "R1", folderUID="child", ruleGroup="g")).ok
    refused = api.call("DELETE", "/api/folders/mm")
    assert refused.status_code == 400 and "child" in grafana.store.folders and "r1" in grafana.alerting.rules
    forced = api.call("DELETE", "/api/folders/mm", query={"forceDeleteRules": "true"})
    assert forced.status_code == 200
    assert "child" not in grafana.store.folders and "r1" not in grafana.alerting.rules
