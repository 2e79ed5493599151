"""Board variables -> grafanalib templates, each query variable chained to the ones before it."""

from __future__ import annotations

from typing import Any

from grafanalib.core import Template

from dashgen.board import walk
from dashgen.board.grafana_types import DatasourceRef, VariableTemplate
from dashgen.catalogue import Catalogue
from dashgen.catalogue.queries import Binding, QueryError, label_values_query
from dashgen.dsl.variables import DatasourceVariable, IntervalVariable, QueryVariable, Variables
from dashgen.errors import DashgenError

REFRESH_ON_TIME_RANGE_CHANGE = 2
SORT_ALPHABETICAL = 1


def _current(default: str | None, include_all: bool, multi: bool) -> dict[str, Any] | None:
    if default is not None:
        return {"text": [default], "value": [default]} if multi else {"text": default, "value": default}
    if include_all:
        return {"text": ["All"], "value": [walk.ALL]} if multi else {"text": "All", "value": walk.ALL}
    return None


def build_variables(
    variables: Variables, catalogue: Catalogue, datasource: DatasourceRef, datasource_uid: str | None = None
) -> list[Any]:
    templates: list[Any] = []
    earlier: list[Binding] = []
    for variable in variables.items:
        where = str(variable.defined_at)
        if isinstance(variable, DatasourceVariable):
            templates.append(
                VariableTemplate(
                    Template(name=variable.name, label=variable.label, query=datasource.type, type="datasource",
                             refresh=1, sort=0, regex=""),
                    current={"text": datasource_uid, "value": datasource_uid} if datasource_uid else None,
                )
            )
        elif isinstance(variable, QueryVariable):
            metric = catalogue.get(variable.source)
            if metric is None:
                raise DashgenError(f"variable {variable.name!r}: source {variable.source!r} is not in metrics.yaml",
                                   where=where)
            if variable.matches not in metric.labels:
                raise DashgenError(
                    f"variable {variable.name!r}: {variable.source} has no label {variable.matches!r}", where=where
                )
            try:
                expr = label_values_query(metric, variable.matches, earlier)
            except QueryError as exc:  # pragma: no cover - label_values_query adds no fixed matchers
                raise DashgenError(f"variable {variable.name!r}: {exc}", where=where) from None
            templates.append(
                VariableTemplate(
                    Template(
                        name=variable.name,
                        label=variable.label,
                        query=expr,
                        dataSource=datasource,
                        multi=variable.multi,
                        includeAll=variable.include_all,
                        allValue=".*" if variable.include_all else None,
                        refresh=REFRESH_ON_TIME_RANGE_CHANGE,
                        sort=SORT_ALPHABETICAL,
                        regex="",
                    ),
                    definition=expr,
                    current=_current(variable.default, variable.include_all, variable.multi),
                )
            )
            earlier.append(Binding.of(variable))
        elif isinstance(variable, IntervalVariable):
            templates.append(
                VariableTemplate(
                    Template(
                        name=variable.name,
                        label=variable.label,
                        query=",".join(variable.intervals),
                        type="interval",
                        refresh=REFRESH_ON_TIME_RANGE_CHANGE,
                        options=[
                            {"selected": value == variable.default, "text": value, "value": value}
                            for value in variable.intervals
                        ],
                    ),
                    current={"text": variable.default, "value": variable.default},
                )
            )
    return templates
