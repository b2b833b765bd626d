"""`steerco resource rate`, `steerco resource rate-table` and `steerco cost`."""

from __future__ import annotations

from typing import Annotated

import typer

from steerco.cli.context import actor, app, console, now, parse_day
from steerco.domain import ValidationError
from steerco.services import costs


def rate(
    project: Annotated[str, typer.Argument(help="Project key.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
    standard: Annotated[float | None, typer.Option(help="Cost of an hour of work.")] = None,
    overtime: Annotated[float | None, typer.Option(help="Cost of an overtime hour.")] = None,
    per_use: Annotated[float | None, typer.Option(help="Charged once per assignment.")] = None,
    table: Annotated[str, typer.Option(help="Rate table A-E (assignments use A).")] = "A",
    from_: Annotated[
        str | None, typer.Option("--from", help="In force from this day (YYYY-MM-DD).")
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove that line.")] = False,
) -> None:
    """Set a line of a resource's cost rate table, in force from a day on (or from the start)."""
    lines = costs.set_rate(
        app().uow, project, resource, table=table, effective=parse_day(from_) if from_ else None,
        standard=standard, overtime=overtime, per_use=per_use, remove=remove,
        actor=actor(), now=now(),
    )  # fmt: skip
    for text in costs.describe_rates(lines) or ["no rates"]:
        console.print(text, highlight=False, markup=False)


def rate_table(
    project: Annotated[str, typer.Argument(help="Project key.")],
    task: Annotated[str, typer.Argument(help="Task: id, WBS code or name.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
    table: Annotated[str, typer.Argument(help="Rate table A-E.")],
) -> None:
    """Which of the resource's rate tables its work on this task is costed at."""
    costs.set_rate_table(app().uow, project, task, resource, table, actor=actor(), now=now())
    console.print(f"Costed at rate table {table.strip().upper()}", highlight=False, markup=False)


def cost(
    project: Annotated[str, typer.Argument(help="Project key.")],
    by: Annotated[str, typer.Option(help="Lines per: task or resource.")] = "task",
) -> None:
    """What the project costs on its current schedule: work at its rates, plus per-use."""
    if by not in ("task", "resource"):
        raise ValidationError("--by is task or resource")
    report = costs.project_costs(app().uow, project, actor=actor())
    p = report.project
    console.print(
        f"{p.key}  {p.name}: total {report.total:,.2f} {p.currency}", highlight=False, markup=False
    )
    if by == "resource":
        for r in p.resources:
            if r.uid in report.by_resource:
                console.print(
                    f"  {r.name}  {report.by_resource[r.uid]:,.2f}", highlight=False, markup=False
                )
        return
    numbers = p.outline_numbers()
    for t in p.tasks:
        if t.uid in report.by_task and t.outline_level > 0:
            label = f"{'  ' * t.outline_level}{numbers.get(t.uid, '')} {t.name}"
            console.print(f"{label}  {report.by_task[t.uid]:,.2f}", highlight=False, markup=False)
