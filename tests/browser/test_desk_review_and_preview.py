"""The desk, and a changed copy of it, through `dashgen review` and `dashgen preview --base` as CI runs them: the
real local Prometheus on the synthetic desk and the installed Chromium. Like tests/test_desk.py it counts and
names nothing of the desk: the change is generic (every default threshold raised, one panel's description and
unit), so a routine desk change keeps it green."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ..conftest import REPO, REQUIRE_PROMTOOL
from .conftest import chromium_path
from .pngread import read_png

pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    not shutil.which("prometheus") and not REQUIRE_PROMTOOL, reason="Debian's prometheus package is not installed")]
GIT = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"]


def changed_copy_of_the_desk(root: Path) -> Path:
    """The desk committed in a new repository, then changed in the working tree."""
    for name in ("panels", "alerts"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("metrics.yaml", "dashgen.yaml"):
        shutil.copy(REPO / name, root / name)
    subprocess.run([*GIT, "init", "-q", str(root)], check=True)
    subprocess.run([*GIT, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(root), "commit", "-qm", "desk"], check=True)
    config = yaml.safe_load((root / "dashgen.yaml").read_text())
    defaults = config["alerting"]["thresholds"]["defaults"]
    config["alerting"]["thresholds"]["defaults"] = {key: value * 2 for key, value in defaults.items()}
    (root / "dashgen.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    section = next(path for path in sorted((root / "panels").glob("[!_]*.py"))
                   if 'description="' in path.read_text() and re.search(r'unit="[^"]+"', path.read_text()))
    text = section.read_text()
    text = text.replace('description="', 'description="Changed. ', 1)
    (root / "panels" / section.name).write_text(re.sub(r'unit="[^"]+"', 'unit="percent"', text, count=1))
    return root


def test_review_and_preview_of_a_changed_desk(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium_path()  # skip or fail (in CI) without a Chromium
    root = changed_copy_of_the_desk(tmp_path / "desk")
    unchanged = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True)

    reviewed = cli("--project", str(root), "review", "--base", "HEAD", "-o", "json")
    assert reviewed.code == 0, reviewed.err
    document = json.loads(reviewed.out)
    kinds = {item["kind"] for item in document["objects"] if item["action"] == "changed"}
    assert {"dashboard", "rule-group"} <= kinds
    text = cli("--project", str(root), "review", "--base", "HEAD").out
    assert re.search(r"threshold \S+ → \S+", text) and "unit" in text and "description" in text

    previewed = cli("--project", str(root), "preview", "--base", "HEAD", "--out-dir", str(tmp_path / "preview"))
    assert previewed.code == 0, previewed.err
    assert re.search(r"^(\d+) panel\(s\) changed since HEAD$", previewed.out, re.M)
    page = (tmp_path / "preview/index.html").read_text()
    assert "synthetic desk data (local Prometheus" in page and "no data source" not in page
    pictures = sorted((tmp_path / "preview/panels").glob("panel-*.png"))
    assert len(pictures) >= 1
    for picture in pictures:
        assert read_png(picture.read_bytes()).colours > 2, f"{picture.name} is blank"
    after = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True)
    assert after.stdout == unchanged.stdout  # neither command touched the user's tree
