"""Alerting mistakes a user makes in alerts/*.py and dashgen.yaml: each is one line naming the file:line of every
place involved, exit 2 and nothing written; legitimate input (a night window, a weekend) simply builds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ..conftest import CliResult
from ..factories import edit, small_project

TEMPLATES = ("TEMPLATES = [template(\"desk\", '{{ define \"dashgen.title\" }}t{{ end }}"
             "{{ define \"dashgen.message\" }}m{{ end }}')]")
ROUTING = """\
from dashgen.dsl.routing import contact_point, route, routing, template

{templates}
ROUTING = routing(
    contact_points=[
        contact_point("slack", config="slack"),
        contact_point("pager", config="slack"),
    ],
    receiver="slack",
    group_by=["alert"],
    routes=[
        route("pager", match={{"severity": "critical"}}, continue_=True),
        route("slack", match={{"severity": "critical"}}),
        route("slack", match={{"alert": "NoOrders", "severity": "warning"}}, mute=["low-liquidity"]),
    ],
    templates=TEMPLATES,
)
"""
Build = Callable[..., CliResult]


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small project with a routing of three routes; commands run from its directory, as a user does."""
    root = small_project(tmp_path / "p", "http://127.0.0.1:9")
    (root / "alerts/routing.py").write_text(ROUTING.format(templates=TEMPLATES))
    monkeypatch.chdir(root)
    return root


def refused(cli: Build, root: Path) -> str:
    """Build: exit 2, one line on stderr, no traceback, nothing written. Returns the line."""
    result = cli("build")
    assert result.code == 2, result.out + result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err, result.err
    assert not (root / "build").exists()
    return result.err.removesuffix("\n")


def built(cli: Build, root: Path) -> Path:
    result = cli("build")
    assert result.code == 0, result.err
    return root / "build"


