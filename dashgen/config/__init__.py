"""Loading `dashgen.yaml` (and the metric catalogue) into typed, validated objects."""

from dashgen.config.load import load_config
from dashgen.config.model import BoardConfig, Config, EnvironmentConfig, FolderConfig

__all__ = ["BoardConfig", "Config", "EnvironmentConfig", "FolderConfig", "load_config"]
