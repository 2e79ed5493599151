"""The client against the double over real HTTP: auth, retries, backoff, errors with hints, no token leaks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashgen.grafana.client import GrafanaClient, parse_version
from dashgen.grafana.errors import GrafanaError
from dashgen.grafana.settings import ClientSettings, Credentials

from ..grafana_double import TOKEN, GrafanaDouble


@pytest.fixture
def grafana() -> Iterator[GrafanaDouble]:
    with GrafanaDouble() as double:
        yield double


def make_client(url: str, *, token: str = TOKEN, attempts: int = 3, read_timeout: float = 2.0,
                sleeps: list[float] | None = None, org_id: int = 1) -> GrafanaClient:
    settings = ClientSettings(env_name="test", base_url=url, org_id=org_id,
                              credentials=Credentials("$GRAFANA_TOKEN", token=token), verify=True,
                              connect_timeout_s=1.0, read_timeout_s=read_timeout, attempts=attempts,
                              backoff_s=0.01, max_wait_s=30.0)
    record = sleeps if sleeps is not None else []
    return GrafanaClient(settings, sleep=record.append)


def test_health_reads_the_version_once(grafana: GrafanaDouble) -> None:
    client = make_client(grafana.url)
    assert client.info().version == (11, 6, 0)
    assert grafana.count("GET", "/api/health") == 1


def test_hidden_version_is_unknown_not_an_error() -> None:
    with GrafanaDouble(hide_version=True) as double:
        info = make_client(double.url).info()
    assert info.version is None and info.version_text is None


def test_parse_version() -> None:
    assert parse_version("11.2.0") == (11, 2, 0)
    assert parse_version("12.1.0-pre") == (12, 1, 0)
    assert parse_version(None) is None and parse_version("dev") is None


def test_token_and_org_headers_are_sent(grafana: GrafanaDouble) -> None:
    assert make_client(grafana.url).get("/api/search", params={"type": "dash-db"}, shape=list) == []
    with pytest.raises(GrafanaError) as caught:
        make_client(grafana.url, org_id=2).get("/api/search")
    assert caught.value.status == 401 and "another organisation" in str(caught.value)


def test_bad_token_is_a_401_with_a_hint_naming_the_variable_not_the_token(grafana: GrafanaDouble) -> None:
    with pytest.raises(GrafanaError) as caught:
        make_client(grafana.url, token="glsa_wrong_secret_value").get("/api/folders")
    text = str(caught.value)
    assert text == "GET /api/folders: 401 Invalid API key (check the token in $GRAFANA_TOKEN)"
    assert "glsa_wrong_secret_value" not in text and "\n" not in text


def test_403_names_the_permission_grafana_asks_for(grafana: GrafanaDouble) -> None:
    grafana.deny("POST", "/api/folders", "folders:create")
    with pytest.raises(GrafanaError) as caught:
        make_client(grafana.url).request("POST", "/api/folders", body={"uid": "f", "title": "F"})
    assert str(caught.value).endswith("(the service account needs the permission folders:create)")


def test_503_on_get_is_retried_with_backoff(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/folders", status=503, body={"message": "busy"}, times=2)
    sleeps: list[float] = []
    assert make_client(grafana.url, sleeps=sleeps).get("/api/folders", shape=list) == []
    assert grafana.count("GET", "/api/folders") == 3
    assert len(sleeps) == 2 and all(0 <= s <= 0.02 for s in sleeps)


def test_retries_give_up_after_the_configured_attempts(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/folders", status=504, body="<html>Gateway Timeout</html>", times=10)
    with pytest.raises(GrafanaError) as caught:
        make_client(grafana.url, attempts=3).get("/api/folders")
    assert str(caught.value) == ("GET /api/folders: 504 text/html: 'Gateway Timeout' "
                                 "(Grafana failed; its server log has the details)")
    assert grafana.count("GET", "/api/folders") == 3


def test_post_is_not_retried_on_5xx(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/folders", method="POST", status=502, body="bad gateway", times=5)
    with pytest.raises(GrafanaError) as caught:
        make_client(grafana.url).request("POST", "/api/folders", body={"uid": "f", "title": "F"})
    assert caught.value.status == 502
    assert grafana.count("POST", "/api/folders") == 1


def test_429_honours_retry_after_for_any_method(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/folders", method="POST", status=429, body={"message": "too many"},
                   headers={"Retry-After": "7"})
    sleeps: list[float] = []
    make_client(grafana.url, sleeps=sleeps).request("POST", "/api/folders", body={"uid": "f", "title": "F"})
    assert sleeps == [7.0]
    assert grafana.store.folders["f"].title == "F"


def test_connection_reset_is_retried_for_get_and_reported_for_post(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/folders", method="GET", reset=True)
    assert make_client(grafana.url).get("/api/folders", shape=list) == []
    grafana.inject(path="/api/folders", method="POST", reset=True)
    with pytest.raises(GrafanaError) as caught:
        make_client(grafana.url).request("POST", "/api/folders", body={"uid": "f", "title": "F"})
    assert str(caught.value).startswith(f"POST /api/folders: cannot reach Grafana at {grafana.url}: ")
    assert "\n" not in str(caught.value)


def test_a_response_slower_than_the_read_timeout_is_retried_then_reported(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/search", delay_s=0.3, times=5)
    with pytest.raises(GrafanaError) as caught:
        make_client(grafana.url, attempts=2, read_timeout=0.1).get("/api/search")
    assert str(caught.value) == (f"GET /api/search: cannot reach Grafana at {grafana.url}: "
                                 "no response within 0.1s after 2 attempts")


def test_empty_404_body_and_missing_ok(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/folders/nope", status=404, body=None)
    client = make_client(grafana.url)
    with pytest.raises(GrafanaError) as caught:
        client.get("/api/folders/nope")
    assert str(caught.value) == "GET /api/folders/nope: 404 (empty body)"
    assert client.get("/api/folders/nope", missing_ok=True) is None


def test_unreachable_grafana_is_one_line() -> None:
    client = make_client("http://127.0.0.1:9", attempts=2)
    with pytest.raises(GrafanaError) as caught:
        client.info()
    assert str(caught.value) == ("GET /api/health: cannot reach Grafana at http://127.0.0.1:9: connection refused "
                                 "after 2 attempts")


def test_database_failing_is_an_error() -> None:
    with GrafanaDouble() as double:
        double.inject(path="/api/health", status=503, body={"database": "failing", "commit": "x"})
        with pytest.raises(GrafanaError, match="database failing"):
            make_client(double.url, attempts=1).info()


def test_settings_repr_never_shows_secrets() -> None:
    credentials = Credentials("$GRAFANA_TOKEN", token=TOKEN, basic=("user", "hunter2"))
    assert TOKEN not in repr(credentials) and "hunter2" not in repr(credentials)


# ------------------------------------------------------------------ answers that are not Grafana's JSON
LOGIN = "<!DOCTYPE html><html><head><title>Sign in</title><script>var x=1;</script></head><body>" + "x" * 5000


@pytest.mark.parametrize("path", ["/api/search", "/api/folders/f", "/api/health"])
def test_an_html_200_is_an_error_naming_the_url_and_what_came_back_never_empty(grafana: GrafanaDouble,
                                                                                 path: str) -> None:
    grafana.inject(path=path, status=200, body=LOGIN, times=5)
    client = make_client(grafana.url)
    with pytest.raises(GrafanaError) as caught:
        client.info() if path == "/api/health" else client.get(path, shape=list if "search" in path else dict)
    text = str(caught.value)
    assert f"{grafana.url}{path}" in text and "text/html: 'Sign in'" in text
    assert "<" not in text and "var x" not in text and "\n" not in text and len(text) < 300


def test_a_redirect_to_a_login_page_is_an_error_not_followed(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/search", status=302, body=None, headers={"Location": "https://sso.corp/login?rd=x"})
    with pytest.raises(GrafanaError) as caught:
        make_client(grafana.url).get("/api/search", shape=list)
    assert "302 redirected to https://sso.corp/login" in str(caught.value)
    assert grafana.count("GET", "/api/search") == 1


def test_json_of_the_wrong_shape_is_an_error(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/search", status=200, body={"message": "ok"})
    with pytest.raises(GrafanaError) as caught:
        make_client(grafana.url).get("/api/search", shape=list)
    assert "expected a JSON list from Grafana, got JSON dict" in str(caught.value)


def test_an_empty_200_to_a_get_is_an_error(grafana: GrafanaDouble) -> None:
    grafana.inject(path="/api/folders/f", status=200, body=None)
    with pytest.raises(GrafanaError, match="expected a JSON body"):
        make_client(grafana.url).get("/api/folders/f")


def test_search_pages_until_a_short_page_and_never_asks_above_5000(grafana: GrafanaDouble) -> None:
    client = make_client(grafana.url)
    for n in range(7):
        client.request("POST", "/api/dashboards/db", body={"dashboard": {"uid": f"d{n}", "title": f"D{n}",
                                                                         "tags": ["t"]}})
    assert len(client.paged("/api/search", {"type": "dash-db", "tag": "t"}, limit=3)) == 7
    assert grafana.count("GET", "/api/search") == 3  # 3 + 3 + 1
    grafana.reset_counts()
    assert len(client.paged("/api/search", {"type": "dash-db", "tag": "t"})) == 7
    assert [(q["limit"], q["page"]) for _, _, q in grafana.queries] == [(["5000"], ["1"])]  # the most it may ask
    with pytest.raises(GrafanaError, match="422"):
        client.get("/api/search", params={"limit": 5001}, shape=list)
