"""Pages of data quality, per scope: counts by check, the flagged rows behind each count with
confirm and clear, a run of every check, the figures with and without flagged rows,
completeness and timeliness of reporting, the reporting burden (with the panels other apps
declare for it), and the catalogue of checks with its thresholds."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.selectors import campaign_from_request
from core.forms import refusals
from core.pagination import paginate
from core.panels import declared_panels
from orgs.access import role_required
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import get_visible_or_404
from orgs.selectors import unit_from_request
from quality import selectors, services
from quality.choices import FlagStatus, Severity
from quality.forms import CheckForm, DecisionForm
from quality.models import Check, Flag, Run

READERS = (Role.OFFICE_ADMIN, Role.LEADER, Role.SUPERVISOR)
# A run over a subtree this small is done in the request; a larger one goes to the queue.
SYNC_RUN_UNITS = 400


def _unit(request) -> Unit:
    """The unit of the page: ``unit`` in the query or the form, else the reader's home unit."""
    return unit_from_request(request, request.GET.get("unit") or request.POST.get("unit") or "")


def _range(request) -> tuple[datetime.date, datetime.date]:
    """The period of the campaign the page reads, else this year to date."""
    campaign = campaign_from_request(request, _unit(request))
    if campaign is None:
        today = datetime.date.today()
        return today.replace(month=1, day=1), today
    return campaign.start, campaign.end


@role_required(*READERS)
def index(request):
    unit = _unit(request)
    counts = selectors.counts_by_check(request.user, unit)
    last_run = Run.objects.visible_to(request.user).filter(unit=unit).first()
    return render(
        request,
        "quality/index.html",
        {
            "unit": unit,
            "counts": counts,
            "open_total": sum(c.open for c in counts),
            "confirmed_total": sum(c.confirmed for c in counts),
            "cleared_total": sum(c.cleared for c in counts),
            "last_run": last_run,
            "can_run": services.may_run(request.user),
        },
    )


@role_required(*READERS)
def flag_list(request):
    unit = _unit(request)
    check = (request.GET.get("check") or "").strip()
    status = (request.GET.get("status") or "").strip()
    if status and status not in FlagStatus.values:
        status = ""
    qs = selectors.flags_in(request.user, unit, check=check, status=status)
    page = paginate(request, qs)
    selectors.with_row_links(list(page.object_list))
    return render(
        request,
        "quality/flag_list.html",
        {
            "unit": unit,
            "page": page,
            "checks": Check.objects.all(),
            "check": check,
            "status": status,
            "statuses": FlagStatus.choices,
            "can_decide": services.may_decide(request.user),
            "form": DecisionForm(),
        },
    )


@require_POST
@role_required(Role.OFFICE_ADMIN, Role.SUPERVISOR)
def flag_decide(request, quality_flag_id: int):
    flag = get_visible_or_404(Flag.objects.select_related("unit"), request.user, pk=quality_flag_id)
    form = DecisionForm(request.POST)
    back = request.POST.get("next") or ""
    if not back.startswith("/quality/"):
        back = reverse("quality:flag_list") + f"?unit={flag.unit.code}"
    if not form.is_valid():
        messages.error(request, _("Choose confirm or clear."))
        return redirect(back)
    try:
        if form.cleaned_data["decision"] == "clear":
            services.clear_flag(actor=request.user, flag=flag, reason=form.cleaned_data["reason"])
            messages.success(request, _("The flag is cleared."))
        else:
            services.confirm_flag(actor=request.user, flag=flag, reason=form.cleaned_data["reason"])
            messages.success(request, _("The flag is confirmed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


@require_POST
@role_required(Role.OFFICE_ADMIN)
def run(request):
    unit = _unit(request)
    try:
        started = services.start_run(actor=request.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("quality:index") + f"?unit={unit.code}")
    if Unit.objects.filter(path__startswith=unit.path).count() <= SYNC_RUN_UNITS or _immediate():
        services.execute_run(started.pk)
    else:
        from quality.tasks import run_task

        run_task.enqueue(started.pk)
    return redirect("quality:run_status", quality_run_id=started.pk)


def _immediate() -> bool:
    return "Immediate" in settings.TASKS["default"]["BACKEND"]


@role_required(*READERS)
def run_status(request, quality_run_id: int):
    found = get_visible_or_404(Run.objects.select_related("unit"), request.user, pk=quality_run_id)
    template = "quality/_run.html" if request.htmx else "quality/run.html"
    return render(request, template, {"run": found, "unit": found.unit})


@role_required(*READERS)
def figures(request):
    unit = _unit(request)
    start, end = _range(request)
    return render(
        request,
        "quality/figures.html",
        {"unit": unit, "start": start, "end": end, "pairs": selectors.figures_with_and_without(unit, start, end)},
    )


@role_required(*READERS)
def completeness(request):
    unit = _unit(request)
    start, end = _range(request)
    campaign = campaign_from_request(request, unit)
    activities = selectors.activity_reporting(unit, start, end)
    return render(
        request,
        "quality/completeness.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "activities": activities,
            "activity_gaps": activities.gaps[:200],
            "meetings": selectors.meeting_reporting(request.user, unit),
            "quizzes": selectors.quiz_reporting(unit, campaign),
            "on_time_days": selectors.ON_TIME_DAYS,
        },
    )


@role_required(*READERS)
def burden(request):
    unit = _unit(request)
    start, end = _range(request)
    delays = selectors.entry_delays(unit, start, end)
    return render(
        request,
        "quality/burden.html",
        {
            "unit": unit,
            "panels": declared_panels("burden_panel", request, unit),
            "delays": delays,
            "share": int(selectors.MONTH_END_SHARE * 100),
            "min_rows": selectors.MONTH_END_MIN_ROWS,
        },
    )


@role_required(*READERS)
def check_list(request):
    return render(
        request,
        "quality/check_list.html",
        {"checks": Check.objects.all(), "can_tune": services.may_tune(request.user), "severities": Severity.choices},
    )


@role_required(Role.OFFICE_ADMIN)
def check_edit(request, check_code: str):
    if not services.may_tune(request.user):
        raise Http404
    try:
        item = Check.objects.get(code=check_code)
    except Check.DoesNotExist as exc:
        raise Http404 from exc
    form = CheckForm(
        request.POST or None, initial={"threshold": item.threshold, "severity": item.severity, "enabled": item.enabled}
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.update_check(actor=request.user, check=item, **form.cleaned_data)
        if not outcome.refused:
            messages.success(request, _("The check is saved."))
            return redirect("quality:check_list")
    return render(request, "quality/check_form.html", {"item": item, "form": form})
