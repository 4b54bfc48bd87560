"""Inside and outside values of the quality pages' URL parameters for a persona: a flag (the
late-entry flag that the ledger crawl's activity gets on entry), a run, a check."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from ledger.models import Activity
from ledger.tests.crawl import _unit, activity_at
from quality.catalogue import ensure_checks
from quality.models import Flag, Run


def flag_id(account, inside: bool):
    unit = _unit(account, inside)
    if unit is None:
        return None
    ensure_checks()
    activity = activity_at(unit)
    flag = Flag.objects.filter(content_type=ContentType.objects.get_for_model(Activity), object_id=activity.pk).first()
    return flag.pk if flag else None


def run_id(account, inside: bool):
    unit = _unit(account, inside)
    if unit is None:
        return None
    run = Run.objects.filter(unit=unit).first() or Run.objects.create(unit=unit, status="done")
    return run.pk


def check_code(account, inside: bool):
    return "activity.burst" if inside else None


# "flag_id" is the same parameter in the API (/api/v1/quality/flags/{flag_id}).
PARAMS = {"quality_flag_id": flag_id, "flag_id": flag_id, "quality_run_id": run_id, "check_code": check_code}
