"""Serial schedule generation: a resource profile and forward/backward list decoders.

A schedule is decoded from an *activity list* (a precedence-feasible order): each activity in
turn goes to the earliest (forward) or latest (backward) period where its links allow it and
every resource it uses has room for its whole duration. No resource ever exceeds capacity.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from steerco.engine.rcpsp.byteprofile import MAX_CAPACITY, decode_backward, decode_forward
from steerco.engine.rcpsp.network import Network, Uses


class Profile:
    """Free capacity per resource and period; grows on demand so no horizon guess is needed.

    Plain lists, not numpy: an activity touches a handful of short slices, where per-call
    numpy overhead dominates; lists make the SGS about five times faster on PSPLIB sizes.
    """

    def __init__(self, cap: Sequence[int], horizon: int) -> None:
        self._cap = [int(c) for c in cap]
        size = max(horizon, 16)
        self.free: list[list[int]] = [[c] * size for c in self._cap]
        self._size = size

    def _ensure(self, end: int) -> None:
        if end > self._size:
            extra = max(end, 2 * self._size) - self._size
            for row, c in zip(self.free, self._cap, strict=True):
                row.extend([c] * extra)
            self._size += extra

    def earliest(self, uses: Uses, d: int, t: int) -> int:
        """First start >= t with room for d periods (jumps past the last blocked period)."""
        if d == 0 or not uses:
            return t
        while True:
            self._ensure(t + d)
            jump = -1
            for r, q in uses:
                row = self.free[r]
                if min(row[t : t + d]) < q:
                    p = t + d - 1
                    while row[p] >= q:
                        p -= 1
                    jump = max(jump, p)
            if jump < 0:
                return t
            t = jump + 1

    def latest(self, uses: Uses, d: int, t: int, lo: int) -> int | None:
        """Last start in [lo, t] with room for d periods, or None."""
        if d == 0 or not uses:
            return t if t >= lo else None
        while t >= lo:
            self._ensure(t + d)
            jump = -1
            for r, q in uses:
                row = self.free[r]
                if min(row[t : t + d]) < q:
                    p = t
                    while row[p] >= q:
                        p += 1
                    jump = p if jump < 0 else min(jump, p)
            if jump < 0:
                return t
            t = jump - d
        return None

    def place(self, uses: Uses, t: int, d: int) -> None:
        if d and uses:
            self._ensure(t + d)
            for r, q in uses:
                row = self.free[r]
                row[t : t + d] = [x - q for x in row[t : t + d]]

    def remove(self, uses: Uses, t: int, d: int) -> None:
        self.place(tuple((r, -q) for r, q in uses), t, d)

    def overloaded(self) -> bool:
        return any(min(row) < 0 for row in self.free)


def makespan(net: Network, starts: Sequence[int]) -> int:
    return max((s + d for s, d in zip(starts, net.dur, strict=True)), default=0)


def meets_bounds(net: Network, starts: Sequence[int]) -> bool:
    """Hard latest starts (deadlines, never-delay, within-slack) hold."""
    return all(s <= b for s, b in zip(starts, net.lsmax, strict=True))


def fixed_activities(net: Network) -> list[int]:
    """Activities with no freedom at all (never-delay, or a deadline equal to the early start)."""
    return [j for j in range(net.n) if net.lsmax[j] == net.es[j]]


def fixed_overload(net: Network, fixed: Sequence[int]) -> bool:
    return _profile(net, net.es, fixed).overloaded()


def is_valid(net: Network, starts: Sequence[int]) -> bool:
    """Links, releases, hard latest starts and capacities all hold (the final safety net)."""
    if any(s < max(r, 0) for s, r in zip(starts, net.release, strict=True)):
        return False
    if not meets_bounds(net, starts):
        return False
    if any(starts[k] < starts[j] + d for j in range(net.n) for k, d in net.succ[j]):
        return False
    return not _profile(net, starts, range(net.n)).overloaded()


def _profile(net: Network, starts: Sequence[int], fixed: Sequence[int]) -> Profile:
    prof = Profile(net.cap.tolist(), net.lower_bound * 2)
    for j in fixed:
        prof.place(net.uses[j], starts[j], net.dur[j])
    return prof


def forward(net: Network, order: Sequence[int], fixed: Sequence[int] = ()) -> list[int]:
    """Serial SGS: each activity of `order` at its earliest feasible period."""
    if int(net.cap.max(initial=0)) <= MAX_CAPACITY:
        return decode_forward(net, order, fixed)
    return forward_on_lists(net, order, fixed)


def forward_on_lists(net: Network, order: Sequence[int], fixed: Sequence[int] = ()) -> list[int]:
    """`forward` on the list profile: any capacity, and the reference for the byte decoder."""
    starts = [0] * net.n
    for j in fixed:
        starts[j] = net.es[j]
    prof = _profile(net, starts, fixed)
    is_fixed = set(fixed)
    for j in order:
        if j in is_fixed:
            continue
        t = prof.earliest(net.uses[j], net.dur[j], link_start(net, starts, j))
        starts[j] = t
        prof.place(net.uses[j], t, net.dur[j])
    return starts


def link_start(net: Network, starts: Sequence[int], j: int) -> int:
    """The earliest start of `j` its release and its predecessors' links allow, given where
    those predecessors start."""
    e = max(net.release[j], 0)
    for i, delta in net.pred[j]:
        e = max(e, starts[i] + delta)
    return e


def backward(
    net: Network, order: Sequence[int], horizon: int, fixed: Sequence[int] = ()
) -> list[int] | None:
    """Right-justified schedule finishing by `horizon`; `order` lists successors first."""
    if int(net.cap.max(initial=0)) <= MAX_CAPACITY:
        return decode_backward(net, order, horizon, fixed)
    return backward_on_lists(net, order, horizon, fixed)


def backward_on_lists(
    net: Network, order: Sequence[int], horizon: int, fixed: Sequence[int] = ()
) -> list[int] | None:
    """`backward` on the list profile (any capacity; the byte decoder's reference)."""
    starts = [0] * net.n
    for j in fixed:
        starts[j] = net.es[j]
    prof = _profile(net, starts, fixed)
    is_fixed = set(fixed)
    for j in order:
        if j in is_fixed:
            continue
        late = min(horizon - net.dur[j], net.lsmax[j])
        for k, delta in net.succ[j]:
            late = min(late, starts[k] - delta)
        t = prof.latest(net.uses[j], net.dur[j], late, net.release[j])
        if t is None:
            return None
        starts[j] = t
        prof.place(net.uses[j], t, net.dur[j])
    return starts


Key = tuple[float, float]


def list_from_keys(net: Network, keys: Sequence[Key], *, reverse: bool = False) -> list[int]:
    """The precedence-feasible list that always takes the eligible activity with the least key.

    With `reverse`, successors come first (for backward decoding).
    """
    before = net.succ if reverse else net.pred
    after = net.pred if reverse else net.succ
    # Keys usually come from a schedule and already respect the links: then the sorted list
    # is exactly what the heap below would build, at a fraction of the cost.
    order = sorted(range(net.n), key=keys.__getitem__)
    pos = [0] * net.n
    for i, j in enumerate(order):
        pos[j] = i
    if all(pos[i] < p for j, p in enumerate(pos) for i, _ in before[j]):
        return order
    waiting = [len(before[j]) for j in range(net.n)]
    heap = [(keys[j], j) for j in range(net.n) if waiting[j] == 0]
    heapq.heapify(heap)
    order = []
    while heap:
        _, j = heapq.heappop(heap)
        order.append(j)
        for k, _delta in after[j]:
            waiting[k] -= 1
            if waiting[k] == 0:
                heapq.heappush(heap, (keys[k], k))
    return order
