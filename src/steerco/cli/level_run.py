"""What `steerco level` does, without Typer: the console entry point runs it through argparse.

Pipelines time the whole command, and Typer (which loads pydantic to coerce parameters) plus the
other command groups cost about a second before any work starts; `cli/entry.py` therefore
dispatches `steerco level` here. `cli/level.py` registers the same command, with the same
options, in the full command tree (for `steerco --help` and the reference docs).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from steerco.services.leveling import ClearedLeveling, LevelingOutcome

DEFAULT_TIME_LIMIT = 5.0  # services.leveling.DEFAULT_TIME_LIMIT, repeated to keep startup light
IMPORT_MAX_BYTES = 200 * 1024 * 1024  # config.Settings.import_max_bytes' default
MIN_SOLVE = 0.1  # seconds left for the search however slow the start was
#: From `cli/entry.py` to the first file read: importing the leveling, 0.2-0.26 s measured
#: (2-core machine). The first plan's search is sized to the limit less this.
STARTUP = 0.22
SPLIT_HELP = "Tasks whose LevelingCanSplit flag is on may pause while others use the people."
CLEAR_HELP = (
    "Clear leveling instead: every leveling delay back to 0 (with --split, the pauses of"
    " tasks leveling may split too)."
)


def _error(message: str) -> None:
    first = message.strip().splitlines()[0] if message.strip() else "failed"
    print(f"error: {first}", file=sys.stderr)


def run_level(
    targets: list[str],
    out: Path | None,
    out_dir: Path | None,
    time_limit: float | None,
    seed: int | None,
    within_slack: bool,
    started: float | None = None,
    *,
    split: bool = False,
    clear: bool = False,
) -> int:
    """Level files (or one stored project); print a summary per plan; the exit code.

    `time_limit` is wall seconds per plan, reading and writing included; for the first plan
    it also covers the time since `started` (the command's startup), so a pipeline that
    times the whole command sees the limit it asked for. None for `time_limit` or `seed`
    means the user gave none (the defaults apply), which `--clear` needs to tell."""
    from steerco.domain import SteercoError

    began = time.perf_counter() if started is None else started

    if time_limit is not None and time_limit <= 0:
        _error("--time-limit must be more than 0 seconds")
        return 2
    if clear:
        # Clearing searches nothing: an option that would be silently ignored is refused.
        given = [
            name
            for name, on in (
                ("--within-slack", within_slack),
                ("--time-limit", time_limit is not None),
                ("--seed", seed is not None),
            )
            if on
        ]
        if given:
            _error(f"--clear takes no {given[0]}: clearing moves tasks back, it levels nothing")
            return 2
    time_limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    seed = 0 if seed is None else seed
    if len(targets) == 1 and not Path(targets[0]).exists() and not targets[0].endswith(".xml"):
        try:
            if clear:
                _clear_stored(targets[0], split)
            else:
                _level_stored(targets[0], time_limit, seed, within_slack, split)
        except SteercoError as exc:
            _error(str(exc))
            return 2
        return 0
    if out is not None and out_dir is not None:
        _error("give either -o or --out-dir, not both")
        return 2
    if out is None and out_dir is None:
        _error("give -o OUT.xml (one input) or --out-dir DIR")
        return 2
    if out is not None and len(targets) > 1:
        _error("-o takes one input file; use --out-dir for several")
        return 2
    from steerco.services.leveling import clear_file, level_file

    try:
        max_bytes = import_max_bytes()
    except SteercoError as exc:
        _error(str(exc))
        return 2
    failed = 0
    for index, target in enumerate(targets):
        source = Path(target)
        try:
            data = source.read_bytes()
            spent = time.perf_counter() - began
            # The search is sized to the limit less an estimate of this start-up, not the
            # start-up measured: then the same file, seed and limit give the same plan.
            budget = time_limit - (STARTUP if index == 0 else 0.0)
            if clear:
                cleared = clear_file(data, max_bytes=max_bytes, split=split)
                output = cleared.output
            else:
                done = level_file(
                    data,
                    max_bytes=max_bytes,
                    time_limit=max(MIN_SOLVE, time_limit - spent),
                    budget=max(MIN_SOLVE, budget),
                    seed=seed,
                    within_slack=within_slack,
                    split=split,
                )
                output = done.output
            dest = out if out is not None else (out_dir or Path()) / source.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(output)
        except (SteercoError, OSError, UnicodeDecodeError) as exc:
            failed += 1
            _error(f"{source}: {exc}")
            continue
        finally:
            began = time.perf_counter()
        if clear:
            _report_cleared(source.name, cleared.outcome)
        else:
            _report(source.name, done.outcome)
    if failed:
        return 2 if len(targets) == 1 else 1
    return 0


def import_max_bytes() -> int:
    """`get_settings().import_max_bytes` without loading pydantic-settings for one number: the
    same variable; the settings themselves read (and report) a value that is not a plain
    number."""
    text = os.environ.get("STEERCO_IMPORT_MAX_BYTES")
    if text is None:
        return IMPORT_MAX_BYTES
    if text.strip().isdigit():
        return int(text)
    from steerco.config import get_settings

    return get_settings().import_max_bytes


def _level_stored(key: str, time_limit: float, seed: int, within_slack: bool, split: bool) -> None:
    from steerco.cli.context import act_as_env_user, actor, app, now
    from steerco.services.leveling import level_stored

    act_as_env_user()
    outcome = level_stored(
        app().uow,
        key,
        time_limit=time_limit,
        seed=seed,
        within_slack=within_slack,
        split=split,
        actor=actor(),
        now=now(),
    )
    _report(outcome.project.key, outcome)


def _clear_stored(key: str, split: bool) -> None:
    from steerco.cli.context import act_as_env_user, actor, app, now
    from steerco.services.leveling_clear import clear_stored

    act_as_env_user()
    outcome = clear_stored(app().uow, key, actor=actor(), now=now(), split=split)
    _report_cleared(outcome.project.key, outcome)


def _report_cleared(label: str, outcome: ClearedLeveling) -> None:
    n = len(outcome.cleared)
    lines = [
        f"{label}: leveling cleared on {n} task{'s' if n != 1 else ''};"
        f" finish {outcome.result.finish:%Y-%m-%d %H:%M}"
        f" (was {outcome.finish_before:%Y-%m-%d %H:%M})"
    ]
    lines += [
        f"  {c.name}: starts {c.start:%Y-%m-%d %H:%M} (was {c.start_before:%Y-%m-%d %H:%M})"
        for c in outcome.cleared
    ]
    print("\n".join(lines))


def _report(label: str, outcome: LevelingOutcome) -> None:
    n = len(outcome.delayed)
    lines = [
        f"{label}: finish {outcome.result.finish:%Y-%m-%d %H:%M}"
        f" (was {outcome.finish_before:%Y-%m-%d %H:%M}); {n} task{'s' if n != 1 else ''}"
        f" delayed; {outcome.status}"
    ]
    lines += [f"  {d.name}: {d.explanation}" for d in outcome.delayed]
    lines += [f"  {s.name}: {s.explanation}" for s in outcome.split]
    if outcome.unleveled:
        lines.append(f"  not leveled (Can Level off): {', '.join(outcome.unleveled)}")
    print("\n".join(lines))


def main(argv: list[str], started: float | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="steerco level",
        description="Level resources: delay tasks so nobody is over-allocated, and explain"
        " each delay.",
    )
    parser.add_argument("targets", nargs="+", help="MS Project XML files, or one project key.")
    parser.add_argument("-o", "--out", type=Path, help="Output file (one input).")
    parser.add_argument("--out-dir", type=Path, help="Folder for outputs.")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help=f"Wall seconds per plan, reading and writing included (default"
        f" {DEFAULT_TIME_LIMIT:g}).",
    )
    parser.add_argument("--seed", type=int, help="Same plan and seed, same result (default 0).")
    parser.add_argument("--within-slack", action="store_true", help="Never move the finish date.")
    parser.add_argument("--split", action="store_true", help=SPLIT_HELP)
    parser.add_argument("--clear", action="store_true", help=CLEAR_HELP)
    try:
        ns = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own one-line usage error
        return 2 if exc.code else 0
    return run_level(
        ns.targets,
        ns.out,
        ns.out_dir,
        ns.time_limit,
        ns.seed,
        ns.within_slack,
        started,
        split=ns.split,
        clear=ns.clear,
    )
