"""What grafanalib 0.7.1 lacks, in small typed pieces that plug into its encoder (`to_json_data`): the one module
of extensions. grafanalib stays the dashboard builder; here are the panels it does not have (candlestick, the
Grafana 8+ bar gauge), the target, datasource and threshold shapes Grafana 11 saves, field-config overrides and
transformations as typed values, and the variable keys its Template lacks. What grafanalib writes that Grafana's
current schema does not hold is removed by dashgen.kinds.dashboard_canonical.current_schema.

SCHEMA_VERSION: we emit 41, the schema of Grafana 11.6-12.1. 11.6 is the line the alerting models are
pinned to (grafana-foundation-sdk 11.6), so the board and the alerts target the same Grafana; 12.x
loads 41 without a migration prompt and newer versions migrate it on load.
"""

from __future__ import annotations

from typing import Any

import attr
from grafanalib.core import Panel

SCHEMA_VERSION = 41
PROMETHEUS = "prometheus"


@attr.s(frozen=True, auto_attribs=True)
class DatasourceRef:
    """A datasource reference as an object: Grafana resolves bare names only for backwards compatibility."""

    type: str
    uid: str

    def to_json_data(self) -> dict[str, str]:
        return {"type": self.type, "uid": self.uid}


@attr.s(frozen=True, auto_attribs=True)
class ThresholdStep:
    color: str
    value: float | None  # None is the base step: the one null Grafana wants

    def to_json_data(self) -> dict[str, Any]:
        return {"color": self.color, "value": self.value}


@attr.s(frozen=True, auto_attribs=True)
class PromTarget:
    """A Prometheus query target as Grafana 11 saves it (grafanalib's Target carries Graphite-era keys)."""

    refId: str
    expr: str
    datasource: DatasourceRef
    legendFormat: str = ""
    instant: bool = False
    interval: str = ""
    format: str = "time_series"

    def to_json_data(self) -> dict[str, Any]:
        return {
            "datasource": self.datasource,
            "editorMode": "code",
            "expr": self.expr,
            "format": self.format,
            "instant": self.instant,
            "interval": self.interval,
            "legendFormat": self.legendFormat or "__auto",
            "range": not self.instant,
            "refId": self.refId,
        }


@attr.s(frozen=True, auto_attribs=True)
class FieldOverride:
    """One `fieldConfig.overrides` entry: properties (id, value) for the fields a matcher picks."""

    matcher: str  # byName, byRegexp, ...
    pattern: str
    properties: tuple[tuple[str, Any], ...]

    def to_json_data(self) -> dict[str, Any]:
        return {"matcher": {"id": self.matcher, "options": self.pattern},
                "properties": [{"id": key, "value": value} for key, value in self.properties]}


DASHED_LINE = ("custom.lineStyle", {"dash": [10, 10], "fill": "dash"})


@attr.s(frozen=True, auto_attribs=True)
class Transformation:
    """One entry of a panel's `transformations` (merge, organize, joinByField, ...)."""

    id: str
    options: dict[str, Any] = attr.Factory(dict)

    def to_json_data(self) -> dict[str, Any]:
        return {"id": self.id, "options": self.options}


def _reduce_options(calc: str) -> dict[str, Any]:
    return {"calcs": [calc], "fields": "", "values": False}


@attr.s
class BarGauge(Panel):  # type: ignore[misc]
    """The bar gauge in its Grafana 8+ form (grafanalib's BarGauge emits the pre-7 `fieldOptions`)."""

    unit: str = attr.ib(default="none")
    reduce: str = attr.ib(default="lastNotNull")
    orientation: str = attr.ib(default="horizontal")
    displayMode: str = attr.ib(default="gradient")

    def to_json_data(self) -> dict[str, Any]:
        return self.panel_json(  # type: ignore[no-any-return]
            {
                "fieldConfig": {"defaults": {"color": {"mode": "thresholds"}, "unit": self.unit}, "overrides": []},
                "options": {
                    "displayMode": self.displayMode,
                    "orientation": self.orientation,
                    "reduceOptions": _reduce_options(self.reduce),
                    "showUnfilled": True,
                    "valueMode": "color",
                },
                "type": "bargauge",
            }
        )


@attr.s
class Candlestick(Panel):  # type: ignore[misc]
    """Grafana's candlestick panel (not in grafanalib). The queries are joined on time into one frame whose
    fields open/high/low/close are named by the queries' legends."""

    unit: str = attr.ib(default="none")
    mode: str = attr.ib(default="candles")

    def to_json_data(self) -> dict[str, Any]:
        return self.panel_json(  # type: ignore[no-any-return]
            {
                "fieldConfig": {"defaults": {"color": {"mode": "palette-classic"}, "unit": self.unit}, "overrides": []},
                "options": {
                    "candleStyle": "candles",
                    "colorStrategy": "open-close",
                    "colors": {"down": "red", "up": "green"},
                    "fields": {"close": "close", "high": "high", "low": "low", "open": "open"},
                    "includeAllFields": False,
                    "legend": {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True},
                    "mode": self.mode,
                },
                "transformations": [Transformation("joinByField", {"byField": "Time", "mode": "outer"})],
                "type": "candlestick",
            }
        )


@attr.s(frozen=True, auto_attribs=True)
class VariableTemplate:
    """grafanalib's Template plus what it lacks: `definition` (the query as the editor shows it) and a
    `current` that is either the declared default or, for an All-able variable, All."""

    template: Any  # grafanalib.core.Template
    definition: str | None = None
    current: dict[str, Any] | None = None

    def to_json_data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.template.to_json_data()
        data["definition"] = self.definition
        data["current"] = self.current
        return data
