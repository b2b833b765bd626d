"""The parallel schedule generation scheme: non-delay schedules, one decision time at a time.

At each decision time `t` the activities whose links allow a start at `t` are taken in key
order, and each starts at `t` if every resource it uses has room for its whole duration;
then `t` moves to the next finish or the next time a waiting activity's links allow. Unlike
the serial SGS (`sgs.forward`), no activity is ever placed in a gap behind the current time,
so the schedules are non-delay: no resource stays idle while work that fits is waiting.

Why both: on tightly constrained plans (low resource strength) non-delay schedules from
biased random keys are much better starting points than serial ones (Kolisch 1996; Hartmann
2002 lets his genetic algorithm choose between the two). On the 40 hardest-group j60
instances the genetic search left above the best known, the best of the sampled and
justified plans was 4,732-4,780 periods in all with the samples decoded here against
4,877-4,885 with serial decoding, and after the genetic search +4.08-4.40 % against
+4.48-4.85 % above the best known (three seeds).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from steerco.engine.rcpsp.network import Network
from steerco.engine.rcpsp.sgs import Key, Profile, link_start


def parallel(net: Network, keys: Sequence[Key], fixed: Sequence[int] = ()) -> list[int]:
    """Non-delay schedule: at each decision time, start what fits in the order of `keys`."""
    starts = [0] * net.n
    done = [False] * net.n
    prof = Profile(net.cap.tolist(), max(2 * net.lower_bound, 16))
    for j in fixed:
        starts[j] = net.es[j]
        done[j] = True
        prof.place(net.uses[j], starts[j], net.dur[j])
    waiting = [sum(1 for i, _ in net.pred[k] if not done[i]) for k in range(net.n)]
    ready: dict[int, int] = {}  # activity -> earliest start its links allow
    for k in range(net.n):
        if not done[k] and waiting[k] == 0:
            ready[k] = link_start(net, starts, k)
    left = net.n - sum(done)
    ends = [starts[j] + net.dur[j] for j in fixed]  # fixed work frees capacity when it ends
    heapq.heapify(ends)
    t = 0
    while left:
        started = True
        while started:  # a start can release successors that may start at `t` too
            started = False
            for k in sorted((k for k, e in ready.items() if e <= t), key=keys.__getitem__):
                if prof.earliest(net.uses[k], net.dur[k], t) != t:
                    continue
                starts[k] = t
                done[k] = True
                prof.place(net.uses[k], t, net.dur[k])
                del ready[k]
                left -= 1
                heapq.heappush(ends, t + net.dur[k])
                for s, _ in net.succ[k]:
                    waiting[s] -= 1
                    if waiting[s] == 0 and not done[s]:
                        ready[s] = link_start(net, starts, s)
                        started = True
        if not left:
            break
        while ends and ends[0] <= t:
            heapq.heappop(ends)
        later = [e for e in ready.values() if e > t]
        if ends:
            later.append(ends[0])
        if not later:  # nothing runs and nothing waits on a link: jump to the first fit
            later = [prof.earliest(net.uses[k], net.dur[k], t) for k in ready]
        t = min(later)
    return starts
