"""Request and response bodies. Every input model forbids unknown fields (422), so no
request-supplied name ever reaches an attribute lookup (OpenProject GHSA-9c69-v342-vqr7)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from steerco.domain import ConstraintType, LinkType, Methodology
from steerco.domain.accounts import Role

# MS Project's own date range: outside it the engine's calendars have nothing to say.
Day = Annotated[date, Field(ge=date(1984, 1, 1), le=date(2149, 12, 31))]
Moment = Annotated[datetime, Field(ge=datetime(1984, 1, 1), le=datetime(2149, 12, 31))]
Name = Annotated[str, Field(min_length=1, max_length=200)]
TaskName = Annotated[str, Field(min_length=1, max_length=512)]
DurationText = Annotated[str, Field(min_length=1, max_length=20, examples=["5d", "4h", "2ed"])]
LinkList = Annotated[str, Field(max_length=2000, examples=["3,5FS+2d"])]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProjectIn(Input):
    name: Name
    key: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{1,9}$")] | None = None
    start: Day | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    methodology: Methodology = Methodology.WATERFALL


class ProjectPatch(Input):
    name: Name | None = None
    start: Day | None = None
    status_date: Moment | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    methodology: Methodology | None = None
    version: int | None = Field(default=None, ge=0, le=2**31, description="optimistic lock")


class ProjectOut(BaseModel):
    id: str
    key: str
    name: str
    start: datetime
    finish: datetime | None
    status_date: datetime | None = None
    currency: str | None = None
    methodology: str
    task_count: int
    version: int


class TaskIn(Input):
    name: TaskName
    duration: DurationText = "1d"
    parent: Annotated[str, Field(max_length=40)] | None = Field(
        default=None, description="id of the summary task to add under"
    )
    milestone: bool = False
    deliverable: bool = False
    constraint: ConstraintType = ConstraintType.ASAP
    constraint_date: Moment | None = None
    deadline: Moment | None = None
    notes: Annotated[str, Field(max_length=20_000)] = ""
    predecessors: LinkList = ""


class TaskPatch(Input):
    version: int = Field(ge=0, le=2**31, description="the row version you read (409 when stale)")
    name: TaskName | None = None
    duration: DurationText | None = None
    milestone: bool | None = None
    constraint: ConstraintType | None = None
    constraint_date: Moment | None = None
    deadline: Moment | None = None
    notes: Annotated[str, Field(max_length=20_000)] | None = None
    percent_complete: int | None = Field(default=None, ge=0, le=100)
    predecessors: LinkList | None = None
    splits: Annotated[str, Field(max_length=2000, examples=["2d+1d"])] | None = Field(
        default=None,
        description="pauses in the task's work, each WORK DONE+PAUSE in working time "
        '("2d+1d, 4d+2d"); "" joins the task again',
    )


class TaskOut(BaseModel):
    id: str
    name: str
    wbs: str
    outline_level: int
    parent: str | None
    summary: bool
    milestone: bool
    duration: str
    start: datetime | None
    finish: datetime | None
    percent_complete: int
    constraint: ConstraintType
    constraint_date: datetime | None
    deadline: datetime | None
    notes: str
    predecessors: str
    splits: str = Field(description='pauses, as in TaskPatch; "" when it is in one piece')
    version: int


class TaskList(BaseModel):
    project: str
    tasks: list[TaskOut]


class DependencyIn(Input):
    predecessor: Annotated[str, Field(min_length=1, max_length=40)]
    successor: Annotated[str, Field(min_length=1, max_length=40)]
    type: LinkType = LinkType.FS
    lag: Annotated[str, Field(max_length=20, examples=["2d", "-1d", "50%"])] = ""


class DependencyOut(BaseModel):
    id: str
    predecessor: str
    successor: str
    type: LinkType
    lag: str
    text: str = Field(description="as MS Project shows it on the successor: 12FS+2d")


class DriverOut(BaseModel):
    kind: str
    explanation: str
    task: str | None
    link: str | None


class ScheduledTaskOut(BaseModel):
    id: str
    name: str
    start: datetime
    finish: datetime
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    total_slack: str
    total_slack_minutes: int
    free_slack_minutes: int
    critical: bool
    driver: DriverOut


class ScheduleOut(BaseModel):
    project: str
    status: str
    start: datetime
    finish: datetime
    critical_path: list[str]
    tasks: list[ScheduledTaskOut]
    conflicts: list[str]


class MemberIn(Input):
    email: Annotated[str, Field(min_length=3, max_length=320)]
    role: Role


class MemberPatch(Input):
    role: Role
    version: int = Field(ge=0, le=2**31, description="optimistic lock")


class MemberOut(BaseModel):
    user_id: int
    email: str
    role: Role
    version: int


class LevelIn(Input):
    time_limit: float = Field(default=5.0, gt=0, le=120, description="wall seconds of search")
    seed: int = Field(default=0, ge=0, le=2**31, description="same plan and seed, same result")
    within_slack: bool = Field(default=False, description="never move the finish date")
    split: bool = Field(
        default=False,
        description="leveling may split tasks whose "
        '"leveling can split" flag is on (MS Project\'s flag, on by default)',
    )


class DelayOut(BaseModel):
    id: str
    name: str
    delay: str = Field(description="working time, as MS Project shows it: 3d")
    delay_minutes: int
    start_before: datetime
    start: datetime
    explanation: str = Field(examples=["delayed 3d: Ana over-allocated 12-14 Jan by Task 42"])


class PauseOut(BaseModel):
    paused: datetime = Field(description="end of the work before the pause")
    resumed: datetime = Field(description="start of the work after it")


class SplitOut(BaseModel):
    id: str
    name: str
    pauses: list[PauseOut]
    explanation: str = Field(examples=["split: paused 7 Jan: Ana over-allocated by Review"])


class LevelOut(BaseModel):
    project: str
    status: str = Field(description="optimal (proven shortest) or feasible")
    finish_before: datetime
    finish: datetime
    delays: list[DelayOut]
    splits: list[SplitOut] = Field(default_factory=list, description="tasks leveling split")
    unleveled: list[str] = Field(
        default_factory=list,
        description="resources with Can Level off: leveling left their bookings as they were",
    )


class ClearLevelIn(Input):
    split: bool = Field(
        default=False,
        description="also join the tasks leveling may split (their pauses go too)",
    )


class ClearedTaskOut(BaseModel):
    id: str
    name: str
    start_before: datetime
    start: datetime = Field(description="where it starts without its leveling delay")


class ClearLevelOut(BaseModel):
    project: str
    finish_before: datetime
    finish: datetime
    cleared: list[ClearedTaskOut] = Field(
        description="tasks that had a leveling delay (or, with split, pauses)"
    )


class TaskCostOut(BaseModel):
    id: str
    wbs: str
    name: str
    cost: float = Field(
        description="its assignments' work at their rates, plus per-use; "
        "a summary task sums its subtasks"
    )


class ResourceCostOut(BaseModel):
    id: str
    name: str
    cost: float


class CostsOut(BaseModel):
    project: str
    currency: str = Field(description="ISO 4217 code of every amount here")
    total: float
    tasks: list[TaskCostOut]
    resources: list[ResourceCostOut]


Units = Annotated[str, Field(min_length=1, max_length=20, examples=["100%", "50%", "0.5"])]
Rate = Annotated[float, Field(ge=0, le=1e9)]


class RateOut(BaseModel):
    table: str = Field(description="A-E, as in MS Project")
    effective: datetime | None = Field(description="in force from; null: from the start")
    standard: float = Field(description="per hour of work (per unit for material)")
    overtime: float
    per_use: float


class ResourceOut(BaseModel):
    id: str
    name: str
    kind: str = Field(description="work, material or cost")
    max_units: float = Field(description="1.0 is one full-time person")
    email: str
    can_level: bool = Field(description="MS Project's Can Level: may leveling delay tasks for it")
    rates: list[RateOut]


class ResourceIn(Input):
    name: Name
    max_units: Units = "100%"
    email: Annotated[str, Field(max_length=255)] = ""
    kind: Literal["work", "material", "cost"] = "work"


class ResourceChangesIn(Input):
    """Only the fields given change."""

    name: Name | None = None
    max_units: Units | None = None
    email: Annotated[str, Field(max_length=255)] | None = None
    can_level: bool | None = None


class RateIn(Input):
    table: Annotated[str, Field(pattern=r"^[A-Ea-e]$")] = "A"
    effective: Day | None = Field(default=None, description="in force from; omit: from the start")
    standard: Rate | None = None
    overtime: Rate | None = None
    per_use: Rate | None = None
    remove: bool = False


class AssignmentIn(Input):
    task: Annotated[str, Field(min_length=1, max_length=200, description="id, WBS code or name")]
    resource: Annotated[str, Field(min_length=1, max_length=255, description="id, name or e-mail")]
    units: Units = "100%"


class AssignmentUnitsIn(Input):
    units: Units


class AssignmentOut(BaseModel):
    id: str
    task: str
    resource: str
    units: float
    work_minutes: int | None
    rate_table: str


class SkillIO(Input):
    name: Annotated[str, Field(min_length=1, max_length=60, examples=["python"])]
    level: Annotated[int, Field(ge=1, le=5, description="1 (aware) to 5 (expert)")] = 3


class CertificationIO(Input):
    name: Annotated[str, Field(min_length=1, max_length=60, examples=["PMP"])]
    expires: Day | None = None


class ProfileIO(Input):
    """What a person can do and where they work; PUT replaces all of it."""

    time_zone: Annotated[str, Field(max_length=64, examples=["Europe/Berlin"])] = ""
    skills: Annotated[list[SkillIO], Field(max_length=200)] = []
    certifications: Annotated[list[CertificationIO], Field(max_length=200)] = []


class NeedsIO(Input):
    needs: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=70)]],
        Field(max_length=100, examples=[["python:3", "AWS"]]),
    ]


class CandidateOut(BaseModel):
    resource: str
    name: str
    score: float
    qualified: bool
    scores: dict[str, float]
    reasons: list[str]


class SuggestionsOut(BaseModel):
    task: str
    name: str
    start: datetime
    finish: datetime
    needs: list[str] = Field(examples=[["python:3", "AWS:1"]])
    candidates: list[CandidateOut]
