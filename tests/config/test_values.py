"""Values in dashgen.yaml that Grafana would refuse or misread are refused at load time, one line naming the
file, line and key; unusual but legitimate YAML (merge keys, a BOM, `1e3`) simply works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashgen.config import load_config
from dashgen.errors import DashgenError

from ..factories import edit, small_project

BOARD = """\
board:
  uid: b
  title: Board
  folder: {uid: f, title: F}
  refresh: 30s
  time_from: now-6h
  timezone: utc
  tags: [desk]
environments:
  prod: {url: https://grafana.example.com, token_env: GRAFANA_TOKEN, datasource_uid: prom}
alerting:
  runbook_base_url: https://runbooks.example.com/
  contact_points: {slack: {type: slack, webhook_url_env: SLACK_URL}}
  thresholds:
    defaults: {orders_max: 30, drift: 0.15}
    clients:
      acme: {orders_max: 60}
"""

REFUSED = [
    ("nan default", ("orders_max: 30,", "orders_max: .nan,"),
     "dashgen.yaml:15: alerting.thresholds.defaults.orders_max: expected a finite number, got .nan"),
    ("inf default", ("drift: 0.15}", "drift: .inf}"),
     "dashgen.yaml:15: alerting.thresholds.defaults.drift: expected a finite number, got .inf"),
    ("-inf override", ("acme: {orders_max: 60}", "acme: {orders_max: -.inf}"),
     "dashgen.yaml:17: alerting.thresholds.clients.acme.orders_max: expected a finite number, got -.inf"),
    ("overflowing float", ("drift: 0.15}", "drift: 1.0e+400}"),
     "dashgen.yaml:15: alerting.thresholds.defaults.drift: expected a finite number, got 1.0e+400"),
    ("string threshold", ("acme: {orders_max: 60}", 'acme: {orders_max: "60"}'),
     "dashgen.yaml:17: alerting.thresholds.clients.acme.orders_max: expected a number, got '60'"),
    ("refresh 0s", ("refresh: 30s", "refresh: 0s"),
     "dashgen.yaml:5: board.refresh: 0s is below Grafana's minimum refresh interval (5s by default), which "
     'refuses the dashboard; write 5s or more, or "" for no auto-refresh'),
    ("refresh typo", ("refresh: 30s", "refresh: 30sec"),
     "dashgen.yaml:5: board.refresh: '30sec' is not a refresh interval: write a number and one unit "
     "(s, m, h, d, w, M, y) such as 30s or 1m, or \"\" for none; did you mean '30s'?"),
    ("refresh compound", ("refresh: 30s", "refresh: 1h30m"),
     "dashgen.yaml:5: board.refresh: '1h30m' is not a refresh interval: write a number and one unit "
     "(s, m, h, d, w, M, y) such as 30s or 1m, or \"\" for none; did you mean '90m'?"),
    ("time_from yesterday", ("time_from: now-6h", "time_from: yesterday"),
     "dashgen.yaml:6: board.time_from: 'yesterday' is not a Grafana time: write now, now-<n><unit> "
     "(units s m h d w M y), now/d or an ISO date such as 2024-01-31; did you mean 'now-1d/d'?"),
    ("time_from without now", ("time_from: now-6h", "time_from: 6h"),
     "dashgen.yaml:6: board.time_from: '6h' is not a Grafana time: write now, now-<n><unit> "
     "(units s m h d w M y), now/d or an ISO date such as 2024-01-31; did you mean 'now-6h'?"),
    ("time_from in the future", ("time_from: now-6h", "time_from: now+1h"),
     "dashgen.yaml:6: board.time_from: 'now+1h' is not before now, where the board's time range ends: "
     "write a past time such as now-6h"),
    ("timezone typo", ("timezone: utc", "timezone: Europe/Londn"),
     "dashgen.yaml:7: board.timezone: 'Europe/Londn' is not a time zone: write browser, utc or an IANA name "
     "such as Europe/London; did you mean 'Europe/London'?"),
    ("timezone case", ("timezone: utc", "timezone: europe/london"),
     "dashgen.yaml:7: board.timezone: 'europe/london' is not a time zone: write browser, utc or an IANA name "
     "such as Europe/London; did you mean 'Europe/London'?"),
    ("empty tag", ("tags: [desk]", 'tags: [desk, ""]'), "dashgen.yaml:8: board.tags: a tag is empty"),
    ("tag twice", ("tags: [desk]", "tags: [desk, desk]"), "dashgen.yaml:8: board.tags: tag 'desk' is listed twice"),
    ("long tag", ("tags: [desk]", f"tags: [{'x' * 51}]"),
     "dashgen.yaml:8: board.tags: tag 'xxxxxxxxxxxxxxxxxxxx'... is longer than 50 characters, which Grafana "
     "cannot store"),
    ("negative org_id", ("datasource_uid: prom}", "datasource_uid: prom, org_id: -1}"),
     "dashgen.yaml:10: environments.prod.org_id: must be greater than 0"),
    ("huge org_id", ("datasource_uid: prom}", "datasource_uid: prom, org_id: 99999999999999999999}"),
     "dashgen.yaml:10: environments.prod.org_id: 99999999999999999999 is out of range (at most "
     "9223372036854775807)"),
    ("huge timeout", ("datasource_uid: prom}", "datasource_uid: prom, timeouts: {read_s: 1e300}}"),
     "dashgen.yaml:10: environments.prod.timeouts.read_s: must be at most 3600 s"),
    ("huge attempts", ("datasource_uid: prom}", "datasource_uid: prom, retries: {attempts: 1000000}}"),
     "dashgen.yaml:10: environments.prod.retries.attempts: must be at most 100"),
    ("YAML 1.1 boolean", ("title: Board", "title: off"),
     "dashgen.yaml:3: board.title: expected a string, got off (YAML reads it as false: quote it)"),
    ("YAML date", ("time_from: now-6h", "time_from: 2024-01-31"),
     "dashgen.yaml:6: board.time_from: expected a string, got 2024-01-31 (YAML reads it as a date: quote it)"),
    ("unknown tag", ("title: Board", "title: !secret Board"),
     "dashgen.yaml:3: board.title: unsupported YAML tag !secret (remove it)"),
    ("a list for a mapping", ("folder: {uid: f, title: F}", "folder: [f, F]"),
     "dashgen.yaml:4: board.folder: expected a mapping, got a list"),
    ("duplicate nested key", ("acme: {orders_max: 60}", "acme: {orders_max: 60, orders_max: 70}"),
     "dashgen.yaml:17: alerting.thresholds.clients.acme.orders_max: duplicate key"),
    ("tab indent", ("  title: Board", "\ttitle: Board"),
     re.compile(r"dashgen\.yaml:3: invalid YAML: .*tab.*")),
    ("control character", ("title: Board", "title: Bo\x01ard"),
     "dashgen.yaml:3: invalid YAML: control character U+0001 is not allowed (remove it)"),
    ("second document", ("board:\n", "x: 1\n---\nboard:\n"),
     "dashgen.yaml:2: invalid YAML: expected a single document in the stream, but found another document"),
    ("empty token_env", ("token_env: GRAFANA_TOKEN", 'token_env: ""'),
     "dashgen.yaml:10: environments.prod.token_env: must not be empty: write the NAME of an environment variable"),
    ("merge into itself", ("  prod: {url:", "  prod: &p {<<: *p, url:"),
     "dashgen.yaml:10: environments.prod: `<<` merges a mapping into itself"),
    ("merge of a scalar", ("token_env: GRAFANA_TOKEN, datasource_uid: prom}",
                           "token_env: &t GRAFANA_TOKEN, datasource_uid: prom}\n  staging: {<<: *t}"),
     "dashgen.yaml:10: environments.staging: `<<` merges a mapping or a list of mappings (e.g. <<: *defaults)"),
]


def _load(tmp_path: Path, text: str | bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / "dashgen.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return load_config(tmp_path)


def test_the_base_config_loads(tmp_path: Path) -> None:
    config = _load(tmp_path, BOARD)
    assert (config.board.refresh, config.board.time_from, config.board.timezone) == ("30s", "now-6h", "utc")


@pytest.mark.parametrize(("edit", "message"), [(e, m) for _, e, m in REFUSED], ids=[c for c, _, _ in REFUSED])
def test_values_grafana_cannot_use_are_refused_naming_line_and_key(
    tmp_path: Path, edit: tuple[str, str], message: str | re.Pattern[str]
) -> None:
    old, new = edit
    assert old in BOARD
    with pytest.raises(DashgenError) as caught:
        _load(tmp_path, BOARD.replace(old, new, 1))
    if isinstance(message, re.Pattern):
        assert message.fullmatch(str(caught.value)), str(caught.value)
    else:
        assert str(caught.value) == message


ACCEPTED = [
    ("no auto-refresh", ("refresh: 30s", 'refresh: ""'), lambda c: c.board.refresh == ""),
    ("auto refresh", ("refresh: 30s", "refresh: auto"), lambda c: c.board.refresh == "auto"),
    ("refresh in days", ("refresh: 30s", "refresh: 1d"), lambda c: c.board.refresh == "1d"),
    ("rounded time_from", ("time_from: now-6h", "time_from: now-7d/d"), lambda c: c.board.time_from == "now-7d/d"),
    ("today so far", ("time_from: now-6h", "time_from: now/d"), lambda c: c.board.time_from == "now/d"),
    ("absolute time_from", ("time_from: now-6h", "time_from: '2024-01-31T08:00:00Z'"),
     lambda c: c.board.time_from == "2024-01-31T08:00:00Z"),
    ("browser time zone", ("timezone: utc", "timezone: browser"), lambda c: c.board.timezone == "browser"),
    ("IANA time zone", ("timezone: utc", "timezone: America/New_York"),
     lambda c: c.board.timezone == "America/New_York"),
    ("exponent without a dot", ("drift: 0.15}", "drift: 15e-2}"),
     lambda c: c.alerting.thresholds.defaults["drift"] == 0.15),
    ("integer threshold", ("orders_max: 30,", "orders_max: 30,"),
     lambda c: c.alerting.thresholds.defaults["orders_max"] == 30.0),
    ("merge key", ("environments:\n  prod: {url:", "environments:\n  prod: &prod {url:"),
     lambda c: c.environments["prod"].datasource_uid == "prom"),
]


@pytest.mark.parametrize(("edit", "holds"), [(e, h) for _, e, h in ACCEPTED], ids=[c for c, _, _ in ACCEPTED])
def test_legitimate_values_load(tmp_path: Path, edit: tuple[str, str], holds) -> None:  # type: ignore[no-untyped-def]
    old, new = edit
    assert old in BOARD
    assert holds(_load(tmp_path, BOARD.replace(old, new, 1)))


def test_merge_keys_share_settings_and_keys_beside_them_override(tmp_path: Path) -> None:
    text = BOARD.replace(
        "  prod: {url: https://grafana.example.com, token_env: GRAFANA_TOKEN, datasource_uid: prom}\n",
        "  prod: &prod {url: https://grafana.example.com, token_env: GRAFANA_TOKEN, datasource_uid: prom,\n"
        "               timeouts: {read_s: 10}}\n"
        "  staging:\n    <<: *prod\n    url: https://staging.example.com\n    datasource_uid: prom-staging\n",
    )
    config = _load(tmp_path, text)
    staging = config.environments["staging"]
    assert (staging.url, staging.datasource_uid, staging.token_env, staging.timeouts.read_s) == (
        "https://staging.example.com", "prom-staging", "GRAFANA_TOKEN", 10.0)
    assert config.environments["prod"].url == "https://grafana.example.com"


def test_of_several_merged_mappings_the_first_wins(tmp_path: Path) -> None:
    text = BOARD.replace("  prod: {url:", "  prod: {<<: [{org_id: 2}, {org_id: 3, api: legacy}], url:")
    prod = _load(tmp_path, text).environments["prod"]
    assert (prod.org_id, prod.api) == (2, "legacy")


def test_merged_keys_are_checked_where_they_are_merged(tmp_path: Path) -> None:
    text = BOARD.replace(
        "  prod: {url:", "  prod: &prod {url:").replace(
        "alerting:\n", "  staging: {<<: *prod, basic_auth: {user_env: U, password_env: P}}\nalerting:\n")
    with pytest.raises(DashgenError) as caught:
        _load(tmp_path, text)
    assert str(caught.value) == ("dashgen.yaml:10: environments.staging.token_env: give exactly one of token_env "
                                 "(service-account token) or basic_auth")


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert _load(tmp_path, b"\xef\xbb\xbf" + BOARD.encode()).board.uid == "b"


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfe" + BOARD.encode(), "dashgen.yaml:1: starts with a UTF-16 byte order mark: save the file as UTF-8"),
    (BOARD.encode("utf-16"), "dashgen.yaml:1: starts with a UTF-16 byte order mark: save the file as UTF-8"),
    (BOARD.replace("title: Board", "title: Caf\xe9").encode("latin-1"),
     "dashgen.yaml:3: not UTF-8: byte 0xe9 at offset 28 (invalid continuation byte); save the file as UTF-8"),
    (BOARD.encode() + b"# \xff\n", "dashgen.yaml:18: not UTF-8: byte 0xff at offset 462 (invalid start byte); "
     "save the file as UTF-8"),
], ids=["utf-16 mark before utf-8", "utf-16", "latin-1", "stray byte"])
def test_a_config_that_is_not_utf8_is_one_line_naming_file_and_line(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(DashgenError) as caught:
        _load(tmp_path, data)
    assert str(caught.value) == message


@pytest.mark.parametrize("file", ["dashgen.yaml", "metrics.yaml"])
def test_cli_refuses_a_file_that_is_not_utf8_with_exit_2_and_writes_nothing(cli, tmp_path: Path, file: str) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "p", "http://127.0.0.1:1")
    path = root / file
    path.write_bytes(b"\xff\xfe" + path.read_bytes())
    result = cli("--project", str(root), "build", "--out-dir", str(tmp_path / "out"))
    assert (result.code, result.err) == (2, f"dashgen: error: {file}:1: starts with a UTF-16 byte order mark: "
                                             "save the file as UTF-8\n")
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_nan_threshold_with_exit_2_and_writes_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "p", "http://127.0.0.1:1")
    edit(root / "dashgen.yaml", "orders_max: 30.0", "orders_max: .nan")
    result = cli("--project", str(root), "build", "--out-dir", str(tmp_path / "out"))
    assert (result.code, result.err) == (2, "dashgen: error: dashgen.yaml:19: alerting.thresholds.defaults."
                                            "orders_max: expected a finite number, got .nan\n")
    assert not (tmp_path / "out").exists()
