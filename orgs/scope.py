"""Scope: the one place that decides which rows an account may see.

Every queryset that reaches a page, an export or the API goes through
``Model.objects.visible_to(user)`` (or ``get_visible_or_404``). A model opts in by using
``ScopedQuerySet`` and naming, in ``scope_path``, the lookup that reaches a unit's path
(``"path"`` for units, ``"unit__path"`` for rows that belong to a unit).

An account's scope is a list of unit paths: its own unit's for office admins, reporters and
leaders; the covered units' for supervisors; nothing for participants, who only take quizzes.
Superusers see everything. Out of scope answers 404, exactly as "does not exist".

A role whose scope is not its unit's subtree is answered by the app that knows it: that app
registers a function in ``ROLE_SCOPES`` from its ``AppConfig.ready`` (the campaigns app, for
supervisors: the units their supervision groups cover). A role that nobody has registered
and that has no unit of its own sees nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q
from django.http import Http404

# Role -> the unit paths an account of that role may see (``None`` for everything).
ROLE_SCOPES: dict[str, Callable[[Any], list[str] | None]] = {}


def register_role_scope(role: str, paths: Callable[[Any], list[str] | None]) -> None:
    """Let ``paths(user)`` decide the scope of every account of ``role``."""
    ROLE_SCOPES[role] = paths


def scope_paths(user: Any) -> list[str] | None:
    """Unit paths whose subtrees the user may see; ``None`` means everything."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_scope_paths", False)
    if cached is not False:
        return cached
    paths: list[str] | None
    if user.is_superuser:
        paths = None
    elif user.role in ROLE_SCOPES:
        paths = ROLE_SCOPES[user.role](user)
    elif user.role == "participant" or user.role == "supervisor" or user.unit_id is None:
        paths = []
    else:
        paths = [user.unit.path]
    user._scope_paths = paths
    return paths


def paths_q(field: str, paths: list[str]) -> Q:
    """``field`` starts with any of ``paths``; nested paths are folded into their parent."""
    q = Q()
    for path in sorted(set(paths)):
        if any(path != other and path.startswith(other) for other in paths):
            continue
        q |= Q(**{f"{field}__startswith": path})
    return q


def path_in_scope(user: Any, path: str) -> bool:
    paths = scope_paths(user)
    if paths is None:
        return True
    return any(path.startswith(p) for p in paths)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what one account may see."""

    def visible_to(self, user: Any) -> ScopedQuerySet:
        paths = scope_paths(user)
        if paths is None:
            return self
        if not paths:
            return self.none()
        return self.filter(paths_q(self.model.scope_path, paths))


def get_visible_or_404(queryset: ScopedQuerySet, user: Any, **lookup: Any) -> Any:
    """The one object matching ``lookup`` inside the user's scope, or 404 — the same 404
    whether the object is outside scope or does not exist."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
