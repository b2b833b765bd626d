"""Cost rate tables of resources, and what a project costs (`steerco cost`, `resource rate`).

A resource has up to five rate tables (A-E, as in MS Project), each a list of lines in force
from a date on; an assignment uses one table (A unless set). Costs are computed on the
project's current schedule (`engine.costs`): an assignment's work at the standard rate in
force while it is done, plus the per-use charge. Only work and material resources cost
anything; see `engine.costs` for what is not counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from steerco.domain import CostRate, Project, Resource, ResourceKind, ValidationError
from steerco.domain.effort import work_of
from steerco.domain.resource import RATE_TABLES, check_rates
from steerco.engine.costs import charge_spans
from steerco.engine.cpm import schedule
from steerco.engine.result import ScheduleResult
from steerco.services import access, audit
from steerco.services.access import Action
from steerco.services.accounts import Actor, actor_name
from steerco.services.planning import task_ref
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory
from steerco.services.resources import resource_minutes, resource_ref
from steerco.services.schedule_views import derived
from steerco.services.scheduling import ProjectSchedule


def table_index(letter: str) -> int:
    """'A'..'E' (any case) -> 0..4."""
    text = letter.strip().upper()
    if len(text) != 1 or text not in RATE_TABLES:
        raise ValidationError(f"not a rate table: {letter[:10]!r}; use A, B, C, D or E")
    return RATE_TABLES.index(text)


def set_rate(
    uow_factory: UnitOfWorkFactory,
    key: str,
    resource: str,
    *,
    table: str = "A",
    effective: date | None = None,
    standard: float | None = None,
    overtime: float | None = None,
    per_use: float | None = None,
    remove: bool = False,
    actor: Actor,
    now: datetime,
) -> tuple[CostRate, ...]:
    """Add or change the line of `table` in force from `effective` (None: from the start),
    or remove it. Values not given keep the line's current ones (0 for a new line). Budget
    data, like the currency: managers and owners."""
    start = datetime.combine(effective, datetime.min.time()) if effective else None
    with access.project_unit(uow_factory, actor, key, Action.BUDGET_WRITE, what="set rate") as (
        uow,
        project,
    ):
        assert project.id is not None
        index = table_index(table)  # after the permission check, as every input is
        res = resource_ref(project, resource)
        rates = with_line(
            res, index, start, standard=standard, overtime=overtime, per_use=per_use, remove=remove
        )
        save_rates(uow, project.id, res, rates, actor=actor, now=now)
        uow.commit()
    return rates


def with_line(
    res: Resource,
    index: int,
    start: datetime | None,
    *,
    standard: float | None = None,
    overtime: float | None = None,
    per_use: float | None = None,
    remove: bool = False,
) -> tuple[CostRate, ...]:
    """`res`'s rate lines with the line of table `index` from `start` set or removed."""
    if res.kind is ResourceKind.COST:
        raise ValidationError(f"{res.name} is a cost resource: it has amounts, not rates")
    old = next((r for r in res.rates if r.table == index and r.effective == start), None)
    others = [r for r in res.rates if r is not old]
    if remove:
        if old is None:
            since = f"{start:%Y-%m-%d}" if start else "the start"
            raise ValidationError(
                f"{res.name} has no line of table {RATE_TABLES[index]} from {since}"
            )
        return check_rates(others)
    if standard is None and overtime is None and per_use is None:
        raise ValidationError("nothing to set: give a standard, overtime or per-use rate")
    line = old or CostRate(table=index, effective=start)
    line = replace(
        line,
        standard=line.standard if standard is None else standard,
        overtime=line.overtime if overtime is None else overtime,
        per_use=line.per_use if per_use is None else per_use,
    )  # CostRate checks the values again
    return check_rates([*others, line])


