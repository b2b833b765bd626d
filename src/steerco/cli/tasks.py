"""`steerco task ...`"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from steerco.cli.context import actor, app, console, now
from steerco.cli.errors import ErrorHandlingGroup
from steerco.domain import LinkType
from steerco.domain.links import format_link
from steerco.domain.task import TaskType
from steerco.services import tasks as service


class TaskTypeOption(StrEnum):
    FIXED_UNITS = "fixed-units"
    FIXED_DURATION = "fixed-duration"
    FIXED_WORK = "fixed-work"


cli = typer.Typer(cls=ErrorHandlingGroup, help="Add, link and list tasks.", no_args_is_help=True)


@cli.command("add")
def add(
    project: Annotated[str, typer.Argument(help="Project key.")],
    name: Annotated[str, typer.Argument(help="Task name.")],
    duration: Annotated[str, typer.Option(help="5d, 4h, 30m, 2w, 2ed (elapsed).")] = "1d",
    parent: Annotated[str | None, typer.Option(help="Parent task: WBS code or name.")] = None,
    after: Annotated[
        list[str] | None, typer.Option(help='Predecessor, e.g. "Design FS+2d"; repeatable.')
    ] = None,
    milestone: Annotated[
        bool, typer.Option("--milestone", help="A zero-length milestone.")
    ] = False,
    deliverable: Annotated[
        bool, typer.Option("--deliverable", help="Mark as a deliverable.")
    ] = False,
    type_: Annotated[
        TaskTypeOption, typer.Option("--type", help="Which of work, duration, units stays put.")
    ] = TaskTypeOption.FIXED_UNITS,
    effort_driven: Annotated[
        bool, typer.Option("--effort-driven", help="Share the work out when people join.")
    ] = False,
) -> None:
    """Add a task to a project's WBS."""
    spec = service.NewTask(
        name=name,
        duration=duration,
        parent=parent,
        after=tuple(after or ()),
        milestone=milestone,
        deliverable=deliverable,
        task_type=TaskType(type_.value.replace("-", "_")),
        effort_driven=effort_driven,
    )
    task = service.add_task(app().uow, project, spec, actor=actor())
    start = f"{task.start:%Y-%m-%d %H:%M}" if task.start else "-"
    finish = f"{task.finish:%Y-%m-%d %H:%M}" if task.finish else "-"
    console.print(f"Added task {task.uid} {task.name}: {start} -> {finish}")


@cli.command("link")
def link(
    project: Annotated[str, typer.Argument(help="Project key.")],
    predecessor: Annotated[str, typer.Argument(help="Predecessor: WBS code or name.")],
    successor: Annotated[str, typer.Argument(help="Successor: WBS code or name.")],
    type_: Annotated[LinkType, typer.Option("--type")] = LinkType.FS,
    lag: Annotated[str, typer.Option(help="e.g. 2d, -1d, 3ed, 50%")] = "",
) -> None:
    """Link two tasks."""
    dep = service.link_tasks(app().uow, project, predecessor, successor, type_, lag, actor=actor())
    console.print(
        f"Linked {dep.predecessor} -> {dep.successor} {dep.type.value} {dep.lag.format()}"
    )


@cli.command("list")
def list_(project: Annotated[str, typer.Argument(help="Project key.")]) -> None:
    """Show the WBS tree with codes, durations, dates and predecessors."""
    plan = service.list_tasks(app().uow, project, actor=actor())
    codes = plan.wbs_codes()
    row_ids = {t.uid: str(i) for i, t in enumerate(plan.tasks) if t.outline_level > 0}
    preds: dict[int, list[str]] = {}
    for dep in plan.dependencies:
        ref = codes.get(dep.predecessor, row_ids.get(dep.predecessor, "?"))
        preds.setdefault(dep.successor, []).append(
            format_link(ref, dep.type, dep.lag, plan.work_time)
        )
    # Plain indented lines rather than a Rich tree: scripts read this, and a tree gets cropped
    # to the terminal's width.
    typer.echo(f"{plan.key}  {plan.name}")
    width = max((len(codes[t.uid]) + 2 * t.outline_level for t in plan.tasks), default=0)
    for task in plan.tasks:
        if task.outline_level == 0:
            continue
        code = "  " * (task.outline_level - 1) + codes[task.uid]
        kind = "◆ " if task.milestone else ""
        size = "" if task.summary else f"[{task.duration.format(plan.work_time)}] "
        dates = (
            f"{task.start:%Y-%m-%d}..{task.finish:%Y-%m-%d}" if task.start and task.finish else ""
        )
        after = f"  after {','.join(preds[task.uid])}" if task.uid in preds else ""
        typer.echo(f"{code:<{width}}  {kind}{task.name}  {size}{dates}{after}".rstrip())


@cli.command("needs")
def needs(
    project: Annotated[str, typer.Argument(help="Project key.")],
    task: Annotated[str, typer.Argument(help="Task: id, WBS code or name.")],
    skills: Annotated[
        list[str] | None, typer.Argument(help="e.g. python:3 AWS; none clears the list.")
    ] = None,
) -> None:
    """Set what a task needs: skills with a minimum level, or certifications."""
    from steerco.services import staffing

    wanted = staffing.set_needs(
        app().uow, project, task, list(skills or []), actor=actor(), now=now()
    )
    listed = ", ".join(f"{n.name}:{n.level}" for n in wanted) or "nothing"
    console.print(f"Task {task} needs {listed}", highlight=False, markup=False)
