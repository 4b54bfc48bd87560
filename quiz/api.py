"""API endpoints of the quiz: the quizzes an account may read the results of, and the
results per unit (takers, participation, average score, pass rate) for a unit's subtree and
each unit directly below it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import pgettext
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from core.api.pagination import paginate
from core.api.schemas import Page, responses
from orgs.access import STAFF_ROLES
from orgs.api_auth import guard
from orgs.selectors import unit_in_scope
from quiz import selectors
from quiz.models import Quiz

router = Router(tags=["quiz"])


class QuizOut(Schema):
    id: int
    title: str
    unit: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    pass_mark: int


class ResultOut(Schema):
    unit: str
    unit_name: str
    party_members: int | None = Field(description="None for the unit's own row: its members are in the branches below.")
    takers: int
    attempts: int
    passed: int
    average: float | None
    participation: float | None = Field(description="Takers per hundred party members.")
    pass_rate: float | None
    own: bool = Field(
        False,
        description="The unit's own takers (its own level), in none of its children: the first child row, so that the rows add up.",
    )


class ResultsOut(Schema):
    quiz: int
    root: ResultOut
    children: list[ResultOut]


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def result_out(row: Any) -> dict[str, Any]:
    return {
        "unit": row.unit.code,
        "unit_name": pgettext("breakdown by unit", "Own level") if row.own else row.unit.name,
        "party_members": row.members,
        "takers": row.takers,
        "attempts": row.attempts,
        "passed": row.passed,
        "average": _float(row.average),
        "participation": _float(row.participation),
        "pass_rate": _float(row.pass_rate),
        "own": row.own,
    }


def _quiz(account: Any, quiz_id: int) -> Quiz:
    quiz = selectors.quizzes_for_staff(account).filter(pk=quiz_id).first()
    if quiz is None or not selectors.result_roots(account, quiz):
        raise Http404
    return quiz


class ListQuery(Schema):
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=500)


class ResultsQuery(Schema):
    unit: str | None = Field(None, description="A unit's code (default: where your view of the results starts).")


@router.get("/quizzes", response=responses(Page[QuizOut]), summary="Quizzes whose results you may read")
@decorate_view(guard(*STAFF_ROLES))
def list_quizzes(request: HttpRequest, q: Query[ListQuery]):
    rows, following = paginate(
        selectors.quizzes_for_staff(request.auth), ordering=("-opens_at", "-pk"), cursor=q.cursor, limit=q.limit
    )
    items = [
        {
            "id": z.pk,
            "title": z.title,
            "unit": z.unit.code,
            "opens_at": z.opens_at,
            "closes_at": z.closes_at,
            "pass_mark": z.pass_mark,
        }
        for z in rows
    ]
    return {"items": items, "next": following}


@router.get("/quizzes/{quiz_id}/results", response=responses(ResultsOut), summary="Results per unit")
@decorate_view(guard(*STAFF_ROLES, lookup=_quiz))
def quiz_results(request: HttpRequest, quiz_id: int, q: Query[ResultsQuery]):
    quiz = _quiz(request.auth, quiz_id)
    root = unit_in_scope(
        request.auth, q.unit, default=lambda user: selectors.result_roots(user, quiz)[0], within=quiz.unit
    )
    data = selectors.results(quiz, root)
    return {"quiz": quiz.pk, "root": result_out(data.root), "children": [result_out(r) for r in data.rows]}