def test_the_routing_of_these_tests_builds(small: Path, cli: Build) -> None:
    policy = json.loads((built(cli, small) / "alerting/policy.json").read_text())
    assert [r["receiver"] for r in policy["routes"]] == ["dashgen-pager", "dashgen-slack", "dashgen-slack"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('contact_point("pager", config="slack")', 'contact_point("slack", config="slack")',
     "alerts/routing.py:7: contact point 'slack' is declared twice (first at alerts/routing.py:6): Grafana would "
     "hold one of them; give each its own name"),
    ('continue_=True),', "),",
     "alerts/routing.py:13: route to 'slack' matching {severity=\"critical\"} can never match: the route to "
     "'pager' at alerts/routing.py:12 matches {severity=\"critical\"}, a superset of its alerts, and stops there; "
     "put the narrower route first, or give the earlier continue_=True"),
    ('route("slack", match={"severity": "critical"}),', 'route("pager", match={"severity": "critical"}),',
     "alerts/routing.py:13: route to 'pager' matching {severity=\"critical\"} repeats the route at "
     "alerts/routing.py:12 (matching {severity=\"critical\"}, continue_=True) to the same contact point: every "
     "such alert would be sent twice; remove one"),
    ('route("slack", match={"severity": "critical"}),', 'route("pager", match={"severity": "critical", "a": "b"}),',
     "alerts/routing.py:13: route to 'pager' matching {severity=\"critical\", a=\"b\"} repeats the route at "
     "alerts/routing.py:12 (matching {severity=\"critical\"}, continue_=True) to the same contact point: every "
     "such alert would be sent twice; remove one"),
    ('route("slack", match={"alert": "NoOrders", "severity": "warning"}',
     'route("slack", match={"alert": "NoOrders", "severity": "critical"}',
     "alerts/routing.py:14: route to 'slack' matching {alert=\"NoOrders\", severity=\"critical\"} can never match: "
     "the route to 'slack' at alerts/routing.py:13 matches {severity=\"critical\"}, a superset of its alerts, and "
     "stops there; put the narrower route first, or give the earlier continue_=True"),
    ('route("slack", match={"severity": "critical"})', 'route("slak", match={"severity": "critical"})',
     "alerts/routing.py:13: routing: receiver 'slak' is not one of the contact points (pager, slack) (did you mean "
     "slack?)"),
    ('mute=["low-liquidity"]', 'mute=["low_liquidity"]',
     "alerts/routing.py:14: route to 'slack': mute timing 'low_liquidity': no alerting.mute_timings.low_liquidity in "
     "dashgen.yaml (did you mean low-liquidity?)"),
    ('group_by=["alert"]', "group_by=[]",
     "alerts/routing.py:4: routing: group_by is empty, which Grafana reads as the default policy's grouping: name "
     "the labels, e.g. ['alert', 'severity'], or ['...'] for one notification per alert"),
    ('group_by=["alert"]', 'group_by=["alert", "alert"]',
     "alerts/routing.py:4: routing: group_by names 'alert' twice (Grafana refuses it)"),
    ('group_by=["alert"],', 'group_by=["alert"], group_wait="30",',
     "alerts/routing.py:4: routing: group_wait='30' is not a duration such as 30s, 5m or 4h"),
    ('group_by=["alert"],', 'group_by=["alert"], repeat_interval="0s",',
     "alerts/routing.py:4: routing: repeat_interval='0s' is not a duration above zero such as 30s, 5m or 4h"),
    ('contact_point("pager", config="slack")', 'contact_point("pager", config="pagerduty")',
     "alerts/routing.py:7: contact point 'pager': no alerting.contact_points.pagerduty in dashgen.yaml"),
    ('contact_point("pager", config="slack")', 'contact_point("pager", config="slak")',
     "alerts/routing.py:7: contact point 'pager': no alerting.contact_points.slak in dashgen.yaml (did you mean "
     "slack?)"),
    ('contact_point("pager"', 'contact_point("on call"',
     "alerts/routing.py:7: contact point 'on call': a name is 1-32 letters, digits, '-' and '_' (Grafana names it "
     "dashgen-on call)"),
    ("t{{ end }}", "t{{ end }",
     "alerts/routing.py:3: template 'desk': line 1: '{{' is not closed with '}}' before the next '{{'"),
    ("m{{ end }}", "{{ if .Alerts }}m{{ end }}",
     "alerts/routing.py:3: template 'desk': line 1: {{ define }} is never closed with {{ end }}"),
    ('"dashgen.message"', '"dashgen.msg"',
     'alerts/routing.py:4: routing: contact points render dashgen.title and dashgen.message, but no template(...) '
     'has {{ define "dashgen.message" }}: notifications would fail in Grafana'),
    ("templates=TEMPLATES,", "templates=TEMPLATES + TEMPLATES,",
     "alerts/routing.py:3: template 'desk' is declared twice (first at alerts/routing.py:3): Grafana would hold one "
     "of them; give each its own name"),
])
def test_routing_mistakes_are_one_line_naming_each_place(small: Path, cli: Build, old: str, new: str,
                                                         message: str) -> None:
    edit(small / "alerts/routing.py", old, new)
    assert refused(cli, small) == f"dashgen: error: {message}"


RULE = "alerts/rules.py:3: alert 'NoOrders'"


@pytest.mark.parametrize(("old", "new", "message"), [
    ('for_="1m"', 'for_="5"', f"{RULE}: for_='5' is not a duration such as 0m, 1m or 15m"),
    ('severity="critical"', 'severity="critcal"', f"{RULE}: severity='critcal' is not one of warning, critical"),
    ('no_data="OK"', 'no_data="Ok"', f"{RULE}: no_data='Ok' is not one of NoData, Alerting, OK, KeepLast"),
    ('exec_err="Error"', 'exec_err="error"', f"{RULE}: exec_err='error' is not one of Error, Alerting, OK, KeepLast"),
    ("panel=OPEN_ORDERS", 'panel=("Orders", "Open orders")',
     f"{RULE}: panel= is the panel itself, imported from panels/ (from panels.<section> import NAME), not "
     "('Orders', 'Open orders')"),
    ('exec_err="Error",', 'exec_err="Error", runbook="no orders",',
     f"{RULE}: runbook='no orders': a slug of letters, digits, '-' and '_' (it is appended to runbook_base_url)"),
    ('summary="{{ client }}', 'summary="{{ client | upper }}',
     f"{RULE} summary: write a label, value or threshold as {{{{ name }}}}, without filters or expressions"),
    ('expr="{{ mm_open_orders }}",', 'expr="{{ mm_open_orders }}", params={"side": "bid"},',
     f"{RULE}: parameter 'side' is not used in the query"),
])
def test_alert_mistakes_are_one_line_naming_the_alert(small: Path, cli: Build, old: str, new: str,
                                                      message: str) -> None:
    edit(small / "alerts/rules.py", old, new)
    assert refused(cli, small) == f"dashgen: error: {message}"


