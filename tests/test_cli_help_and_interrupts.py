"""The command line as a user meets it: plain --help with an example, shell completion, and Ctrl-C at any moment
(even while Python is still importing dashgen) answered with one line and exit 130."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shellingham
import typer

import dashgen
from dashgen.cli import app

from .factories import small_project

PACKAGE = Path(dashgen.__file__).parent
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_the_commands_are_the_ones_the_help_tests_cover() -> None:
    assert COMMANDS == ["apply", "build", "diff", "lint", "preview", "pull", "review", "test-alerts"]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=["dashgen", *COMMANDS])
def test_help_is_plain_text_and_ends_with_an_example(cli, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = cli(*command, "--help")
    assert result.code == 0 and result.err == ""
    assert "\\" not in result.out, result.out  # typer escaped "[default: ...]" as "\[default: ...]"
    example = result.out.rstrip("\n").split("\n\n")[-1].splitlines()
    assert example[0] == "  Example:", result.out
    assert example[1:] and all(line.startswith("    dashgen ") for line in example[1:]), result.out


def test_help_shows_defaults_and_choices_plainly(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("diff", "--help").out
    assert "-o, --output [text|json]  Output format.  [default: text]" in out
    assert "[env var: DASHGEN_ENV]" in " ".join(cli("--help").out.split())


def test_shell_completion_script_and_answers(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert "--install-completion" in cli("--help").out and "--show-completion" in cli("--help").out
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")  # name the shell instead of detecting it
    script = cli("--show-completion", "bash")
    assert script.code == 0 and "complete -o default -F _dashgen_completion dashgen" in script.out
    monkeypatch.setenv("_DASHGEN_COMPLETE", "complete_bash")  # what the script runs on <TAB>
    monkeypatch.setenv("COMP_WORDS", "dashgen di")
    monkeypatch.setenv("COMP_CWORD", "1")
    assert cli().out.split() == ["diff"]
    monkeypatch.setenv("COMP_WORDS", "dashgen diff --ou")
    monkeypatch.setenv("COMP_CWORD", "2")
    assert cli().out.split() == ["--output"]


def test_completion_outside_a_shell_is_one_line_not_a_traceback(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def no_shell() -> tuple[str, str]:
        raise shellingham.ShellDetectionFailure

    monkeypatch.setattr(shellingham, "detect_shell", no_shell)
    for option in ("--show-completion", "--install-completion"):
        result = cli(option)
        assert (result.code, result.err) == (2, "dashgen: error: cannot tell which shell runs dashgen: run it from the "
                                                "bash, zsh or fish to complete in\n")


def _sigint_as_a_terminal_delivers_it() -> None:
    """A test run in the background inherits SIGINT ignored (as its child would): undo that for the child."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt(argv: list[str], delay_s: float, cwd: Path) -> tuple[int, str]:
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd,
                               preexec_fn=_sigint_as_a_terminal_delivers_it)
    time.sleep(delay_s)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    return process.returncode, err.decode()


def _before_the_handler(code: int, err: str) -> bool:
    """Interrupted before dashgen's SIGINT handler was in place: killed by the signal before the interpreter
    handles it; in the interpreter's own set-up, `site` included (an editable install makes it import pathlib &
    co); or while Python finds and loads dashgen.entry, whose first act is to install the handler (frames of runpy,
    importlib, an editable install's finder, the console script, `python -m`'s dashgen/__main__.py and
    dashgen/entry.py's own imports, and nothing else of dashgen; importlib may also report it as "Exception
    ignored" and carry on)."""
    if (code == -signal.SIGINT and err == "") or "Fatal Python error: init_" in err:
        return True
    if err.startswith("Error processing line ") and "<frozen site>" in err:  # site reads the editable .pth
        return True  # site reports the interrupt of a .pth line and carries on, before any dashgen code
    frames = re.findall(r'File "([^"]+)", line \d+, in (\S+)', err)
    ours = [(Path(f).name, name) for f, name in frames if f.startswith(f"{PACKAGE}/")]
    loading = {("__main__.py", "<module>"), ("entry.py", "<module>")}
    return err.rstrip().endswith(("KeyboardInterrupt", "KeyboardInterrupt:")) and set(ours) <= loading


@pytest.mark.slow
@pytest.mark.parametrize("how", ["module", "console-script"])
def test_ctrl_c_while_starting_is_one_line_and_exit_130(how: str, tmp_path: Path) -> None:
    start = ([sys.executable, "-m", "dashgen"] if how == "module" else [str(Path(sys.executable).with_name("dashgen"))])
    root = small_project(tmp_path / "full", full=True)
    argv = [*start, "--project", str(root), "build", "--out-dir", str(tmp_path / "out")]
    landed, outcomes = 0, []
    for delay_ms in (20, 30, 40, 50, 60, 80, 100, 130, 160, 200, 250, 300, 400, 500, 700, 1000, 1500):
        code, err = _interrupt(argv, delay_ms / 1000, tmp_path)
        if _before_the_handler(code, err) or (code == 0 and err == ""):  # or the build was already done
            outcomes.append((delay_ms, code))
            continue
        assert "Traceback" not in err, (delay_ms, err)
        assert (code, err) == (130, "dashgen: interrupted\n"), delay_ms
        landed += 1
        if landed == 3:
            break
    assert landed == 3, outcomes  # enough signals arrived while dashgen imported, parsed or ran (later when loaded)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_while_a_command_runs_unwinds_it_then_exits_128_plus_n(
        signum: int, capsys: pytest.CaptureFixture[str]) -> None:
    """A cancelled CI job (SIGTERM) or a closed terminal (SIGHUP) stops the command the way Ctrl-C does, so
    that what it started is stopped and removed on the way out; the handler is given back afterwards."""
    from dashgen.cli import run

    cleaned = []

    def command() -> int:
        try:
            os.kill(os.getpid(), signum)
            time.sleep(5)  # never reached: the signal is raised here
            return 0
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # CI's second signal: it does not cut the unwinding short
            cleaned.append(True)

    before = signal.getsignal(signum)
    with pytest.raises(typer.Exit) as stopped:
        run(command)
    assert stopped.value.exit_code == 128 + signum
    assert cleaned == [True]
    assert capsys.readouterr().err == f"dashgen: stopped by {signal.Signals(signum).name}\n"
    assert signal.getsignal(signum) is before
