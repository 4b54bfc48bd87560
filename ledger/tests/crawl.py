"""Inside and outside values of the ledger pages' URL parameters for a persona. The shared
test database holds the foundation only, so activities, evidence and import jobs are made
here (idempotently) through the services."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from ledger import services
from ledger.catalogue import ensure_kinds
from ledger.models import Activity, ActivityKind, DefinedIndicator, Evidence, ImportJob
from orgs.models import Account, Unit
from orgs.tests.crawl import _OUTSIDE_CODE, _inside_unit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TITLE = "crawl"


def _unit(account: Account, inside: bool) -> Unit | None:
    if inside:
        return _inside_unit(account)
    return Unit.objects.get(code=_OUTSIDE_CODE.get(account.username, "540202"))


def activity_at(unit: Unit) -> Activity:
    ensure_kinds()
    found = Activity.objects.filter(unit=unit, title=TITLE).first()
    if found:
        return found
    office = Account.objects.get(username="shigatse-office" if unit.region_code == "540200" else "lhasa-office")
    return services.record_activity(
        actor=office,
        unit=unit,
        kind=ActivityKind.objects.get(code="collective_study"),
        date=datetime.date(2021, 7, 1),
        title=TITLE,
        sessions=1,
        participants=12,
    )


def activity_id(account: Account, inside: bool):
    unit = _unit(account, inside)
    return activity_at(unit).pk if unit else None


def evidence_id(account: Account, inside: bool):
    unit = _unit(account, inside)
    if unit is None:
        return None
    activity = activity_at(unit)
    evidence = activity.evidence.first()
    if evidence is None:
        office = Account.objects.get(username="shigatse-office" if unit.region_code == "540200" else "lhasa-office")
        evidence = services.add_evidence(
            actor=office, activity=activity, upload=SimpleUploadedFile("sheet.png", PNG, content_type="image/png")
        )
    return Evidence.objects.get(pk=evidence.pk).pk


def job_id(account: Account, inside: bool):
    owner = account if inside else Account.objects.get(username="shigatse-office")
    unit = owner.unit or Unit.objects.get(code="540200")
    job = ImportJob.objects.filter(created_by=owner).first() or ImportJob.objects.create(
        unit=unit, created_by=owner, file="ledger/imports/none.xlsx", original_name="none.xlsx", status="done"
    )
    return job.pk


def kind_code(account: Account, inside: bool):
    ensure_kinds()
    return "collective_study" if inside else None


def indicator_id(account: Account, inside: bool):
    """A defined indicator (the office's definitions are shared, like the kinds: no outside)."""
    if not inside:
        return None
    ensure_kinds()
    row = DefinedIndicator.objects.filter(code="crawl.study_sessions").first()
    if row is None:
        row = services.create_indicator(
            actor=Account.objects.get(username="lhasa-office"),
            code="crawl.study_sessions",
            kinds=[ActivityKind.objects.get(code="collective_study")],
            name_zh="爬取",
            name_bo="crawl",
            name_en="crawl",
            measure_zh="场次",
            measure_bo="ཐེངས་གྲངས།",
            measure_en="sessions",
            section="learning",
            measure="sessions",
        )
    return row.pk


PARAMS = {
    "indicator_id": indicator_id,
    "activity_id": activity_id,
    "evidence_id": evidence_id,
    "job_id": job_id,
    "kind": kind_code,
}
