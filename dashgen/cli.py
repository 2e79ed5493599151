"""The `dashgen` command line: global options, the one place errors become exit codes, and the commands.

The console script starts in dashgen.entry (Ctrl-C while starting); shared options live in dashgen.cli_options.

No `from __future__ import annotations` here: typer reads every command's parameter types on each run, and
string annotations would be compiled and evaluated each time (~3 ms of every command, --help included)."""

import contextlib
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated

import click
import typer
import typer.core
from shellingham import ShellDetectionFailure

from dashgen import __version__
from dashgen.cli_options import (
    EnvOption,
    GlobalOptions,
    Parallel,
    ProjectOption,
    base_option,
    example,
    global_options,
    old_output_option,
    out_dir_option,
    output_option,
    renamed,
)
from dashgen.entry import Terminated, interrupts_raise, interrupts_restored
from dashgen.errors import EXIT_BROKEN_PIPE, EXIT_BUG, EXIT_CANNOT_RUN, EXIT_INTERRUPTED, DashgenError

# typer <0.20 escapes the "[default: ...]" of an option for rich markup whenever rich is installed, even with
# rich_markup_mode=None, so the plain help read "\[default: text]" (fastapi/typer#1058). dashgen's help is plain
# text: tell typer's help formatter that rich is absent (it is also what keeps rich out of the start-up).
typer.core.HAS_RICH = False