def test_two_alerts_sharing_a_rule_uid_name_both_places(small: Path, cli: Build) -> None:
    rules = small / "alerts/rules.py"
    edit(rules, 'exec_err="Error",', 'exec_err="Error", runbook="orders",')
    text = rules.read_text()
    second = text.split("ALERTS = [")[1].rsplit("]", 1)[0].replace('"NoOrders"', '"FewOrders"')
    rules.write_text(text.rsplit("]", 1)[0] + ",\n          " + second + "]\n")
    line = next(i for i, text in enumerate(rules.read_text().splitlines(), 1) if "FewOrders" in text)
    assert refused(cli, small) == (
        f"dashgen: error: alerts/rules.py:{line}: alert 'FewOrders' would get the rule uid 'mm-orders' of alert "
        "'NoOrders' (alerts/rules.py:3): rule uids are mm-<runbook>: give one another runbook=")


def test_two_clients_whose_names_differ_only_in_characters_a_uid_cannot_hold_get_two_rules(small: Path,
                                                                                         cli: Build) -> None:
    """`acme.eu` cannot be a uid as is: its rule uid carries a digest of the name, so `acme-eu` keeps its own."""
    edit(small / "dashgen.yaml", "    defaults: {orders_max: 30.0}\n",
         "    defaults: {orders_max: 30.0}\n    clients:\n"
         "      acme.eu: {orders_max: 5}\n      acme-eu: {orders_max: 6}\n")
    group = json.loads((built(cli, small) / "alerting/rule-groups/orders.json").read_text())
    uids = sorted(rule["uid"] for rule in group["rules"])
    assert len(uids) == len(set(uids)) == 3 and "mm-no-orders-acme-eu" in uids


def test_a_runbook_base_url_without_trailing_slash_links_the_same_runbook(small: Path, cli: Build) -> None:
    edit(small / "dashgen.yaml", "runbook_base_url: https://runbooks.example.com/small/",
         "runbook_base_url: https://runbooks.example.com/small")
    group = json.loads((built(cli, small) / "alerting/rule-groups/orders.json").read_text())
    assert group["rules"][0]["annotations"]["runbook_url"] == "https://runbooks.example.com/small/no-orders"


def test_rule_uids_start_with_the_configured_prefix_or_dashgen(small: Path, cli: Build) -> None:
    edit(small / "dashgen.yaml", "  rule_uid_prefix: mm\n", "")
    group = json.loads((built(cli, small) / "alerting/rule-groups/orders.json").read_text())
    assert [rule["uid"] for rule in group["rules"]] == ["dashgen-no-orders"]


def test_per_client_overrides_need_the_client_label_of_metrics_yaml(small: Path, cli: Build) -> None:
    edit(small / "metrics.yaml", "client_label: client\n", "")
    edit(small / "dashgen.yaml", "    defaults: {orders_max: 30.0}\n",
         "    defaults: {orders_max: 30.0}\n    clients:\n      acme: {orders_max: 5}\n")
    line = (small / "dashgen.yaml").read_text().splitlines().index("      acme: {orders_max: 5}") + 1
    assert refused(cli, small) == (f"dashgen: error: dashgen.yaml:{line}: alerting.thresholds.clients: per-client "
                                   "overrides split the rules on the label that names the client: set "
                                   "`client_label: <label>` in metrics.yaml")


def window(root: Path, text: str) -> int:
    """Set the mute timing alerting.mute_timings.low-liquidity; returns its line in dashgen.yaml."""
    edit(root / "dashgen.yaml", '    low-liquidity: {times: ["00:00-06:00"], location: UTC}\n',
         f"    low-liquidity: {text}\n")
    return (root / "dashgen.yaml").read_text().splitlines().index(f"    low-liquidity: {text}") + 1


WINDOW = "alerting.mute_timings.low-liquidity"


