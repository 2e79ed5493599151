"""What build and pull leave on disk: exactly this run's files (swapped in whole, the previous output intact on
an interruption), with the umask's permissions, never replacing a directory dashgen did not write, in the
project root wherever dashgen runs from; and diff/apply refusing a lint error before asking Grafana anything."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashgen.outputs import MARKER

from ..factories import SLACK_URL, edit, small_project
from ..grafana_double import TOKEN, GrafanaDouble


@pytest.fixture
def grafana(monkeypatch: pytest.MonkeyPatch) -> Iterator[GrafanaDouble]:
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)
    monkeypatch.setenv("SMALL_SLACK_URL", SLACK_URL)
    with GrafanaDouble() as double:
        yield double


@pytest.fixture
def root(tmp_path: Path, grafana: GrafanaDouble, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = small_project(tmp_path / "small", grafana.url)
    monkeypatch.chdir(project)
    return project


def tree(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): p.read_text() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_diff_and_apply_refuse_a_lint_error_before_any_request(cli, root: Path, grafana: GrafanaDouble) -> None:  # type: ignore[no-untyped-def]
    edit(root / "panels/prices.py", "avg({{ mm_mid_price }})", "avg({{ mm_mid_price }}")
    finding = ('panels/prices.py:4: Prices / Mid [A]: error DG101 promql-parse: unclosed left parenthesis: '
               'avg(mm_mid_price{client=~"$client"}')
    for args in (("diff",), ("apply", "--yes"), ("apply", "--dry-run")):
        result = cli(*args)
        assert (result.code, result.out) == (2, ""), args
        assert result.err.splitlines() == [finding, f"dashgen: error: {args[0]} refused: 1 lint error(s) above; "
                                           "Grafana was not contacted (fix them, or suppress one with a reason "
                                           "under lint.suppress in dashgen.yaml)"]
    assert grafana.log == []


def test_a_lint_warning_is_printed_and_apply_goes_on(cli, root: Path, grafana: GrafanaDouble) -> None:  # type: ignore[no-untyped-def]
    config = root / "dashgen.yaml"
    config.write_text(config.read_text() + "lint:\n  suppress:\n    - {rule: grid, location: 'X', reason: old}\n")
    result = cli("apply", "--yes")
    assert result.code == 0, result.err
    assert result.err.splitlines()[0].startswith("dashgen.yaml: lint.suppress[0]: warning DG001 unused-suppression")


@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.parametrize(("mask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_build_output_gets_the_umask_s_permissions(cli, root: Path, umask: None, mask: int, file_mode: int,  # type: ignore[no-untyped-def]
                                                    dir_mode: int) -> None:
    os.umask(mask)
    assert cli("build").code == 0
    out = root / "build"
    modes = {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")]}
    assert {m for name, m in modes.items() if (out / name).is_file()} == {file_mode}
    assert {m for name, m in modes.items() if (out / name).is_dir()} == {dir_mode}


def test_a_rebuild_holds_exactly_what_it_built(cli, root: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("build").code == 0
    first = tree(root / "build")
    assert "alerting/rule-groups/orders.json" in first and first[MARKER].startswith("Written by dashgen")
    edit(root / "alerts/rules.py", 'group="orders"', 'group="book"')
    assert cli("build").code == 0
    second = tree(root / "build")
    assert set(second) == set(first) - {"alerting/rule-groups/orders.json"} | {"alerting/rule-groups/book.json"}
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == []  # no staging or old copy left


def test_an_interrupted_build_leaves_the_previous_output(cli, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert cli("build").code == 0
    before = tree(root / "build")
    edit(root / "alerts/rules.py", 'group="orders"', 'group="book"')
    import dashgen.outputs as outputs

    real, written = outputs.write_text, []

    def interrupted(path: Path, text: str, **kwargs: int) -> Path:
        if len(written) == 3:
            raise KeyboardInterrupt
        written.append(path)
        return real(path, text, **kwargs)

    monkeypatch.setattr(outputs, "write_text", interrupted)
    assert cli("build").code == 130
    assert tree(root / "build") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(("prepare", "out", "message"), [
    (lambda r: (r / "docs").mkdir() or (r / "docs/notes.md").write_text("mine"), "docs",
     "docs is not empty and has no .dashgen-build marker, so dashgen did not write it: refusing to replace it "
     "(remove or empty it, or choose another output directory)"),
    (lambda r: (r / "build").mkdir() or (r / "build" / MARKER).write_text("") or (r / "build/notes.md").write_text(""),
     "build", "build/notes.md was not written by dashgen: refusing to replace build and delete it (move it away, or "
     "choose another output directory)"),
    (lambda r: None, ".", ". is the project directory: refusing to replace it with the output; choose an output "
     "directory of its own (e.g. build)"),
    (lambda r: None, "..", ".. holds the project directory: refusing to replace it with the output; choose an output "
     "directory of its own (e.g. build)"),
    (lambda r: (r / "out.txt").write_text("x"), "out.txt",
     "out.txt exists and is not a directory: refusing to replace it"),
])
def test_build_refuses_to_replace_what_it_did_not_write(cli, root: Path, prepare, out: str, message: str) -> None:  # type: ignore[no-untyped-def]
    prepare(root)
    before = tree(root)
    result = cli("build", "--out-dir", out)
    assert (result.code, result.out, result.err) == (2, "", f"dashgen: error: {message}\n")
    assert tree(root) == before


def test_an_empty_directory_or_a_previous_output_is_replaced(cli, root: Path) -> None:  # type: ignore[no-untyped-def]
    (root / "empty").mkdir()
    assert cli("build", "--out-dir", "empty").code == 0
    assert cli("build", "--out-dir", "empty").code == 0
    assert (root / "empty/dashboards/small.json").is_file()


def test_from_a_subdirectory_defaults_go_to_the_project_root_and_an_explicit_out_stays_relative(  # type: ignore[no-untyped-def]
        cli, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root / "panels")
    built = cli("build")
    assert built.code == 0 and (root / "build/dashboards/small.json").is_file()
    pulled = cli("pull")
    assert pulled.code == 0, pulled.err
    assert (root / "pulled" / MARKER).is_file() and not (root / "panels/pulled").exists()
    assert cli("build", "--out-dir", "here").code == 0
    assert (root / "panels/here/dashboards/small.json").is_file()
    monkeypatch.chdir(root / "build")
    refused = cli("build")
    assert refused.code == 2
    assert refused.err == (f"dashgen: error: {root / 'build'} is the current directory: refusing to replace it with "
                           "the output; choose an output directory of its own (e.g. build)\n")


def test_pull_refuses_a_directory_it_did_not_write_before_asking_grafana(cli, root: Path,  # type: ignore[no-untyped-def]
                                                                         grafana: GrafanaDouble) -> None:
    (root / "pulled").mkdir()
    (root / "pulled/mine.txt").write_text("x")
    result = cli("pull")
    assert result.code == 2
    assert result.err == ("dashgen: error: pulled is not empty and has no .dashgen-build marker, so dashgen did not "
                          "write it: refusing to replace it (remove or empty it, or choose another output directory)\n")
    assert grafana.log == [] and (root / "pulled/mine.txt").read_text() == "x"
