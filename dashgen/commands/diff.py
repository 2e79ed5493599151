"""`dashgen diff`: what apply would change in the live Grafana. Exit 0 none, 1 differences, 2 could not run."""

from __future__ import annotations

from pathlib import Path

from dashgen.commands.remote import connect, plan_remote
from dashgen.console import out
from dashgen.errors import EXIT_FOUND, EXIT_OK
from dashgen.jsonfile import dumps
from dashgen.sync.render import plan_document, plan_lines


def main(*, project: Path | None, env: str | None, output: str, parallel: int) -> int:
    remote = connect(project, env, parallel=parallel, lint_as="diff")
    plan = plan_remote(remote)
    if output == "json":
        document = plan_document(plan, environment=remote.env_name)
        out(dumps({**document, "api": remote.client.platform().api}), nl=False)
    else:
        out(f"# {remote.describe()}")
        for line in plan_lines(plan, prune=False):
            out(line)
    return EXIT_FOUND if plan.has_differences else EXIT_OK
