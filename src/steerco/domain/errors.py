"""The one small tree of errors every layer raises and every adapter maps in one place."""

from __future__ import annotations


class SteercoError(Exception):
    """Base of every error steerco raises on purpose."""


class ValidationError(SteercoError):
    """Input that breaks a rule of the domain: a blank name, a bad duration, a bad date."""


class DependencyCycle(ValidationError):
    """A link that would close a loop. `tasks` names the tasks in the cycle, in order."""

    def __init__(self, tasks: list[str]) -> None:
        self.tasks = tasks
        super().__init__("dependency cycle: " + " -> ".join(tasks))


class NotFound(SteercoError):
    """The object does not exist, or the caller may not know that it does."""


class PermissionDenied(SteercoError):
    """The caller is known but may not do this."""


class Conflict(SteercoError):
    """A stale update (the row changed since it was read) or a duplicate key."""


class ImportRejected(ValidationError):
    """An uploaded file that is unsafe or malformed; nothing was stored."""
