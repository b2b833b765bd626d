"""Shared state of the passes: the Pass record and duration/lag arithmetic on offsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from steerco.engine.snapshot import LAG_ELAPSED, LAG_PERCENT, Link, Snapshot

# Why a task starts when it does, as small integers during the pass (see report.py).
D_START, D_LINK, D_CONSTRAINT, D_ACTUAL, D_MANUAL, D_PARENT, D_STATUS, D_LEVELING = range(8)


@dataclass(slots=True)
class Pass:
    """Offsets of one pass; each task's values are in its own calendar's offsets."""

    start: list[int]
    finish: list[int]
    exact_finish: dict[int, datetime] = field(default_factory=dict)  # elapsed durations
    at_finish: list[bool] = field(default_factory=list)  # a milestone sitting at 17:00
    driver: list[int] = field(default_factory=list)
    driver_link: list[Link | None] = field(default_factory=list)
    # An elapsed ALAP task placed at its late finish may start in non-working time.
    exact_start: dict[int, datetime] = field(default_factory=dict)

    def copy(self) -> Pass:
        return Pass(
            list(self.start),
            list(self.finish),
            dict(self.exact_finish),
            list(self.at_finish),
            list(self.driver),
            list(self.driver_link),
            dict(self.exact_start),
        )

    def state_of(self, node: int, n: int) -> tuple[object, ...]:
        t = node - n if node >= n else node
        return (
            self.start[t],
            self.finish[t],
            self.at_finish[t] if self.at_finish else False,
            self.exact_finish.get(t),
            self.exact_start.get(t),
        )


class Arithmetic:
    """Duration and lag arithmetic for one snapshot (and one status date)."""

    def __init__(self, snap: Snapshot, status_date: datetime | None = None) -> None:
        self.snap = snap
        self.cals = snap.calendars
        self.status_date = status_date
        self.project_start = [c.offset(snap.project_start) for c in self.cals]
        self.status = [c.offset(status_date) for c in self.cals] if status_date else None
        self.pinned_finish: dict[int, datetime] = {}  # see Forward.forward

    # ----- duration arithmetic ----------------------------------------------------------
    def finish_from_start(self, i: int, start: int) -> tuple[int, datetime | None]:
        snap = self.snap
        if not snap.elapsed[i]:
            return start + snap.duration[i], None
        cal = self.cals[snap.cal[i]]
        exact = cal.start_at(start) + timedelta(minutes=snap.duration[i])
        return cal.offset(exact), exact

    def start_from_finish(self, i: int, finish: int, minutes: int | None = None) -> int:
        snap = self.snap
        dur = snap.duration[i] if minutes is None else minutes
        if not snap.elapsed[i]:
            return finish - dur
        cal = self.cals[snap.cal[i]]
        return cal.offset(cal.finish_at(finish) - timedelta(minutes=dur))

    def convert(self, offset: int, src: int, dst: int, as_finish: bool) -> int:
        if src == dst:
            return offset
        cal = self.cals[src]
        when = cal.finish_at(offset) if as_finish else cal.start_at(offset)
        return self.cals[dst].offset(when)

    def moment(self, i: int, res: Pass, finish: bool) -> datetime:
        """The wall-clock moment task `i` starts or finishes in pass `res`."""
        cal = self.cals[self.snap.cal[i]]
        at_finish = bool(res.at_finish) and res.at_finish[i]
        if finish:
            exact = res.exact_finish.get(i)
            if exact is not None:
                return exact
            if res.finish[i] != res.start[i] or at_finish:
                return cal.finish_at(res.finish[i])
            # a milestone at the start of a day finishes where it starts: in the morning
        elif res.exact_start:
            exact = res.exact_start.get(i)
            if exact is not None:
                return exact
        ref = res.start[i]
        return cal.finish_at(ref) if at_finish else cal.start_at(ref)

    def span(self, s: int, res: Pass) -> tuple[int, int]:
        """Summary `s` spans its children: earliest start to latest finish, as offsets on its
        wall-clock calendar. Only the extremes per calendar become dates, which keeps a
        100,000-task roll-up cheap."""
        snap = self.snap
        wall = self.cals[snap.cal[s]]
        lo: dict[int, int] = {}
        hi: dict[int, int] = {}
        starts: list[int] = []
        finishes: list[int] = []
        cal_of, start, finish = snap.cal, res.start, res.finish
        at_finish, exact = res.at_finish, res.exact_finish
        for c in snap.children[s]:
            a, b = start[c], finish[c]
            if a == b or (at_finish and at_finish[c]) or c in exact or c in res.exact_start:
                starts.append(wall.offset(self.moment(c, res, False)))
                finishes.append(wall.offset(self.moment(c, res, True)))
                continue
            cc = cal_of[c]
            if a < lo.get(cc, a + 1):
                lo[cc] = a
            if b > hi.get(cc, b - 1):
                hi[cc] = b
        starts += [wall.offset(self.cals[cc].start_at(v)) for cc, v in lo.items()]
        finishes += [wall.offset(self.cals[cc].finish_at(v)) for cc, v in hi.items()]
        return min(starts), max(finishes)

    def lag_of(self, link: Link) -> tuple[int, bool]:
        """The lag in minutes, and whether they are wall-clock minutes (an elapsed lag)."""
        if link.lag_kind == LAG_PERCENT:
            # A percent lag is a share of the predecessor's duration (without the pauses of
            # a split task), in its kind of time.
            pred = link.pred
            minutes = self.snap.duration[pred] - self.snap.paused[pred]
            return minutes * link.lag // 10000, self.snap.elapsed[pred]
        return link.lag, link.lag_kind == LAG_ELAPSED
