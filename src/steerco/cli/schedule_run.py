"""What `steerco schedule FILE.xml ...` does, and the way in that skips Typer.

A pipeline times the whole command, and Typer (which loads pydantic), rich and the other
command groups cost about as much as scheduling 30,000 tasks before any work starts. The
console entry point (`cli/entry.py`) therefore hands a plain file run here, parsed with
argparse. Anything else (a stored project, `--help`, a usage error, a date Typer would
refuse) goes to the full command tree, which registers the same command in `cli/files.py`
and calls the same `schedule_files` below, so both ways print and write the same bytes.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from steerco.domain import Project
    from steerco.engine.result import ScheduleResult

STATUS_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M")  # what the Typer option accepts

# A line rich would print unchanged: printable ASCII with no markup ("[") and nothing that
# could be an emoji code (":name:"). Other lines go through rich, as the full CLI prints them.
_PLAIN = re.compile(r"[\x20-\x5a\x5c-\x7e]*")
_EMOJI_LIKE = re.compile(r":\S*?:")


def say(line: str) -> None:
    """`cli.context.console.print(line)`, without importing rich for a plain line."""
    if _PLAIN.fullmatch(line) and _EMOJI_LIKE.search(line) is None:
        sys.stdout.write(line + "\n")
        return
    from steerco.cli.context import console

    console.print(line)


def summary(project: Project, result: ScheduleResult) -> str:
    names = {t.uid: t.name for t in project.tasks}
    path = " -> ".join(names.get(uid, str(uid)) for uid in result.critical_path) or "(none)"
    line = f"finish {result.finish:%Y-%m-%d %H:%M}; critical path: {path}"
    if result.conflicts:
        line += f"; {len(result.conflicts)} constraint conflict(s)"
    return line


def schedule_files(
    targets: list[str],
    out: Path | None,
    out_dir: Path | None,
    status_date: datetime | None,
    max_bytes: int,
    *,
    exit_when_done: bool = False,
) -> int:
    """Schedule each file to its output; a failing file is one line on stderr. Returns how
    many failed. With `exit_when_done` (the console script's fast path), the process ends
    once the last file is written and reported (see `_exit`)."""
    from steerco.cli.forked import forked, reap
    from steerco.domain import SteercoError
    from steerco.engine.gcpause import paused_gc
    from steerco.services import scheduling

    failed = 0
    for n, target in enumerate(targets, 1):
        source = Path(target)
        # The file's objects are let go before the cyclic GC resumes: resumed with millions of
        # them alive, its next pass walks them all (0.3 s at 100,000 tasks). See engine.gcpause.
        with paused_gc():
            try:
                # Rows are read and written in two processes on this path only (a
                # short-lived command, never the server): see cli/forked.py.
                done = scheduling.schedule_file(
                    source.read_bytes(),
                    max_bytes=max_bytes,
                    status_date=status_date,
                    split=forked,
                )
                dest = out if out is not None else (out_dir or Path()) / source.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                with dest.open("wb") as f:
                    f.writelines(done.parts)
            except (SteercoError, OSError) as exc:
                failed += 1
                sys.stdout.flush()
                print(f"error: {source}: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
                continue
            finally:
                reap()  # no child left behind, whatever happened
            say(f"{source.name}: {summary(done.project, done.result)}")
            if exit_when_done and n == len(targets):
                _exit(1 if failed else 0)
            del done
    return failed


def _exit(code: int) -> None:
    """End the process now, without taking the last plan's millions of objects apart one by
    one (0.2-0.3 s at 100,000 tasks) only for the process to end. Everything is written; the
    console streams are flushed here, and if that fails the normal exit reports it."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


class _NotPlain(Exception):
    """The arguments are not a plain file run: the full command tree takes them."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # never returns
        raise _NotPlain(message)


def _status_date(text: str | None) -> datetime | None:
    if text is None:
        return None
    for fmt in STATUS_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise _NotPlain(text)


def main(argv: list[str]) -> int | None:
    """Run `steerco schedule ARGV` when it is a plain file run; None hands it to Typer."""
    parser = _Parser(prog="steerco schedule", add_help=False, allow_abbrev=False)
    parser.add_argument("targets", nargs="+")
    parser.add_argument("-o", "--out", type=Path)
    parser.add_argument("--out-dir", type=Path)
    parser.add_argument("--status-date")
    try:
        ns = parser.parse_args(argv)
        status_date = _status_date(ns.status_date)
    except _NotPlain:
        return None
    targets: list[str] = ns.targets
    if len(targets) == 1 and not Path(targets[0]).exists() and not targets[0].endswith(".xml"):
        return None  # a stored project: the database layer and the actor are needed
    if (ns.out is None) == (ns.out_dir is None) or (ns.out is not None and len(targets) > 1):
        return None  # the full command reports the usage error in its own words
    from steerco.cli.level_run import import_max_bytes

    failed = schedule_files(
        targets, ns.out, ns.out_dir, status_date, import_max_bytes(), exit_when_done=True
    )
    return 1 if failed else 0
