"""Pages of the ledger: entry per kind, the filtered list and its export, detail, edit and
delete, evidence, the catalogue, closed months and spreadsheet import. The indicator pages
at /ledger/indicators/ are the figures app's."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.indicators import months
from campaigns.selectors import campaign_from_request
from core import reimport, uploads
from core import xlsx as core_xlsx
from core.forms import apply_errors, refusals
from core.pagination import paginate
from ledger import defined, selectors, services, xlsx
from ledger.catalogue import SESSIONS
from ledger.choices import Section
from ledger.forms import ActivityFilterForm, ActivityForm, DefinedIndicatorForm, ImportForm, KindForm, PeriodForm
from ledger.indicators import DefinedReach, summed_by_code
from ledger.indicators import build as indicator_build
from ledger.models import Activity, ActivityKind, DefinedIndicator, Evidence, ImportJob, ReportingPeriod
from ledger.tasks import IMPORT, import_place, import_task, run_import
from orgs.access import STAFF_ROLES, role_required
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import get_visible_or_404
from orgs.selectors import home_unit, unit_from_request

WRITERS = (Role.OFFICE_ADMIN, Role.REPORTER)
OFFICE = (Role.OFFICE_ADMIN,)
SYNC_IMPORT_BYTES = 256 * 1024  # smaller files are checked in the request itself
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _activity(request, activity_id: int) -> Activity:
    return get_visible_or_404(Activity.objects.select_related("unit", "kind"), request.user, pk=activity_id)


def _can_write(user) -> bool:
    return user.is_superuser or user.role in WRITERS


# --- lists -----------------------------------------------------------------------------------


def _list(request, section: str):
    data = request.GET.copy()
    campaign = campaign_from_request(request)
    if campaign is not None and not data.get("start") and not data.get("end"):
        # The list opens on the activities of the campaign the reader works in.
        data["start"], data["end"] = campaign.start.isoformat(), campaign.end.isoformat()
    form = ActivityFilterForm(data or None, section=section)
    filters: dict = {}
    unit = None
    if form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            unit = unit_from_request(request, data["unit"])
        filters = {k: data[k] for k in ("kind", "start", "end", "venue_kind", "language") if data[k]}
    sort = request.GET.get("sort", "-date")
    qs = selectors.activities_for(request.user, unit=unit, section=section, sort=sort, **filters)
    if request.GET.get("format") == "xlsx":
        buf = io.BytesIO()
        xlsx.export(qs.iterator(chunk_size=2000), buf)
        return core_xlsx.download(buf.getvalue(), "activities.xlsx")
    page = paginate(request, qs)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "ledger/activity_list.html",
        {
            "page": page,
            "form": form,
            "section": section,
            "title": Section(section).label if section else _("All activities"),
            "sort": sort,
            "query": query.urlencode(),
            "kinds": _kinds_offered(request).filter(**({"section": section} if section else {})),
            "can_write": _can_write(request.user),
        },
    )


@role_required(*STAFF_ROLES)
def learning(request):
    return _list(request, Section.LEARNING)


@role_required(*STAFF_ROLES)
def lectures(request):
    return _list(request, Section.LECTURES)


@role_required(*STAFF_ROLES)
def activity_list(request):
    return _list(request, "")


def _kinds_offered(request):
    """The kinds of the campaign the reader works in (every kind in use when none)."""
    campaign = campaign_from_request(request)
    if campaign is None:
        return ActivityKind.objects.filter(active=True)
    return services.kinds_of([campaign])


# --- entry, detail, edit, delete ---------------------------------------------------------------


@role_required(*WRITERS)
def activity_create(request, kind: str):
    kind_obj = get_object_or_404(ActivityKind, code=kind, active=True)
    home = home_unit(request.user)
    today = datetime.date.today()
    campaign = campaign_from_request(request, home) if home else None
    if campaign is not None:  # a day inside the campaign, today where possible
        today = min(max(today, campaign.start), campaign.end)
    initial = {"unit": home.code if home else "", "date": today, "sessions": 1}
    form = ActivityForm(request.POST or None, request.FILES or None, kind=kind_obj, with_evidence=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            unit = Unit.objects.visible_to(request.user).filter(code=form.cleaned_data["unit"].strip()).first()
            if unit is None:
                raise ValidationError({"unit": _("No unit with this code in your scope.")})
            upload = form.cleaned_data.get("evidence")
            with transaction.atomic():
                activity = services.record_activity(
                    actor=request.user,
                    unit=unit,
                    kind=kind_obj,
                    date=form.cleaned_data["date"],
                    **form.activity_fields(),
                )
                if upload:
                    services.add_evidence(actor=request.user, activity=activity, upload=upload)
        if not outcome.refused:
            messages.success(request, _("Activity recorded."))
            if request.POST.get("again"):
                return redirect("ledger:activity_create", kind=kind_obj.code)
            return redirect("ledger:activity_detail", activity_id=activity.pk)
    return render(request, "ledger/activity_form.html", {"form": form, "kind": kind_obj, "title": kind_obj.name})


@role_required(*STAFF_ROLES)
def activity_detail(request, activity_id: int):
    activity = _activity(request, activity_id)
    return render(
        request,
        "ledger/activity_detail.html",
        {
            "activity": activity,
            "evidence": activity.evidence.all(),
            "can_write": _can_write(request.user),
            "history": _history(activity),
        },
    )


def _history(activity: Activity):
    from auditlog.models import LogEntry

    words = {
        LogEntry.Action.CREATE: _("recorded"),
        LogEntry.Action.UPDATE: _("changed"),
        LogEntry.Action.DELETE: _("deleted"),
    }
    entries = LogEntry.objects.get_for_object(activity).select_related("actor").order_by("-timestamp")[:10]
    return [(entry, words.get(entry.action, "")) for entry in entries]


@role_required(*WRITERS)
def activity_edit(request, activity_id: int):
    activity = _activity(request, activity_id)
    initial = {
        "unit": activity.unit.code,
        "date": activity.date,
        "version": activity.version,
        **{n: getattr(activity, n) for n in activity.kind.fields},
    }
    form = ActivityForm(request.POST or None, kind=activity.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = Unit.objects.visible_to(request.user).filter(code=form.cleaned_data["unit"].strip()).first()
            if unit is None:
                raise ValidationError({"unit": _("No unit with this code in your scope.")})
            services.update_activity(
                actor=request.user,
                activity=activity,
                version=form.cleaned_data["version"] or 0,
                unit=unit,
                date=form.cleaned_data["date"],
                **form.activity_fields(),
            )
        except ValidationError as exc:
            stale = getattr(exc, "error_dict", {}).pop("version", None)
            if stale:
                form.add_error(None, stale)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("ledger:activity_detail", activity_id=activity.pk)
    return render(
        request,
        "ledger/activity_form.html",
        {"form": form, "kind": activity.kind, "activity": activity, "title": _("Edit activity")},
    )


@role_required(*WRITERS)
def activity_delete(request, activity_id: int):
    activity = _activity(request, activity_id)
    if request.method == "POST":
        try:
            services.delete_activity(actor=request.user, activity=activity)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("ledger:activity_detail", activity_id=activity.pk)
        messages.success(request, _("Activity deleted."))
        return redirect("ledger:learning" if activity.kind.section == Section.LEARNING else "ledger:lectures")
    return render(request, "ledger/activity_delete.html", {"activity": activity})


@require_POST
@role_required(*WRITERS)
def evidence_add(request, activity_id: int):
    activity = _activity(request, activity_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file first."))
    else:
        try:
            services.add_evidence(actor=request.user, activity=activity, upload=upload)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("File attached."))
    return redirect("ledger:activity_detail", activity_id=activity.pk)


@role_required(*STAFF_ROLES)
def evidence_file(request, evidence_id: int):
    evidence = get_visible_or_404(Evidence.objects.select_related("activity"), request.user, pk=evidence_id)
    return uploads.download(evidence.file, evidence.original_name)


# --- the catalogue of kinds ----------------------------------------------------------------


@role_required(*STAFF_ROLES)
def kind_list(request):
    return render(
        request,
        "ledger/kind_list.html",
        {"kinds": ActivityKind.objects.all(), "can_edit": services.may_edit_kinds(request.user)},
    )


@role_required(*OFFICE)
def kind_create(request):
    if not services.may_edit_kinds(request.user):
        raise Http404
    form = KindForm(
        request.POST or None, initial=dict(zip(("measure_zh", "measure_bo", "measure_en"), SESSIONS, strict=True))
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            campaign = campaign_from_request(request)
            kind = services.create_kind(
                actor=request.user, campaigns=[campaign] if campaign else [], **form.cleaned_data
            )
        if not outcome.refused:
            messages.success(request, _("Kind %(name)s added.") % {"name": kind.name})
            return redirect("ledger:kind_list")
    return render(request, "ledger/kind_form.html", {"form": form, "title": _("New kind of activity")})


@role_required(*OFFICE)
def kind_edit(request, kind: str):
    if not services.may_edit_kinds(request.user):
        raise Http404
    kind_obj = get_object_or_404(ActivityKind, code=kind)
    initial = {f: getattr(kind_obj, f) for f in services.KIND_FIELDS}
    initial["code"] = kind_obj.code
    form = KindForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("code")
        with refusals(form) as outcome:
            services.update_kind(actor=request.user, kind=kind_obj, **data)
        if not outcome.refused:
            messages.success(request, _("Changes saved."))
            return redirect("ledger:kind_list")
    return render(request, "ledger/kind_form.html", {"form": form, "title": kind_obj.name, "kind": kind_obj})


# --- closed months ------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def periods(request):
    campaign = campaign_from_request(request)
    if campaign is None:
        raise Http404
    form = PeriodForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                action = services.close_period if form.cleaned_data["action"] == "close" else services.reopen_period
                action(actor=request.user, campaign=campaign, month=form.cleaned_data["month"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("ledger:periods")
        else:
            messages.error(request, _("Choose a month."))
    closed = set(ReportingPeriod.objects.filter(campaign=campaign).values_list("month", flat=True))
    month_list = [(m, m in closed) for m in months(campaign.start, campaign.end)]
    may_close = request.user.is_superuser or (
        request.user.role == Role.OFFICE_ADMIN and request.user.unit_id == campaign.root_unit_id
    )
    return render(request, "ledger/periods.html", {"campaign": campaign, "months": month_list, "may_close": may_close})


# --- spreadsheets ---------------------------------------------------------------------------


@role_required(*WRITERS)
def import_template(request, kind: str):
    kind_obj = get_object_or_404(ActivityKind, code=kind, active=True)
    buf = io.BytesIO()
    xlsx.template(kind_obj, request.user, buf, kinds=_kinds_offered(request))
    return core_xlsx.download(buf.getvalue(), f"{kind_obj.code}-template.xlsx")


@role_required(*WRITERS)
def import_start(request, kind: str):
    """Upload a filled-in template: the guard checks the file in the request (a refused
    file is not kept), a file already imported into the same unit is asked about first,
    then its rows are checked and written (in the background when the file is large)."""
    kind_obj = get_object_or_404(ActivityKind, code=kind, active=True)
    form = ImportForm(request.POST or None, reimport.files(request, IMPORT))
    home = home_unit(request.user)
    again = None
    if request.method == "POST" and form.is_valid() and home is not None:
        upload = form.cleaned_data["file"]
        opened = {
            "actor": request.user,
            "unit": home,
            "kind": kind_obj,
            "name": upload.name,
            "language": translation.get_language() or "zh-hans",
        }
        try:
            checked = uploads.check_xlsx(upload, max_rows=xlsx.MAX_ROWS)
        except uploads.Refused as exc:
            reimport.release(request.user, IMPORT)
            uploads.discard(upload)
            job = services.open_import(**opened, refused=str(exc))
            return redirect("ledger:import_status", job_id=job.pk)
        again = reimport.ask_first(request, IMPORT, import_place(home), upload, checked.sha256)
        if again is None:
            job = services.open_import(**opened, upload=upload)
            reimport.release(request.user, IMPORT)
            if checked.size <= SYNC_IMPORT_BYTES:
                run_import(job.pk)
            else:
                import_task.enqueue(job.pk)
            return redirect("ledger:import_status", job_id=job.pk)
    return render(
        request,
        "ledger/import_start.html",
        {"form": form, "kind": kind_obj, "jobs": selectors.imports_of(request.user), "again": again},
    )


def _job(request, job_id: int) -> ImportJob:
    job = get_visible_or_404(ImportJob.objects.select_related("kind"), request.user, pk=job_id)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return job


@role_required(*WRITERS)
def import_status(request, job_id: int):
    job = _job(request, job_id)
    template = "ledger/_import_progress.html" if request.htmx else "ledger/import_status.html"
    return render(request, template, {"job": job, "problems": job.errors[:500]})


@role_required(*WRITERS)
def import_annotated(request, job_id: int):
    job = _job(request, job_id)
    if not job.annotated:
        raise Http404
    return FileResponse(job.annotated.open("rb"), content_type=XLSX, filename=f"problems-{job.original_name}")


@role_required(*STAFF_ROLES)
def index(request):
    return redirect(reverse("ledger:learning"))


# --- indicators the office defines -----------------------------------------------------------

PREVIEW_ROWS = 10


def _office_only(request) -> None:
    if not services.may_edit_kinds(request.user):
        raise Http404


def _preview(request, form: DefinedIndicatorForm, pk: int | None, version: int) -> dict | None:
    """The figure and first rows the definition in ``form`` would give for the reader's unit
    over its campaign's period, built from the form and saved nowhere; None when refused
    (the form then carries the reasons)."""
    data = dict(form.cleaned_data)
    code, kinds = data.pop("code").strip(), list(data.pop("kinds"))
    source, keys = data.pop("source"), list(data.pop("keys"))
    data.pop("version", None)
    try:
        defined.check(code=code, kinds=kinds, source=source, keys=keys, data=data, pk=pk)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    unsaved = DefinedIndicator(code=code, version=version, **services.indicator_values(data))
    if data["measure"] != DefinedIndicator.Measure.RATE:
        unsaved.source, unsaved.keys = source, keys
    built = indicator_build(unsaved, [k.pk for k in kinds], known=summed_by_code())
    unit = home_unit(request.user)
    assert unit is not None  # an office's own unit
    campaign = campaign_from_request(request, unit)
    start = campaign.start if campaign else datetime.date(datetime.date.today().year, 1, 1)
    end = campaign.end if campaign else datetime.date.today()
    rows = list(built.rows(unit, start, end)[:PREVIEW_ROWS])
    return {
        # A count of units reached has no tallies before it is saved: counted from the rows.
        "value": built.recount(unit, start, end) if isinstance(built, DefinedReach) else built.value(unit, start, end),
        "measure": built.measure_label,
        "unit": unit,
        "start": start,
        "end": end,
        "headings": [c.label for c in built.row_columns],
        "rows": [[c.value(r) for c in built.row_columns] for r in rows],
        "total_rows": built.rows(unit, start, end).count(),
        "tallied": unsaved.source != DefinedIndicator.LEDGER,
        "reach": isinstance(built, DefinedReach),
    }


def _indicator_form_page(
    request, form: DefinedIndicatorForm, title: str, row: DefinedIndicator | None, preview: Any = None
):
    return render(request, "ledger/indicator_form.html", {"form": form, "title": title, "row": row, "preview": preview})


@role_required(*OFFICE)
def indicator_list(request):
    _office_only(request)
    return render(request, "ledger/indicator_list.html", {"indicators": DefinedIndicator.objects.all()})


@role_required(*OFFICE)
def indicator_create(request):
    _office_only(request)
    form = DefinedIndicatorForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(request, form, None, 1)
        else:
            data = dict(form.cleaned_data)
            data.pop("version", None)
            with refusals(form) as outcome:
                row = defined.create(actor=request.user, **data)
            if not outcome.refused:
                messages.success(request, _("Indicator %(name)s added.") % {"name": row.name})
                return redirect("ledger:indicator_list")
    return _indicator_form_page(request, form, _("New indicator"), None, preview)


@role_required(*OFFICE)
def indicator_edit(request, indicator_id: int):
    _office_only(request)
    row = get_object_or_404(DefinedIndicator, pk=indicator_id)
    initial = {f: getattr(row, f) for f in services.INDICATOR_FIELDS}
    initial.update(
        code=row.code, kinds=list(row.kinds.all()), version=row.version, source=row.source, keys=list(row.keys)
    )
    form = DefinedIndicatorForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(request, form, row.pk, row.version + 1)
        else:
            data = dict(form.cleaned_data)
            data.pop("code")
            version = data.pop("version", None)
            with refusals(form) as outcome:
                defined.update(actor=request.user, indicator=row, expected_version=version, **data)
            if not outcome.refused:
                messages.success(request, _("Changes saved."))
                return redirect("ledger:indicator_list")
    return _indicator_form_page(request, form, row.name, row, preview)
