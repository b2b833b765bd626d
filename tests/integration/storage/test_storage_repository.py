"""The SQL repository and unit of work, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from steerco.domain import (
    Conflict,
    Dependency,
    LinkType,
    NotFound,
    Project,
    ScheduledDates,
    Task,
    ValidationError,
)
from steerco.storage.uow import SqlUnitOfWorkFactory

START = datetime(2026, 1, 5, 8)


def small_project(key: str = "ALPHA") -> Project:
    project = Project(name="Alpha", key=key, start=START)
    project.add_task(Task(uid=1, name="Design"))
    project.add_task(Task(uid=2, name="Spec"), parent_uid=1)
    project.add_task(Task(uid=3, name="Build"))
    project.add_dependency(Dependency(2, 3, LinkType.FS))
    return project


def test_add_then_get_returns_equal_aggregate(uow_factory: SqlUnitOfWorkFactory) -> None:
    project = small_project()
    with uow_factory() as uow:
        uow.projects.add(project)
        uow.commit()
    assert project.id is not None
    with uow_factory(write=False) as uow:
        loaded = uow.projects.get("ALPHA")
        assert uow.projects.get_by_id(project.id) == loaded
        assert uow.projects.keys() == {"ALPHA"}
        [summary] = uow.projects.list()
    assert loaded == project
    assert loaded.version == 1 and all(t.version == 1 for t in loaded.tasks)
    assert (summary.key, summary.task_count, summary.version) == ("ALPHA", 3, 1)


def test_leaving_without_commit_rolls_back(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.projects.add(small_project())
    with pytest.raises(RuntimeError), uow_factory() as uow:
        uow.projects.add(small_project())
        raise RuntimeError("boom")
    with uow_factory(write=False) as uow:
        assert uow.projects.keys() == set()
        with pytest.raises(NotFound):
            uow.projects.get("ALPHA")


def test_duplicate_key_is_a_conflict(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.projects.add(small_project())
        with pytest.raises(Conflict):
            uow.projects.add(small_project())
        uow.commit()
    with uow_factory(write=False) as uow:
        assert uow.projects.keys() == {"ALPHA"}


def test_second_stale_update_gets_conflict_first_is_kept(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.projects.add(small_project())
        uow.commit()
    # Two users load the same task (two requests, each with its own read unit)...
    with uow_factory(write=False) as first_read:
        mine = first_read.projects.get("ALPHA")
    with uow_factory(write=False) as second_read:
        theirs = second_read.projects.get("ALPHA")
    assert mine.id is not None
    # ...and both save an edit.
    mine.task(3).name = "Build it"
    with uow_factory() as uow:
        uow.projects.update_task(mine.id, mine.task(3))
        uow.commit()
    assert mine.task(3).version == 2
    theirs.task(3).name = "Build something else"
    with uow_factory() as uow, pytest.raises(Conflict):
        uow.projects.update_task(mine.id, theirs.task(3))
    with uow_factory(write=False) as uow:
        stored = uow.projects.get("ALPHA").task(3)
    assert (stored.name, stored.version) == ("Build it", 2)


def test_update_project_checks_version(uow_factory: SqlUnitOfWorkFactory) -> None:
    project = small_project()
    with uow_factory() as uow:
        uow.projects.add(project)
        uow.commit()
    stale = Project(name="Old", key="ALPHA", start=START)
    stale.id, stale.version = project.id, project.version
    project.name = "Alpha renamed"
    with uow_factory() as uow:
        uow.projects.update_project(project)
        uow.commit()
    assert project.version == 2
    with uow_factory() as uow, pytest.raises(Conflict):
        uow.projects.update_project(stale)
    with uow_factory(write=False) as uow:
        assert uow.projects.get("ALPHA").name == "Alpha renamed"


def test_update_of_missing_task_is_not_found(uow_factory: SqlUnitOfWorkFactory) -> None:
    project = small_project()
    with uow_factory() as uow:
        uow.projects.add(project)
        assert project.id is not None
        with pytest.raises(NotFound):
            uow.projects.update_task(project.id, Task(uid=99, name="Ghost"))


def test_wbs_edits_links_and_schedule(uow_factory: SqlUnitOfWorkFactory) -> None:
    project = small_project()
    with uow_factory() as uow:
        uow.projects.add(project)
        uow.commit()
    assert project.id is not None
    pid = project.id
    with uow_factory() as uow:
        new = Task(uid=4, name="Kick-off")
        uow.projects.add_task(pid, new, 0)
        uow.projects.add_dependency(pid, Dependency(4, 1, LinkType.SS))
        with pytest.raises(Conflict):
            uow.projects.add_dependency(pid, Dependency(4, 1))
        uow.projects.delete_dependency(pid, 2, 3)
        with pytest.raises(NotFound):
            uow.projects.delete_dependency(pid, 2, 3)
        finish = datetime(2026, 1, 9, 17)
        uow.projects.write_schedule(pid, [ScheduledDates(3, START, finish)])
        uow.commit()
    with uow_factory(write=False) as uow:
        loaded = uow.projects.get_by_id(pid)
    assert [t.uid for t in loaded.tasks] == [4, 1, 2, 3]
    assert [d.key for d in loaded.dependencies] == [(4, 1)]
    assert (loaded.task(3).finish, loaded.task(3).version) == (datetime(2026, 1, 9, 17), 1)

    # Outdent "Spec", delete "Build": replace_tasks stores the new WBS and drops links.
    loaded.task(2).outline_level = 1
    loaded.remove_task(3)
    with uow_factory() as uow:
        uow.projects.replace_tasks(loaded)
        uow.commit()
    with uow_factory(write=False) as uow:
        again = uow.projects.get_by_id(pid)
    assert [(t.uid, t.outline_level, t.summary) for t in again.tasks] == [
        (4, 1, False),
        (1, 1, False),
        (2, 1, False),
    ]

    with uow_factory() as uow:
        uow.projects.delete_tasks(pid, [4])
        uow.commit()
    with uow_factory(write=False) as uow:
        assert uow.projects.get_by_id(pid).dependencies == []


def test_delete_project_removes_everything(uow_factory: SqlUnitOfWorkFactory) -> None:
    project = small_project()
    with uow_factory() as uow:
        uow.projects.add(project)
        uow.projects.add(small_project("BETA"))
        uow.commit()
    assert project.id is not None
    with uow_factory() as uow:
        uow.projects.delete(project.id)
        with pytest.raises(NotFound):
            uow.projects.delete(project.id)
        uow.commit()
    with uow_factory(write=False) as uow:
        assert uow.projects.keys() == {"BETA"}
        assert len(uow.projects.get("BETA").tasks) == 3


def test_write_units_queue_and_read_units_do_not_wait(uow_factory: SqlUnitOfWorkFactory) -> None:
    """One writer at a time on both backends; readers never wait for the writer."""
    import threading
    import time

    with uow_factory() as uow:
        uow.projects.add(small_project())
        uow.commit()
    events: list[str] = []
    started = threading.Event()

    def second_writer() -> None:
        started.set()
        with uow_factory() as uow:
            uow.projects.keys()  # the first statement takes the write lock: it waits here
            events.append("second writer in")
            uow.commit()

    with uow_factory() as first:
        first.projects.add(small_project("BETA"))
        thread = threading.Thread(target=second_writer)
        thread.start()
        started.wait()
        time.sleep(0.3)
        with uow_factory(write=False) as reader:
            assert reader.projects.keys() == {"ALPHA"}  # not blocked, and no dirty read
        events.append("first writer commits")
        first.commit()
    thread.join(timeout=10)
    assert events == ["first writer commits", "second writer in"]


def test_import_with_dangling_link_is_refused_whole(uow_factory: SqlUnitOfWorkFactory) -> None:
    bad = small_project("BAD")
    bad.dependencies.append(Dependency(3, 404))  # as a careless importer might build it
    with uow_factory() as uow:
        with pytest.raises(ValidationError, match="missing tasks"):
            uow.projects.add(bad)
        uow.projects.add(small_project())  # the unit of work is still usable
        uow.commit()
    with uow_factory(write=False) as uow:
        assert uow.projects.keys() == {"ALPHA"}


def test_unbounded_imported_text_is_stored_on_both_backends(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    """Fields the domain does not limit must not be limited by a VARCHAR(n) on PostgreSQL."""
    from steerco.domain import Calendar, Resource

    long = "x" * 5000
    project = small_project()
    project.task(1).wbs = long
    project.calendars.append(Calendar(uid=9, name=long))
    project.resources.append(Resource(uid=1, name=long, initials=long, group=long, email=long))
    with uow_factory() as uow:
        uow.projects.add(project)
        uow.commit()
    with uow_factory(write=False) as uow:
        assert uow.projects.get("ALPHA") == project
