"""Where the commands print: stdout for the product, stderr for diagnostics; every line redacted."""

from __future__ import annotations

import typer

from dashgen.redact import redact


def out(text: str = "", *, nl: bool = True) -> None:
    typer.echo(redact(text), nl=nl)


def err(text: str) -> None:
    typer.echo(redact(text), err=True)
