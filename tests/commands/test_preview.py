"""`dashgen preview` as a user runs it: the page is written whatever the data (the note says why there is none),
the output directory is replaced as a whole and never one dashgen did not write, --base names a git ref (a bad
one is exit 2 naming it, before any build), without a browser or with one that fails or hangs the PNGs are
skipped with a note, not a failure, and a --prometheus URL's password is never printed nor written."""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import pytest

from dashgen.commands import preview as command
from dashgen.outputs import MARKER
from dashgen.preview import png
from dashgen.preview.local import free_port

from ..factories import edit, small_project
from ..preview.test_prometheus import FakePrometheus

GIT = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"]


def _repo(root: Path) -> Path:
    subprocess.run([*GIT, "init", "-q", str(root)], check=True)
    subprocess.run([*GIT, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(root), "commit", "-qm", "base"], check=True)
    return root


@pytest.fixture(autouse=True)
def no_local_prometheus(monkeypatch: pytest.MonkeyPatch) -> None:
    """No synthetic desk here (the data step has its own tests, and the e2e tier runs it for real)."""
    from dashgen.preview import local

    monkeypatch.setattr(local, "available", lambda: False)


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(png.ENV, raising=False)
    monkeypatch.setattr(png, "BROWSERS", ("dashgen-test-no-such-browser",))


def test_without_a_data_source_the_page_is_the_layout_with_a_note(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "p")
    result = cli("preview", "--project", str(root))
    assert result.code == 0, result.err
    page = root / "build/preview/index.html"
    assert result.out.splitlines() == [f"wrote {page}"]
    assert "no data source" in result.err
    text = page.read_text()
    assert 'id="dg-note">no data source:' in text and "Small Board" in text
    assert sorted(p.name for p in (root / "build/preview").iterdir()) == [MARKER, "index.html"]
    assert cli("preview", "--project", str(root)).code == 0  # its own output is replaced


def test_a_directory_dashgen_did_not_write_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "p")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    result = cli("preview", "--project", str(root), "--out-dir", str(mine))
    assert result.code == 2 and "refusing to replace it" in result.err
    assert (mine / "notes.txt").read_text() == "keep"


def test_a_bad_base_ref_is_exit_2_naming_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = _repo(small_project(tmp_path / "p"))
    result = cli("preview", "--project", str(root), "--base", "no-such-ref")
    assert result.code == 2
    assert result.err.strip().splitlines()[-1].startswith("dashgen: error: --base no-such-ref: no such commit")


def test_changed_panels_since_base_are_outlined_and_pngs_skipped_without_a_browser(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path, no_browser: None) -> None:
    root = _repo(small_project(tmp_path / "p"))
    edit(root / "panels/prices.py", 'unit="short"', 'unit="percent"')
    result = cli("preview", "--project", str(root), "--base", "HEAD", "--out-dir", str(tmp_path / "out"))
    assert result.code == 0, result.err
    assert "1 panel(s) changed since HEAD" in result.out
    assert "PNG(s) of the changed panels were skipped" in result.err and png.ENV in result.err
    page = (tmp_path / "out/index.html").read_text()
    assert page.count('data-changed="true" data-reason="unit changed"') == 1
    assert not (tmp_path / "out/panels").exists()


def test_a_base_without_the_project_is_exit_2_saying_so(cli, tmp_path: Path, no_browser: None) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repo"
    (repo / "other").mkdir(parents=True)
    (repo / "other/readme").write_text("x")
    _repo(repo)
    root = small_project(repo / "p")
    result = cli("preview", "--project", str(root), "--base", "HEAD", "--out-dir", str(tmp_path / "out"))
    assert result.code == 2
    assert result.err == "dashgen: error: at HEAD: no p in that commit: the project did not exist there\n"
    assert not (tmp_path / "out").exists()


