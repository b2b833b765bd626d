"""The integer leveling problem: a builder, then immutable validated data.

Time is counted in whole periods (a service picks the period: a working day, an hour) from the
project start at period 0. Every link is a *minimum* time lag, so leveling may only push work
later; it never shortens an activity and never breaks a link, a release date or a deadline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from steerco.domain.dependency import LinkType
from steerco.domain.errors import DependencyCycle, ValidationError

__all__ = [
    "NEVER_DELAY",
    "Activity",
    "Link",
    "LinkType",
    "ProblemBuilder",
    "ProblemData",
    "Resource",
]

#: MS Project's top priority: the leveler must leave such an activity at its early start.
NEVER_DELAY = 1000
DEFAULT_PRIORITY = 500


@dataclass(frozen=True, slots=True)
class Resource:
    """A renewable resource: `capacity` units are free in every period."""

    capacity: int
    name: str = ""

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise ValidationError(f"resource {self.name!r}: capacity {self.capacity} < 0")


@dataclass(frozen=True, slots=True)
class Activity:
    """One task. `demands` maps a resource index to the units used in every period it runs.

    `release` is the earliest start (from constraints or a status date); `latest_start` and
    `deadline` (latest finish) are hard. `priority` follows MS Project: 0..1000, higher is
    delayed last, and 1000 means "never delay" (kept at its resource-free early start).
    """

    duration: int
    demands: Mapping[int, int] = field(default_factory=dict)
    release: int = 0
    latest_start: int | None = None
    deadline: int | None = None
    priority: int = DEFAULT_PRIORITY
    name: str = ""

    def __post_init__(self) -> None:
        label = self.name or "activity"
        if self.duration < 0:
            raise ValidationError(f"{label}: duration {self.duration} < 0")
        if self.release < 0:
            raise ValidationError(f"{label}: release {self.release} < 0")
        if not 0 <= self.priority <= NEVER_DELAY:
            raise ValidationError(f"{label}: priority {self.priority} outside 0..1000")
        for res, amount in self.demands.items():
            if amount < 0:
                raise ValidationError(f"{label}: demand {amount} of resource {res} < 0")

    @property
    def latest_start_bound(self) -> int | None:
        """The tighter of `latest_start` and `deadline - duration`, if either is set."""
        bounds: list[int] = []
        if self.latest_start is not None:
            bounds.append(self.latest_start)
        if self.deadline is not None:
            bounds.append(self.deadline - self.duration)
        return min(bounds) if bounds else None


@dataclass(frozen=True, slots=True)
class Link:
    """`succ` may not start/finish until `pred` starts/finishes, plus `lag` periods (may be < 0)."""

    pred: int
    succ: int
    type: LinkType = LinkType.FS
    lag: int = 0

    def __post_init__(self) -> None:
        if self.pred == self.succ:
            raise ValidationError(f"activity {self.pred} cannot depend on itself")

    def start_lag(self, pred_duration: int, succ_duration: int) -> int:
        """The equivalent start-to-start lag: start(succ) >= start(pred) + this.

        With fixed durations all four link types reduce to one form, which keeps every
        algorithm (CPM, schedule generation, CP-SAT) to a single kind of arc.
        """
        if self.type is LinkType.FS:
            return pred_duration + self.lag
        if self.type is LinkType.SS:
            return self.lag
        if self.type is LinkType.FF:
            return pred_duration + self.lag - succ_duration
        return self.lag - succ_duration  # SF


@dataclass(frozen=True, slots=True)
class ProblemData:
    """Validated, immutable problem. Build it with `ProblemBuilder` or directly."""

    activities: tuple[Activity, ...]
    resources: tuple[Resource, ...]
    links: tuple[Link, ...] = ()

    def __post_init__(self) -> None:
        n, m = len(self.activities), len(self.resources)
        for j, act in enumerate(self.activities):
            for res, amount in act.demands.items():
                if not 0 <= res < m:
                    raise ValidationError(f"{self.label(j)}: unknown resource {res}")
                cap = self.resources[res].capacity
                if act.duration > 0 and amount > cap:
                    # No amount of delay can fix this one, so say it up front.
                    raise ValidationError(
                        f"{self.label(j)} needs {amount} of {self.resource_label(res)}, "
                        f"which has capacity {cap}"
                    )
            bound = act.latest_start_bound
            if bound is not None and bound < act.release:
                raise ValidationError(
                    f"{self.label(j)}: latest start {bound} before release {act.release}"
                )
        for link in self.links:
            if not (0 <= link.pred < n and 0 <= link.succ < n):
                raise ValidationError(f"link {link.pred}->{link.succ}: unknown activity")
        self.topological_order()  # raises DependencyCycle

    @property
    def num_activities(self) -> int:
        return len(self.activities)

    @property
    def num_resources(self) -> int:
        return len(self.resources)

    def label(self, j: int) -> str:
        name = self.activities[j].name
        return name if name else f"activity {j}"

    def resource_label(self, r: int) -> str:
        name = self.resources[r].name
        return name if name else f"resource {r}"

    def topological_order(self) -> list[int]:
        """Kahn's order (ties by index, so it is deterministic); a loop raises DependencyCycle."""
        n = len(self.activities)
        succs: list[list[int]] = [[] for _ in range(n)]
        indeg = [0] * n
        for link in self.links:
            succs[link.pred].append(link.succ)
            indeg[link.succ] += 1
        order = [j for j in range(n) if indeg[j] == 0]
        head = 0
        while head < len(order):
            j = order[head]
            head += 1
            for k in succs[j]:
                indeg[k] -= 1
                if indeg[k] == 0:
                    order.append(k)
        if len(order) < n:
            raise DependencyCycle([self.label(j) for j in _find_cycle(succs, indeg)])
        return order


def _find_cycle(succs: list[list[int]], indeg: list[int]) -> list[int]:
    """A cycle among the nodes Kahn's algorithm could not order (all have indeg > 0)."""
    left = {j for j, d in enumerate(indeg) if d > 0}
    start = min(left)
    seen: dict[int, int] = {}
    path: list[int] = []
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(k for k in succs[node] if k in left)
    cycle = path[seen[node] :]
    return [*cycle, cycle[0]]


class ProblemBuilder:
    """Collects activities, resources and links, then validates once in `build()`."""

    def __init__(self) -> None:
        self._activities: list[Activity] = []
        self._resources: list[Resource] = []
        self._links: list[Link] = []

    def add_resource(self, capacity: int, name: str = "") -> int:
        self._resources.append(Resource(capacity, name))
        return len(self._resources) - 1

    def add_activity(
        self,
        duration: int,
        demands: Mapping[int, int] | None = None,
        *,
        release: int = 0,
        latest_start: int | None = None,
        deadline: int | None = None,
        priority: int = DEFAULT_PRIORITY,
        name: str = "",
    ) -> int:
        clean = {r: q for r, q in (demands or {}).items() if q != 0}
        self._activities.append(
            Activity(duration, clean, release, latest_start, deadline, priority, name)
        )
        return len(self._activities) - 1

    def add_link(self, pred: int, succ: int, type: LinkType = LinkType.FS, lag: int = 0) -> Link:
        link = Link(pred, succ, type, lag)
        self._links.append(link)
        return link

    def build(self) -> ProblemData:
        return ProblemData(tuple(self._activities), tuple(self._resources), tuple(self._links))
