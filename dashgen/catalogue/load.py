"""Load and cross-check `metrics.yaml`; every error names the file and line."""

from __future__ import annotations

from pathlib import Path

import yaml

from dashgen.catalogue.model import Catalogue, CatalogueFile, Metric
from dashgen.config import typed_yaml
from dashgen.errors import DashgenError
from dashgen.textfile import read_user_text

CATALOGUE_FILE = "metrics.yaml"


def load_catalogue(project_dir: Path) -> Catalogue:
    path = project_dir / CATALOGUE_FILE
    try:
        text = read_user_text(path, CATALOGUE_FILE)
    except FileNotFoundError:
        raise DashgenError(
            f"no {CATALOGUE_FILE} in {project_dir}: the metric contract must live beside dashgen.yaml"
        ) from None
    except OSError as exc:
        raise DashgenError(f"cannot read: {exc.strerror}", where=CATALOGUE_FILE) from None
    return parse_catalogue(text, CATALOGUE_FILE)


def parse_catalogue(text: str, filename: str) -> Catalogue:
    root = typed_yaml.parse(text, filename)
    if root is None:
        raise DashgenError("the file is empty", where=filename)
    parsed: CatalogueFile = typed_yaml.convert(root, CatalogueFile, filename=filename, path="")
    metric_nodes = _metric_nodes(root)
    metrics: dict[str, Metric] = {}
    for index, metric in enumerate(parsed.metrics):
        node = metric_nodes[index]
        where = f"{filename}:{node.start_mark.line + 1}"
        path = f"metrics[{index}] ({metric.name})"
        if metric.name in metrics:
            raise DashgenError(f"{path}: metric defined twice", where=where)
        unknown = [label for label in metric.labels if label not in parsed.labels]
        if unknown:
            raise DashgenError(f"{path}: label {unknown[0]!r} is not declared under `labels:`", where=where)
        if metric.type == "counter" and not metric.name.endswith("_total"):
            raise DashgenError(f"{path}: a counter's name must end in _total", where=where)
        stray = [label for label in metric.values if label not in metric.labels]
        if stray:
            raise DashgenError(f"{path}: values given for {stray[0]!r}, which is not one of its labels", where=where)
        metrics[metric.name] = metric
    if parsed.client_label is not None and parsed.client_label not in parsed.labels:
        raise DashgenError(f"client_label: {parsed.client_label!r} is not declared under `labels:`",
                           where=f"{filename}:{_line_of(root, 'client_label')}")
    return Catalogue(labels=dict(parsed.labels), metrics=metrics, client_label=parsed.client_label)


def _line_of(root: yaml.Node, key: str) -> int:
    return next((k.start_mark.line + 1 for k, _ in root.value if k.value == key), 1)


def _metric_nodes(root: yaml.Node) -> list[yaml.Node]:
    for key, value in root.value:
        if key.value == "metrics":
            return list(value.value)
    return []  # pragma: no cover - convert() already required the key
