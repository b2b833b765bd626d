"""A schedule is identical after the project makes a round trip through storage."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from sqlalchemy import delete

from steerco.domain import Project
from steerco.engine import schedule
from steerco.storage.schema import ProjectRow
from tests.property.engine.test_cpm_properties import networks


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(project=networks())
def test_schedule_survives_storage(uow_factory, project: Project) -> None:
    before = schedule(project)
    with uow_factory() as uow:
        uow.session.execute(delete(ProjectRow))
        uow.projects.add(project)
        uow.commit()
    with uow_factory(write=False) as uow:
        loaded = uow.projects.get(project.key)
    after = schedule(loaded)
    assert after == before
