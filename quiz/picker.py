"""The unit tree of the light sign-in: a taker without an account finds their unit by
opening the quiz's unit subtree one level at a time (the name search is
``views.unit_choices``).

A level is authorised like the other taking pages, by the quiz's subtree: any parent that
does not lie under the quiz's unit, or is closed, is 404. Each level is read with one
prefix-and-depth query on the path index, so a phone on a weak connection gets one small
fragment per tap.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from orgs.choices import UnitKind
from orgs.models import Unit
from quiz import throttle
from quiz.views import _quiz_for_taker, _too_many

# Counties, townships and villages before the departments, schools and party organisations
# beside them: most takers belong to the administrative line.
KIND_ORDER = Case(
    *[When(kind=kind, then=Value(i)) for i, kind in enumerate(UnitKind.values)],
    default=Value(len(UnitKind.values)),
    output_field=IntegerField(),
)


def children(parent: Unit) -> QuerySet[Unit]:
    """The active units right below ``parent``, administrative kinds first. A unit offers its
    own level when ``numchild`` says it has children; that count includes closed ones, so a
    unit whose children have all closed opens on an empty level (rare, and it says so)."""
    return (
        Unit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, active=True)
        .only("pk", "numchild", "name_zh", "name_bo", "kind")
        .order_by(KIND_ORDER, "path")
    )


def level_above(top: Unit, parent: Unit) -> list[Unit]:
    """The way from ``top`` down to ``parent``, both included; never above ``top``."""
    between = parent.ancestor_paths()[top.depth : -1]
    middle = list(Unit.objects.filter(path__in=between).order_by("path")) if between else []
    return [top, *middle, parent] if parent.pk != top.pk else [top]


@require_GET
def unit_tree(request, quiz_id: int):
    """One level of the quiz's unit subtree: ``?parent=<id>`` (the quiz's unit when absent),
    the way back up to the quiz's unit, and the units right below it."""
    quiz = _quiz_for_taker(request, quiz_id)
    if not throttle.allow(request, None):
        return _too_many(request)
    top = quiz.unit
    raw = request.GET.get("parent", "")
    if not raw or raw == str(top.pk):
        parent = top
    elif raw.isdigit() and len(raw) < 19:
        parent = Unit.objects.filter(pk=int(raw), path__startswith=top.path, active=True).first()
        if parent is None:
            raise Http404
    else:
        raise Http404
    crumbs = level_above(top, parent)
    return render(
        request,
        "quiz/_unit_tree.html",
        {
            "quiz": quiz,
            "parent": parent,
            "crumbs": crumbs,
            "up": crumbs[-2] if len(crumbs) > 1 else None,
            "units": list(children(parent)),
        },
    )
