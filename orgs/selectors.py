"""Reads over the unit tree, people and accounts, always inside the reader's scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from orgs.models import Account, Person, Unit
from orgs.scope import get_visible_or_404, scope_paths


def scope_roots(user: Any) -> list[Unit]:
    """The top units of the user's scope (every top unit for a superuser), by path."""
    paths = scope_paths(user)
    if paths is None:
        return list(Unit.objects.filter(depth=1).order_by("path"))
    if not paths:
        return []
    return list(Unit.objects.filter(path__in=paths).order_by("path"))


def home_unit(user: Any) -> Unit | None:
    """The top unit of the user's scope (the first, for a supervisor covering several)."""
    paths = scope_paths(user)
    if paths is None:
        return Unit.objects.order_by("path").first()
    if not paths:
        return None
    return Unit.objects.filter(path__in=paths).order_by("path").first()


def unit_in_scope(
    user: Any,
    code: str | None,
    *,
    default: Callable[[Any], Unit | None] | None = home_unit,
    within: Unit | None = None,
) -> Unit | None:
    """The unit with this code, inside the user's scope (and under ``within`` when given),
    404 otherwise, exactly as a code that does not exist. Without a code: ``default(user)``
    (the user's home unit unless told otherwise), 404 when that is None; with ``default``
    None, None."""
    code = (code or "").strip()
    if code:
        units = Unit.objects.filter(path__startswith=within.path) if within is not None else Unit.objects.all()
        return get_visible_or_404(units, user, code=code)
    if default is None:
        return None
    unit = default(user)
    if unit is None:
        raise Http404
    return unit


def unit_for_field(user: Any, code: str, field: str) -> Unit:
    """The unit a form's field names by code, inside the user's scope; refused (a
    ``ValidationError`` keyed by ``field``) in the same words whether it is missing or
    outside the scope."""
    unit = Unit.objects.visible_to(user).filter(code=(code or "").strip()).first()
    if unit is None:
        raise ValidationError({field: _("No unit with code %(code)s in your scope.") % {"code": code}})
    return unit


def unit_from_request(
    request: Any,
    code: str | None = None,
    *,
    default: Callable[[Any], Unit | None] | None = home_unit,
    within: Unit | None = None,
) -> Unit | None:
    """The unit a page is about: ``?unit=<code>`` (or ``code``, a form's field), see
    ``unit_in_scope``."""
    if code is None:
        code = request.GET.get("unit", "")
    return unit_in_scope(request.user, code, default=default, within=within)


def breadcrumbs(user: Any, unit: Unit) -> list[Unit]:
    """The unit's ancestors that lie inside the user's scope, top first."""
    paths = scope_paths(user)
    wanted = [p for p in unit.ancestor_paths()[:-1] if paths is None or any(p.startswith(s) for s in paths)]
    return list(Unit.objects.filter(path__in=wanted).order_by("path"))


def children(unit: Unit, *, kind: str = "", q: str = "") -> QuerySet[Unit]:
    qs = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name_zh__contains=q) | Q(name_bo__contains=q) | Q(code__startswith=q))
    return qs.order_by("code")


def search_units(user: Any, q: str, limit: int = 20) -> QuerySet[Unit]:
    q = (q or "").strip()
    if not q:
        return Unit.objects.none()
    return (
        Unit.objects.visible_to(user)
        .filter(Q(code__startswith=q) | Q(name_zh__contains=q) | Q(name_bo__contains=q))
        .order_by("depth", "code")[:limit]
    )


def people_in(user: Any, unit: Unit, *, rank: str = "", q: str = "") -> QuerySet[Person]:
    qs = Person.objects.visible_to(user).filter(unit__path__startswith=unit.path).select_related("unit")
    if rank:
        qs = qs.filter(rank=rank)
    if q:
        qs = qs.filter(Q(name_zh__contains=q) | Q(name_bo__contains=q))
    return qs.order_by("unit__path", "pk")


def accounts_in(user: Any, unit: Unit) -> QuerySet[Account]:
    return (
        Account.objects.visible_to(user)
        .filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .order_by("unit__path", "username")
    )


def unit_history(unit: Unit) -> QuerySet[LogEntry]:
    """Audit entries of the unit itself and of the people and accounts that belong to it."""
    unit_ct = ContentType.objects.get_for_model(Unit)
    person_ct = ContentType.objects.get_for_model(Person)
    account_ct = ContentType.objects.get_for_model(Account)
    person_ids = [str(pk) for pk in Person.objects.filter(unit=unit).values_list("pk", flat=True)]
    account_ids = [str(pk) for pk in Account.objects.filter(unit=unit).values_list("pk", flat=True)]
    return (
        LogEntry.objects.filter(
            Q(content_type=unit_ct, object_pk=str(unit.pk))
            | Q(content_type=person_ct, object_pk__in=person_ids)
            | Q(content_type=account_ct, object_pk__in=account_ids)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts are locked by repeated failed log-ins (from some address, or
    from everywhere: ``orgs.lockout``)."""
    from orgs import lockout

    return lockout.locked_usernames(usernames)
