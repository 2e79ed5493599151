"""The typed shape of `dashgen.yaml`. Field names are the YAML keys; see the README's reference."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashgen.config import checks


@dataclass(frozen=True)
class FolderConfig:
    uid: str = field(metadata={"check": checks.uid})
    title: str = field(metadata={"check": checks.non_empty})


@dataclass(frozen=True)
class BoardConfig:
    uid: str = field(metadata={"check": checks.uid})
    title: str = field(metadata={"check": checks.non_empty})
    folder: FolderConfig
    tags: list[str] = field(default_factory=lambda: ["market-making"])
    refresh: str = field(default="30s", metadata={"check": checks.duration})
    time_from: str = "now-6h"
    timezone: str = "utc"
    datasource_type: str = "prometheus"
    description: str = ""


@dataclass(frozen=True)
class EnvironmentConfig:
    url: str = field(metadata={"check": checks.http_url})
    datasource_uid: str = field(metadata={"check": checks.uid})
    token_env: str | None = field(default=None, metadata={"check": checks.env_name})
    org_id: int = field(default=1, metadata={"check": checks.positive})


@dataclass(frozen=True)
class Config:
    board: BoardConfig
    environments: dict[str, EnvironmentConfig] = field(default_factory=dict)
