"""Read `dashgen.yaml` from a project directory into a `Config`."""

from __future__ import annotations

from pathlib import Path

from dashgen.config import typed_yaml
from dashgen.config.model import Config
from dashgen.errors import DashgenError
from dashgen.textfile import read_user_text

CONFIG_FILE = "dashgen.yaml"


def load_config(project_dir: Path) -> Config:
    path = project_dir / CONFIG_FILE
    try:
        text = read_user_text(path, CONFIG_FILE)
    except FileNotFoundError:
        raise DashgenError(f"no {CONFIG_FILE} in {project_dir}: create one (see docs/configuration.md)") from None
    except OSError as exc:
        raise DashgenError(f"cannot read: {exc.strerror}", where=str(path)) from None
    config, lines = typed_yaml.load(text, Config, CONFIG_FILE)
    config.lines.update(lines)
    return config