def test_a_browser_named_in_the_environment_must_exist(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(small_project(tmp_path / "p"))
    edit(root / "panels/prices.py", 'unit="short"', 'unit="percent"')
    monkeypatch.setenv(png.ENV, str(tmp_path / "nothing-here"))
    result = cli("preview", "--project", str(root), "--base", "HEAD")
    assert result.code == 2 and f"${png.ENV} is" in result.err


def test_file_names_of_the_pictures() -> None:
    assert png.Shot(7, "Spread vs target & band", 100, 50).name == "panel-7-spread-vs-target-band.png"
    assert png.Shot(8, "<>", 100, 50).name == "panel-8-panel.png"


def test_a_bad_base_ref_is_told_before_the_working_tree_is_compiled(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(small_project(tmp_path / "p"))

    def never(*_: object, **__: object) -> None:
        raise AssertionError("compiled before the ref was resolved")

    monkeypatch.setattr(command, "compile_project", never)
    result = cli("preview", "--project", str(root), "--base", "no-such-ref")
    assert result.code == 2, result.err
    assert result.err.startswith("dashgen: error: --base no-such-ref: no such commit")


def _browser(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-chromium"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


def _changed(tmp_path: Path) -> Path:
    root = _repo(small_project(tmp_path / "p"))
    edit(root / "panels/prices.py", 'unit="short"', 'unit="percent"')
    return root


def test_a_browser_that_fails_still_writes_the_page(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = _changed(tmp_path)
    monkeypatch.setenv(png.ENV, str(_browser(tmp_path, 'echo "crashed: no display" >&2; exit 1')))
    result = cli("preview", "--project", str(root), "--base", "HEAD", "--out-dir", str(tmp_path / "out"))
    assert result.code == 0, result.err
    [note] = [line for line in result.err.splitlines() if "PNGs" in line]
    assert note.startswith("dashgen: note: the PNGs of the changed panels were not written: ")
    assert note.endswith("crashed: no display")
    assert (tmp_path / "out/index.html").is_file() and not (tmp_path / "out/panels").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("dashgen-preview-")]  # its page removed


@pytest.mark.slow  # waits out a (shortened) timeout
def test_a_browser_that_hangs_is_killed_with_its_helpers(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = _changed(tmp_path)
    pids = tmp_path / "pids"
    # a helper that keeps the browser's output open, as Chromium's zygote does, and the browser itself hanging
    monkeypatch.setenv(png.ENV, str(_browser(tmp_path, f"sleep 300 & echo $! >> {pids}; echo $$ >> {pids}; "
                                                       "sleep 300")))
    monkeypatch.setattr(png, "TIMEOUT_S", 1)
    result = cli("preview", "--project", str(root), "--base", "HEAD", "--out-dir", str(tmp_path / "out"))
    assert result.code == 0, result.err
    assert "dashgen: note: the PNGs of the changed panels were not written: " in result.err
    assert "took more than 1 s" in result.err
    assert (tmp_path / "out/index.html").is_file()
    for pid in map(int, pids.read_text().split()):
        assert _gone(pid), pid  # killed: the browser reaped, its orphaned helper at most a zombie for init


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def test_the_browser_page_is_written_beside_the_output_not_in_tmp(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = _changed(tmp_path)
    seen = tmp_path / "seen"
    monkeypatch.setenv(png.ENV, str(_browser(tmp_path, f'for a in "$@"; do echo "$a"; done > {seen}; exit 1')))
    assert cli("preview", "--project", str(root), "--base", "HEAD", "--out-dir", str(tmp_path / "out")).code == 0
    [page] = [line for line in seen.read_text().splitlines() if line.startswith("file://")]
    assert page.startswith((tmp_path / "dashgen-preview-").as_uri())
    assert ("--no-sandbox" in seen.read_text().splitlines()) == (os.geteuid() == 0)


def test_a_password_in_the_prometheus_url_is_never_printed_nor_written(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "p")
    password = "s3cretPW"
    unreachable = cli("preview", "--project", str(root), "--prometheus",
                      f"http://admin:{password}@127.0.0.1:{free_port()}/")
    assert unreachable.code == 2 and "cannot reach Prometheus at http://127.0.0.1:" in unreachable.err
    assert password not in unreachable.out + unreachable.err
    with FakePrometheus() as fake:
        fake.auth = "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()
        host = fake.url.removeprefix("http://")
        result = cli("preview", "--project", str(root), "--prometheus", f"http://admin:{password}@{host}/")
    assert result.code == 0, result.err
    assert password not in result.out + result.err
    page = (root / "build/preview/index.html").read_text()
    assert f"Data: Prometheus {fake.url} (2.99.0)" in page and password not in page
