from datetime import datetime

import pytest

from steerco.domain import (
    Dependency,
    DependencyCycle,
    Duration,
    LinkType,
    NotFound,
    Project,
    Task,
    ValidationError,
)
from steerco.domain.project import key_from_name


def plan() -> Project:
    p = Project(name="Payroll migration", key="PM", start=datetime(2026, 1, 5, 8))
    phase = p.add_task(Task(uid=1, name="Design"))
    p.add_task(Task(uid=2, name="Spec", duration=Duration.parse("3d")), phase.uid)
    p.add_task(Task(uid=3, name="Review", duration=Duration.parse("1d")), phase.uid)
    p.add_task(Task(uid=4, name="Build", duration=Duration.parse("5d")))
    return p


def test_wbs_codes_and_parents_follow_document_order():
    p = plan()
    assert p.outline_numbers() == {1: "1", 2: "1.1", 3: "1.2", 4: "2"}
    assert p.parents() == {1: None, 2: 1, 3: 1, 4: None}
    assert p.task(1).summary and not p.task(4).summary
    assert [t.uid for t in p.iter_work_tasks()] == [2, 3, 4]


def test_child_is_appended_after_the_parents_last_descendant():
    p = plan()
    p.add_task(Task(uid=5, name="Sign-off", milestone=True, duration=Duration(0)), 1)
    assert [t.uid for t in p.tasks] == [1, 2, 3, 5, 4]


def test_find_task_by_code_uid_or_name():
    p = plan()
    assert p.find_task("1.2").uid == 3
    assert p.find_task("review").uid == 3
    assert p.find_task("4").uid == 4
    with pytest.raises(NotFound):
        p.find_task("nothing")


def test_cycle_is_refused_and_named():
    p = plan()
    p.add_dependency(Dependency(2, 3))
    p.add_dependency(Dependency(3, 4, LinkType.SS))
    with pytest.raises(DependencyCycle) as err:
        p.add_dependency(Dependency(4, 2))
    assert err.value.tasks == ["Build", "Spec", "Review", "Build"]
    assert len(p.dependencies) == 2


def test_links_inside_one_branch_and_duplicates_are_refused():
    p = plan()
    with pytest.raises(ValidationError, match="own subtasks"):
        p.add_dependency(Dependency(1, 2))
    p.add_dependency(Dependency(2, 3))
    with pytest.raises(ValidationError, match="already linked"):
        p.add_dependency(Dependency(2, 3, LinkType.SS))
    with pytest.raises(ValidationError):
        Dependency(2, 2)


def test_remove_task_takes_its_subtree_and_links():
    p = plan()
    p.add_dependency(Dependency(3, 4))
    assert p.remove_task(1) == [1, 2, 3]
    assert [t.uid for t in p.tasks] == [4] and p.dependencies == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "name"),
        ({"name": "x", "priority": 1001}, "priority"),
        ({"name": "x", "percent_complete": 101}, "percent"),
    ],
)
def test_task_rules(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        Task(uid=9, **kwargs)


def test_project_rules():
    with pytest.raises(ValidationError, match="name"):
        Project(name="  ", key="PM", start=datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="key"):
        Project(name="x", key="pm", start=datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="currency"):
        Project(name="x", key="PM", start=datetime(2026, 1, 1), currency="euro")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Payroll migration", "PM"),
        ("CRM", "CRM"),
        ("erp upgrade phase 2", "EUP"),
        ("9 lives", "P9LIV"),
    ],
)
def test_key_from_name(name, key):
    assert key_from_name(name) == key
