"""services.leveling_clear: MS Project's Clear Leveling on small hand-built plans (Standard
calendar, from Mon 5 Jan 2026): delays back to zero and the plan as its links alone place it."""

from __future__ import annotations

from datetime import datetime

import pytest

from steerco.domain import Duration, TimeUnit, ValidationError
from steerco.engine import schedule
from steerco.interop.mspdi import read_mspdi, write_mspdi
from steerco.services.leveling import clear_file, level_file, level_project
from steerco.services.leveling_clear import clear_leveling
from tests.unit.services.test_leveling import D, at, plan, review_and_build


def _dates(result) -> dict[int, tuple[datetime, datetime]]:
    return {uid: (t.start, t.finish) for uid, t in result.tasks.items()}


def test_clearing_undoes_leveling_and_lists_each_task_it_moves() -> None:
    p = plan(("Spec", 3 * D), ("Mockups", 2 * D), ("Review", D))
    unleveled = _dates(schedule(p))
    leveled = level_project(p, time_limit=2)
    assert len(leveled.delayed) == 2  # one person, three tasks: two wait

    out = clear_leveling(p)

    assert _dates(out.result) == unleveled
    assert out.finish_before == leveled.result.finish and out.result.finish == at(7, 17)
    assert {c.uid for c in out.cleared} == {d.uid for d in leveled.delayed}
    for c in out.cleared:
        assert c.start_before == leveled.result.tasks[c.uid].start
        assert c.start == unleveled[c.uid][0] == at(5)
    for task in p.tasks:
        assert task.leveling_delay is None or task.leveling_delay.minutes == 0
        assert (task.start, task.finish) == unleveled[task.uid]
    assert _dates(schedule(p)) == unleveled  # the plan itself holds no delay any more


def test_a_cleared_delay_keeps_its_format_and_nothing_else_moves() -> None:
    p = plan(("Spec", D), ("Mockups", D))
    p.tasks[1].leveling_delay = Duration(3 * D, TimeUnit.DAY, elapsed=False)
    out = clear_leveling(p)
    assert p.tasks[1].leveling_delay == Duration(0, TimeUnit.DAY, elapsed=False)
    assert [c.name for c in out.cleared] == ["Mockups"]
    assert clear_leveling(p).cleared == ()  # nothing left to clear


def test_a_delay_only_kept_verbatim_goes_too() -> None:
    # A delay the domain cannot hold (here a fraction of a minute) travels in the extras;
    # MS Project would still apply it, so clearing must remove it from the file as well.
    p = plan(("Spec", D))
    p.tasks[0].extras += [
        "<LevelingDelay>15</LevelingDelay>",
        "<LevelingDelayFormat>7</LevelingDelayFormat>",
    ]
    out = clear_leveling(p)
    assert [c.uid for c in out.cleared] == [1]
    assert not any("LevelingDelay" in f for f in p.tasks[0].extras)
    assert p.tasks[0].leveling_delay is not None and p.tasks[0].leveling_delay.minutes == 0


def test_pauses_stay_unless_split_is_asked_for() -> None:
    p = review_and_build()
    level_project(p, time_limit=2, split=True)
    assert p.task(2).splits == ((2 * D, D),)

    kept = clear_leveling(p)
    assert kept.cleared == () and p.task(2).splits == ((2 * D, D),)

    joined = clear_leveling(p, split=True)
    assert [c.name for c in joined.cleared] == ["Build"]
    assert p.task(2).splits == ()
    # In one piece again, Build overlaps the pinned review: the plan as its links place it.
    assert (joined.result.tasks[2].start, joined.result.tasks[2].finish) == (at(5), at(8, 17))


def test_a_task_whose_flag_says_it_cannot_split_keeps_its_pauses() -> None:
    p = review_and_build()
    p.tasks[1].splits = ((2 * D, D),)
    p.tasks[1].extras.append("<LevelingCanSplit>0</LevelingCanSplit>")
    assert clear_leveling(p, split=True).cleared == ()
    assert p.task(2).splits == ((2 * D, D),)


def test_a_leveled_file_cleared_reads_back_unleveled() -> None:
    source = write_mspdi(plan(("Spec", 3 * D), ("Mockups", 2 * D)))
    unleveled = _dates(schedule(read_mspdi(source)))
    leveled = level_file(source, max_bytes=1 << 20, time_limit=2)
    assert b"<LevelingDelay>" in leveled.output

    done = clear_file(leveled.output, max_bytes=1 << 20)

    back = read_mspdi(done.output)
    assert all(not t.leveling_delay or t.leveling_delay.minutes == 0 for t in back.tasks)
    assert {t.uid: (t.start, t.finish) for t in back.tasks if t.uid in unleveled} == unleveled
    assert len(done.outcome.cleared) == 1


def test_a_plan_scheduled_from_its_finish_is_refused() -> None:
    p = plan(("Spec", D))
    p.schedule_from_start = False
    with pytest.raises(ValidationError, match="finish date"):
        clear_leveling(p)
