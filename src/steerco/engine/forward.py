"""The forward and backward passes over a Snapshot, in integer working-minute offsets.

The rules follow MS Project (and MPXJ's MicrosoftScheduler, which reproduces it):
- a lag is working time on the successor's calendar, a percent lag a share of the
  predecessor's duration, an elapsed lag wall-clock time;
- a task without predecessors starts at the project start (or its SNET/FNET date);
- constraints win over links ("tasks always honour their constraint dates"), which is what
  produces negative slack;
- an FF successor never starts before the project start;
- late finishes are capped at the project finish, and deadlines cap late finishes;
- links into a summary bind each of its subtasks; links out of a summary leave its
  rolled-up start (earliest subtask) or finish (latest subtask).
"""

from datetime import datetime, timedelta

from steerco.engine.arith import (
    D_ACTUAL,
    D_CONSTRAINT,
    D_LEVELING,
    D_LINK,
    D_MANUAL,
    D_PARENT,
    D_START,
    D_STATUS,
    Arithmetic,
    Pass,
)
from steerco.engine.snapshot import FF, FNET, FNLT, FS, LAG_WORK, MFO, MSO, SF, SNET, SNLT, SS, Link


class Forward(Arithmetic):
    """Early dates."""

    def forward(
        self, pinned: dict[int, int] | None = None, pinned_finish: dict[int, datetime] | None = None
    ) -> Pass:
        """Early dates for every task (see incremental.py for a partial update). `pinned`
        tasks (ALAP) start at the given offsets; `pinned_finish` gives the exact late finish of
        the elapsed ones."""
        n = self.snap.size
        res = Pass([0] * n, [0] * n, {}, [False] * n, [D_START] * n, [None] * n)
        self.pinned_finish = pinned_finish or {}
        self._full_forward(res, pinned)
        return res

    def _full_forward(self, res: Pass, pinned: dict[int, int] | None) -> None:
        """Every node in order. Plain tasks (most of a real plan) take an inlined integer
        path: this loop is the hot spot of a 100,000-task schedule."""
        snap = self.snap
        n = snap.size
        plain = snap.plain_forward if self.status is None else (False,) * n
        es, ef, driver, driver_link = res.start, res.finish, res.driver, res.driver_link
        preds, dur, milestone, cal = snap.preds, snap.duration, snap.milestone, snap.cal
        project_start = self.project_start
        skip = pinned or {}
        for node in snap.order:
            if node < n and plain[node] and not milestone[node] and node not in skip:
                best = None
                best_link = None
                d = dur[node]
                for lk in preds[node]:
                    t = lk.type
                    if t == FS:
                        v = ef[lk.pred] + lk.lag
                    elif t == SS:
                        v = es[lk.pred] + lk.lag
                    elif t == FF:
                        v = ef[lk.pred] + lk.lag - d
                        ps = project_start[cal[node]]
                        v = max(v, ps)
                    else:
                        v = es[lk.pred] + lk.lag - d
                    if best is None or v > best:
                        best, best_link = v, lk
                if best is None:
                    best = project_start[cal[node]]
                else:
                    driver[node] = D_LINK
                    driver_link[node] = best_link
                es[node] = best
                ef[node] = best + d
            else:
                self.forward_node(node, res, pinned)

    def forward_node(self, node: int, res: Pass, pinned: dict[int, int] | None = None) -> None:
        snap = self.snap
        n = snap.size
        if node >= n:
            self._roll_up(node - n, res)
            return
        if snap.summary[node]:
            return  # its links bind its subtasks (inherited_preds); its dates roll up later
        ci = snap.cal[node]
        best = None
        best_link: Link | None = None
        at_finish = False
        drv = D_LINK
        # On a tie in offsets, a start (Tuesday 08:00) is later than a finish (Monday 17:00).
        for link in snap.preds[node]:
            value, fin = self._early_candidate(link, node, ci, res)
            if best is None or value > best or (value == best and at_finish and not fin):
                best, best_link, at_finish = value, link, fin
        for link in snap.inherited_preds[node]:
            value, fin = self._early_candidate(link, node, ci, res)
            if best is None or value > best or (value == best and at_finish and not fin):
                best, best_link, at_finish, drv = value, link, fin, D_PARENT
        date = snap.inherited_start[node]
        if date is not None:
            value = self.cals[ci].offset(date)
            if best is None or value > best or (value == best and at_finish):
                best, best_link, at_finish, drv = value, None, False, D_PARENT
        if pinned is not None and node in pinned:
            finish_at = self.pinned_finish.get(node)
            if finish_at is not None:
                moment = finish_at - timedelta(minutes=snap.duration[node])
                cal = self.cals[ci]
                res.start[node], res.finish[node] = cal.offset(moment), cal.offset(finish_at)
                res.exact_start[node], res.exact_finish[node] = moment, finish_at
                res.driver[node] = D_CONSTRAINT
                return
            res.start[node] = pinned[node]
            res.finish[node], exact = self.finish_from_start(node, pinned[node])
            res.driver[node] = D_CONSTRAINT
            # An ALAP milestone sits at its late finish: the end of a working day (Fri 17:00),
            # where MS Project shows it, not the next morning.
            cal = self.cals[ci]
            res.at_finish[node] = snap.milestone[node] and cal.is_work_finish(
                cal.finish_at(pinned[node])
            )
            if exact is not None:
                res.exact_finish[node] = exact
            return
        self._place(node, res, best, link=best_link, drv=drv, at_finish=at_finish)

    def _early_candidate(self, link: Link, s: int, ci: int, res: Pass) -> tuple[int, bool]:
        """The earliest start `link` allows task `s` (its successor, or a subtask of it), and
        whether that is a finish point (where a milestone may sit)."""
        snap = self.snap
        p, kind = link.pred, link.type
        cp = snap.cal[p]
        from_finish = kind in (FS, FF)
        ref = res.finish[p] if from_finish else res.start[p]
        lag, elapsed = (link.lag, False) if link.lag_kind == LAG_WORK else self.lag_of(link)
        if kind in (FF, SF) and (elapsed or snap.elapsed[s]):
            return self._finish_link(link, s, ci, res, lag, elapsed)
        if cp == ci and not elapsed:
            point = ref + lag  # the common case: one calendar, integer arithmetic only
        else:
            # Through the wall-clock moment the predecessor really starts or finishes.
            when = self.moment(p, res, from_finish)
            if elapsed:
                moment = when + timedelta(minutes=lag)
                return self._to_start(s, self.cals[ci].offset(moment), kind), self.cals[
                    ci
                ].is_work_finish(moment)
            point = self.cals[ci].offset(when) + lag
            if lag == 0:
                # Another calendar: only the real moment tells whether it ends a working
                # period here (a 24-hour task ending at midnight does not).
                return self._to_start(s, point, kind), self.cals[ci].is_work_finish(when)
        # A milestone may sit at the end of a working period when that is where the link
        # lands: after a finish, or after any positive lag (MS Project's rule).
        exact = res.exact_finish.get(p) if from_finish else None
        if exact is not None:
            # An elapsed predecessor ends at a wall-clock moment, maybe a morning (Wed 08:00).
            ref_is_finish = self.cals[cp].is_work_finish(exact)
        elif from_finish:
            ref_is_finish = res.finish[p] != res.start[p] or res.at_finish[p]
        else:
            ref_is_finish = res.at_finish[p]
        at_finish = (ref_is_finish and lag >= 0) or lag > 0
        return self._to_start(s, point, kind), at_finish

    def _finish_link(
        self, link: Link, s: int, ci: int, res: Pass, lag: int, elapsed: bool
    ) -> tuple[int, bool]:
        """An FF or SF link where wall-clock time is involved (an elapsed lag, or an elapsed
        successor). As in MS Project, the successor's duration is taken off the predecessor's
        real moment first, and the lag is added afterwards; the result then moves to the next
        working time of the successor's calendar."""
        snap = self.snap
        cal = self.cals[ci]
        when = self.moment(link.pred, res, link.type == FF)
        rest = self._remaining(s)
        rest = snap.duration[s] if rest is None else rest
        if rest == 0:
            base = when  # with nothing to take off, the predecessor's own moment stays exact
        elif snap.elapsed[s]:
            base = when - timedelta(minutes=rest)
        else:
            base = cal.start_at(cal.offset(when) - rest)
        if elapsed:
            moment = base + timedelta(minutes=lag)
            point, at_finish = cal.offset(moment), cal.is_work_finish(moment)
        else:
            point = cal.offset(base) + lag
            at_finish = lag > 0 or (lag == 0 and cal.is_work_finish(base))
        if link.type == FF:
            point = max(point, self.project_start[ci])
        return point, at_finish

    def _to_start(self, s: int, point: int, kind: int) -> int:
        """From the point a link gives to the start it allows (FF and SF bind the finish)."""
        if kind in (FF, SF):
            point = self.start_from_finish(s, point, self._remaining(s))
            if kind == FF:
                point = max(point, self.project_start[self.snap.cal[s]])
        return point

    def _remaining(self, i: int) -> int | None:
        return self.snap.remaining[i] if self.snap.actual_start[i] is not None else None

    def _place(
        self, i: int, res: Pass, best: int | None, *, link: Link | None, drv: int, at_finish: bool
    ) -> None:
        snap = self.snap
        ci = snap.cal[i]
        cal = self.cals[ci]
        es, ef = res.start, res.finish
        if snap.manual[i]:
            ms, mf = snap.manual_start[i], snap.manual_finish[i]
            es[i] = cal.offset(ms) if ms is not None else self.project_start[ci]
            if mf is not None:
                ef[i] = cal.offset(mf)
            else:
                ef[i], exact = self.finish_from_start(i, es[i])
            res.driver[i] = D_MANUAL
            return
        actual = snap.actual_start[i]
        if actual is not None:
            es[i] = cal.offset(actual)
            res.driver[i] = D_ACTUAL
            done = snap.actual_finish[i]
            if done is not None:
                ef[i] = cal.offset(done)
                return
            ef[i], exact = self.finish_from_start(i, es[i])
            if self.status is not None:
                ef[i] = self._resume(i, es[i], ef[i])
            elif exact is not None:
                res.exact_finish[i] = exact
            return
        if best is None:
            best, drv, at_finish = self.project_start[ci], D_START, False
            kind, date = snap.constraint[i], snap.constraint_date[i]
            if date is not None and kind == SNET:
                best, drv, at_finish = cal.offset(date), D_CONSTRAINT, cal.is_work_finish(date)
            elif date is not None and kind == FNET:
                best, drv = self.start_from_finish(i, cal.offset(date)), D_CONSTRAINT
                at_finish = cal.is_work_finish(date)
        elif at_finish and link is not None and link.type == FF and best <= self.project_start[ci]:
            # Held at the project start by an FF link: a milestone sits there (Monday 08:00),
            # not at the end of the working day before it (Friday 17:00).
            at_finish = False
        best, drv, at_finish = self._constrain(i, best, drv, at_finish)
        if self.status is not None and best < self.status[ci] and drv != D_CONSTRAINT:
            best, drv, at_finish = self.status[ci], D_STATUS, False
        if snap.delay[i] or self.fitting:
            best, drv, at_finish = self.leveled(i, best, drv, at_finish)
        es[i] = best
        if res.exact_start:
            res.exact_start.pop(i, None)
        date = snap.constraint_date[i]
        if snap.elapsed[i] and drv == D_CONSTRAINT and snap.constraint[i] in (MFO, FNET, FNLT):
            # An elapsed task held by a finish constraint finishes exactly on its date and
            # starts the duration before, even in non-working time (2ed MFO Tue 10:00 runs
            # from Sun 10:00), as in MS Project.
            assert date is not None
            moment = date - timedelta(minutes=snap.duration[i])
            es[i], ef[i] = cal.offset(moment), cal.offset(date)
            res.exact_start[i], res.exact_finish[i] = moment, date
            res.driver[i], res.driver_link[i] = drv, None
            res.at_finish[i] = False
            return
        ef[i], exact = self.finish_from_start(i, best)
        if exact is not None:
            res.exact_finish[i] = exact
        res.driver[i] = drv
        res.driver_link[i] = link if drv in (D_LINK, D_PARENT) else None
        res.at_finish[i] = (
            at_finish and snap.milestone[i] and cal.is_work_finish(cal.finish_at(best))
        )

    fitting = False  # see engine.leveling.fit_delays, which chooses the delays in this pass

    def leveled(self, i: int, es: int, drv: int, at_finish: bool) -> tuple[int, int, bool]:
        """MS Project's leveling delay: added once links, constraints and the status date
        have placed the task (an elapsed delay in wall-clock time from its start moment)."""
        delay = self.snap.delay[i]
        if not delay:
            return es, drv, at_finish
        return self.delayed(i, es, delay, self.snap.delay_elapsed[i]), D_LEVELING, False

    def delayed(self, i: int, es: int, delay: int, elapsed: bool) -> int:
        if not elapsed:
            return es + delay
        cal = self.cals[self.snap.cal[i]]
        return cal.offset(cal.start_at(es) + timedelta(minutes=delay))

    def _constrain(self, i: int, es: int, drv: int, at_finish: bool) -> tuple[int, int, bool]:
        snap = self.snap
        kind, date = snap.constraint[i], snap.constraint_date[i]
        if date is None:
            return es, drv, at_finish
        cal = self.cals[snap.cal[i]]
        c = cal.offset(date)
        # A milestone pinned by a date sits on that date, even at the end of a working day.
        on_finish = cal.is_work_finish(date)
        if kind == MSO or (kind == SNET and es < c) or (kind == SNLT and es > c):
            return c, D_CONSTRAINT, on_finish
        if kind in (MFO, FNET, FNLT):
            latest = self.start_from_finish(i, c)
            if kind == MFO or (kind == FNET and es < latest) or (kind == FNLT and es > latest):
                return latest, D_CONSTRAINT, on_finish
        return es, drv, at_finish

    def _resume(self, i: int, start: int, finish: int) -> int:
        """An in-progress task's remaining work runs from the status date, if that is later."""
        snap = self.snap
        assert self.status is not None
        dur = snap.duration[i]
        rem = snap.remaining[i]
        if rem is None:
            rem = dur - dur * snap.percent_complete[i] // 100
        resume = max(start + dur - rem, self.status[snap.cal[i]])
        return max(finish, resume + rem) if resume > start + dur - rem else finish

    def _roll_up(self, s: int, res: Pass) -> None:
        res.start[s], res.finish[s] = self.span(s, res)
        res.driver[s] = D_PARENT
