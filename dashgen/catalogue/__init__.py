"""The metric contract (design §2), loaded from the project's `metrics.yaml`."""

from dashgen.catalogue.load import load_catalogue
from dashgen.catalogue.model import Catalogue, Metric

__all__ = ["Catalogue", "Metric", "load_catalogue"]
