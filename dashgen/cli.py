"""The `dashgen` command line: global options, the one place errors become exit codes, and the commands."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from dashgen import __version__
from dashgen.errors import EXIT_BUG, EXIT_CANNOT_RUN, EXIT_INTERRUPTED, DashgenError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Grafana-as-code for the market-making desk: build, diff and apply the board and its alerts.",
)


@dataclass(frozen=True)
class GlobalOptions:
    project: Path | None
    env: str | None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dashgen {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    project: Annotated[
        Path | None, typer.Option("--project", help="Project directory (default: nearest with dashgen.yaml).")
    ] = None,
    env: Annotated[str | None, typer.Option("--env", envvar="DASHGEN_ENV", help="Environment name.")] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    ctx.obj = GlobalOptions(project=project, env=env)


def run(command: Callable[[], int]) -> None:
    """Run a subcommand: a DashgenError is one line on stderr and exit 2; a bug is a traceback and exit 3."""
    try:
        code = command()
    except DashgenError as exc:
        typer.echo(f"dashgen: error: {exc}", err=True)
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    except KeyboardInterrupt:
        typer.echo("dashgen: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except Exception:
        traceback.print_exc()
        typer.echo("dashgen: internal error (a bug in dashgen, please report it with the traceback above)", err=True)
        raise typer.Exit(EXIT_BUG) from None
    raise typer.Exit(code)


@app.command()
def build(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("build"),
) -> None:
    """Compile the board (and alerts) to Grafana JSON under --out."""
    from dashgen.commands import build as build_command

    options: GlobalOptions = ctx.obj
    run(lambda: build_command.main(project=options.project, out=out))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        app(args=list(argv) if argv is not None else None, prog_name="dashgen")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_CANNOT_RUN)
    return 0  # pragma: no cover - typer always exits in standalone mode


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