app = typer.Typer(
    add_completion=True,  # --install-completion, --show-completion
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Grafana-as-code: build, diff and apply a Grafana board and its alerts from Python and YAML.",
    epilog=example("dashgen build && dashgen --env prod diff"),
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dashgen {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    project: ProjectOption = None,
    env: EnvOption = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Each command merges --project and --env given here with the same options given after it."""
    ctx.obj = GlobalOptions(project=project, env=env)


def run(command: Callable[[], int]) -> None:
    """Run a subcommand: a DashgenError is one line on stderr and exit 2; a bug is a traceback and exit 3."""
    replaced = interrupts_raise()
    try:
        code = command()
    except DashgenError as exc:
        from dashgen.console import err  # the redactor is loaded when there is something to print

        err(f"dashgen: error: {exc}")
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    except Terminated as exc:
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            typer.echo(f"dashgen: stopped by {signal.Signals(exc.signum).name}", err=True)
        raise typer.Exit(128 + exc.signum) from None
    except (KeyboardInterrupt, click.exceptions.Abort):  # Abort: Ctrl-C (or end of input) at apply's question
        typer.echo("dashgen: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:  # `dashgen diff | head`: the reader left; nothing to report
        sys.stderr.close()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Exception:
        from dashgen.console import err

        err(traceback.format_exc().rstrip())
        typer.echo("dashgen: internal error (a bug in dashgen, please report it with the traceback above)", err=True)
        raise typer.Exit(EXIT_BUG) from None
    finally:
        interrupts_restored(replaced)
    raise typer.Exit(code)


@app.command(epilog=example("dashgen build --out-dir build", "dashgen --env prod build --out-dir build-prod"))
def build(
    ctx: typer.Context,
    out_dir: Annotated[Path | None, out_dir_option("build")] = None,
    project: ProjectOption = None,
    env: EnvOption = None,
) -> None:
    """Compile the board (and alerts) to Grafana JSON under --out-dir. With --env, defaults follow that environment."""
    from dashgen.commands import build as command

    options = global_options(ctx, project=project, env=env)
    directory = out_dir
    run(lambda: command.main(project=options.project, env=options.env, out=directory))


@app.command(epilog=example("dashgen diff --env prod", "dashgen diff --env prod -o json > plan.json"))
def diff(
    ctx: typer.Context,
    output: Annotated[str, output_option("text", "json")] = "text",
    parallel: Parallel = 8,
    project: ProjectOption = None,
    env: EnvOption = None,
) -> None:
    """Compare the code with the live Grafana. Exit 0 no difference, 1 differences, 2 could not run."""
    from dashgen.commands import diff as command

    options = global_options(ctx, project=project, env=env)
    run(lambda: command.main(project=options.project, env=options.env, output=output, parallel=parallel))


@app.command(epilog=example("dashgen apply --env prod --dry-run", "dashgen apply --env prod --yes"))
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
    project: ProjectOption = None,
    env: EnvOption = None,
) -> None:
    """Write what changed to Grafana, in dependency order, after showing the plan."""
    from dashgen.commands import apply as command

    options = global_options(ctx, project=project, env=env)
    run(lambda: command.main(project=options.project, env=options.env, dry_run=dry_run, prune=prune, force=force,
                             yes=yes, parallel=parallel, update_secrets=update_secrets))


@app.command(epilog=example("dashgen pull --env prod --out-dir pulled && diff -r build pulled"))
def pull(
    ctx: typer.Context,
    out_dir: Annotated[Path | None, out_dir_option("pulled")] = None,
    parallel: Parallel = 8,
    project: ProjectOption = None,
    env: EnvOption = None,
) -> None:
    """Fetch the live managed objects, normalised, in the layout of build."""
    from dashgen.commands import pull as command

    options = global_options(ctx, project=project, env=env)
    directory = out_dir
    run(lambda: command.main(project=options.project, env=options.env, out_dir=directory, parallel=parallel))


@app.command(epilog=example("dashgen lint", "dashgen lint -o github build/dashboards/*.json"))
def lint(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Dashboard or rule-group JSON files (default: the project).")] = None,
    output: Annotated[str, output_option("text", "json", "github")] = "text",
    old_format: Annotated[str | None, old_output_option("--format", "text", "json", "github")] = None,
    project: ProjectOption = None,
    env: EnvOption = None,
) -> None:
    """Check queries against PromQL and the metric contract, and board/alert hygiene. Exit 0 clean, 1 errors.
    With --env, also check threshold overrides against the clients that environment's datasource knows."""
    from dashgen.commands import lint as command

    options = global_options(ctx, project=project, env=env)
    output, note = renamed(ctx, "output", output, old="--format", old_value=old_format)
    if note is not None:
        from dashgen.console import err  # not imported for --help

        err(note)
    run(lambda: command.main(project=options.project, paths=list(paths or []), output=output,
                             env=options.env))


@app.command(epilog=example("dashgen preview", "dashgen preview --base origin/main --prometheus http://localhost:9090"))
def preview(
    ctx: typer.Context,
    out_dir: Annotated[Path | None, out_dir_option("build/preview")] = None,
    base: Annotated[str | None, base_option()] = None,
    prometheus: Annotated[str | None, typer.Option(
        "--prometheus", metavar="URL", help="Prometheus to draw the data from (default: a local one on synthetic "
        "desk data when prometheus is installed, else the layout alone).")] = None,
    project: ProjectOption = None,
    env: EnvOption = None,
) -> None:
    """Write a static HTML page of the board (index.html) with its charts; with --base, changed panels outlined."""
    from dashgen.commands import preview as command

    options = global_options(ctx, project=project, env=env)
    directory = out_dir
    run(lambda: command.main(project=options.project, env=options.env, out=directory, base=base,
                             prometheus=prometheus))


@app.command("test-alerts", epilog=example("dashgen test-alerts"))
def test_alerts(ctx: typer.Context, project: ProjectOption = None) -> None:
    """Run alerts/tests/ scenarios with promtool. Exit 0 all pass, 1 any fails, 2 promtool missing."""
    from dashgen.commands import test_alerts as command

    options = global_options(ctx, project=project)
    run(lambda: command.main(project=options.project))


@app.command(epilog=example("dashgen review --base origin/main > review.md",
                            "dashgen review --base HEAD~1 -o text"))
def review(
    ctx: typer.Context,
    base: Annotated[str, base_option()],
    output: Annotated[str, output_option("markdown", "text", "json")] = "markdown",
    project: ProjectOption = None,
) -> None:
    """What changed between a git ref and the working tree, per board, panel, rule and route, in words for a pull
    request. Exit 0 when it could compare, 2 when it could not."""
    from dashgen.commands import review as command

    options = global_options(ctx, project=project)
    run(lambda: command.main(project=options.project, base=base, output=output))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        app(args=list(argv) if argv is not None else None, prog_name="dashgen")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_CANNOT_RUN)
    except ShellDetectionFailure:  # --install-completion or --show-completion outside an interactive shell
        from dashgen.console import err

        err("dashgen: error: cannot tell which shell runs dashgen: run it from the bash, zsh or fish to complete in")
        return EXIT_CANNOT_RUN
    return 0  # pragma: no cover - typer always exits in standalone mode


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
