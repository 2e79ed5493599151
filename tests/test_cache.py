"""The user's cache directory, the one place it is computed (dashgen.cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashgen.cache import user_cache_dir


def test_the_users_cache_is_xdg_cache_home_else_dot_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "xdg/dashgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "")  # empty: as unset
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_cache_dir() == tmp_path / "home/.cache/dashgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert user_cache_dir() == tmp_path / "home/.cache/dashgen"
