"""API endpoints of the progress reports: start a build in the background (a job to poll),
poll it, and read a published (frozen) report."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from core.api.pagination import paginate
from core.api.schemas import Page, Text, responses
from orgs.access import STAFF_ROLES
from orgs.api_auth import guard
from orgs.models import Unit
from orgs.scope import get_visible_or_404
from orgs.selectors import unit_in_scope
from reports import selectors, services
from reports.choices import ReportLanguage
from reports.models import PublishedReport, ReportBuild

router = Router(tags=["reports"])


class BuildIn(Schema):
    unit: Text(32) = Field(description="A unit's code.")
    as_of: datetime.date | None = Field(None, description="Default: the campaign's last day or today.")
    language: Text(10) = Field(ReportLanguage.CHINESE, description="zh-hans or bo.")
    format: Text(8) = Field("page", description="page (text and figures), docx or pdf.")


class BuildOut(Schema):
    id: int
    unit: str
    as_of: datetime.date
    language: str
    format: str
    status: str
    progress: int
    message: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    text: str | None = Field(None, description="The report's text, once done.")
    figures: list[dict[str, Any]] | None = None
    file_url: str | None = Field(None, description="The docx or PDF, once done (the page's download link).")


def build_out(b: ReportBuild) -> dict[str, Any]:
    done = b.status == "done"
    return {
        "id": b.pk,
        "unit": b.unit.code,
        "as_of": b.as_of,
        "language": b.language,
        "format": b.format,
        "status": b.status,
        "progress": b.progress,
        "message": b.message,
        "created_at": b.created_at,
        "finished_at": b.finished_at,
        "text": b.text if done else None,
        "figures": b.figures if done else None,
        "file_url": reverse("reports:build_file", args=[b.pk]) if done and b.file else None,
    }


def _build(account: Any, build_id: int) -> ReportBuild:
    build = get_visible_or_404(ReportBuild.objects.select_related("unit"), account, pk=build_id)
    if build.requested_by_id != account.pk and not account.is_superuser:
        raise Http404
    return build


@router.post("/builds", response=responses(BuildOut, 202), summary="Build a report in the background")
@decorate_view(guard(*STAFF_ROLES))
def start_build(request: HttpRequest, payload: BuildIn):
    """Answers at once with the job; poll ``GET /reports/builds/{id}`` until ``status`` is
    done (or failed)."""
    unit = Unit.objects.visible_to(request.auth).filter(code=payload.unit.strip()).first()
    if unit is None:
        raise ValidationError({"unit": _("No unit with this code in your scope.")})
    build = services.request_build(
        actor=request.auth,
        unit=unit,
        as_of=payload.as_of or selectors.default_as_of(unit),
        language=payload.language,
        format=payload.format,
    )
    return Status(202, build_out(_build(request.auth, build.pk)))


@router.get("/builds/{build_id}", response=responses(BuildOut), summary="A build's progress and result")
@decorate_view(guard(*STAFF_ROLES, lookup=_build))
def get_build(request: HttpRequest, build_id: int):
    return build_out(_build(request.auth, build_id))


class PublishedSummary(Schema):
    id: int
    unit: str
    title: str
    as_of: datetime.date
    language: str
    published_at: datetime.datetime
    sha256: str


class PublishedOut(PublishedSummary):
    start: datetime.date
    scope: dict[str, Any]
    text: str
    body: dict[str, Any]
    figures: list[dict[str, Any]]
    intact: bool = Field(description="Whether the stored snapshot still matches its SHA-256.")


def _published(account: Any, report_id: int) -> PublishedReport:
    return get_visible_or_404(PublishedReport.objects.select_related("unit"), account, pk=report_id)


def summary(p: PublishedReport) -> dict[str, Any]:
    return {
        "id": p.pk,
        "unit": p.unit.code,
        "title": p.title,
        "as_of": p.as_of,
        "language": p.language,
        "published_at": p.published_at,
        "sha256": p.sha256,
    }


class ListQuery(Schema):
    unit: str | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=500)


@router.get("/published", response=responses(Page[PublishedSummary]), summary="Published reports, newest first")
@decorate_view(guard(*STAFF_ROLES))
def list_published(request: HttpRequest, q: Query[ListQuery]):
    qs = PublishedReport.objects.visible_to(request.auth).select_related("unit")
    if q.unit:
        qs = qs.filter(unit=unit_in_scope(request.auth, q.unit))
    rows, following = paginate(qs, ordering=("-published_at", "-pk"), cursor=q.cursor, limit=q.limit)
    return {"items": [summary(p) for p in rows], "next": following}


@router.get("/published/{report_id}", response=responses(PublishedOut), summary="A published report's snapshot")
@decorate_view(guard(*STAFF_ROLES, lookup=_published))
def get_published(request: HttpRequest, report_id: int):
    p = _published(request.auth, report_id)
    return {
        **summary(p),
        "start": p.start,
        "scope": p.scope,
        "text": p.text,
        "body": p.body,
        "figures": p.figures,
        "intact": services.verify(p),
    }
