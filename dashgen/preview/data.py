"""The preview's data step: the board's queries against Prometheus, as BoardData.

# placeholder: replaced by the data step (another helper writes the Prometheus code); until then every board
# is drawn as its layout alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashgen.preview import series

if TYPE_CHECKING:
    from dashgen.project import CompiledProject


def load_board_data(compiled: CompiledProject, prometheus_url: str | None) -> series.BoardData:
    # placeholder: replaced by the data step
    if prometheus_url is None:
        return series.no_data("no --prometheus URL given")
    return series.no_data(f"reading {prometheus_url} is not written yet")
