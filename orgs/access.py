"""Role checks for views. Scope (which rows) lives in ``orgs.scope``; this is only which
roles may use a view at all. A role that may not use a view gets 403 before any object is
looked up, so the answer never depends on what exists outside the account's scope."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from orgs.choices import Role


def has_role(user: Any, *roles: str) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in roles))


def role_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request, *args: Any, **kwargs: Any):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


STAFF_ROLES = (Role.OFFICE_ADMIN, Role.REPORTER, Role.LEADER, Role.SUPERVISOR)
