"""The `steerco` console entry point.

`steerco level` and `steerco schedule FILE.xml` are timed by the pipelines that call them, so
they are dispatched before Typer and the whole command tree (every command group, the database
layer, the web app) are imported; every other command goes through `cli.app`.
"""

from __future__ import annotations

import sys
import time


def main() -> None:
    started = time.perf_counter()  # `--time-limit` counts the command's own startup too
    if sys.argv[1:2] == ["level"] and not {"--help", "-h"} & set(sys.argv[2:]):
        from steerco.cli.level_run import main as level

        sys.exit(level(sys.argv[2:], started=started))
    if sys.argv[1:2] == ["schedule"] and not {"--help", "-h"} & set(sys.argv[2:]):
        from steerco.cli.schedule_run import main as schedule

        code = schedule(sys.argv[2:])
        if code is not None:
            sys.exit(code)
    from steerco.cli.app import main as full

    full()
