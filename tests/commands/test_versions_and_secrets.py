"""Version differences of the contract (11.2, 11.4, 13), and the token never leaking anywhere."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from ..conftest import CliResult
from ..factories import edit, small_project
from ..grafana_double import TOKEN, GrafanaDouble


@pytest.fixture
def project_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli):  # type: ignore[no-untyped-def]
    """project_for(double, name, read_s, api): runs dashgen on a new small project (no alerting) aimed at `double`."""
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)

    def make(double: GrafanaDouble, name: str = "p", read_s: float = 2.0, api: str = "auto"):  # type: ignore[no-untyped-def]
        root = small_project(tmp_path / name, double.url, alerting=False, api=api)
        edit(root / "dashgen.yaml", "read_s: 2}", f"read_s: {read_s}}}")
        return lambda *args: cli("--project", str(root), *args)

    return make


def test_grafana_11_2_refuses_a_second_title_in_the_folder_and_dashgen_says_why(project_for) -> None:  # type: ignore[no-untyped-def]
    with GrafanaDouble(version="11.2.0") as grafana:
        grafana.store.create_folder({"uid": "small-folder", "title": "Small"})
        grafana.store.save_dashboard({"dashboard": {"uid": "hand-made", "title": "Small Board"},
                                      "folderUid": "small-folder"}, user="bob")
        result = project_for(grafana)("apply", "--yes")
        assert result.code == 2
        assert "412 A dashboard with the same name in the folder already exists" in result.out
        assert "Grafana <= 11.2 allows one title per folder" in result.out
        # never `overwrite: true`, which would silently replace bob's dashboard on 11.2
        assert grafana.store.dashboards["hand-made"].history[-1].created_by == "bob"


@pytest.mark.parametrize(("api", "write"), [("auto", ("PUT", "/apis/dashboard.grafana.app/v1/")),
                                            ("legacy", ("POST", "/api/dashboards/db"))])
def test_grafana_13_conflict_409_during_apply_is_reported_as_a_conflict(project_for, api: str,  # type: ignore[no-untyped-def]
                                                                        write: tuple[str, str]) -> None:
    with GrafanaDouble(version="13.0.0") as grafana:
        run = project_for(grafana, api=api)
        assert run("apply", "--yes").code == 0

        def bob_saves() -> None:  # through the API dashgen uses; the board stays in the classic schema
            stored = grafana.store.dashboards["small"]
            if api == "legacy":
                status, _ = grafana.store.save_dashboard({"dashboard": {**stored.data, "refresh": "1m"},
                                                          "overwrite": True, "folderUid": stored.folder_uid}, "bob")
            else:
                metadata = {"name": "small", "annotations": {**stored.annotations,
                                                               "grafana.app/folder": str(stored.folder_uid)}}
                status, _ = grafana.apis.update_dashboards("v1", "small", {
                    "metadata": metadata, "spec": {**stored.data, "refresh": "1m"}}, {})
            assert status == 200

        bob_saves()
        # bob saves again between dashgen's read and its write: 13 answers 409 (a stale resourceVersion on /apis,
        # a stale version on the legacy API), not 412
        grafana.before(*write, action=bob_saves)
        result: CliResult = run("apply", "--yes", "--force")
        assert result.code == 2
        assert re.search(r"FAILED  change dashboard small \(Small Board\): (PUT|POST) /api\S*: 409 .*"
                         r"\(someone changed it in Grafana since dashgen read it: run `dashgen diff` and apply again\)",
                         result.out), result.out
        assert "{" not in result.out.split("FAILED")[1].splitlines()[0]  # the message, never the Status object
        assert grafana.store.dashboards["small"].data["refresh"] == "1m"  # their edit was not overwritten


def test_the_token_never_appears_in_output_logs_or_backups(project_for, caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG)
    outputs: list[str] = []
    with GrafanaDouble() as grafana:
        run = project_for(grafana, read_s=0.3)
        for args in (("apply", "--yes"), ("diff",), ("diff", "--output", "json"), ("pull", "--out-dir", "pulled")):
            result = run(*args)
            outputs += [result.out, result.err]
        grafana.ui_edit("small", lambda d: d.update(title="x"))
        grafana.inject(path="/api/dashboards/db", status=502, body=f"<html>upstream said {len(TOKEN)}</html>")
        grafana.inject(path="/api/search", delay_s=0.5, times=1)
        grafana.inject(path="/api/folders/small-folder", reset=True)
        for args in (("apply", "--yes"), ("apply", "--yes", "--force"), ("apply", "--yes", "--force", "--prune")):
            result = run(*args)
            outputs += [result.out, result.err]
    assert any("FAILED" in text for text in outputs)  # the failure paths really ran
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(".dashgen/backups" in str(p) for p in files)
    for text in [*outputs, caplog.text, *(p.read_text(errors="replace") for p in files)]:
        assert TOKEN not in text
        assert TOKEN[5:20] not in text
