"""The fast edit path (cached plan + incremental reschedule + revision stamps) against the
full path: stored dates and results must equal a full reschedule of the stored plan, and any
other write, from this process or another, must invalidate the cache."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from steerco.api.present import listing_out, tasks_out
from steerco.domain import Conflict, Dependency, Duration, Lag, LinkType, Project, Task
from steerco.engine.cpm import schedule
from steerco.services import planning
from steerco.services.accounts import LOCAL
from steerco.services.schedule_cache import CACHE
from steerco.services.scheduling import schedule_stored
from steerco.storage.uow import SqlUnitOfWorkFactory

START = datetime(2026, 11, 23, 8)


def mixed_plan(key: str = "MIX", phases: int = 6, per_phase: int = 8) -> Project:
    """Summaries with chained subtasks, every link type, leads and lags, a deadline."""
    rng = random.Random(7)
    p = Project(name="Mixed", key=key, start=START)
    uid = 0
    leaves: list[int] = []
    for _ in range(phases):
        uid += 1
        p.add_task(Task(uid=uid, name=f"Phase {uid}"))
        phase = uid
        for k in range(per_phase):
            uid += 1
            p.add_task(
                Task(uid=uid, name=f"Task {uid}", duration=Duration(480 * (1 + k % 3))),
                parent_uid=phase,
            )
            leaves.append(uid)
    for _ in range(len(leaves)):
        a, b = sorted(rng.sample(leaves, 2))
        if any(d.key == (a, b) for d in p.dependencies):
            continue
        kind = rng.choice(list(LinkType))
        lag = Lag(rng.choice([0, 0, 240, -480, 960]))
        p.add_dependency(Dependency(a, b, kind, lag))
    p.task(leaves[3]).deadline = datetime(2026, 12, 1, 17)
    return p


def stored(uow_factory: SqlUnitOfWorkFactory, key: str) -> Project:
    return planning.load(uow_factory, key, actor=LOCAL)


def assert_matches_full(uow_factory: SqlUnitOfWorkFactory, key: str) -> None:
    project = stored(uow_factory, key)
    full = schedule(project, status_date=project.status_date)
    for task in project.tasks:
        times = full.tasks.get(task.uid)
        if times is not None:
            assert (task.start, task.finish) == (times.start, times.finish), task.uid


def edit(uow_factory: SqlUnitOfWorkFactory, key: str, uid: int, duration: str) -> None:
    version = stored(uow_factory, key).task(uid).version
    changes = planning.TaskChanges(duration=duration)
    done = planning.update_task(uow_factory, key, uid, changes, actor=LOCAL, version=version)
    project = stored(uow_factory, key)
    full = schedule(project, status_date=project.status_date)
    assert done.result is not None
    assert done.result.tasks == full.tasks
    assert done.result.critical_path == full.critical_path
    assert done.task.version == version + 1


@pytest.fixture
def mixed(uow_factory: SqlUnitOfWorkFactory) -> Project:
    CACHE.clear()
    with uow_factory() as uow:
        project = uow.projects.add(mixed_plan())
        uow.commit()
    schedule_stored(uow_factory, "MIX", actor=LOCAL)
    return project


def test_incremental_edits_equal_a_full_reschedule(
    uow_factory: SqlUnitOfWorkFactory, mixed: Project
) -> None:
    rng = random.Random(11)
    leaves = [t.uid for t in mixed.tasks if not t.summary]
    for _ in range(25):
        edit(uow_factory, "MIX", rng.choice(leaves), f"{rng.choice([0, 1, 2, 5, 9])}d")
        assert_matches_full(uow_factory, "MIX")
        with uow_factory(write=False) as uow:
            head = uow.projects.stamp_of("MIX")
        assert CACHE.get(head.id, head.revision) is not None  # the next edit is incremental
    # A summary and an elapsed duration take the full branch of the same path.
    edit(uow_factory, "MIX", leaves[0], "3ed")
    assert_matches_full(uow_factory, "MIX")


def test_other_writes_invalidate_the_cache(
    uow_factory: SqlUnitOfWorkFactory, mixed: Project, database_url: str
) -> None:
    leaves = [t.uid for t in mixed.tasks if not t.summary]
    edit(uow_factory, "MIX", leaves[0], "4d")  # warms the cache
    # Another process: its own engine and pool, the full path, a link and a WBS change.
    other = SqlUnitOfWorkFactory.from_url(database_url)
    try:
        planning.unlink(
            other, "MIX", *next(d.key for d in stored(other, "MIX").dependencies), actor=LOCAL
        )
        planning.link(other, "MIX", str(leaves[1]), str(leaves[-1]), lag="2d", actor=LOCAL)
        planning.indent(other, "MIX", leaves[-1], actor=LOCAL)
        planning.update_task(
            other,
            "MIX",
            leaves[2],
            planning.TaskChanges(name="Renamed", duration="6d"),
            actor=LOCAL,
            version=stored(other, "MIX").task(leaves[2]).version,
        )
        with other() as uow:  # a bare repository write, as an import or the CLI would do
            project = uow.projects.get("MIX")
            task = project.task(leaves[5])
            task.duration = Duration(480 * 12)
            uow.projects.update_task(project.id or 0, task)
            uow.commit()
    finally:
        other.dispose()
    edit(uow_factory, "MIX", leaves[3], "1d")
    assert_matches_full(uow_factory, "MIX")
    assert stored(uow_factory, "MIX").task(leaves[2]).name == "Renamed"


def test_a_stale_edit_is_refused_and_leaves_no_trace(
    uow_factory: SqlUnitOfWorkFactory, mixed: Project
) -> None:
    uid = next(t.uid for t in mixed.tasks if not t.summary)
    edit(uow_factory, "MIX", uid, "2d")
    before = stored(uow_factory, "MIX")
    with pytest.raises(Conflict):
        planning.update_task(
            uow_factory,
            "MIX",
            uid,
            planning.TaskChanges(duration="7d"),
            actor=LOCAL,
            version=before.task(uid).version - 1,
        )
    after = stored(uow_factory, "MIX")
    assert [(t.uid, t.duration, t.start, t.finish, t.version) for t in after.tasks] == [
        (t.uid, t.duration, t.start, t.finish, t.version) for t in before.tasks
    ]
    edit(uow_factory, "MIX", uid, "7d")
    assert_matches_full(uow_factory, "MIX")


def test_listing_read_model_matches_the_aggregate(
    uow_factory: SqlUnitOfWorkFactory, mixed: Project
) -> None:
    with uow_factory() as uow:  # an MS Project summary row (level 0) and a deep outline
        project = uow.projects.get("MIX")
        project.tasks.insert(0, Task(uid=0, name="Mixed", outline_level=0))
        project.task(5).outline_level = 3
        uow.projects.replace_tasks(project)
        uow.commit()
    listing = planning.list_tasks(uow_factory, "mix", actor=LOCAL)
    assert listing_out(listing) == tasks_out(stored(uow_factory, "MIX"))
    assert planning.list_tasks(uow_factory, str(listing.project_id), actor=LOCAL).key == "MIX"


def test_concurrent_edits_are_group_committed_and_each_checked(
    uow_factory: SqlUnitOfWorkFactory, mixed: Project
) -> None:
    import threading

    leaves = [t for t in stored(uow_factory, "MIX").tasks if not t.summary]
    errors: list[Exception] = []
    done: list[int] = []

    def worker(n: int) -> None:
        for i, task in enumerate(leaves[n::8][:4]):
            # Every other edit of worker 0 carries a stale version: refused on its own.
            version = task.version - 1 if n == 0 and i % 2 else task.version
            try:
                planning.update_task(
                    uow_factory,
                    "MIX",
                    task.uid,
                    planning.TaskChanges(duration=f"{1 + (n + i) % 4}d"),
                    actor=LOCAL,
                    version=version,
                )
                done.append(task.uid)
            except Conflict as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(errors) == 2 and len(done) == 30
    after = stored(uow_factory, "MIX")
    for task in leaves:
        assert after.task(task.uid).version == task.version + (task.uid in done)
    assert_matches_full(uow_factory, "MIX")


def test_one_batch_edits_a_task_twice_and_refuses_a_stale_edit_alone(
    uow_factory: SqlUnitOfWorkFactory, mixed: Project
) -> None:
    from steerco.services import audit, edit_queue

    leaves = [t for t in stored(uow_factory, "MIX").tasks if not t.summary]
    a, b = leaves[0], leaves[1]
    edit(uow_factory, "MIX", a.uid, "2d")  # warms the cache: the batch below is incremental
    version = stored(uow_factory, "MIX").task(a.uid).version

    def submit(uid: int, duration: str, version: int) -> object:
        return edit_queue.submit(
            uow_factory,
            "MIX",
            uid,
            planning.TaskChanges(duration=duration),
            actor=LOCAL,
            version=version,
        )

    # While the cache lock is held the writer waits, so these queue up and land in one
    # batch (or two, when the writer took the first before it waited).
    with CACHE.lock:
        futures = [
            submit(a.uid, "3d", version),
            submit(a.uid, "4d", version + 1),
            submit(b.uid, "5d", b.version - 1),
            submit(a.uid, "6d", version + 2),
        ]
    outcomes = []
    for f in futures:
        try:
            outcomes.append(f.result(timeout=60).task.version)  # type: ignore[attr-defined]
        except Conflict:
            outcomes.append("conflict")
    assert outcomes == [version + 1, version + 2, "conflict", version + 3]
    after = stored(uow_factory, "MIX")
    assert after.task(a.uid).version == version + 3
    assert after.task(a.uid).duration == Duration.parse("6d")
    assert after.task(b.uid).version == b.version
    assert_matches_full(uow_factory, "MIX")
    assert audit.verify(uow_factory).first_bad is None
    with uow_factory(write=False) as uow:
        changes = [e.after for e in uow.audit.recent(3) if e.action == "task.updated"]
    assert changes == [{"duration": "6d"}, {"duration": "4d"}, {"duration": "3d"}]


def test_a_large_cached_plan_is_frozen_out_of_full_collections(
    uow_factory: SqlUnitOfWorkFactory, mixed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from steerco.services import edit_queue

    monkeypatch.setattr(edit_queue, "FREEZE_FROM_TASKS", 10)  # "large": the 54-task plan
    was_frozen = gc.get_freeze_count()
    try:
        task = next(t for t in stored(uow_factory, "MIX").tasks if not t.summary)
        edit(uow_factory, "MIX", task.uid, "2d")  # a cache miss: the plan is loaded, frozen
        edit_queue.wait_idle()  # the answer comes before the freeze
        with uow_factory(write=False) as uow:
            head = uow.projects.stamp_of("MIX")
        entry = CACHE.get(head.id, head.revision)
        assert entry is not None
        frozen = gc.get_freeze_count()
        tracked = {id(o) for o in gc.get_objects()}
        assert id(entry.project.tasks) not in tracked and id(entry.rescheduler) not in tracked
        # Nothing in an entry holds a cycle: dropped, it is freed without a collection.
        del entry
        CACHE.clear()
        assert gc.get_freeze_count() < frozen - 200
        assert_matches_full(uow_factory, "MIX")
    finally:
        if not was_frozen:
            gc.unfreeze()
