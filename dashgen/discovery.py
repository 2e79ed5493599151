"""Find the project and import its `panels/` modules into plain definitions.

`panels/variables.py` exposes VARIABLES; every other `panels/*.py` (not starting with `_`) is one
section and exposes SECTION. Modules starting with `_` are helpers: while the project's modules run, `panels`
and `alerts` are packages, so `from panels._helpers import x` and `from ._helpers import x` work. Any mistake
is a one-line DashgenError naming the file (and line).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from dashgen.dsl.alerts import Alert
from dashgen.dsl.location import display_path
from dashgen.dsl.panels import Section
from dashgen.dsl.routing import Routing
from dashgen.dsl.variables import Variables
from dashgen.errors import DashgenError

CONFIG_FILE = "dashgen.yaml"
PANELS_DIR = "panels"
ALERTS_DIR = "alerts"
VARIABLES_MODULE = "variables"


@dataclass(frozen=True)
class BoardDefinitions:
    variables: Variables
    sections: tuple[Section, ...]  # in board order


@dataclass(frozen=True)
class AlertDefinitions:
    alerts: tuple[Alert, ...]  # in definition order (file by file)
    routing: Routing


def find_project(start: Path) -> Path:
    """The nearest directory at or above `start` holding dashgen.yaml (as pytest finds its rootdir)."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    raise DashgenError(f"no {CONFIG_FILE} in {start} or any parent: run from a dashgen project or pass --project DIR")


class _FromSource(importlib.machinery.SourceFileLoader):
    """Compiles a project module from its source at every load, never through __pycache__: a file edited
    within the same second as the last run, to the same size, would otherwise run as its stale bytecode (the
    cache is keyed by whole-second mtime and size); and dashgen leaves no __pycache__ in the user's project."""

    def get_code(self, fullname: str) -> CodeType:
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)


@contextmanager
def project_packages(project_dir: Path) -> Iterator[None]:
    """`panels` and `alerts` importable as the project's packages while its modules run (their helpers loaded
    from source, as `_import` loads the modules); afterwards removed with every module imported below them (and
    whatever held those names restored), so the next project loaded in this process imports its own. Anything
    the modules print goes to stderr: stdout carries dashgen's product (JSON, diffs, the review)."""
    def ours() -> list[str]:  # every module in sys.modules is looked at, twice a load: a cheap first test
        return [name for name in sys.modules if name.startswith((PANELS_DIR, ALERTS_DIR))
                and name.split(".")[0] in (PANELS_DIR, ALERTS_DIR)]

    saved = {name: sys.modules[name] for name in ours()}
    for name in saved:
        del sys.modules[name]
    finders = {str(project_dir / name): importlib.machinery.FileFinder(str(project_dir / name), (_FromSource, [".py"]))
               for name in (PANELS_DIR, ALERTS_DIR)}
    replaced = {path: sys.path_importer_cache[path] for path in finders if path in sys.path_importer_cache}
    sys.path_importer_cache.update(finders)
    for name in (PANELS_DIR, ALERTS_DIR):
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(project_dir / name)]
        sys.modules[name] = importlib.util.module_from_spec(spec)
    try:
        with redirect_stdout(sys.stderr):
            yield
    finally:
        for name in ours():
            del sys.modules[name]
        sys.modules.update(saved)
        for path in finders:
            sys.path_importer_cache.pop(path, None)
        sys.path_importer_cache.update(replaced)


def discover_board(project_dir: Path) -> BoardDefinitions:
    with project_packages(project_dir):
        return _discover_board(project_dir)


def _discover_board(project_dir: Path) -> BoardDefinitions:
    panels_dir = project_dir / PANELS_DIR
    if not panels_dir.is_dir():
        raise DashgenError(f"no {PANELS_DIR}/ directory in {project_dir}: the board's sections live there")
    variables_file = panels_dir / f"{VARIABLES_MODULE}.py"
    if not variables_file.is_file():
        raise DashgenError(f"no {PANELS_DIR}/{VARIABLES_MODULE}.py: define VARIABLES = variables(...) there")
    variables = _exported(variables_file, "VARIABLES", Variables, "variables(...)")

    sections: list[tuple[Section, Path]] = []
    for path in sorted(panels_dir.glob("*.py")):
        if path.stem.startswith("_") or path.stem == VARIABLES_MODULE:
            continue
        section = _exported(path, "SECTION", Section, "section(...)")
        for other, other_path in sections:
            clash = "title" if other.title == section.title else "order" if other.order == section.order else ""
            if clash:
                value = section.title if clash == "title" else section.order
                raise DashgenError(
                    f"duplicate section {clash} {value!r}: already used in {display_path(str(other_path))}",
                    where=display_path(str(path)),
                )
        sections.append((section, path))
    if not sections:
        raise DashgenError(f"no section modules in {PANELS_DIR}/: add one with SECTION = section(...)")
    ordered = tuple(s for s, _ in sorted(sections, key=lambda pair: pair[0].order))
    return BoardDefinitions(variables=variables, sections=ordered)


