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
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the independent XML check lives with the tests

from steerco.interop.mspdi import write_mspdi  # noqa: E402
from steerco.interop.psplib import data_root, instance_key, load_bounds, read_sm, to_project  # noqa: E402
from steerco.services.leveling import level_file  # noqa: E402
from tests.psplib_plans import START, check_leveled_file, makespan_days, working_days  # noqa: E402

DEFAULT_LIMIT = {"j30": 48, "j60": 24, "j120": 20}
TIME_LIMIT = {"j30": 1.0, "j60": 2.0, "j120": 5.0}  # seconds per instance (the targets)
MAX_BYTES = 200 * 2**20


@dataclass
class Row:
    name: str
    makespan: int
    baseline: int
    ub: int
    cpm_lb: int
    seconds: float
    proven: bool
    cli_seconds: float | None = None


def sample(names: list[str], limit: int) -> list[str]:
    names = sorted(names, key=instance_key)
    if limit <= 0 or limit >= len(names):
        return names
    step = len(names) / limit
    return [names[int(i * step)] for i in range(limit)]


def pct(a: float, b: float) -> float:
    return 100.0 * (a - b) / b


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
            rows.append(row)
    report(name, len(bounds), rows, tl)
    return rows


def report(name: str, total: int, rows: list[Row], tl: float) -> None:
    ref = "optimum" if name == "j30" else "best known"
    mean = statistics.fmean
    print(f"\n{name} via MS Project XML: {len(rows)} of {total} instances, time limit {tl:g} s")
    print(f"  {'':28} {'steerco':>10} {'LFT 1-pass':>11}")
    print(f"  {'mean % above ' + ref:28} {mean(pct(r.makespan, r.ub) for r in rows):>9.2f}% "
          f"{mean(pct(r.baseline, r.ub) for r in rows):>10.2f}%")  # fmt: skip
    print(f"  {'mean % above cpm_lb':28} {mean(pct(r.makespan, r.cpm_lb) for r in rows):>9.2f}% "
          f"{mean(pct(r.baseline, r.cpm_lb) for r in rows):>10.2f}%")  # fmt: skip
    print(f"  {'at ' + ref:28} {sum(r.makespan <= r.ub for r in rows):>10} "
          f"{sum(r.baseline <= r.ub for r in rows):>11}")  # fmt: skip
    print(f"  {'proven optimal':28} {sum(r.proven for r in rows):>10}")
    print(f"  {'seconds mean / max (file)':28} {mean(r.seconds for r in rows):>6.2f} / "
          f"{max(r.seconds for r in rows):.2f}")  # fmt: skip
    timed = [r.cli_seconds for r in rows if r.cli_seconds is not None]
    if timed:
        print(f"  {'seconds mean / max (CLI)':28} {mean(timed):>6.2f} / {max(timed):.2f}")
    worst = sorted(rows, key=lambda r: pct(r.makespan, r.ub), reverse=True)[:3]
    print("  worst: " + ", ".join(f"{r.name} {r.makespan} vs {r.ub}" for r in worst))


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
