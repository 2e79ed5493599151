"""Alert rules as users write them in `alerts/*.py` (ALERTS = [...]).

    from panels.traffic import ERRORS

    alert("ErrorsHigh", group="traffic", team="platform",
          expr="sum by (service) (rate({{ http_requests_total(code="500") }}[5m]))",
          levels=[above(key("errors_max"), severity="critical", for_="5m")],
          no_data="OK", exec_err="Error", panel=ERRORS,
          summary="{{ service }} answers {{ value }} errors a second",
          description="... {{ service }} ... (limit {{ threshold }}) ...")

`expr` is a PromQL value expression over the catalogue, written as a panel's query is (dashgen.dsl.queries, with
`params=` likewise); each level compares it with a threshold, fixed or a key of `alerting.thresholds` in
dashgen.yaml (per-client overrides apply). `panel` is the board panel that shows the problem, the panel itself,
imported from panels/. In summary/description, in the same template syntax, `{{ label }}` is a label of the firing
series, `{{ value }}` the value, `{{ threshold }}` the threshold that series is judged by."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from dashgen import durations
from dashgen.dsl.location import Location, caller_location
from dashgen.dsl.numbers import is_finite_number
from dashgen.dsl.panels import Panel
from dashgen.dsl.queries import Params, ParamValue, params_of
from dashgen.errors import DashgenError

Severity = Literal["warning", "critical"]
NoDataState = Literal["NoData", "Alerting", "OK", "KeepLast"]
ExecErrState = Literal["Error", "Alerting", "OK", "KeepLast"]
_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_RUNBOOK = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class ThresholdRef:
    key: str | None = None  # a key of alerting.thresholds
    value: float | None = None  # or a fixed number
    times: float = 1.0

    def describe(self) -> str:
        if self.key is None:
            return f"{self.value:g}"
        return self.key if self.times == 1 else f"{self.times:g} x {self.key}"


@dataclass(frozen=True)
class Level:
    severity: Severity
    op: Literal["gt", "lt"]
    threshold: ThresholdRef
    for_: str


@dataclass(frozen=True)
class Alert:
    name: str
    group: str
    team: str
    expr: str
    levels: tuple[Level, ...]
    no_data: NoDataState
    exec_err: ExecErrState
    panel: Panel  # the board panel that shows the problem
    summary: str
    description: str
    runbook: str  # slug appended to alerting.runbook_base_url
    params: Params = ()  # of `expr`
    defined_at: Location = field(default=Location("<unknown>", 0), compare=False)

    @property
    def threshold_keys(self) -> set[str]:
        return {level.threshold.key for level in self.levels if level.threshold.key is not None}


def key(name: str, *, times: float = 1.0) -> ThresholdRef:
    if not is_finite_number(times):
        raise DashgenError(f"key({name!r}): times={times!r} is not a finite number", where=str(caller_location()))
    return ThresholdRef(key=name, times=times)


def _ref(threshold: ThresholdRef | float) -> ThresholdRef:
    if isinstance(threshold, ThresholdRef):
        return threshold
    if not is_finite_number(threshold):
        raise DashgenError(f"threshold {threshold!r} is not a finite number", where=str(caller_location()))
    return ThresholdRef(value=float(threshold))


def above(threshold: ThresholdRef | float, *, severity: Severity, for_: str) -> Level:
    return Level(severity=severity, op="gt", threshold=_ref(threshold), for_=for_)


def below(threshold: ThresholdRef | float, *, severity: Severity, for_: str) -> Level:
    return Level(severity=severity, op="lt", threshold=_ref(threshold), for_=for_)


def slug(name: str) -> str:
    """ErrorsHigh -> errors-high."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _choices(name: str, value: object, allowed: object) -> list[tuple[bool, str]]:
    """Python does not check Literal types when it runs: a typo would reach Grafana (or match no route)."""
    choices = get_args(allowed)
    return [(value not in choices, f"{name}={value!r} is not one of {', '.join(choices)}")]


def alert(
    name: str,
    *,
    group: str,
    team: str,
    expr: str,
    levels: Sequence[Level],
    no_data: NoDataState,
    exec_err: ExecErrState,
    panel: Panel,
    summary: str,
    description: str,
    runbook: str | None = None,
    params: Mapping[str, ParamValue] | None = None,
) -> Alert:
    where = caller_location()
    severities = [level.severity for level in levels]
    problems = [
        *_choices("no_data", no_data, NoDataState),
        *_choices("exec_err", exec_err, ExecErrState),
        *(problem for level in levels for problem in _choices("severity", level.severity, Severity)),
        (not _NAME.match(name), "the name is CamelCase letters and digits, e.g. ErrorsHigh"),
        (not levels, "it has no level: give levels=[above(...)] or [below(...)]"),
        (len(set(severities)) != len(severities), "two levels have the same severity"),
        *((not isinstance(level.for_, str) or durations.parse_ms(level.for_) is None,
           f"for_={level.for_!r} is not a duration such as 0m, 1m or 15m")
          for level in levels),
        (runbook is not None and not _RUNBOOK.fullmatch(runbook),
         f"runbook={runbook!r}: a slug of letters, digits, '-' and '_' (it is appended to runbook_base_url)"),
        (not summary.strip() or not description.strip(), "summary and description must say what broke"),
        (not team.strip(), "the team is empty"),
        (not isinstance(panel, Panel), f"panel= is the panel itself, imported from panels/ (from panels.<section> "
         f"import NAME), not {panel!r}"),
        (not re.fullmatch(r"[a-z0-9][a-z0-9-]*", group), "the group is lower-case letters, digits and '-'"),
    ]
    for failed, message in problems:
        if failed:
            raise DashgenError(f"alert {name!r}: {message}", where=str(where))
    return Alert(name=name, group=group, team=team, expr=expr, levels=tuple(levels), no_data=no_data,
                 exec_err=exec_err, panel=panel, summary=summary, description=description,
                 runbook=runbook or slug(name), params=params_of(params, f"alert {name!r}"), defined_at=where)
