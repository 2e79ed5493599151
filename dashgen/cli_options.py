"""The options several commands share, declared once, and how their values are settled.

`--project` and `--env` are accepted before the command (`dashgen --env prod diff`) and after it
(`dashgen diff --env prod`): the same declaration serves the root callback and each command, and
`global_options` merges the two places (the command line beats $DASHGEN_ENV; both places with different values
is a usage error). `-o/--output` is the output FORMAT everywhere; `--out-dir` the output DIRECTORY. Old spellings
(`--out`, lint's `--format`) still work, hidden, with a one-line note on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Generic, NamedTuple, TypeVar

import click
import typer
from click.core import ParameterSource

T = TypeVar("T")

ProjectOption = Annotated[
    Path | None, typer.Option("--project", help="Project directory (default: nearest with dashgen.yaml).")
]
EnvOption = Annotated[str | None, typer.Option(
    "--env", envvar="DASHGEN_ENV",
    help="Environment in dashgen.yaml (default: the one whose url is $GRAFANA_URL, or the only one).",
)]
Parallel = Annotated[int, typer.Option("--parallel", min=1, help="Requests open at once (bounded).")]


def base_option() -> Any:
    """--base REF: the git ref a command compares the working tree with (review; preview's changed panels)."""
    return typer.Option("--base", metavar="REF", help="A git ref (branch, tag, commit) to compare the working tree "
                        "with.", show_default=False)


def out_dir_option(default: str) -> Any:
    """--out-dir DIR, also spelt --out (as the design writes it)."""
    return typer.Option("--out-dir", "--out", help=f"Output directory, replaced as a whole (default: {default}/ in the "
                        "project directory; a relative path is from the current directory).", show_default=False)


def output_option(*choices: str) -> Any:
    """-o/--output FORMAT: the one spelling of an output format, its choices checked by click."""
    return typer.Option("-o", "--output", click_type=click.Choice(choices), help="Output format.")


def old_output_option(name: str, *choices: str) -> Any:
    """A command's former spelling of -o/--output, kept working but hidden."""
    return typer.Option(name, hidden=True, click_type=click.Choice(choices), help="Deprecated: -o/--output.")


def example(*lines: str) -> str:
    """An `--help` epilog: an "Example:" block, printed as written (click does not re-wrap a \\b paragraph)."""
    return "\b\nExample:\n" + "\n".join(f"  {line}" for line in lines)


class GlobalOptions(NamedTuple):  # not a dataclass: `--help` and `--version` need not import dataclasses
    """--project and --env as given before the command (the root callback puts them in ctx.obj)."""

    project: Path | None
    env: str | None


def global_options(ctx: typer.Context, *, project: Path | None, env: str | None = None) -> GlobalOptions:
    """--project and --env given after the command, merged with the same options given before it."""
    before: GlobalOptions = ctx.find_root().obj
    return GlobalOptions(project=_merged(ctx, "project", project, before.project),
                         env=_merged(ctx, "env", env, before.env))


def _merged(ctx: typer.Context, name: str, here: T, before: T) -> T:
    typed_here = ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
    typed_before = ctx.find_root().get_parameter_source(name) is ParameterSource.COMMANDLINE
    if typed_here and typed_before and not _same(here, before):
        raise click.UsageError(f"--{name} is given twice, {str(before)!r} before the command and {str(here)!r} "
                               "after it: give it once", ctx=ctx)
    if typed_here or not typed_before:
        return here if here is not None else before
    return before


def _same(a: object, b: object) -> bool:
    if isinstance(a, Path) and isinstance(b, Path):
        return a.resolve() == b.resolve()
    return a == b


class Renamed(NamedTuple, Generic[T]):
    value: T
    note: str | None  # the deprecation note for stderr when the old name was given; the caller prints it


def renamed(ctx: typer.Context, name: str, value: T, *, old: str, old_value: T | None) -> Renamed[T]:
    """The value of option `name` (`output`), which was called `old` (`--format`): the old name still works,
    with a note for stderr; both names with different values is a usage error."""
    if old_value is None:
        return Renamed(value, None)
    new = "/".join(next(p.opts for p in ctx.command.params if p.name == name))
    if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE and value != old_value:
        raise click.UsageError(f"{old} is the old name of {new}: give {new} only", ctx=ctx)
    return Renamed(old_value, f"dashgen: note: {old} is deprecated; use {new}")
