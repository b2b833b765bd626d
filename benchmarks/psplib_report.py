"""What the two PSPLIB leveling benchmarks share: the sample, a row per instance, and the
report beside the single-pass LFT baseline. Not a benchmark itself (`make bench` runs
`bench_*.py`)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from steerco.interop.psplib import instance_key

DEFAULT_LIMIT = {"j30": 48, "j60": 24, "j120": 20}  # instances per set in the default sample
TIME_LIMIT = {"j30": 1.0, "j60": 2.0, "j120": 5.0}  # seconds per instance (the targets)


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
    cli_makespan: int | None = None  # what `steerco level` itself wrote


def sample(names: list[str], limit: int) -> list[str]:
    """Every k-th instance in natural order: deterministic and spread over all groups."""
    names = sorted(names, key=instance_key)
    if limit <= 0 or limit >= len(names):
        return names
    step = len(names) / limit
    return [names[int(i * step)] for i in range(limit)]


def pct(a: float, b: float) -> float:
    return 100.0 * (a - b) / b


def report(heading: str, name: str, rows: list[Row], *, proven: str, seconds: str) -> None:
    """The figures of one set: `proven` and `seconds` label those two lines; the CLI's
    timing and how many of its outputs reach the bound follow when the rows carry them."""
    ref = "optimum" if name == "j30" else "best known"
    mean = statistics.fmean
    print(heading)
    print(f"  {'':28} {'steerco':>10} {'LFT 1-pass':>11}")
    print(f"  {'mean % above ' + ref:28} {mean(pct(r.makespan, r.ub) for r in rows):>9.2f}% "
          f"{mean(pct(r.baseline, r.ub) for r in rows):>10.2f}%")  # fmt: skip
    print(f"  {'mean % above cpm_lb':28} {mean(pct(r.makespan, r.cpm_lb) for r in rows):>9.2f}% "
          f"{mean(pct(r.baseline, r.cpm_lb) for r in rows):>10.2f}%")  # fmt: skip
    print(f"  {'at ' + ref:28} {sum(r.makespan <= r.ub for r in rows):>10} "
          f"{sum(r.baseline <= r.ub for r in rows):>11}")  # fmt: skip
    print(f"  {proven:28} {sum(r.proven for r in rows):>10}")
    print(f"  {seconds:28} {mean(r.seconds for r in rows):>6.2f} / "
          f"{max(r.seconds for r in rows):.2f}")  # fmt: skip
    timed = [r.cli_seconds for r in rows if r.cli_seconds is not None]
    if timed:
        print(f"  {'seconds mean / max (CLI)':28} {mean(timed):>6.2f} / {max(timed):.2f}")
    ran = [r for r in rows if r.cli_makespan is not None]
    if ran:
        hits = sum(r.cli_makespan is not None and r.cli_makespan <= r.ub for r in ran)
        print(f"  {'at ' + ref + ' (CLI)':28} {hits:>10}")
    worst = sorted(rows, key=lambda r: pct(r.makespan, r.ub), reverse=True)[:3]
    print("  worst: " + ", ".join(f"{r.name} {r.makespan} vs {r.ub}" for r in worst))
