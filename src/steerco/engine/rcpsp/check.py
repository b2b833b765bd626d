"""An independent check of a plan against the problem as the user stated it.

It reads `ProblemData` directly (not the compiled network the solvers share), so a mistake in
the compilation cannot hide itself. Tests, benchmarks and services use it.
"""

from __future__ import annotations

from collections.abc import Sequence

from steerco.engine.rcpsp.model import LinkType, ProblemData


def violations(problem: ProblemData, starts: Sequence[int], limit: int = 20) -> list[str]:
    """Human-readable broken rules (at most `limit`); an empty list means the plan is valid."""
    acts = problem.activities
    out: list[str] = []
    if len(starts) != len(acts):
        return [f"{len(starts)} starts for {len(acts)} activities"]
    for j, (a, s) in enumerate(zip(acts, starts, strict=True)):
        if s < max(a.release, 0):
            out.append(f"{problem.label(j)} starts at {s}, before its release {a.release}")
        if a.latest_start is not None and s > a.latest_start:
            out.append(f"{problem.label(j)} starts at {s}, after latest start {a.latest_start}")
        if a.deadline is not None and s + a.duration > a.deadline:
            out.append(f"{problem.label(j)} ends at {s + a.duration}, after {a.deadline}")
    for link in problem.links:
        p, q = acts[link.pred], acts[link.succ]
        sp, sq = starts[link.pred], starts[link.succ]
        lhs, rhs = {
            LinkType.FS: (sq, sp + p.duration),
            LinkType.SS: (sq, sp),
            LinkType.FF: (sq + q.duration, sp + p.duration),
            LinkType.SF: (sq + q.duration, sp),
        }[link.type]
        if lhs < rhs + link.lag:
            out.append(f"{link.type.value}+{link.lag} {link.pred}->{link.succ} broken")
    usage: dict[tuple[int, int], int] = {}
    for a, s in zip(acts, starts, strict=True):
        for r, qty in a.demands.items():
            for t in range(s, s + a.duration):
                usage[r, t] = usage.get((r, t), 0) + qty
    for (r, t), used in sorted(usage.items()):
        cap = problem.resources[r].capacity
        if used > cap:
            out.append(f"{problem.resource_label(r)} over capacity at {t}: {used} > {cap}")
    return out[:limit]
