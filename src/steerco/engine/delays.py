"""Leveling delays that reproduce a leveled plan: one forward pass with MS Project's rules.

A leveler decides *when* tasks start; MS Project stores that as a leveling delay per task,
added after links and constraints. The delay of a task depends on where its (possibly delayed)
predecessors ended up, so it is chosen inside the forward pass itself, in topological order:
each task's delay is exactly the gap between the start its links, constraints and the status
date allow and the start it should have. Rescheduling with those delays gives back the plan.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from steerco.engine.arith import D_LEVELING
from steerco.engine.passes import Passes
from steerco.engine.snapshot import Snapshot


class _Fit(Passes):
    fitting = True

    def __init__(
        self, snap: Snapshot, status_date: datetime | None, targets: dict[int, datetime]
    ) -> None:
        super().__init__(snap, status_date)
        self.targets = {i: self.cals[snap.cal[i]].offset(when) for i, when in targets.items()}
        self.found: dict[int, int] = {}

    def leveled(self, i: int, es: int, drv: int, at_finish: bool) -> tuple[int, int, bool]:
        target = self.targets.get(i)
        if target is None or target <= es:
            return es, drv, at_finish
        cal = self.cals[self.snap.cal[i]]
        self.found[i] = int((cal.start_at(target) - cal.start_at(es)).total_seconds()) // 60
        return target, D_LEVELING, False


def fit_delays(
    snap: Snapshot, targets: dict[int, datetime], *, status_date: datetime | None = None
) -> dict[int, int]:
    """Elapsed-minute delays (by task index) that start each task of `targets` (index ->
    start) there, or as early after it as its links allow. `snap` must carry no delays on
    those tasks. Tasks the passes never delay (summaries, manual, started) are ignored."""
    if any(snap.delay[i] for i in targets):
        raise ValueError("fit_delays needs a plan without delays on the tasks it places")
    plain = replace(snap, plain_forward=(False,) * snap.size)
    fit = _Fit(plain, status_date, targets)
    fit.forward()
    return fit.found
