"""What every HTML route needs: the composition root, the caller, and the CSRF token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from steerco.api.deps import PrincipalDep, UowDep, current_principal, get_app, today

__all__ = ["CsrfDep", "PrincipalDep", "UowDep", "current_principal", "get_app", "today"]


def csrf_token(request: Request, who: PrincipalDep) -> str:
    """The session's synchronizer token for forms and htmx (`X-CSRF-Token`); empty when
    sign-in is off. Depends on the principal, so the session is resolved first."""
    return str(getattr(request.state, "csrf", ""))


CsrfDep = Annotated[str, Depends(csrf_token)]
