"""Board definitions + config + catalogue -> the normalised dashboard JSON model. Pure."""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from typing import Any

from dashgen.board import attrs_code, walk
from dashgen.board.ids import IdAllocator
from dashgen.board.layout import layout_rows
from dashgen.catalogue import Catalogue
from dashgen.catalogue.queries import Binding, QueryError, QueryRenderer
from dashgen.config import Config
from dashgen.discovery import BoardDefinitions
from dashgen.dsl.panels import Panel, Section
from dashgen.errors import DashgenError
from dashgen.kinds.dashboard_canonical import current_schema
from dashgen.managed import MANAGED_TAG

with attrs_code.cached():  # grafanalib and its extensions define their attrs classes here: their code from the cache
    from grafanalib.core import GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR, Dashboard, RowPanel, Templating, Time

    from dashgen.board.grafana_types import SCHEMA_VERSION, DatasourceRef, PromTarget
    from dashgen.board.panels import build_panel
    from dashgen.board.variables import build_variables


@dataclass(frozen=True)
class CompiledBoard:
    uid: str
    folder_uid: str
    folder_title: str
    dashboard: dict[str, Any]
    allow_ui_edits: bool = False  # Grafana 12+: annotation grafana.app/managerAllowsEdits


def compile_board(
    config: Config, catalogue: Catalogue, definitions: BoardDefinitions, *, datasource_uid: str | None = None
) -> CompiledBoard:
    """`datasource_uid`: the environment's datasource, made the datasource variable's default."""
    variables = definitions.variables
    if variables.datasource is None:
        raise DashgenError(
            "no datasource_variable() in VARIABLES: add one so every panel follows the environment's datasource",
            where=str(variables.defined_at),
        )
    datasource = DatasourceRef(type=config.board.datasource_type, uid=f"${{{variables.datasource.name}}}")
    renderer = QueryRenderer(catalogue, [Binding.of(v) for v in variables.query_variables])
    variable_names = {v.name for v in variables.items}

    layouts = layout_rows([([(p.width, p.height) for p in s.panels], s.collapsed) for s in definitions.sections])
    top_level: list[Any] = []
    ids = IdAllocator()
    for section, layout in zip(definitions.sections, layouts, strict=True):
        _check_section(section)
        row_id = ids.row(section.key, title=section.title, where=section.defined_at)
        children = []
        for panel, grid in zip(section.panels, layout.panels, strict=True):
            if panel.repeat and panel.repeat not in variable_names:
                raise DashgenError(f"panel {panel.title!r}: repeats over ${panel.repeat}, which is not a variable",
                                   where=str(panel.defined_at))
            children.append(
                build_panel(
                    panel,
                    panel_id=ids.panel(section.key, panel.key, title=walk.location(section.title, panel.title),
                                       where=panel.defined_at),
                    grid=grid,
                    targets=_targets(panel, renderer, datasource),
                    datasource=datasource,
                )
            )
        row = RowPanel(
            title=section.title,
            id=row_id,
            gridPos=layout.row,
            collapsed=section.collapsed,
            panels=children if section.collapsed else [],
        )
        top_level.append(row)
        if not section.collapsed:
            top_level.extend(children)

    board = config.board
    dashboard = Dashboard(
        title=board.title,
        uid=board.uid,
        description=board.description,
        tags=[*board.tags, *([] if MANAGED_TAG in board.tags else [MANAGED_TAG])],
        timezone=board.timezone,
        refresh=board.refresh,
        time=Time(board.time_from, "now"),
        graphTooltip=GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR,
        schemaVersion=SCHEMA_VERSION,
        panels=top_level,
        templating=Templating(list=build_variables(variables, catalogue, datasource, datasource_uid)),
    )
    raw = json.loads(json.dumps(dashboard.to_json_data(), default=_to_json_data))
    return CompiledBoard(
        uid=board.uid, folder_uid=board.folder.uid, folder_title=board.folder.title,
        dashboard=current_schema(raw), allow_ui_edits=board.allow_ui_edits,
    )


def _to_json_data(value: Any) -> Any:
    """grafanalib's own encoding (its _gen.DashboardEncoder, without importing its command-line module)."""
    to_json_data = getattr(value, "to_json_data", None)
    if to_json_data is None:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
    return to_json_data()


def _check_section(section: Section) -> None:
    if section.order < 1:
        raise DashgenError(f"section {section.title!r}: order must be 1 or more", where=str(section.defined_at))


def _targets(panel: Panel, renderer: QueryRenderer, datasource: DatasourceRef) -> list[PromTarget]:
    targets = []
    for ref_id, query in zip(string.ascii_uppercase, panel.queries, strict=False):
        try:
            expr = renderer.render(query.expr, query.params)
        except QueryError as exc:
            raise DashgenError(f"panel {panel.title!r} query {ref_id}: {exc}", where=str(panel.defined_at)) from None
        targets.append(
            PromTarget(
                refId=ref_id,
                expr=expr,
                datasource=datasource,
                legendFormat=query.legend,
                instant=query.instant,
                interval=query.interval,
                format=query.format,
            )
        )
    return targets
