"""Board variables as users write them in `panels/variables.py`.

A query variable names the catalogue metric its values come from (`source`) and the label it reads.
Its query is generated, filtered by every earlier variable whose label that metric has: the chain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dashgen.dsl.location import Location, caller_location
from dashgen.errors import DashgenError

_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


@dataclass(frozen=True)
class DatasourceVariable:
    name: str = "datasource"
    label: str = "Datasource"
    defined_at: Location = field(default=Location("<unknown>", 0), compare=False)


@dataclass(frozen=True)
class QueryVariable:
    name: str
    source: str  # catalogue metric whose label values fill the drop-down
    matches: str  # the Prometheus label this variable filters on
    label: str
    multi: bool
    include_all: bool
    default: str | None
    defined_at: Location = field(default=Location("<unknown>", 0), compare=False)

    @property
    def operator(self) -> str:
        """Multi-value and All selections are regexes in Grafana's Prometheus interpolation."""
        return "=~" if self.multi or self.include_all else "="


@dataclass(frozen=True)
class IntervalVariable:
    name: str
    label: str
    intervals: tuple[str, ...]
    default: str
    defined_at: Location = field(default=Location("<unknown>", 0), compare=False)


Variable = DatasourceVariable | QueryVariable | IntervalVariable


@dataclass(frozen=True)
class Variables:
    items: tuple[Variable, ...]
    defined_at: Location = field(default=Location("<unknown>", 0), compare=False)

    @property
    def datasource(self) -> DatasourceVariable | None:
        return next((v for v in self.items if isinstance(v, DatasourceVariable)), None)

    @property
    def query_variables(self) -> tuple[QueryVariable, ...]:
        return tuple(v for v in self.items if isinstance(v, QueryVariable))


def datasource_variable(name: str = "datasource", *, label: str = "Datasource") -> DatasourceVariable:
    return DatasourceVariable(name=name, label=label, defined_at=caller_location())


def query_variable(
    name: str,
    *,
    source: str,
    matches: str | None = None,
    label: str | None = None,
    multi: bool = True,
    include_all: bool = True,
    default: str | None = None,
) -> QueryVariable:
    return QueryVariable(
        name=name,
        source=source,
        matches=matches or name,
        label=label or name.capitalize(),
        multi=multi,
        include_all=include_all,
        default=default,
        defined_at=caller_location(),
    )


def interval_variable(
    name: str, intervals: Sequence[str], *, default: str, label: str | None = None
) -> IntervalVariable:
    where = caller_location()
    if default not in intervals:
        raise DashgenError(f"interval variable {name!r}: default {default!r} is not one of {list(intervals)}",
                           where=str(where))
    return IntervalVariable(name=name, label=label or name.capitalize(), intervals=tuple(intervals),
                            default=default, defined_at=where)


def variables(*items: Variable) -> Variables:
    where = caller_location()
    names = [v.name for v in items]
    for item in items:
        if not _NAME.match(item.name):
            raise DashgenError(f"variable name {item.name!r} is not a valid identifier", where=str(item.defined_at))
        if names.count(item.name) > 1:
            raise DashgenError(f"variable {item.name!r} is defined twice", where=str(where))
    if sum(isinstance(v, DatasourceVariable) for v in items) > 1:
        raise DashgenError("more than one datasource_variable()", where=str(where))
    return Variables(items=tuple(items), defined_at=where)
