"""Table rows, kept apart from the domain classes so either can change without the other.

Enums are stored as their string values in plain VARCHAR columns (not native enums) so a
new member needs no migration and both backends store the same thing. Durations are
integer minutes plus their display unit; money is integer minor units. `extras` holds the
verbatim XML fragments an MS Project file carried that steerco does not model, as a JSON
list of strings. The small value lists of a calendar (a day's working times, the seven days
of a week, a recurrence) are JSON text as well: they are never queried on their own.
Text columns are used wherever the domain sets no length limit (WBS codes, calendar and
resource names from imported files): a VARCHAR(n) would let PostgreSQL refuse what SQLite
stores.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints keep Alembic autogenerate stable, and let batch mode on SQLite find
# a constraint again to drop or alter it.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _project_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)


class ProjectRow(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    start: Mapped[datetime] = mapped_column(DateTime)
    status_date: Mapped[datetime | None] = mapped_column(DateTime)
    finish: Mapped[datetime | None] = mapped_column(DateTime)
    currency: Mapped[str] = mapped_column(String(3))
    calendar_uid: Mapped[int] = mapped_column(Integer)
    methodology: Mapped[str] = mapped_column(String(16))
    schedule_from_start: Mapped[bool] = mapped_column(Boolean)
    minutes_per_day: Mapped[int] = mapped_column(Integer)
    minutes_per_week: Mapped[int] = mapped_column(Integer)
    days_per_month: Mapped[int] = mapped_column(Integer)
    default_start_time: Mapped[int] = mapped_column(Integer)
    default_finish_time: Mapped[int] = mapped_column(Integer)
    extras: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    # A random stamp, renewed by every write to the project or its rows (unlike `version`,
    # which guards the project's own fields): a process that cached a schedule of this plan
    # reads it inside its transaction to know whether the cache still holds. 0 = never
    # stamped, never trusted.
    revision: Mapped[int] = mapped_column(BigInteger, server_default="0")


class TaskRow(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("project_id", "uid"),
        Index("ix_tasks_project_id_position", "project_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = _project_fk()
    uid: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    outline_level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(512))
    duration_minutes: Mapped[int] = mapped_column(BigInteger)
    duration_unit: Mapped[str] = mapped_column(String(2))
    duration_elapsed: Mapped[bool] = mapped_column(Boolean)
    duration_estimated: Mapped[bool] = mapped_column(Boolean)
    milestone: Mapped[bool] = mapped_column(Boolean)
    deliverable: Mapped[bool] = mapped_column(Boolean)
    manual: Mapped[bool] = mapped_column(Boolean)
    summary: Mapped[bool] = mapped_column(Boolean)
    start: Mapped[datetime | None] = mapped_column(DateTime)
    finish: Mapped[datetime | None] = mapped_column(DateTime)
    constraint_type: Mapped[str] = mapped_column(String(4))
    constraint_date: Mapped[datetime | None] = mapped_column(DateTime)
    deadline: Mapped[datetime | None] = mapped_column(DateTime)
    priority: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text)
    wbs: Mapped[str | None] = mapped_column(Text)
    percent_complete: Mapped[int] = mapped_column(Integer)
    actual_start: Mapped[datetime | None] = mapped_column(DateTime)
    actual_finish: Mapped[datetime | None] = mapped_column(DateTime)
    remaining_minutes: Mapped[int | None] = mapped_column(BigInteger)
    remaining_unit: Mapped[str | None] = mapped_column(String(2))
    remaining_elapsed: Mapped[bool | None] = mapped_column(Boolean)
    remaining_estimated: Mapped[bool | None] = mapped_column(Boolean)
    calendar_uid: Mapped[int | None] = mapped_column(Integer)
    task_type: Mapped[str] = mapped_column(String(16))
    effort_driven: Mapped[bool] = mapped_column(Boolean)
    ignore_resource_calendar: Mapped[bool] = mapped_column(Boolean)
    work_minutes: Mapped[int | None] = mapped_column(BigInteger)
    cost: Mapped[int | None] = mapped_column(BigInteger)
    fixed_cost: Mapped[int | None] = mapped_column(BigInteger)
    leveling_delay_minutes: Mapped[int | None] = mapped_column(BigInteger)
    leveling_delay_unit: Mapped[str | None] = mapped_column(String(2))
    leveling_delay_elapsed: Mapped[bool | None] = mapped_column(Boolean)
    splits: Mapped[str | None] = mapped_column(Text)  # JSON [[done, pause], ...]; NULL: none
    extras: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)


class DependencyRow(Base):
    """A link. Both ends must be stored tasks; deleting a task deletes its links."""

    __tablename__ = "dependencies"
    __table_args__ = (
        UniqueConstraint("project_id", "predecessor_uid", "successor_uid"),
        ForeignKeyConstraint(
            ["project_id", "predecessor_uid"],
            ["tasks.project_id", "tasks.uid"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["project_id", "successor_uid"],
            ["tasks.project_id", "tasks.uid"],
            ondelete="CASCADE",
        ),
        Index("ix_dependencies_project_id_successor_uid", "project_id", "successor_uid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = _project_fk()
    position: Mapped[int] = mapped_column(Integer)
    predecessor_uid: Mapped[int] = mapped_column(Integer)
    successor_uid: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(2))
    lag_minutes: Mapped[int] = mapped_column(BigInteger)
    lag_unit: Mapped[str] = mapped_column(String(2))
    lag_elapsed: Mapped[bool] = mapped_column(Boolean)
    lag_percent: Mapped[float | None] = mapped_column(Double)
    extras: Mapped[str] = mapped_column(Text)


class CalendarRow(Base):
    __tablename__ = "calendars"
    __table_args__ = (UniqueConstraint("project_id", "uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = _project_fk()
    uid: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    week: Mapped[str] = mapped_column(Text)
    base_uid: Mapped[int | None] = mapped_column(Integer)
    is_base: Mapped[bool] = mapped_column(Boolean)
    extras: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)


class CalendarExceptionRow(Base):
    __tablename__ = "calendar_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("calendars.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    start: Mapped[date] = mapped_column(Date)
    finish: Mapped[date] = mapped_column(Date)
    working: Mapped[bool | None] = mapped_column(Boolean)
    times: Mapped[str] = mapped_column(Text)
    recurrence: Mapped[str | None] = mapped_column(Text)
    extras: Mapped[str] = mapped_column(Text)


class WorkWeekRow(Base):
    __tablename__ = "calendar_work_weeks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("calendars.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    start: Mapped[date] = mapped_column(Date)
    finish: Mapped[date] = mapped_column(Date)
    days: Mapped[str] = mapped_column(Text)


class ResourceRow(Base):
    __tablename__ = "resources"
    __table_args__ = (UniqueConstraint("project_id", "uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = _project_fk()
    uid: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    max_units: Mapped[float] = mapped_column(Double)
    calendar_uid: Mapped[int | None] = mapped_column(Integer)
    initials: Mapped[str] = mapped_column(Text)
    group_name: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text)
    extras: Mapped[str] = mapped_column(Text)
    # Cost rate tables as JSON lines (`mappers.dump_rates`); "[]" for none.
    rates: Mapped[str] = mapped_column(Text, server_default="[]")
    can_level: Mapped[bool] = mapped_column(Boolean, server_default=true())
    version: Mapped[int] = mapped_column(Integer)


class AssignmentRow(Base):
    """Who works on what. The task must be stored (a deleted task takes its assignments);
    the resource need not, because MS Project files assign unassigned work to UID -65535."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("project_id", "uid"),
        ForeignKeyConstraint(
            ["project_id", "task_uid"],
            ["tasks.project_id", "tasks.uid"],
            ondelete="CASCADE",
        ),
        Index("ix_assignments_project_id_task_uid", "project_id", "task_uid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = _project_fk()
    uid: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    task_uid: Mapped[int] = mapped_column(Integer)
    resource_uid: Mapped[int] = mapped_column(Integer)
    units: Mapped[float] = mapped_column(Double)
    work_minutes: Mapped[int | None] = mapped_column(BigInteger)
    extras: Mapped[str] = mapped_column(Text)
    rate_table: Mapped[int] = mapped_column(Integer, server_default="0")  # 0..4 = A..E
    version: Mapped[int] = mapped_column(Integer)


class ResourceProfileRow(Base):
    """Skills, certifications, time zone and rate of a resource: what MSPDI has no field for,
    beside the resource row so that an MS Project round trip never sees it."""

    __tablename__ = "resource_profiles"
    __table_args__ = (
        UniqueConstraint("project_id", "resource_uid"),
        ForeignKeyConstraint(
            ["project_id", "resource_uid"],
            ["resources.project_id", "resources.uid"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = _project_fk()
    resource_uid: Mapped[int] = mapped_column(Integer)
    time_zone: Mapped[str] = mapped_column(Text)
    skills: Mapped[str] = mapped_column(Text)  # JSON [[name, level], ...]
    certifications: Mapped[str] = mapped_column(Text)  # JSON [[name, "YYYY-MM-DD" | null]]
    version: Mapped[int] = mapped_column(Integer)


class TaskSkillNeedRow(Base):
    __tablename__ = "task_skill_needs"
    __table_args__ = (
        UniqueConstraint("project_id", "task_uid", "name"),
        ForeignKeyConstraint(
            ["project_id", "task_uid"],
            ["tasks.project_id", "tasks.uid"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = _project_fk()
    task_uid: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)


# Every table a project owns, parents first: the order to count, copy or clear them in.
TABLES: list[Table] = [
    Base.metadata.tables[name]
    for name in (
        "projects",
        "calendars",
        "calendar_exceptions",
        "calendar_work_weeks",
        "tasks",
        "dependencies",
        "resources",
        "assignments",
        "resource_profiles",
        "task_skill_needs",
    )
]
TABLE_NAMES = [t.name for t in TABLES]