@pytest.mark.parametrize(("text", "message"), [
    ("{location: Europe/Londn}", f"{WINDOW}.location: unknown time zone 'Europe/Londn' (did you mean "
     "Europe/London?); names are IANA's, e.g. Europe/London, America/New_York or UTC"),
    ("{location: utc}", f"{WINDOW}.location: unknown time zone 'utc' (did you mean UTC?); names are IANA's, e.g. "
     "Europe/London, America/New_York or UTC"),
    ("{location: Local}", f"{WINDOW}.location: 'Local' is the Grafana server's own time zone, which the code "
     "cannot know: name the zone, e.g. Europe/London or UTC"),
    ('{times: ["25:00-06:00"]}', f"{WINDOW}.times: '25:00-06:00': expected HH:MM-HH:MM with times from 00:00 to "
     "24:00, e.g. 00:00-06:00"),
    ('{times: ["6:00-9:00"]}', f"{WINDOW}.times: '6:00-9:00': expected HH:MM-HH:MM with times from 00:00 to "
     "24:00, e.g. 00:00-06:00"),
    ('{times: ["06:00-06:00"]}', f"{WINDOW}.times: '06:00-06:00' starts where it ends: a whole day is 00:00-24:00"),
    ('{times: ["24:00-02:00"]}', f"{WINDOW}.times: '24:00-02:00': a range starts at 23:59 at the latest (write "
     "00:00-02:00)"),
    ("{times: []}", f"{WINDOW}.times: an empty window mutes at every moment: give times (e.g. 00:00-06:00) or days"),
    ("{weekdays: [sundy]}", f"{WINDOW}.weekdays: 'sundy' is not a weekday (did you mean sunday?)"),
    ("{months: [13]}", f"{WINDOW}.months: '13' is not a month"),
    ("{days_of_month: [0]}", f"{WINDOW}.days_of_month: 0: 0 is not a day of the month (1 to 31, or -1 for the "
     "last day)"),
    ('{days_of_month: ["-3:5"]}', f"{WINDOW}.days_of_month: '-3:5': a range that starts counting from the month's "
     "end must end so too"),
    ('{days_of_month: ["25:5"]}', f"{WINDOW}.days_of_month: '25:5': ends before it starts (write two ranges, e.g. "
     "'25:-1' and '1:5')"),
    ('{years: ["2026:2025"]}', f"{WINDOW}.years: '2026:2025': expected a year or a range of years such as "
     "2025:2026"),
])
def test_mute_timings_grafana_would_refuse_are_refused_naming_the_line(small: Path, cli: Build, text: str,
                                                                       message: str) -> None:
    line = window(small, text)
    assert refused(cli, small) == f"dashgen: error: dashgen.yaml:{line}: {message}"


@pytest.mark.parametrize(("text", "interval"), [
    ('{times: ["22:00-02:00"], location: Europe/London}',
     {"times": [{"start_time": "22:00", "end_time": "24:00"}, {"start_time": "00:00", "end_time": "02:00"}],
      "location": "Europe/London"}),
    ('{times: ["22:00-00:00", "00:00-24:00"]}',
     {"times": [{"start_time": "22:00", "end_time": "24:00"}, {"start_time": "00:00", "end_time": "24:00"}],
      "location": "UTC"}),
    ('{times: [], weekdays: [saturday:sunday, Monday], months: [november:february, 5], days_of_month: ["-7:-1", 1],'
     ' years: ["2025:2026"]}',
     {"weekdays": ["saturday", "sunday", "monday"], "days_of_month": ["-7:-1", "1"], "months": ["11:12", "1:2", "5"],
      "years": ["2025:2026"], "location": "UTC"}),
])
def test_a_window_across_midnight_or_the_weekend_is_split_as_alertmanager_reads_it(
        small: Path, cli: Build, text: str, interval: dict[str, object]) -> None:
    window(small, text)
    (mute,) = json.loads((built(cli, small) / "alerting/mute-timings.json").read_text())
    assert mute == {"name": "dashgen-low-liquidity", "time_intervals": [interval]}


def test_a_contact_point_type_typo_names_the_key(small: Path, cli: Build) -> None:
    edit(small / "dashgen.yaml", "{type: slack,", "{type: slak,")
    line = next(i for i, text in enumerate((small / "dashgen.yaml").read_text().splitlines(), 1) if "slak" in text)
    assert refused(cli, small) == (f"dashgen: error: dashgen.yaml:{line}: alerting.contact_points.slack.type: "
                                   "expected one of slack, pagerduty, webhook; got 'slak'")
