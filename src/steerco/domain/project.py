"""The project aggregate: its WBS, links, calendars and resources, and the rules that bind them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum

from steerco.domain.calendar import Calendar, standard_calendar
from steerco.domain.dependency import Dependency
from steerco.domain.duration import WorkTime
from steerco.domain.errors import DependencyCycle, NotFound, ValidationError
from steerco.domain.resource import Assignment, Resource
from steerco.domain.task import Task


class Methodology(str, Enum):
    WATERFALL = "waterfall"
    SCRUM = "scrum"
    KANBAN = "kanban"
    HYBRID = "hybrid"


MAX_PROJECT_NAME = 200
_KEY = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValidationError(
            f"project key {key!r} must be 2-10 capital letters or digits, starting with a letter"
        )
    return key


def key_from_name(name: str) -> str:
    """A short key from a name: initials of its words, or its first letters."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    letters = "".join(w[0] for w in words if w[0].isalpha()).upper()
    if len(letters) < 2:
        letters = re.sub(r"[^A-Za-z0-9]", "", name).upper()[:4]
    if not letters or not letters[0].isalpha():
        letters = "P" + letters
    return (letters + "X")[: max(2, min(len(letters), 6))]


@dataclass(slots=True)
class Project:
    name: str
    key: str
    start: datetime
    status_date: datetime | None = None
    finish: datetime | None = None
    currency: str = "EUR"
    calendar_uid: int = 1
    methodology: Methodology = Methodology.WATERFALL
    schedule_from_start: bool = True
    work_time: WorkTime = field(default_factory=WorkTime)
    default_start_time: int = 480
    default_finish_time: int = 1020
    tasks: list[Task] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    calendars: list[Calendar] = field(default_factory=lambda: [standard_calendar()])
    resources: list[Resource] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    id: int | None = field(default=None, compare=False)
    version: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        self.name = self.name.strip()
        if not self.name:
            raise ValidationError("a project needs a name")
        if len(self.name) > MAX_PROJECT_NAME:
            raise ValidationError(f"a project name is at most {MAX_PROJECT_NAME} characters")
        check_key(self.key)
        if not re.fullmatch(r"[A-Z]{3}", self.currency):
            raise ValidationError(f"currency {self.currency!r} must be an ISO 4217 code like EUR")

    # ----- lookups -------------------------------------------------------------------------
    def task(self, uid: int) -> Task:
        for task in self.tasks:
            if task.uid == uid:
                return task
        raise NotFound(f"no task {uid} in project {self.key}")

    def position(self, uid: int) -> int:
        for i, task in enumerate(self.tasks):
            if task.uid == uid:
                return i
        raise NotFound(f"no task {uid} in project {self.key}")

    def calendar(self, uid: int) -> Calendar:
        for cal in self.calendars:
            if cal.uid == uid:
                return cal
        raise NotFound(f"no calendar {uid} in project {self.key}")

    def parents(self) -> dict[int, int | None]:
        """Each task's parent uid, from document order and outline levels."""
        stack: list[Task] = []
        result: dict[int, int | None] = {}
        for task in self.tasks:
            while stack and stack[-1].outline_level >= task.outline_level:
                stack.pop()
            result[task.uid] = stack[-1].uid if stack and stack[-1].outline_level > 0 else None
            stack.append(task)
        return result

    def has_children(self) -> set[int]:
        return {p for p in self.parents().values() if p is not None}

    def outline_numbers(self) -> dict[int, str]:
        counters: list[int] = []
        result: dict[int, str] = {}
        for task in self.tasks:
            level = task.outline_level
            if level == 0:
                result[task.uid] = "0"
                continue
            del counters[level:]
            while len(counters) < level:
                counters.append(0)
            counters[level - 1] += 1
            result[task.uid] = ".".join(str(c) for c in counters)
        return result

    def place_of(self, uid: int) -> tuple[str, int | None]:
        """One task's outline number and parent uid, as `outline_numbers()` and `parents()`
        give them, in one pass that stops at the task: an edit's answer needs only its own
        task's place, and building both maps cost more than the edit on a large plan."""
        counters: list[int] = []
        owners: list[int | None] = []  # the uid holding each level, None in a skipped level
        for task in self.tasks:
            level = task.outline_level
            if level == 0:
                if task.uid == uid:
                    return "0", None
                continue
            del counters[level:]
            del owners[level:]
            while len(counters) < level:
                counters.append(0)
                owners.append(None)
            counters[level - 1] += 1
            owners[level - 1] = task.uid
            if task.uid == uid:
                parent = next((o for o in reversed(owners[: level - 1]) if o is not None), None)
                return ".".join(str(c) for c in counters), parent
        raise NotFound(f"no task {uid} in project {self.key}")

    def wbs_codes(self) -> dict[int, str]:
        numbers = self.outline_numbers()
        return {t.uid: t.wbs or numbers[t.uid] for t in self.tasks}

    def descendants(self, uid: int) -> list[int]:
        i = self.position(uid)
        level = self.tasks[i].outline_level
        out: list[int] = []
        for task in self.tasks[i + 1 :]:
            if task.outline_level <= level:
                break
            out.append(task.uid)
        return out

    def find_task(self, ref: str) -> Task:
        """A task by uid, WBS code/outline number, or exact name (case-insensitive)."""
        ref = ref.strip()
        codes = self.wbs_codes()
        numbers = self.outline_numbers()
        for task in self.tasks:
            if codes[task.uid] == ref or numbers[task.uid] == ref:
                return task
        if ref.isdigit():
            for task in self.tasks:
                if task.uid == int(ref):
                    return task
        matches = [t for t in self.tasks if t.name.casefold() == ref.casefold() and t.uid != 0]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValidationError(f"{len(matches)} tasks are named {ref!r}: use the WBS code")
        raise NotFound(f"no task {ref!r} in project {self.key}")

    # ----- behaviour -----------------------------------------------------------------------
    def next_uid(self) -> int:
        return max((t.uid for t in self.tasks), default=0) + 1

    def add_task(self, task: Task, parent_uid: int | None = None) -> Task:
        """Append `task` as the last child of `parent_uid` (or at the top level)."""
        if any(t.uid == task.uid for t in self.tasks):
            raise ValidationError(f"task uid {task.uid} is already used")
        if parent_uid is None:
            task.outline_level = 1
            self.tasks.append(task)
        else:
            parent = self.task(parent_uid)
            if parent.milestone:
                raise ValidationError(f"milestone {parent.name!r} cannot hold subtasks")
            task.outline_level = parent.outline_level + 1
            after = self.descendants(parent_uid)
            anchor = after[-1] if after else parent_uid
            self.tasks.insert(self.position(anchor) + 1, task)
            parent.summary = True
        return task

    def remove_task(self, uid: int) -> list[int]:
        gone = {uid, *self.descendants(uid)}
        self.tasks = [t for t in self.tasks if t.uid not in gone]
        self.dependencies = [
            d for d in self.dependencies if d.predecessor not in gone and d.successor not in gone
        ]
        self.assignments = [a for a in self.assignments if a.task_uid not in gone]
        self.refresh_summaries()
        return sorted(gone)

    def refresh_summaries(self) -> None:
        parents = self.has_children()
        for task in self.tasks:
            task.summary = task.uid in parents

    def add_dependency(self, dep: Dependency) -> Dependency:
        """Link two tasks; refuse unknown tasks, duplicates, links within a branch and cycles."""
        pred, succ = self.task(dep.predecessor), self.task(dep.successor)
        if any(d.key == dep.key for d in self.dependencies):
            raise ValidationError(f"{pred.name!r} is already linked to {succ.name!r}")
        if dep.successor in self.descendants(dep.predecessor) or dep.predecessor in (
            self.descendants(dep.successor)
        ):
            raise ValidationError("a summary task cannot be linked to its own subtasks")
        cycle = self._path(dep.successor, dep.predecessor)
        if cycle is not None:
            names = {t.uid: t.name for t in self.tasks}
            raise DependencyCycle([names[u] for u in [dep.predecessor, *cycle]])
        self.dependencies.append(dep)
        return dep

    def _path(self, start: int, goal: int) -> list[int] | None:
        """A chain of links from `start` to `goal`, if there is one."""
        successors: dict[int, list[int]] = {}
        for d in self.dependencies:
            successors.setdefault(d.predecessor, []).append(d.successor)
        came: dict[int, int | None] = {start: None}
        stack = [start]
        while stack:
            node = stack.pop()
            if node == goal:
                path = [node]
                while (prev := came[path[-1]]) is not None:
                    path.append(prev)
                return path[::-1]
            for nxt in successors.get(node, ()):
                if nxt not in came:
                    came[nxt] = node
                    stack.append(nxt)
        return None

    def iter_work_tasks(self) -> Iterator[Task]:
        parents = self.has_children()
        return (t for t in self.tasks if t.outline_level > 0 and t.uid not in parents)


def day_start(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60))
