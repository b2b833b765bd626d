"""Import (MS Project XML, multipart field `file`) and export (mspdi, csv, xlsx, ics)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile

from steerco.api.deps import AppDep, PrincipalDep, UowDep
from steerco.api.errors import documented
from steerco.api.present import project_out
from steerco.api.schemas import ProjectOut
from steerco.domain import ValidationError
from steerco.services.interop import (
    MEDIA_TYPES,
    SUFFIXES,
    ExportFormat,
    export_file,
    import_plan,
)

router = APIRouter(prefix="/projects", tags=["files"], responses=documented(422))


@router.post("/import", status_code=201, response_model=ProjectOut, responses=documented(409, 413))
async def import_project(
    file: Annotated[UploadFile, File(description="MS Project XML")],
    app: AppDep,
    who: PrincipalDep,
) -> ProjectOut:
    limit = app.settings.import_max_bytes
    # Read one byte past the limit, never the whole of an oversized upload.
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"the file is larger than {limit} bytes")
    project = import_plan(app.uow, data, actor=who, max_bytes=limit, filename=file.filename or "")
    return project_out(project)


@router.get(
    "/{project_id}/export",
    response_class=Response,
    responses={
        200: {
            "content": {m: {} for m in MEDIA_TYPES.values()},
            "description": "the file, as an attachment",
        },
        **documented(404),
    },
)
def export(
    project_id: str,
    uow: UowDep,
    who: PrincipalDep,
    format: Annotated[ExportFormat, Query()] = ExportFormat.MSPDI,
) -> Response:
    key, body = export_file(uow, project_id, format, actor=who)
    name = f"{key}{SUFFIXES[format]}"
    return Response(
        body,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
