"""Reads over the unit tree, people and accounts, always inside the reader's scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from orgs.choices import ADMINISTRATIVE_KINDS, UnitKind
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
    """The unit a reader lands on: the largest subtree of its scope (the most units in it;
    the first by path among equals), so that a supervisor whose group covers a county and
    a few city departments opens on the county; a superuser's first top unit."""
    paths = scope_paths(user)
    if paths is None:
        return Unit.objects.order_by("path").first()
    if not paths:
        return None
    cached: Unit | None = getattr(user, "_home_unit", None)
    if cached is not None and cached.path in paths:
        return cached
    roots = list(Unit.objects.filter(path__in=paths).order_by("path"))
    if len(roots) > 1:
        sizes = Unit.objects.aggregate(
            **{f"r{n}": Count("pk", filter=Q(path__startswith=r.path)) for n, r in enumerate(roots)}
        )
        best = max(range(len(roots)), key=lambda n: (sizes[f"r{n}"], -n))
        roots = [roots[best]]
    home = roots[0] if roots else None
    user._home_unit = home
    return home


# Where the scope picker keeps the reader's choice of unit (its code) for the session.
SCOPE_SESSION_KEY = "scope_unit"


def remembered_unit(request: Any) -> Unit | None:
    """The unit the reader chose last with the scope picker, when it still lies in its scope."""
    session = getattr(request, "session", None)
    code = session.get(SCOPE_SESSION_KEY) if session is not None else None
    if not code:
        return None
    return Unit.objects.visible_to(request.user).filter(code=code).first()


def remember_unit(request: Any, code: str) -> Unit:
    """Keep the unit of this code as the reader's choice for the pages that read a subtree;
    404 outside its scope (the choice never widens what the reader sees)."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, code=(code or "").strip())
    request.session[SCOPE_SESSION_KEY] = unit.code
    return unit


@dataclass
class ScopeGroup:
    """One group of the scope picker's units: a county and what lies in it, or a unit and
    the units directly below it that lie in no county."""

    label: str
    units: list[Unit] = field(default_factory=list)


def scope_choices(user: Any) -> list[ScopeGroup]:
    """The units a reader may choose to read: the top units of its scope, the units directly
    below those that are administrative divisions (a city, a county, a township) and those
    directly below every county among these, grouped by county: a supervisor's covered
    units under the county they lie in, a city's departments under the city."""
    paths = scope_paths(user)
    if paths is not None and not paths:
        return []
    step = Unit.steplen
    if paths is None:
        wanted = Q(depth__lte=3)
    else:
        # In one query: the top units, what lies two levels below them (kept below only as
        # said), and the units above them (which name the groups).
        wanted = Q(path__in={p for path in paths for p in Unit(path=path).ancestor_paths()})
        for path in paths:
            wanted |= Q(path__startswith=path, depth__lte=len(path) // step + 2)
    known = {u.path: u for u in Unit.objects.filter(wanted)}
    tops = set(paths) if paths is not None else {p for p, u in known.items() if u.depth == 1}
    roots = [known[p] for p in sorted(tops) if p in known]

    def offered(unit: Unit) -> bool:
        if unit.path in tops:
            return True
        if not unit.active or not any(unit.path.startswith(r.path) for r in roots):
            return False
        parent = known.get(unit.path[:-step])
        if parent is None:
            return False
        if parent.path in tops:
            return parent.kind in ADMINISTRATIVE_KINDS
        return parent.kind == UnitKind.COUNTY and offered(parent)

    units = {p: u for p, u in known.items() if offered(u)}

    def head_of(unit: Unit) -> Unit:
        """The county the unit lies in, else the unit above the scope's top unit it lies in
        (that top unit itself when nothing above it exists)."""
        for path in reversed(unit.ancestor_paths()):
            found = known.get(path)
            if found is not None and found.kind == UnitKind.COUNTY:
                return found
        root = next(r for r in roots if unit.path.startswith(r.path))
        return known.get(root.path[: -Unit.steplen], root) if root.depth > 1 else root

    groups: dict[str, ScopeGroup] = {}
    for path in sorted(units):
        head = head_of(units[path])
        groups.setdefault(head.path, ScopeGroup(head.name)).units.append(units[path])
    return [groups[key] for key in sorted(groups)]


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
    ``unit_in_scope``; without one, the unit the reader chose with the scope picker
    (``remember_unit``) where the page's default is the reader's home unit."""
    if code is None:
        code = request.GET.get("unit", "")
    if not (code or "").strip() and default is home_unit and within is None:
        chosen = remembered_unit(request)
        if chosen is not None:
            return chosen
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
