"""A realistic demo plan: migrating a sales team from a legacy CRM to a SaaS CRM."""

from __future__ import annotations

from datetime import date, datetime, time

from steerco.domain import Project
from steerco.services import baselines, resources, staffing
from steerco.services.accounts import LocalOperator, create_user
from steerco.services.ports import UnitOfWorkFactory
from steerco.services.projects import as_start
from steerco.services.scheduling import reschedule
from steerco.services.tasks import NewTask, add_task_to

DEMO_KEY = "CRM"
DEMO_NAME = "CRM migration"

# (indent, name, duration, predecessors, flags) - flags: M milestone, D deliverable.
# Predecessors name earlier rows, as a project manager would say them.
PLAN: list[tuple[int, str, str, tuple[str, ...], str]] = [
    (1, "Initiation", "", (), ""),
    (2, "Project charter", "3d", (), "D"),
    (2, "Stakeholder analysis", "2d", ("Project charter",), ""),
    (2, "Charter approved", "0d", ("Stakeholder analysis",), "M"),
    (1, "Analysis", "", (), ""),
    (2, "Current-state process mapping", "5d", ("Charter approved",), ""),
    (2, "Legacy data profiling", "4d", ("Charter approved",), ""),
    (2, "Requirements workshops", "6d", ("Current-state process mapping SS+2d",), ""),
    (2, "Requirements specification", "4d", ("Requirements workshops",), "D"),
    (2, "Requirements signed off", "0d", ("Requirements specification",), "M"),
    (1, "Design", "", (), ""),
    (2, "Solution architecture", "5d", ("Requirements signed off",), "D"),
    (
        2,
        "Data migration design",
        "4d",
        ("Legacy data profiling", "Solution architecture SS+2d"),
        "",
    ),
    (2, "Integration design (ERP, e-mail)", "5d", ("Solution architecture",), ""),
    (2, "Security and access model", "3d", ("Solution architecture",), ""),
    (
        2,
        "Design authority approval",
        "0d",
        ("Data migration design", "Integration design (ERP, e-mail)", "Security and access model"),
        "M",
    ),
    (1, "Build", "", (), ""),
    (2, "Sandbox provisioning", "2d", ("Design authority approval",), ""),
    (2, "Configure objects and layouts", "8d", ("Sandbox provisioning",), ""),
    (2, "Sales workflows and automation", "6d", ("Configure objects and layouts SS+3d",), ""),
    (2, "ERP integration", "10d", ("Sandbox provisioning",), ""),
    (2, "E-mail and calendar sync", "4d", ("Sandbox provisioning",), ""),
    (2, "Migration scripts", "8d", ("Design authority approval",), ""),
    (2, "Reports and dashboards", "5d", ("Configure objects and layouts",), "D"),
    (
        2,
        "Build complete",
        "0d",
        (
            "Sales workflows and automation",
            "ERP integration",
            "E-mail and calendar sync",
            "Migration scripts",
            "Reports and dashboards",
        ),
        "M",
    ),
    (1, "Test", "", (), ""),
    (2, "System test", "6d", ("Build complete",), ""),
    (2, "Trial migration 1", "3d", ("Build complete",), ""),
    (2, "Defect fixing", "5d", ("System test SS+2d",), ""),
    (2, "Trial migration 2", "3d", ("Trial migration 1", "Defect fixing FF"), ""),
    (2, "User acceptance test", "8d", ("Defect fixing", "Trial migration 2"), "D"),
    (2, "Go/no-go decision", "0d", ("User acceptance test",), "M"),
    (1, "Deployment", "", (), ""),
    (2, "Train the trainers", "3d", ("User acceptance test SS+3d",), ""),
    (2, "End-user training", "5d", ("Train the trainers",), "D"),
    (2, "Freeze legacy CRM", "1d", ("Go/no-go decision",), ""),
    (2, "Production migration", "2d", ("Freeze legacy CRM",), ""),
    (2, "Cutover", "1d", ("Production migration", "End-user training"), ""),
    (2, "Go-live", "0d", ("Cutover",), "M"),
    (1, "Closure", "", (), ""),
    (2, "Hypercare", "10ed", ("Go-live",), ""),
    (2, "Decommission legacy CRM", "3d", ("Hypercare",), ""),
    (2, "Lessons learned", "1d", ("Hypercare",), "D"),
    (2, "Project closed", "0d", ("Decommission legacy CRM", "Lessons learned"), "M"),
]


def seed_demo(uow_factory: UnitOfWorkFactory, today: date) -> tuple[Project, bool]:
    """Create the demo project unless it exists. Returns it and whether it was created."""
    with uow_factory() as uow:
        taken = uow.projects.keys()
        if DEMO_KEY in taken:
            return uow.projects.get(DEMO_KEY), False
        project = Project(name=DEMO_NAME, key=DEMO_KEY, start=as_start(_monday(today), today))
        uow.projects.add(project)
        phase: str | None = None
        for indent, name, duration, after, flags in PLAN:
            if indent == 1:
                add_task_to(uow, project, NewTask(name=name, duration="1d"))
                phase = name
                continue
            add_task_to(
                uow,
                project,
                NewTask(
                    name=name,
                    duration=duration,
                    parent=phase,
                    after=after,
                    milestone="M" in flags,
                    deliverable="D" in flags,
                ),
            )
        reschedule(uow, project)
        uow.commit()
    _staff(uow_factory, datetime.combine(today, time(9)))
    with uow_factory(write=False) as uow:
        return uow.projects.get(DEMO_KEY), True


