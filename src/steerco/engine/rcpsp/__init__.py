"""Resource leveling as an RCPSP with generalised (FS/SS/FF/SF + lag) precedence.

Build a `ProblemData` (directly or with `ProblemBuilder`), call `level(problem, SolveParams())`,
read the `LevelingResult`. Pure: no I/O; randomness comes from `SolveParams.seed`.
"""

from steerco.engine.rcpsp.check import violations
from steerco.engine.rcpsp.model import (
    NEVER_DELAY,
    Activity,
    Link,
    LinkType,
    ProblemBuilder,
    ProblemData,
    Resource,
)
from steerco.engine.rcpsp.result import (
    DelayExplanation,
    LevelingResult,
    LevelingStatus,
    Method,
    ResourceConflict,
)
from steerco.engine.rcpsp.solve import SolveParams, level

__all__ = [
    "NEVER_DELAY",
    "Activity",
    "DelayExplanation",
    "LevelingResult",
    "LevelingStatus",
    "Link",
    "LinkType",
    "Method",
    "ProblemBuilder",
    "ProblemData",
    "Resource",
    "ResourceConflict",
    "SolveParams",
    "level",
    "violations",
]
