"""Leveling through the file path users run: PSPLIB instances as MS Project XML in, leveled
MS Project XML out (`services.leveling.level_file`, what `steerco level` calls), beside one
pass of the LFT priority rule (what commercial tools do) from the same run.

Each output is checked from the XML alone (lxml: durations, links, no resource above its max
units at any minute) before it counts, and its finish is read back as working days.

    .venv/bin/python benchmarks/bench_level_files.py                 # default sample
    .venv/bin/python benchmarks/bench_level_files.py --set j30 --limit 0   # all 480 j30
    .venv/bin/python benchmarks/bench_level_files.py --cli --limit 10      # also time the CLI

Data: `$STEERCO_DATA/psplib` (default /work/shared/data/psplib).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the independent XML check lives with the tests

from psplib_report import DEFAULT_LIMIT, TIME_LIMIT, Row, report, sample  # noqa: E402

from steerco.interop.mspdi import write_mspdi  # noqa: E402
from steerco.interop.psplib import data_root, load_bounds, read_sm, to_project  # noqa: E402
from steerco.services.leveling import level_file  # noqa: E402
from tests.psplib_plans import START, check_leveled_file, makespan_days, working_days  # noqa: E402

MAX_BYTES = 200 * 2**20


def run_set(name: str, limit: int, time_limit: float | None, seed: int, cli: bool) -> list[Row]:
    folder = data_root() / "psplib" / name
    if not folder.is_dir():
        print(f"{name}: no data at {folder}, skipped")
        return []
    bounds = load_bounds(folder)
    tl = time_limit if time_limit is not None else TIME_LIMIT[name]
    rows: list[Row] = []
    exe = Path(sys.executable).with_name("steerco")
    with tempfile.TemporaryDirectory() as tmp:
        for inst_name in sample(list(bounds), limit):
            source = write_mspdi(to_project(read_sm(folder / inst_name), START))
            t = time.perf_counter()
            done = level_file(source, max_bytes=MAX_BYTES, time_limit=tl, seed=seed)
            seconds = time.perf_counter() - t
            bad = check_leveled_file(source, done.output)
            if bad:
                print(f"  {inst_name}: INVALID {bad[:3]}")
                sys.exit(1)
            b = bounds[inst_name]
            row = Row(
                inst_name,
                makespan_days(done.output),
                working_days(START.date(), done.outcome.baseline_finish),
                b.ub,
                b.cpm_lb,
                seconds,
                done.outcome.status == "optimal",
            )
            if cli:
                src, out = Path(tmp) / "in.xml", Path(tmp) / "out.xml"
                src.write_bytes(source)
                t = time.perf_counter()
                subprocess.run(
                    [str(exe), "level", str(src), "-o", str(out), "--time-limit", str(tl)],
                    check=True,
                    capture_output=True,
                )
                row.cli_seconds = time.perf_counter() - t
                if check_leveled_file(source, out.read_bytes()):
                    print(f"  {inst_name}: CLI output INVALID")
                    sys.exit(1)
                row.cli_makespan = makespan_days(out.read_bytes())
                if row.cli_makespan != row.makespan:
                    print(f"  {inst_name}: CLI {row.cli_makespan} days, in process {row.makespan}")
            rows.append(row)
    heading = (
        f"\n{name} via MS Project XML: {len(rows)} of {len(bounds)} instances, time limit {tl:g} s"
    )
    report(heading, name, rows, proven="proven optimal", seconds="seconds mean / max (file)")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="all", choices=["j30", "j60", "j120", "all"])
    ap.add_argument("--limit", type=int, default=None, help="instances per set; 0 = all")
    ap.add_argument("--time-limit", type=float, default=None, help="seconds per instance")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cli", action="store_true", help="also time `steerco level` per file")
    args = ap.parse_args()
    for s in ["j30", "j60", "j120"] if args.set == "all" else [args.set]:
        limit = DEFAULT_LIMIT[s] if args.limit is None else args.limit
        run_set(s, limit, args.time_limit, args.seed, args.cli)


if __name__ == "__main__":
    main()