# (name, e-mail, time zone, rate, skills, certifications)
TEAM: list[tuple[str, str, str, float, tuple[tuple[str, int], ...], tuple[str, ...]]] = [
    (
        "Priya Nair",
        "priya@example.com",
        "Europe/London",
        85,
        (("business analysis", 5), ("stakeholder management", 4)),
        ("PMP",),
    ),
    (
        "Marco Rossi",
        "marco@example.com",
        "Europe/Rome",
        110,
        (("solution architecture", 5), ("integration", 4), ("security", 3)),
        ("AWS",),
    ),
    (
        "Lena Fischer",
        "lena@example.com",
        "Europe/Berlin",
        90,
        (("CRM configuration", 4), ("integration", 3), ("python", 3)),
        (),
    ),
    (
        "Tom Okafor",
        "tom@example.com",
        "Africa/Lagos",
        70,
        (("data migration", 4), ("SQL", 5), ("python", 4)),
        (),
    ),
    (
        "Sara Lindqvist",
        "sara@example.com",
        "Europe/Stockholm",
        75,
        (("testing", 4), ("training", 3)),
        ("ISTQB",),
    ),
]
# Task -> people (by first name), and what the task needs. Lena carries both the ERP
# integration and the e-mail sync in parallel: an over-allocation for leveling to resolve.
WORK: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Project charter": (("Priya",), ("stakeholder management:3",)),
    "Stakeholder analysis": (("Priya",), ("stakeholder management:3",)),
    "Current-state process mapping": (("Priya",), ("business analysis:3",)),
    "Legacy data profiling": (("Tom",), ("SQL:3",)),
    "Requirements workshops": (("Priya",), ("business analysis:4",)),
    "Requirements specification": (("Priya",), ("business analysis:3",)),
    "Solution architecture": (("Marco",), ("solution architecture:4",)),
    "Data migration design": (("Tom",), ("data migration:3",)),
    "Integration design (ERP, e-mail)": (("Marco",), ("integration:4",)),
    "Security and access model": (("Marco",), ("security:3",)),
    "Configure objects and layouts": (("Lena",), ("CRM configuration:3",)),
    "ERP integration": (("Lena",), ("integration:3", "python:3")),
    "E-mail and calendar sync": (("Lena",), ("integration:2",)),
    "Migration scripts": (("Tom",), ("python:3", "SQL:4")),
    "System test": (("Sara",), ("testing:3",)),
    "Trial migration 1": (("Tom",), ("data migration:3",)),
    "User acceptance test": (("Sara", "Priya"), ("testing:3",)),
    "End-user training": (("Sara",), ("training:3",)),
    "Production migration": (("Tom",), ("data migration:4",)),
}


def _staff(uow_factory: UnitOfWorkFactory, now: datetime) -> None:
    """The demo's team, who does what, what tasks need, and baseline 0."""
    actor = LocalOperator(name="demo")  # seeded by the operator; the audit log says "demo"
    for name, email, zone, rate, skills, certs in TEAM:
        resources.add_resource(uow_factory, DEMO_KEY, name, email=email, actor=actor, now=now)
        for skill, level in skills:
            staffing.update_profile(
                uow_factory, DEMO_KEY, name, skill=(skill, level), actor=actor, now=now
            )
        for cert in certs:
            staffing.update_profile(
                uow_factory, DEMO_KEY, name, certification=(cert, None), actor=actor, now=now
            )
        staffing.update_profile(
            uow_factory, DEMO_KEY, name, time_zone=zone, hourly_rate=rate, actor=actor, now=now
        )
    first = {t[0].split()[0]: t[0] for t in TEAM}
    for task, (people, needs) in WORK.items():
        for person in people:
            resources.assign(uow_factory, DEMO_KEY, task, first[person], actor=actor, now=now)
        staffing.set_needs(uow_factory, DEMO_KEY, task, list(needs), actor=actor, now=now)
    baselines.save_baseline(uow_factory, DEMO_KEY, actor=actor, now=now)


def _monday(today: date) -> date:
    return date.fromordinal(today.toordinal() - today.weekday())


DEMO_ADMIN = "demo@steerco.example"


def ensure_demo_admin(uow_factory: UnitOfWorkFactory, password: str, now: datetime) -> bool:
    """On an instance with no users yet, create an admin to explore the demo with.

    There is no default account: the password is random, made by the caller and shown once.
    Returns whether the admin was created."""
    with uow_factory(write=False) as uow:
        if uow.users.list():
            return False
    create_user(
        uow_factory,
        DEMO_ADMIN,
        password,
        now=now,
        display_name="Demo admin",
        is_admin=True,
    )
    return True
