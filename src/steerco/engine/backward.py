"""The backward pass: late dates, as late as successors, constraints and deadlines allow.

As in MS Project (and MPXJ's MicrosoftScheduler): a lag is removed on the successor's
calendar; every late finish a link gives is capped at the project finish; a deadline caps the
late finish like an FNLT constraint; a successor that is already finished imposes nothing.
A link out of a summary binds its subtasks (an SS or SF link only its earliest subtask); a
link into a summary binds its predecessor through every subtask.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from steerco.engine.arith import Arithmetic, Pass
from steerco.engine.snapshot import FF, FNLT, FS, LAG_WORK, MFO, MSO, SF, SNLT, SS, Link


class Backward(Arithmetic):
    """Late dates."""

    def earliest_leaves(self, early: Pass) -> dict[int, int]:
        """For each summary with SS/SF successors, the subtask that starts first."""
        snap = self.snap
        out: dict[int, int] = {}
        for s in range(snap.size):
            if snap.summary[s] and any(lk.type in (SS, SF) for lk in snap.succs[s]):
                leaves = snap.leaves_under[s]
                if leaves:
                    out[s] = min(
                        leaves, key=lambda c: (self.cals[snap.cal[c]].start_at(early.start[c]), c)
                    )
        return out

    def backward(self, early: Pass, finish: datetime) -> Pass:
        """Late dates: as late as the successors, constraints, deadlines and `finish` allow.
        (See incremental.py for a partial update.)"""
        n = self.snap.size
        self.prepare_backward(early, finish)
        res = Pass([0] * n, [0] * n, {}, [False] * n)
        self._full_backward(res, early, self.pf)
        return res

    def prepare_backward(self, early: Pass, finish: datetime) -> None:
        self.pf = [c.offset(finish) for c in self.cals]
        self.finish_moment = finish
        self.early_pass = early
        self.earliest = self.earliest_leaves(early)

    def _full_backward(self, res: Pass, early: Pass, pf: list[int]) -> None:
        """Every node in reverse order, plain tasks on an inlined integer path."""
        snap = self.snap
        n = snap.size
        plain, succs, dur, cal = snap.plain_backward, snap.succs, snap.duration, snap.cal
        ls, lf = res.start, res.finish
        for node in reversed(snap.order):
            if node < n and plain[node]:
                cap = pf[cal[node]]
                best = cap
                d = dur[node]
                for lk in succs[node]:
                    t = lk.type
                    if t == FS:
                        v = ls[lk.succ] - lk.lag
                    elif t == SS:
                        v = ls[lk.succ] - lk.lag + d
                    elif t == FF:
                        v = lf[lk.succ] - lk.lag
                    else:
                        v = lf[lk.succ] - lk.lag + d
                    best = min(best, v)
                lf[node] = best
                ls[node] = best - d
            else:
                self.backward_node(node, res, early)

    def backward_node(self, node: int, res: Pass, early: Pass) -> None:
        pf = self.pf
        snap = self.snap
        if node >= snap.size:
            return  # links out of a summary bind its subtasks (inherited_succs)
        if snap.summary[node]:
            self._roll_up_late(node, res)
            return
        ci = snap.cal[node]
        if snap.actual_finish[node] is not None:
            res.finish[node] = early.finish[node]
            res.start[node] = early.start[node]
            return
        best = None
        for link in snap.succs[node]:
            value = self._late_candidate(link, node, ci, res, pf)
            if value is not None and (best is None or value < best):
                best = value
        for link in snap.inherited_succs[node]:
            if link.type in (SS, SF) and self.earliest.get(link.pred) != node:
                continue
            value = self._late_candidate(link, node, ci, res, pf)
            if value is not None and (best is None or value < best):
                best = value
        bound = pf[ci] if best is None else best
        res.finish[node] = lf = self._late_constrain(node, bound)
        if snap.elapsed[node]:
            self._elapsed_late(node, res)
        else:
            res.start[node] = lf - snap.duration[node]
        if snap.actual_start[node] is not None:
            res.start[node] = early.start[node]

    def _elapsed_late(self, i: int, res: Pass) -> None:
        """An elapsed task may finish in non-working time, so its late finish is a moment. A
        late finish at the start of a working period moves back to the end of the previous
        one (Monday 08:00 becomes Friday 17:00, as in MS Project), never past the project
        finish nor before the task's early finish with the same offset; an ALAP elapsed task
        is placed there (Thursday 17:00 to Friday 17:00 for 1ed)."""
        cal = self.cals[self.snap.cal[i]]
        lf = res.finish[i]
        latest = min(cal.finish_at(lf), self.finish_moment)
        exact = self.early_pass.exact_finish.get(i)
        if exact is not None and cal.offset(exact) == lf:
            latest = max(latest, exact)  # never before its early finish: no negative slack
        res.exact_finish[i] = latest
        res.finish[i] = cal.offset(latest)
        res.start[i] = cal.offset(latest - timedelta(minutes=self.snap.duration[i]))

    def _late_candidate(self, link: Link, i: int, ci: int, res: Pass, pf: list[int]) -> int | None:
        """The latest finish `link` allows task `i` (its predecessor, or a subtask of it);
        None if the successor is finished."""
        j = link.succ
        if not self.snap.summary[j]:
            return self._late_point(link, i, j, ci, res)
        best = None
        for c in self.snap.leaves_under[j]:
            value = self._late_point(link, i, c, ci, res)
            if value is not None and (best is None or value < best):
                best = value
        return best

    def _late_point(self, link: Link, i: int, j: int, ci: int, res: Pass) -> int | None:
        snap = self.snap
        if snap.actual_finish[j] is not None:
            return None
        kind = link.type
        cj = snap.cal[j]
        to_start = kind in (FS, SS)
        ref = res.start[j] if to_start else res.finish[j]
        delay = snap.delay[j]
        if delay:
            # A leveling delay sits between the links and the task, like extra lag.
            if snap.delay_elapsed[j]:
                cal_j = self.cals[cj]
                when = cal_j.start_at(ref) if to_start else cal_j.finish_at(ref)
                ref = cal_j.offset(when - timedelta(minutes=delay))
            else:
                ref -= delay
        lag, elapsed = (link.lag, False) if link.lag_kind == LAG_WORK else self.lag_of(link)
        if not elapsed:
            point = ref - lag
            if kind == SS and snap.elapsed[i] and cj != ci:
                # An elapsed predecessor: its latest start is a wall-clock moment (Wed 06:00
                # on a 24-hour successor), and its finish is that moment plus its duration.
                moment = self.cals[cj].start_at(point) + timedelta(minutes=snap.duration[i])
                return min(self.cals[ci].offset(moment), self.pf[ci])
            if cj != ci:
                # The latest wall-clock moment with that offset: up to the next working minute.
                point = self.cals[ci].offset(self.cals[cj].start_at(point))
        elif kind == SF:
            # MS Project adds the predecessor's duration first, then takes the lag off.
            cal = self.cals[ci]
            base = self.finish_from_start(i, self.convert(ref, cj, ci, False))[0]
            point = cal.offset(cal.finish_at(base) - timedelta(minutes=lag))
            return min(point, self.pf[ci])
        else:
            # The elapsed lag runs back from the successor's latest real moment: its exact late
            # finish if it is elapsed; for the start of a task, the latest moment with that
            # offset (up to the next working minute); for a finish or a milestone, the end of
            # the working period (FF into a task that may finish Friday 17:00 runs back from
            # Friday 17:00, not from Monday 08:00), as MS Project's late dates do.
            cal_j = self.cals[cj]
            early = self.early_pass
            exact = None if to_start else res.exact_finish.get(j)
            if exact is not None:
                latest = exact
            elif to_start and not (snap.milestone[j] and res.finish[j] == res.start[j]):
                latest = cal_j.start_at(ref)
            else:
                latest = cal_j.finish_at(ref)
                if ref == (early.start[j] if to_start else early.finish[j]):
                    # Never before where the successor really is in the early pass (a
                    # milestone shown at Tuesday 08:00 is not taken to be at Monday 17:00).
                    latest = max(latest, self.moment(j, early, not to_start))
            point = self.cals[ci].offset(latest - timedelta(minutes=lag))
        if kind in (SS, SF):
            point = self.finish_from_start(i, point)[0]
        return min(point, self.pf[ci])

    def _late_constrain(self, i: int, lf: int) -> int:
        snap = self.snap
        cal = self.cals[snap.cal[i]]
        kind, date = snap.constraint[i], snap.constraint_date[i]
        if date is not None:
            c = cal.offset(date)
            if kind == MSO:
                lf = self.finish_from_start(i, c)[0]
            elif kind == MFO:
                lf = c
            elif kind == SNLT:
                lf = min(lf, self.finish_from_start(i, c)[0])
            elif kind == FNLT:
                lf = min(lf, c)
        deadline = snap.deadline[i]
        if deadline is not None:
            lf = min(lf, cal.offset(deadline))
        return lf

    def _roll_up_late(self, s: int, res: Pass) -> None:
        res.start[s], res.finish[s] = self.span(s, res)
