"""Resource leveling against PSPLIB bounds, beside one pass of the LFT priority rule.

The LFT single pass is what commercial tools do (one priority rule, serial schedule generation);
steerco's figures come from `steerco.engine.rcpsp.level`, the same entry point the services use.
Every plan is checked by the independent `violations` checker before it counts.

    .venv/bin/python benchmarks/bench_leveling.py                 # default sample, a few minutes
    .venv/bin/python benchmarks/bench_leveling.py --set j30 --limit 0   # all 480 j30 instances
    .venv/bin/python benchmarks/bench_leveling.py --set big           # 10,000 activities only

Data: `$STEERCO_DATA/psplib` (default /work/shared/data/psplib).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from psplib_report import DEFAULT_LIMIT, TIME_LIMIT, Row, report, sample

from steerco.engine.rcpsp import (
    LinkType,
    ProblemBuilder,
    ProblemData,
    SolveParams,
    level,
    violations,
)
from steerco.interop.psplib import data_root, load_bounds, read_sm

KINDS = [LinkType.FS] * 7 + [LinkType.SS, LinkType.FF, LinkType.SF]


def run_set(name: str, limit: int, time_limit: float | None, seed: int, det: bool) -> None:
    folder = data_root() / "psplib" / name
    if not folder.is_dir():
        print(f"{name}: no data at {folder}, skipped")
        return
    bounds = load_bounds(folder)
    picked = sample(list(bounds), limit)
    tl = time_limit if time_limit is not None else TIME_LIMIT[name]
    rows: list[Row] = []
    for inst_name in picked:
        inst = read_sm(folder / inst_name)
        res = level(inst.problem, SolveParams(time_limit=tl, seed=seed, deterministic=det))
        bad = violations(inst.problem, res.starts)
        if not res.has_plan or bad or res.makespan is None or res.baseline_makespan is None:
            print(f"  {inst_name}: INVALID {res.status} {bad[:3]}")
            sys.exit(1)
        b = bounds[inst_name]
        rows.append(
            Row(inst_name, res.makespan, res.baseline_makespan, b.ub, b.cpm_lb, res.seconds,
                res.status.value == "optimal")
        )  # fmt: skip
    total = len(bounds)
    report(
        f"\n{name}: {len(rows)} of {total} instances (every {total / len(rows):.1f}th), "
        f"time limit {tl:g} s, {'deterministic' if det else 'wall-clock only'}",
        name,
        rows,
        proven="proven optimal by steerco",
        seconds="seconds mean / max",
    )


def big_plan(n: int = 10_000, m: int = 50, seed: int = 7) -> ProblemData:
    """A generated IT portfolio: chains of work with mixed link types and shared teams."""
    rng = np.random.default_rng(seed)
    b = ProblemBuilder()
    caps = rng.integers(2, 9, size=m)
    for r in range(m):
        b.add_resource(int(caps[r]), f"team {r}")
    for j in range(n):
        k = int(rng.integers(1, 3))
        teams = rng.choice(m, size=k, replace=False)
        demands = {int(r): int(rng.integers(1, max(2, caps[r] // 2 + 1))) for r in teams}
        b.add_activity(int(rng.integers(1, 11)), demands, name=f"task {j}")
        if j >= 1:
            for p in set(rng.integers(max(0, j - 300), j, size=int(rng.integers(1, 3))).tolist()):
                kind = KINDS[int(rng.integers(0, len(KINDS)))]
                lag = int(rng.integers(0, 3)) if kind is not LinkType.SF else 2
                b.add_link(int(p), j, kind, lag)
    return b.build()


def run_big(time_limit: float | None, seed: int) -> None:
    t = time.perf_counter()
    problem = big_plan()
    built = time.perf_counter() - t
    res = level(problem, SolveParams(time_limit=time_limit or 10.0, seed=seed))
    bad = violations(problem, res.starts)
    print(f"\nbig: 10,000 activities, 50 resources (built in {built:.1f} s)")
    print(f"  status {res.status.value}, method {res.method.value}, valid: {not bad}")
    print(f"  makespan {res.makespan} (LFT 1-pass {res.baseline_makespan}, lower bound "
          f"{res.lower_bound}), {res.seconds:.2f} s, {len(res.explanations)} delays explained")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="all", choices=["j30", "j60", "j120", "big", "all"])
    ap.add_argument("--limit", type=int, default=None, help="instances per set; 0 = all")
    ap.add_argument("--time-limit", type=float, default=None, help="seconds per instance")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--wall-clock",
        action="store_true",
        help="let CP-SAT run to the time limit (not reproducible)",
    )
    args = ap.parse_args()
    sets = ["j30", "j60", "j120"] if args.set == "all" else [args.set]
    for s in sets:
        if s != "big":
            limit = DEFAULT_LIMIT[s] if args.limit is None else args.limit
            run_set(s, limit, args.time_limit, args.seed, not args.wall_clock)
    if args.set in ("all", "big"):
        run_big(args.time_limit, args.seed)


if __name__ == "__main__":
    main()
