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
from dashgen.console import err
from dashgen.errors import EXIT_BROKEN_PIPE, EXIT_BUG, EXIT_CANNOT_RUN, EXIT_INTERRUPTED, DashgenError

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
        err(f"dashgen: error: {exc}")
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    except KeyboardInterrupt:
        typer.echo("dashgen: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:  # `dashgen diff | head`: the reader left; nothing to report
        sys.stderr.close()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Exception:
        err(traceback.format_exc().rstrip())
        typer.echo("dashgen: internal error (a bug in dashgen, please report it with the traceback above)", err=True)
        raise typer.Exit(EXIT_BUG) from None
    raise typer.Exit(code)


Parallel = Annotated[int, typer.Option("--parallel", help="Requests open at once (bounded).")]


@app.command()
def build(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Output directory, replaced as a whole (default: build/ in the project directory; a relative "
        "path is from the current directory).")] = None,
) -> None:
    """Compile the board (and alerts) to Grafana JSON under --out. With --env, defaults follow that environment."""
    from dashgen.commands import build as command

    options: GlobalOptions = ctx.obj
    run(lambda: command.main(project=options.project, env=options.env, out=out))


@app.command()
def diff(
    ctx: typer.Context,
    output: Annotated[str, typer.Option("--output", help="text or json.")] = "text",
    parallel: Parallel = 8,
) -> None:
    """Compare the code with the live Grafana. Exit 0 no difference, 1 differences, 2 could not run."""
    from dashgen.commands import diff as command

    if output not in ("text", "json"):
        raise typer.BadParameter("--output must be text or json")
    options: GlobalOptions = ctx.obj
    run(lambda: command.main(project=options.project, env=options.env, output=output, parallel=parallel))


@app.command()
def apply(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; write nothing.")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Delete managed objects the code no longer defines.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite edits made in Grafana (backed up first).")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    update_secrets: Annotated[
        bool, typer.Option("--update-secrets", help="Re-send contact point secrets even if nothing changed.")
    ] = False,
    parallel: Parallel = 8,
) -> None:
    """Write what changed to Grafana, in dependency order, after showing the plan."""
    from dashgen.commands import apply as command

    options: GlobalOptions = ctx.obj
    run(lambda: command.main(project=options.project, env=options.env, dry_run=dry_run, prune=prune, force=force,
                             yes=yes, parallel=parallel, update_secrets=update_secrets))


@app.command()
def pull(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Output directory, replaced as a whole (default: pulled/ in the project directory; a relative "
        "path is from the current directory).")] = None,
    parallel: Parallel = 8,
) -> None:
    """Fetch the live managed objects, normalised, in the layout of build."""
    from dashgen.commands import pull as command

    options: GlobalOptions = ctx.obj
    run(lambda: command.main(project=options.project, env=options.env, out_dir=out, parallel=parallel))


@app.command()
def lint(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Dashboard or rule-group JSON files (default: the project).")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="text, json or github.")] = "text",
) -> None:
    """Check queries against PromQL and the metric contract, and board/alert hygiene. Exit 0 clean, 1 errors.
    With --env, also check threshold overrides against the clients that environment's datasource knows."""
    from dashgen.commands import lint as command

    if output not in ("text", "json", "github"):
        raise typer.BadParameter("--format must be text, json or github")
    options: GlobalOptions = ctx.obj
    run(lambda: command.main(project=options.project, paths=list(paths or []), output=output, env=options.env))


@app.command("test-alerts")
def test_alerts(ctx: typer.Context) -> None:
    """Run alerts/tests/ scenarios with promtool. Exit 0 all pass, 1 any fails, 2 promtool missing."""
    from dashgen.commands import test_alerts as command

    options: GlobalOptions = ctx.obj
    run(lambda: command.main(project=options.project))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        app(args=list(argv) if argv is not None else None, prog_name="dashgen")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_CANNOT_RUN)
    return 0  # pragma: no cover - typer always exits in standalone mode


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
