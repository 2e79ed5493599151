"""`dashgen review --base REF` end to end: a factory project committed in a git repository made for the test, an
edit in the working tree, and the review read as a reviewer would (markdown, text, json); what it refuses (exit 2,
naming the ref or the side and file); and that the user's repository is exactly as it was afterwards."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from ..conftest import CliResult
from ..factories import SECRETS, SLACK_URL, edit, small_project

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git is not installed")

IDENTITY = ("-c", "user.email=review@example.com", "-c", "user.name=Review Test", "-c", "commit.gpgsign=false")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *IDENTITY, *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding the full factory project at its top, committed once (HEAD)."""
    root = small_project(tmp_path / "repo", full=True)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "the desk")
    return root


def review(cli, root: Path, *args: str) -> CliResult:  # type: ignore[no-untyped-def]
    return cli("--project", str(root), "review", *args)  # type: ignore[no-any-return]


def state(repo: Path) -> dict[str, str]:
    """Everything of the user's a review could touch: files (with untracked ones), the index, status, stash,
    worktrees, branches and HEAD."""
    files = {str(p.relative_to(repo)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(repo.rglob("*")) if p.is_file() and ".git" not in p.relative_to(repo).parts}
    return {"files": json.dumps(files), "index": git(repo, "ls-files", "--stage"),
            "status": git(repo, "status", "--porcelain=v1", "--untracked-files=all"),
            "stash": git(repo, "stash", "list"), "worktrees": git(repo, "worktree", "list", "--porcelain"),
            "refs": git(repo, "for-each-ref"), "head": git(repo, "rev-parse", "HEAD")}


def test_no_change_exits_0_with_one_sentence(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = review(cli, repo, "--base", "HEAD")
    assert (result.code, result.out, result.err) == (0, "### No changes between HEAD and the working tree.\n", "")


def test_a_clients_threshold_and_a_panels_unit_in_every_format(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    edit(repo / "dashgen.yaml", "acme: {quote_age_s: 60}", "acme: {quote_age_s: 90}")
    edit(repo / "panels/prices.py", 'unit="suffix: bps"', 'unit="percent"')
    markdown = review(cli, repo, "--base", "main")
    assert markdown.code == 0, markdown.err
    lines = markdown.out.splitlines()
    assert lines[0] == "### 2 objects changed: board Small Board (1 panel), rule group prices (1 rule)"
    assert "- QuoteStale for client acme: threshold 60 → 90" in lines
    assert "- `Prices / Spread`: unit `suffix: bps` → `percent`" in lines

    text = review(cli, repo, "--base", "main", "-o", "text")
    assert text.code == 0
    assert "  QuoteStale for client acme: threshold 60 → 90" in text.out.splitlines()
    assert '  Prices / Spread: unit "suffix: bps" → percent' in text.out.splitlines()

    document = review(cli, repo, "--base", "main", "--output", "json")
    assert document.code == 0
    found = json.loads(document.out)
    assert found["base"] == "main" and found["commit"] == git(repo, "rev-parse", "HEAD").strip()
    rules = next(o for o in found["objects"] if o["kind"] == "rule-group")
    assert {"subject": "QuoteStale for client acme", "what": "threshold", "before": 60, "after": 90} \
        .items() <= rules["changes"][0].items()


def test_a_long_new_query_is_folded_in_details(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    edit(repo / "panels/prices.py", 'queries=[query("avg({{ mm_mid_price }})")],\n         options=StatOptions',
         'queries=[query("avg({{ mm_mid_price }})"), query("max by (exchange) (max_over_time('
         '{{ mm_mid_price }}[$__rate_interval]))", legend="{{exchange}} high")],\n         options=StatOptions')
    result = review(cli, repo, "--base", "HEAD")
    assert result.code == 0, result.err
    assert "- `Prices / Mid`: query B added" in result.out.splitlines()
    assert "- `Prices / Mid`: legend B added: `{{exchange}} high`" in result.out.splitlines()
    details = result.out[result.out.index("<details><summary>Prices / Mid: query B: diff</summary>"):]
    assert '  +max by (exchange) (max_over_time(mm_mid_price{client=~"$client",exchange="$exchange"}' \
           '[$__rate_interval]))' in details.split("</details>")[0]


def test_a_route_and_a_moved_panel(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    edit(repo / "alerts/routing.py", 'route("slack", match={"severity": "critical"}),',
         'route("slack", match={"severity": "critical"}, mute=[LOW_LIQUIDITY]),')
    edit(repo / "panels/prices.py", "    QUOTE_AGE,\n    SPREAD,\n", "    SPREAD,\n    QUOTE_AGE,\n")
    result = review(cli, repo, "--base", "HEAD", "-o", "text")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    route = lines.index("  route 2: route changed")  # long: as a diff of the route in words
    assert lines[route + 4:route + 6] == ["    -severity=critical -> dashgen-slack",
                                          "    +severity=critical -> dashgen-slack; mute timings dashgen-low-liquidity"]
    assert any(line.startswith("  Prices / Quote age: moved from Prices (x=") for line in lines)


def test_secrets_never_appear(cli, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    edit(repo / "dashgen.yaml", 'recipient: "#small"', 'recipient: "#desk"')
    edit(repo / "dashgen.yaml", "webhook_url_env: SMALL_SLACK_URL", "webhook_url_env: SMALL_PAGER_KEY")
    for output in ("markdown", "text", "json"):
        result = review(cli, repo, "--base", "HEAD", "-o", output)
        assert result.code == 0, result.err
        assert "#desk" in result.out and "SMALL_PAGER_KEY" in result.out
        for value in SECRETS.values():
            assert value not in result.out + result.err, output
        assert "small-secret" not in result.out and SLACK_URL not in result.out


def test_a_bad_ref_is_exit_2_naming_it(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = review(cli, repo, "--base", "no-such-branch")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("dashgen: error: --base no-such-branch: no such commit")


def test_broken_code_at_the_base_names_the_ref_and_file(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    good = (repo / "panels/prices.py").read_text()
    edit(repo / "panels/prices.py", "SECTION = section(", "SECTION = undefined_name + section(")
    commit_all(repo, "broken")
    (repo / "panels/prices.py").write_text(good)
    commit_all(repo, "fixed")
    result = review(cli, repo, "--base", "HEAD~1")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("dashgen: error: at HEAD~1: panels/prices.py:8: NameError: name 'undefined_name'")


def test_broken_code_in_the_working_tree_names_it(cli, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    edit(repo / "alerts/rules.py", "ALERTS = [", "ALERTS = [(")
    result = cli("review", "--base", "HEAD")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("dashgen: error: in the working tree: alerts/rules.py:")
    assert "syntax error" in result.err


def test_the_users_repository_is_untouched(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    edit(repo / "dashgen.yaml", "acme: {quote_age_s: 60}", "acme: {quote_age_s: 90}")  # unstaged
    edit(repo / "panels/prices.py", 'unit="s"', 'unit="ms"')
    git(repo, "add", "panels/prices.py")  # staged
    (repo / "notes.txt").write_text("untracked\n")
    git(repo, "stash", "list")
    before = state(repo)
    for output in ("markdown", "json"):
        assert review(cli, repo, "--base", "HEAD", "-o", output).code == 0
    assert review(cli, repo, "--base", "nope").code == 2
    assert state(repo) == before


@pytest.mark.parametrize("where", ["ops/desk", "ops*desk"], ids=["subdirectory", "glob-character"])
def test_a_project_in_a_subdirectory_of_the_repository(cli, tmp_path: Path, where: str,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Found where git keeps it, whatever its name (`ops*desk` is itself, not a pattern matching its sibling)."""
    top = tmp_path / "mono"
    project = small_project(top / where, full=True)
    small_project(top / "ops-other-desk", full=True)
    (top / "README").write_text("other things\n")
    git(top, "init", "-q", "-b", "main")
    commit_all(top, "desks in subdirectories")
    edit(project / "dashgen.yaml", "defaults: {quote_age_s: 30,", "defaults: {quote_age_s: 45,")
    result = review(cli, project, "--base", "main", "-o", "text")
    assert result.code == 0, result.err
    assert "  QuoteStale for all other clients: threshold 30 → 45" in result.out.splitlines()
    monkeypatch.chdir(project / "panels")  # found from inside the project, as the other commands find it
    assert "QuoteStale for all other clients: threshold 30 → 45" in cli("review", "--base", "main").out



def test_a_ref_without_the_project_is_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    top = tmp_path / "mono"
    (top).mkdir()
    (top / "README").write_text("before the desk\n")
    git(top, "init", "-q", "-b", "main")
    commit_all(top, "first")
    project = small_project(top / "desk", full=True)
    commit_all(top, "the desk")
    result = review(cli, project, "--base", "HEAD~1")
    assert result.code == 2
    assert result.err.startswith("dashgen: error: at HEAD~1: no desk in that commit")


def test_not_a_git_repository_is_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = small_project(tmp_path / "plain", full=True)
    result = review(cli, root, "--base", "main")
    assert result.code == 2 and result.out == ""
    assert "is not in a git repository" in result.err


def test_output_choices_are_checked(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = review(cli, repo, "--base", "HEAD", "-o", "html")
    assert result.code == 2
    assert "'html' is not one of 'markdown', 'text', 'json'" in result.err


def commit_at_base(repo: Path, path: str, prepend: str) -> None:
    """HEAD~0 with `prepend` put first in `path`; the working tree as it was (so only the base's build runs it)."""
    file = repo / path
    good = file.read_text()
    file.write_text(prepend + good)
    commit_all(repo, "changed at the base")
    file.write_text(good)


def test_what_the_base_prints_is_not_in_the_review(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    commit_at_base(repo, "panels/prices.py", 'import os\nprint("hello from the base")\nos.write(1, b"raw\\n")\n')
    result = review(cli, repo, "--base", "HEAD", "-o", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["changes"] is False


def test_a_base_that_stops_without_an_answer_is_exit_2_naming_the_ref(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    commit_at_base(repo, "panels/prices.py", "import os\nos._exit(9)\n")
    result = review(cli, repo, "--base", "HEAD")
    assert (result.code, result.out) == (2, "")
    assert result.err == "dashgen: error: at HEAD: the build stopped without an answer (exit status 9)\n"


def test_export_ignore_does_not_hide_a_file_of_the_base(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    (repo / ".gitattributes").write_text("panels/orders.py export-ignore\n")
    commit_all(repo, "attributes")
    result = review(cli, repo, "--base", "HEAD")
    assert (result.code, result.out, result.err) == (0, "### No changes between HEAD and the working tree.\n", "")
