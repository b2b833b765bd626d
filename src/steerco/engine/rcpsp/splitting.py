"""Leveling that may split tasks: MS Project's "leveling can create splits".

After the search has placed every activity in one piece, each activity that may be split is
taken out and put back period by period: it works in the earliest periods its links allow
where its resources have room, and pauses where they have none. Greedy filling does at least
as much of the work by every period as any other placement among the same neighbours, so the
activity starts and finishes no later than in one piece; its successors, which stay where
they are, keep every link.

A split activity's start and finish no longer differ by its duration, while the network's arcs
are start-to-start lags computed with the duration (`Link.start_lag`). The earliest start an
arc from a predecessor `p` allows is therefore taken as `finish(p) - dur(p) + lag`: exactly
what a finish-to-start link needs, and never less than a start-to-start link needs (the
predecessor's start is at most its finish minus its duration). The links into the activity
that bind its finish (finish-to-finish, start-to-finish) hold too, because a split activity
finishes at least its duration after its start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from steerco.engine.rcpsp.network import Network
from steerco.engine.rcpsp.sgs import Profile


@dataclass(frozen=True, slots=True)
class Pause:
    """`activity` does `done` periods of its work, then pauses for `length` periods, from
    period `start`, because `blockers` (other activities) used the room it needed."""

    start: int
    length: int
    done: int
    blockers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SplitPlan:
    starts: tuple[int, ...]  # first worked period of each activity
    finishes: tuple[int, ...]  # one past the last worked period
    pauses: dict[int, tuple[Pause, ...]]  # only the activities that pause


def split_fill(net: Network, starts: Sequence[int], splittable: Sequence[bool]) -> SplitPlan:
    """Pull each splittable activity as early as its links and free capacity allow."""
    n = net.n
    start = list(starts)
    worked: list[list[int]] = [list(range(s, s + d)) for s, d in zip(start, net.dur, strict=True)]
    finish = [s + d for s, d in zip(start, net.dur, strict=True)]
    prof = Profile(net.cap.tolist(), max(finish, default=0) + 1)
    for j in range(n):
        prof.place(net.uses[j], start[j], net.dur[j])
    movable = [j for j in range(n) if splittable[j] and net.dur[j] > 1 and net.uses[j]]
    # A second pass lets an activity use room that one placed after it in the first pass has
    # since given up; it never makes anything later (see the module docstring).
    for _ in range(PASSES):
        for j in sorted(movable, key=lambda k: (start[k], k)):
            d, uses = net.dur[j], net.uses[j]
            for t in worked[j]:
                prof.place(tuple((r, -q) for r, q in uses), t, 1)
            earliest = max(
                [net.release[j], *(finish[p] - net.dur[p] + delta for p, delta in net.pred[j])]
            )
            periods = _fill(prof, uses, d, earliest)
            if periods[-1] + 1 > finish[j] or periods[0] < net.es[j]:
                periods = worked[j]  # cannot happen (see the module docstring); keep it whole
            for t in periods:
                prof.place(uses, t, 1)
            worked[j], start[j], finish[j] = periods, periods[0], periods[-1] + 1
    pauses: dict[int, tuple[Pause, ...]] = {}
    users: dict[int, list[int]] = {}
    for j in range(n):
        for r, _ in net.uses[j]:
            users.setdefault(r, []).append(j)
    for j in movable:
        gaps = _gaps(worked[j])
        if gaps:
            pauses[j] = tuple(
                Pause(a, b - a, done, _blockers(net, users, worked, start, finish, j, a))
                for a, b, done in gaps
            )
    return SplitPlan(tuple(start), tuple(finish), pauses)


PASSES = 2


def _fill(prof: Profile, uses: tuple[tuple[int, int], ...], d: int, t: int) -> list[int]:
    out: list[int] = []
    while len(out) < d:
        t = prof.earliest(uses, 1, t)
        out.append(t)
        t += 1
    return out


def _gaps(periods: list[int]) -> list[tuple[int, int, int]]:
    """(first idle period, first period after, periods worked before) of each pause."""
    return [(a + 1, b, k + 1) for k, (a, b) in enumerate(pairwise(periods)) if b > a + 1]


def _blockers(
    net: Network,
    users: dict[int, list[int]],
    worked: list[list[int]],
    start: list[int],
    finish: list[int],
    j: int,
    t: int,
) -> tuple[int, ...]:
    """The activities at work in period `t` on a resource `j` needs."""
    found = {
        k
        for r, _ in net.uses[j]
        for k in users[r]
        if k != j and start[k] <= t < finish[k] and t in worked[k]
    }
    return tuple(sorted(found))