def discover_alerts(project_dir: Path) -> AlertDefinitions | None:
    """`alerts/*.py` modules (not starting with `_`) may define ALERTS = [alert(...), ...]; exactly one defines
    ROUTING = routing(...). None when there are no alert modules at all."""
    with project_packages(project_dir):
        return _discover_alerts(project_dir)


def _discover_alerts(project_dir: Path) -> AlertDefinitions | None:
    alerts_dir = project_dir / ALERTS_DIR
    paths = sorted(p for p in alerts_dir.glob("*.py") if not p.stem.startswith("_")) if alerts_dir.is_dir() else []
    if not paths:
        return None
    alerts: list[Alert] = []
    routing: tuple[Routing, Path] | None = None
    for path in paths:
        module = _import(path)
        shown = display_path(str(path))
        found = getattr(module, "ALERTS", None)
        if found is not None:
            if not isinstance(found, list | tuple) or not all(isinstance(a, Alert) for a in found):
                raise DashgenError(f"`ALERTS` in {shown} must be a list of alert(...)")
            for item in found:
                clash = next((a for a in alerts if a.name == item.name), None)
                if clash is not None:
                    raise DashgenError(f"alert {item.name!r} is defined twice (also at {clash.defined_at})",
                                       where=str(item.defined_at))
                alerts.append(item)
        candidate = getattr(module, "ROUTING", None)
        if candidate is not None:
            if not isinstance(candidate, Routing):
                kind = type(candidate).__name__
                raise DashgenError(f"`ROUTING` in {shown} is a {kind}: define ROUTING = routing(...)")
            if routing is not None:
                raise DashgenError(f"ROUTING is defined twice: also in {display_path(str(routing[1]))}", where=shown)
            routing = (candidate, path)
    if routing is None:
        raise DashgenError(f"no `ROUTING` in {ALERTS_DIR}/: define ROUTING = routing(...) in {ALERTS_DIR}/routing.py")
    if not alerts:
        raise DashgenError(f"no `ALERTS` in {ALERTS_DIR}/: define ALERTS = [alert(...), ...] in {ALERTS_DIR}/rules.py")
    return AlertDefinitions(alerts=tuple(alerts), routing=routing[0])


def _exported(path: Path, name: str, kind: type, how: str) -> Any:
    module = _import(path)
    shown = display_path(str(path))
    if not hasattr(module, name):
        raise DashgenError(f"no `{name}` in {shown}: define {name} = {how}")
    value = getattr(module, name)
    if not isinstance(value, kind):
        raise DashgenError(f"`{name}` in {shown} is a {type(value).__name__}: define {name} = {how}")
    return value


def _import(path: Path) -> ModuleType:
    """Run `panels/<x>.py` or `alerts/<x>.py` as the module `panels.<x>` (inside project_packages)."""
    module_name = f"{path.parent.name}.{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path, loader=_FromSource(module_name, str(path)))
    if spec is None or spec.loader is None:  # pragma: no cover - only for non-.py paths
        raise DashgenError("cannot be imported", where=display_path(str(path)))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # as an import would: its own relative imports resolve against it
    try:
        spec.loader.exec_module(module)
    except DashgenError:
        raise
    except SyntaxError as exc:  # in this file or in a helper it imports
        shown = display_path(exc.filename or str(path))
        raise DashgenError(f"syntax error: {exc.msg}", where=f"{shown}:{exc.lineno}" if exc.lineno else shown) \
            from None
    except Exception as exc:
        raise DashgenError(f"{type(exc).__name__}: {exc}", where=_where_in(path, exc)) from None
    finally:
        sys.modules.pop(module_name, None)
    return module


def _where_in(path: Path, exc: BaseException) -> str:
    """file:line of the deepest traceback frame in the project's panels/ or alerts/ (the file, or a helper)."""
    project = path.resolve().parent.parent
    mine = {project / PANELS_DIR, project / ALERTS_DIR}
    where = display_path(str(path))
    for frame in traceback.extract_tb(exc.__traceback__):
        if mine & set(Path(frame.filename).resolve().parents) and frame.lineno:
            where = f"{display_path(frame.filename)}:{frame.lineno}"
    return where