def save_rates(
    uow: UnitOfWork,
    project_id: int,
    res: Resource,
    rates: tuple[CostRate, ...],
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Store `rates` as `res`'s lines, with an audit entry, in the caller's unit of work."""
    before = res.rates
    res.rates = rates
    uow.projects.update_resource(project_id, res)
    audit.record(
        uow,
        actor=actor_name(actor),
        action="resource.rates_changed",
        target=f"{audit.project_target(project_id)}/resource:{res.uid}",
        now=now,
        before={"rates": describe_rates(before)},
        after={"rates": describe_rates(rates)},
    )


def set_rate_table(
    uow_factory: UnitOfWorkFactory,
    key: str,
    task: str,
    resource: str,
    table: str,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Which rate table an assignment uses: a cost decision, so managers and owners."""
    with access.project_unit(
        uow_factory, actor, key, Action.BUDGET_WRITE, what="set rate table"
    ) as (uow, project):
        assert project.id is not None
        index = table_index(table)
        target = task_ref(project, task)
        res = resource_ref(project, resource)
        found = [
            a for a in project.assignments if a.task_uid == target.uid and a.resource_uid == res.uid
        ]
        if not found:
            raise ValidationError(f"{res.name} is not assigned to {target.name!r}")
        asg = found[0]
        uow.projects.update_assignment(project.id, replace(asg, rate_table=index))
        audit.record(
            uow,
            actor=actor_name(actor),
            action="assignment.rate_table_changed",
            target=f"{audit.project_target(project.id)}/task:{target.uid}",
            now=now,
            before={"resource": res.name, "table": RATE_TABLES[asg.rate_table]},
            after={"resource": res.name, "table": RATE_TABLES[index]},
        )
        uow.commit()


def describe_rates(rates: tuple[CostRate, ...]) -> list[str]:
    """A line of text per rate line: 'A from 2027-01-01: 95/h, overtime 140/h, 50 per use'."""
    return [describe_rate(r) for r in rates]


def describe_rate(r: CostRate) -> str:
    since = f"from {r.effective:%Y-%m-%d}" if r.effective else "from the start"
    parts = [f"{r.standard:g}/h"]
    if r.overtime:
        parts.append(f"overtime {r.overtime:g}/h")
    if r.per_use:
        parts.append(f"{r.per_use:g} per use")
    return f"{RATE_TABLES[r.table]} {since}: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class AssignmentCost:
    task_uid: int
    resource_uid: int
    amount: float


@dataclass(frozen=True, slots=True)
class CostReport:
    project: Project
    assignments: list[AssignmentCost] = field(default_factory=list)
    by_task: dict[int, float] = field(default_factory=dict)  # leaf tasks and summaries
    by_resource: dict[int, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(a.amount for a in self.assignments)


def cost_total(plan: ProjectSchedule) -> float:
    """The plan's total cost on its schedule; kept with a cached plan (the portfolio prices
    every project on each request, and pricing is most of what a cached row costs)."""
    return derived(plan, "cost_total", lambda p: cost_report(p.project, p.result).total)


def cost_report(project: Project, result: ScheduleResult) -> CostReport:
    """Every assignment's cost on this schedule, summed per task (summaries roll up their
    subtasks) and per resource."""
    tasks = {t.uid: t for t in project.tasks}
    people = {r.uid: r for r in project.resources}
    origin = min((t.start for t in result.tasks.values()), default=project.start).date()
    minutes_of = resource_minutes(project, {c.uid: c for c in project.calendars}, origin)
    lines: list[AssignmentCost] = []
    for a in project.assignments:
        res, task = people.get(a.resource_uid), tasks.get(a.task_uid)
        times = result.tasks.get(a.task_uid)
        if res is None or task is None or times is None or res.kind is ResourceKind.COST:
            continue
        if res.kind is ResourceKind.MATERIAL:
            quantity = a.units
        else:
            quantity = work_of(a, task.duration.minutes) / 60
        minutes = minutes_of(res)
        spans = result.work_spans(a.task_uid)
        spent = charge_spans(res.rates, a.rate_table, quantity, spans, minutes)
        lines.append(AssignmentCost(a.task_uid, a.resource_uid, spent.amount))
    by_task: dict[int, float] = defaultdict(float)
    by_resource: dict[int, float] = defaultdict(float)
    parents = project.parents()
    for line in lines:
        by_resource[line.resource_uid] += line.amount
        uid: int | None = line.task_uid
        while uid is not None:
            by_task[uid] += line.amount
            uid = parents.get(uid)
    return CostReport(project, lines, dict(by_task), dict(by_resource))


def project_costs(uow_factory: UnitOfWorkFactory, key: str, *, actor: Actor) -> CostReport:
    with access.project_unit(uow_factory, actor, key, Action.PROJECT_READ, write=False) as (
        _,
        project,
    ):
        pass
    return cost_report(project, schedule(project, status_date=project.status_date))
