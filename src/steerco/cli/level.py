"""`steerco level` in the full command tree. The work (and the fast entry point that skips
Typer) is in `cli/level_run.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steerco.cli.level_run import CLEAR_HELP, DEFAULT_TIME_LIMIT, SPLIT_HELP, run_level


def level(
    targets: Annotated[list[str], typer.Argument(help="MS Project XML files, or one project key.")],
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Output file (one input).")
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="Folder for outputs.")] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            help=f"Wall seconds per plan, reading and writing included (default"
            f" {DEFAULT_TIME_LIMIT:g}).",
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Same plan and seed, same result (default 0).")
    ] = None,
    within_slack: Annotated[
        bool, typer.Option("--within-slack", help="Never move the finish date.")
    ] = False,
    split: Annotated[bool, typer.Option("--split", help=SPLIT_HELP)] = False,
    clear: Annotated[bool, typer.Option("--clear", help=CLEAR_HELP)] = False,
) -> None:
    """Level resources: delay tasks so nobody is over-allocated, and explain each delay."""
    code = run_level(
        targets, out, out_dir, time_limit, seed, within_slack, split=split, clear=clear
    )
    if code:
        raise typer.Exit(code)
