"""/projects/{id}/members: who may see and change a project, with which role. The rules
(managers manage everyone but owners; a project keeps an owner) live in the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from steerco.api.deps import PrincipalDep, UowDep, now
from steerco.api.errors import documented
from steerco.api.schemas import MemberIn, MemberOut, MemberPatch
from steerco.domain.account_records import Membership
from steerco.services import accounts_members as service

router = APIRouter(
    prefix="/projects/{project_id}/members", tags=["members"], responses=documented(404, 422)
)

UserId = Annotated[int, Path(ge=1, le=2**31, description="the member's user id")]


def _out(member: Membership) -> MemberOut:
    return MemberOut(
        user_id=member.user_id, email=member.email, role=member.role, version=member.version
    )


@router.get("", response_model=list[MemberOut])
def list_members(project_id: str, uow: UowDep, who: PrincipalDep) -> list[MemberOut]:
    return [_out(m) for m in service.list_members(uow, who, project_id)]


@router.post("", status_code=201, response_model=MemberOut, responses=documented(409))
def add_member(project_id: str, body: MemberIn, uow: UowDep, who: PrincipalDep) -> MemberOut:
    return _out(service.add_member(uow, who, project_id, body.email, body.role, now=now()))


@router.patch("/{user_id}", response_model=MemberOut, responses=documented(409))
def change_role(
    project_id: str, user_id: UserId, body: MemberPatch, uow: UowDep, who: PrincipalDep
) -> MemberOut:
    return _out(
        service.change_role(
            uow, who, project_id, user_id, body.role, version=body.version, now=now()
        )
    )


@router.delete("/{user_id}", status_code=204, response_class=Response, responses=documented(409))
def remove_member(project_id: str, user_id: UserId, uow: UowDep, who: PrincipalDep) -> Response:
    service.remove_member(uow, who, project_id, user_id, now=now())
    return Response(status_code=204)
