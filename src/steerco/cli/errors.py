"""The one place the CLI turns errors into a line on stderr and exit code 2."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from steerco.domain import SteercoError


def fail(message: str, code: int = 2) -> typer.Exit:
    first = message.strip().splitlines()[0] if message.strip() else "failed"
    typer.echo(f"error: {first}", err=True)
    return typer.Exit(code)


class ErrorHandlingGroup(TyperGroup):
    """A command group that reports our errors as one line instead of a traceback."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # typer vendors click
        try:
            return super().invoke(ctx)
        except SteercoError as exc:
            raise fail(str(exc)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise fail(f"{getattr(exc, 'filename', None) or ''} {exc}".strip()) from None
        except Exception as exc:
            # The CLI may not import SQLAlchemy (layer contract), so database failures such as
            # an unreachable server are recognised by where their class comes from.
            if type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
                reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                raise fail(f"database error: {reason}") from None
            raise
