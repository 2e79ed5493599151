"""One module per Grafana resource kind, and the registry of kinds in dependency order: what a kind names
is written before it (and deleted after it). Adding a kind is its module and one line here."""

from __future__ import annotations

from dashgen.kinds.base import Kind
from dashgen.kinds.contact_point import ContactPointKind
from dashgen.kinds.dashboard import DashboardKind
from dashgen.kinds.folder import FolderKind
from dashgen.kinds.mute_timing import MuteTimingKind
from dashgen.kinds.policy import PolicyKind
from dashgen.kinds.rule_group import RuleGroupKind
from dashgen.kinds.template import TemplateKind

BOARD_KINDS: tuple[type[Kind], ...] = (FolderKind, DashboardKind)
ALERTING_KINDS: tuple[type[Kind], ...] = (ContactPointKind, MuteTimingKind, TemplateKind, PolicyKind,
                                          RuleGroupKind)


def kinds(*, alerting: bool) -> list[Kind]:
    """Every kind the project has, in dependency order (folder, alerting objects, rule groups, dashboards)."""
    board = [kind() for kind in BOARD_KINDS]
    if not alerting:
        return board
    return [board[0], *(kind() for kind in ALERTING_KINDS), board[1]]
