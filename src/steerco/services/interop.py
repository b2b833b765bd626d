"""Import and export use cases: MS Project XML, CSV, XLSX and iCalendar."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from steerco.domain import Project, ValidationError
from steerco.engine.gcpause import paused_gc
from steerco.interop import csvxlsx, ical
from steerco.interop.mspdi import read_mspdi, write_mspdi
from steerco.interop.mspdi.split import Split, serial
from steerco.services import access
from steerco.services.access import Action
from steerco.services.accounts import Actor
from steerco.services.ports import UnitOfWorkFactory
from steerco.services.projects import adopt_project


class ExportFormat(str, Enum):
    MSPDI = "mspdi"
    CSV = "csv"
    XLSX = "xlsx"
    ICS = "ics"


MEDIA_TYPES = {
    ExportFormat.MSPDI: "application/xml",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.ICS: "text/calendar; charset=utf-8",
}

SUFFIXES = {
    ExportFormat.MSPDI: ".xml",
    ExportFormat.CSV: ".csv",
    ExportFormat.XLSX: ".xlsx",
    ExportFormat.ICS: ".ics",
}


def read_plan(data: bytes, *, max_bytes: int, filename: str = "", split: Split = serial) -> Project:
    """Parse an uploaded plan (safely, within limits) without storing it. `split` may share
    the task rows out (see interop/mspdi/split.py); the plan is the same either way."""
    if filename and not filename.lower().endswith(".xml"):
        raise ValidationError(
            f"{filename}: only MS Project XML (.xml) can be imported; "
            "save .mpp files as XML from MS Project"
        )
    return read_mspdi(data, max_bytes=max_bytes, split=split)


@paused_gc()
def import_plan(
    uow_factory: UnitOfWorkFactory,
    data: bytes,
    *,
    actor: Actor,
    max_bytes: int,
    filename: str = "",
    owner: str | None = None,
    split: Split = serial,
) -> Project:
    """Parse and store a plan in one transaction: a bad file stores nothing. The importer
    (and `owner`, an email, if given: see `projects.store_new`) becomes its owner."""
    access.check_create(actor)  # before parsing: a read-only credential costs no work
    project = read_plan(data, max_bytes=max_bytes, filename=filename, split=split)
    return adopt_project(uow_factory, project, actor=actor, owner=owner)


@paused_gc()
def export_project(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    fmt: ExportFormat,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> bytes:
    """A project as a file: anyone who may read it (viewers included)."""
    return export_file(uow_factory, ref, fmt, actor=actor, now=now)[1]


def export_file(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    fmt: ExportFormat,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> tuple[str, bytes]:
    """`export_project` with the project's key, to name the file by."""
    with (
        access.denials_audited(uow_factory, actor, f"project:{ref} export"),
        uow_factory(write=False) as uow,
    ):
        found = access.check(uow, actor, ref, Action.PROJECT_READ)
        project = uow.projects.get(found.key)
    return project.key, render(project, fmt, now=now)


def render(project: Project, fmt: ExportFormat, *, now: datetime | None = None) -> bytes:
    """`now` stamps iCalendar events (DTSTAMP); it defaults to the project's start so that
    output stays reproducible when no clock is given."""
    if fmt is ExportFormat.MSPDI:
        return write_mspdi(project)
    if fmt is ExportFormat.CSV:
        return csvxlsx.export_csv(project)
    if fmt is ExportFormat.XLSX:
        return csvxlsx.export_xlsx(project)
    return ical.export_ical(project, stamp=now or project.start)
