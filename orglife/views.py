"""Pages of organisational life and of the supervision groups' work. Views are thin: they
read through ``visible_to`` / ``get_visible_or_404`` and write through ``services``."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.indicators import ordered
from campaigns.models import Campaign
from campaigns.selectors import campaign_from_request
from core import reimport, uploads, xlsx
from core.forms import apply_errors, refusals
from core.pagination import paginate
from orglife import forms, imports, selectors, services
from orglife.choices import FindingSource, MeasureStatus
from orglife.indicators import INDICATORS
from orglife.models import Finding, Measure, Meeting, MeetingNotice
from orgs.access import STAFF_ROLES, has_role, role_required
from orgs.choices import PARTY_ORGANISATION_KINDS, Rank, Role
from orgs.models import Person, Unit
from orgs.scope import get_visible_or_404
from orgs.selectors import unit_for_field, unit_from_request

WRITERS = (Role.OFFICE_ADMIN, Role.REPORTER)
OFFICE = (Role.OFFICE_ADMIN,)
SUPERVISION = (Role.OFFICE_ADMIN, Role.LEADER, Role.SUPERVISOR)
PREFIXES = ("orglife.", "supervision.")


# --- helpers ------------------------------------------------------------------------------
def _in_campaign(request, unit: Unit, qs, field: str = "date"):
    """The rows of ``qs`` that belong to the campaign the page reads: dated inside its
    period (``field``); all of them when no campaign covers the unit."""
    campaign = campaign_from_request(request, unit)
    if campaign is None:
        return qs
    return qs.filter(**{f"{field}__gte": campaign.start, f"{field}__lte": campaign.end})


def _reading_unit(request) -> Unit:
    """The unit given as ``?unit=code`` (404 outside scope), else the one the reader chose
    with the scope picker, else the reader's home unit."""
    return unit_from_request(request)


def _visible_code(request, code: str, field: str) -> Unit:
    return unit_for_field(request.user, code, field)


def _period(request, unit: Unit | None = None) -> tuple[datetime.date, datetime.date]:
    """The period of the campaign the page reads, else this year."""
    campaign = campaign_from_request(request, unit)
    if campaign is not None:
        return campaign.start, campaign.end
    year = selectors.today().year
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _notices(request, unit: Unit):
    """The notices of the campaign the page reads."""
    notices = selectors.notices_for(request.user)
    campaign = campaign_from_request(request, unit)
    return notices.filter(campaign=campaign) if campaign is not None else notices


def _notice(request, notice_id: int) -> MeetingNotice:
    notice = selectors.notices_for(request.user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    return notice


def _indicators() -> list:
    """The indicators of the overview, in the catalogue's order (by section, then code)."""
    return ordered(INDICATORS)


# --- overview and figures -----------------------------------------------------------------
@role_required(*STAFF_ROLES)
def index(request):
    unit = _reading_unit(request)
    start, end = _period(request, unit)
    return render(
        request,
        "orglife/index.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "indicators": _indicators(),
            "notices": _notices(request, unit)[:20],
            "can_write": has_role(request.user, *WRITERS),
            "can_issue": has_role(request.user, *OFFICE),
            "can_supervise": has_role(request.user, *SUPERVISION),
        },
    )


@role_required(*STAFF_ROLES)
def figure(request, indicator_code: str):
    code = indicator_code
    if not code.startswith(PREFIXES):
        raise Http404
    indicator = next((i for i in INDICATORS if i.code == code), None)
    if indicator is None:
        raise Http404
    unit = _reading_unit(request)
    start, end = _period(request, unit)
    page = paginate(request, indicator.rows(unit, start, end))
    rows = [[col.value(r) for col in indicator.row_columns] for r in page]
    return render(
        request,
        "orglife/figure.html",
        {
            "indicator": indicator,
            "unit": unit,
            "start": start,
            "end": end,
            "page": page,
            "rows": rows,
            "columns": [c.label for c in indicator.row_columns],
        },
    )


# --- notices and meetings -----------------------------------------------------------------
@role_required(*OFFICE)
def notice_create(request):
    campaign = campaign_from_request(request)
    if campaign is None:
        raise Http404
    initial = {"root_unit": request.user.unit.code if request.user.unit else "", "issued_on": selectors.today()}
    form = forms.NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with refusals(form) as outcome:
            data["root_unit"] = _visible_code(request, data["root_unit"], "root_unit")
            notice = services.issue_notice(actor=request.user, campaign=campaign, **data)
        if not outcome.refused:
            messages.success(request, _("Notice issued."))
            return redirect("orglife:notice_detail", notice_id=notice.pk)
    return render(request, "orglife/form.html", {"form": form, "title": _("Issue a meeting notice")})


@role_required(*STAFF_ROLES)
def notice_detail(request, notice_id: int):
    notice = _notice(request, notice_id)
    unit = unit_from_request(request, default=lambda user: next(iter(selectors.reading_roots(user, notice)), None))
    page = paginate(request, selectors.missing_orgs(notice, unit))
    return render(
        request,
        "orglife/notice_detail.html",
        {
            "notice": notice,
            "unit": unit,
            "total": selectors.completeness(notice, unit),
            "children": selectors.completeness_by_children(notice, unit),
            "page": page,
            "kinds": [k.label for k in PARTY_ORGANISATION_KINDS if k in notice.expected_kinds],
            "can_write": has_role(request.user, *WRITERS),
        },
    )


def _leaders(user):
    return Person.objects.visible_to(user).filter(rank__in=[Rank.PREFECTURE, Rank.COUNTY]).order_by("name_zh")


def _supervisor_people(notice: MeetingNotice):
    groups = notice.campaign.supervision_groups.all()
    return (
        Person.objects.filter(Q(supervision_groups__in=groups) | Q(headed_groups__in=groups))
        .distinct()
        .order_by("name_zh")
    )


@role_required(*WRITERS)
def meeting_create(request, notice_id: int):
    notice = _notice(request, notice_id)
    form = forms.MeetingForm(
        request.POST or None,
        request.FILES or None,
        initial={"unit": request.GET.get("unit", ""), "date": selectors.today()},
        leaders=_leaders(request.user),
        supervisors=_supervisor_people(notice),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as outcome:
            unit = _visible_code(request, data["unit"], "unit")
            meeting = services.record_meeting(
                actor=request.user,
                notice=notice,
                unit=unit,
                date=data["date"],
                place=data["place"],
                chair_name=data["chair_name"],
                attendee_count=data["attendee_count"],
                attendees=[(p, True) for p in data["leaders"]],
                supervisors=list(data["supervisors"]),
                touring_group_present=data["touring_group_present"],
                agenda=data["agenda"],
                minutes=data["minutes"],
                sign_in_sheet=data["sign_in_sheet"],
            )
        if not outcome.refused:
            messages.success(request, _("Meeting recorded."))
            return redirect("orglife:meeting_detail", meeting_id=meeting.pk)
    return render(
        request,
        "orglife/form.html",
        {"form": form, "title": _("Record a meeting"), "subtitle": notice.theme, "multipart": True},
    )


@role_required(*STAFF_ROLES)
def meeting_list(request):
    unit = _reading_unit(request)
    meetings = selectors.meetings_in(request.user, unit)
    campaign = campaign_from_request(request, unit)
    if campaign is not None:  # a meeting belongs to its notice's campaign
        meetings = meetings.filter(notice__campaign=campaign)
    page = paginate(request, meetings)
    return render(request, "orglife/meeting_list.html", {"unit": unit, "page": page})


@role_required(*STAFF_ROLES)
def meeting_detail(request, meeting_id: int):
    meeting = get_visible_or_404(Meeting.objects.select_related("unit", "notice"), request.user, pk=meeting_id)
    findings = meeting.findings.select_related("category").order_by("pk")
    return render(
        request,
        "orglife/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": meeting.attendance.select_related("person"),
            "supervisors": meeting.supervisors.all(),
            "page": paginate(request, findings),
            "can_write": has_role(request.user, *WRITERS),
        },
    )


def _file_response(field_file):
    return uploads.download(field_file)


@role_required(*STAFF_ROLES)
def meeting_minutes(request, meeting_id: int):
    return _file_response(get_visible_or_404(Meeting.objects.all(), request.user, pk=meeting_id).minutes)


@role_required(*STAFF_ROLES)
def meeting_sign_in(request, meeting_id: int):
    return _file_response(get_visible_or_404(Meeting.objects.all(), request.user, pk=meeting_id).sign_in_sheet)


# --- talks --------------------------------------------------------------------------------
@role_required(*STAFF_ROLES)
def talk_list(request):
    unit = _reading_unit(request)
    page = paginate(request, _in_campaign(request, unit, selectors.talks_in(request.user, unit)))
    return render(
        request, "orglife/talk_list.html", {"unit": unit, "page": page, "can_write": has_role(request.user, *WRITERS)}
    )


@role_required(*WRITERS)
def talk_create(request):
    form = forms.TalksForm(request.POST or None, initial={"unit": request.GET.get("unit", "")})
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            unit = _visible_code(request, form.cleaned_data["unit"], "unit")
            n = services.record_talks(actor=request.user, unit=unit, talks=form.rows())
        if not outcome.refused:
            messages.success(request, _("%(n)s talks recorded.") % {"n": n})
            return redirect(f"{reverse('orglife:talk_list')}?unit={unit.code}")
    return render(request, "orglife/form.html", {"form": form, "title": _("Record talks")})


def _annotated_response(request, what: str):
    """The reader's own last refused file of this kind of import, with its problems marked."""
    fh = imports.annotated(request.user, what)
    if fh is None:
        raise Http404
    return FileResponse(fh, as_attachment=True, filename=f"{what}-problems.xlsx", content_type=xlsx.CONTENT_TYPE)


@role_required(*WRITERS)
def talk_import(request):
    """Talks of any units in the importer's scope from an xlsx sheet: every problem listed at
    once and marked in a copy of the file; nothing written unless there is none."""
    form = forms.TalkImportForm(request.POST or None, reimport.files(request, imports.TALKS))
    problems: list = []
    marked = False
    again = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        place = f"{imports.TALKS}:{request.user.unit.code if request.user.unit_id else request.user.pk}"
        sha256 = uploads.sha256_of(upload)
        again = reimport.ask_first(request, imports.TALKS, place, upload, sha256)
        if again is None:
            reimport.release(request.user, imports.TALKS)
            sheet = imports.read_talks(upload)
            problems = imports.check_talks(sheet, request.user)
            if problems:
                marked = imports.keep_annotated(request.user, imports.TALKS, upload, problems, sheet.places())
            else:
                with refusals(form) as outcome:
                    n = services.import_talks(actor=request.user, rows=sheet.rows)
                if not outcome.refused:
                    reimport.remember(place=place, sha256=sha256, name=upload.name, actor=request.user)
                    imports.discard_annotated(request.user, imports.TALKS)
                    messages.success(request, _("%(n)s talks imported.") % {"n": n})
                    return redirect("orglife:talk_list")
            uploads.discard(upload)
    return render(
        request,
        "orglife/talk_import.html",
        {
            "form": form,
            "problems": imports.labelled(problems, services.TALK_COLUMNS),
            "marked": marked,
            "again": again,
        },
    )


@role_required(*WRITERS)
def talk_template(request):
    return xlsx.download(imports.talk_template(request.user), "talks.xlsx")


@role_required(*WRITERS)
def talk_problems(request):
    return _annotated_response(request, imports.TALKS)


# --- findings -----------------------------------------------------------------------------
@role_required(*STAFF_ROLES)
def finding_list(request):
    unit = _reading_unit(request)
    form = forms.FindingFilterForm(request.GET or None)
    category = source = ""
    if form.is_valid():
        category, source = form.cleaned_data["category"], form.cleaned_data["source"]
    findings = selectors.findings_in(request.user, unit, category=category, source=source)
    page = paginate(request, _in_campaign(request, unit, findings))
    return render(
        request,
        "orglife/finding_list.html",
        {
            "unit": unit,
            "page": page,
            "findings": selectors.with_measure_counts(list(page)),
            "form": form,
            "can_write": has_role(request.user, *WRITERS),
        },
    )


def _batch_context(request, form) -> tuple[Unit, Meeting | None]:
    data = form.cleaned_data
    meeting = None
    if data.get("meeting"):
        meeting = get_visible_or_404(Meeting.objects.select_related("unit"), request.user, pk=data["meeting"])
    unit = _visible_code(request, data["unit"], "unit")
    return unit, meeting


def _batch_initial(request) -> dict:
    initial: dict = {"unit": request.GET.get("unit", ""), "date": selectors.today(), "source": FindingSource.SELF}
    meeting_id = request.GET.get("meeting", "")
    if meeting_id.isdigit():
        meeting = get_visible_or_404(Meeting.objects.select_related("unit"), request.user, pk=int(meeting_id))
        initial.update(unit=meeting.unit.code, date=meeting.date, source=FindingSource.MEETING, meeting=meeting.pk)
    return initial


@role_required(*WRITERS)
def finding_batch(request):
    form = forms.FindingBatchForm(request.POST or None, initial=_batch_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            unit, meeting = _batch_context(request, form)
            found = services.record_findings(
                actor=request.user,
                unit=unit,
                source=form.cleaned_data["source"],
                date=form.cleaned_data["date"],
                rows=form.rows(),
                meeting=meeting,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "rows" in exc.error_dict:
                exc.error_dict["lines"] = exc.error_dict.pop("rows")
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(n)s findings recorded.") % {"n": len(found)})
            if meeting is not None:
                return redirect("orglife:meeting_detail", meeting_id=meeting.pk)
            return redirect(f"{reverse('orglife:finding_list')}?unit={unit.code}")
    return render(request, "orglife/form.html", {"form": form, "title": _("Record findings")})


@role_required(*WRITERS)
def finding_import(request):
    form = forms.FindingImportForm(
        request.POST or None, reimport.files(request, imports.FINDINGS), initial=_batch_initial(request)
    )
    problems: list = []
    marked = False
    again = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        found = None
        with refusals(form):
            unit, meeting = _batch_context(request, form)
            place = f"{imports.FINDINGS}:{unit.code}"
            sha256 = uploads.sha256_of(upload)
            again = reimport.ask_first(request, imports.FINDINGS, place, upload, sha256)
            if again is None:
                reimport.release(request.user, imports.FINDINGS)
                sheet = imports.read_findings(upload)
                rows, problems = sheet.rows, sheet.problems
                if not problems:
                    problems = services.check_finding_rows(rows, form.cleaned_data["date"])
                if not problems:
                    found = services.record_findings(
                        actor=request.user,
                        unit=unit,
                        source=form.cleaned_data["source"],
                        date=form.cleaned_data["date"],
                        rows=rows,
                        meeting=meeting,
                    )
        if found is not None:
            reimport.remember(place=place, sha256=sha256, name=upload.name, actor=request.user)
            imports.discard_annotated(request.user, imports.FINDINGS)
            messages.success(request, _("%(n)s findings imported.") % {"n": len(found)})
            return redirect(f"{reverse('orglife:finding_list')}?unit={unit.code}")
        if problems:
            marked = imports.keep_annotated(request.user, imports.FINDINGS, upload, problems, sheet.places())
        if again is None:
            uploads.discard(upload)
    return render(
        request,
        "orglife/finding_import.html",
        {"form": form, "problems": imports.labelled(problems, services.COLUMNS), "marked": marked, "again": again},
    )


@role_required(*WRITERS)
def finding_template(request):
    return xlsx.download(imports.template(), "findings.xlsx")


@role_required(*WRITERS)
def finding_problems(request):
    return _annotated_response(request, imports.FINDINGS)


@role_required(*STAFF_ROLES)
def finding_detail(request, finding_id: int):
    finding = get_visible_or_404(
        Finding.objects.select_related("unit", "category", "meeting", "inspection__group"), request.user, pk=finding_id
    )
    can_write = has_role(request.user, *WRITERS)
    form = forms.MeasureForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if form.is_valid():
            with refusals(form) as outcome:
                services.add_measure(actor=request.user, finding=finding, **form.cleaned_data)
            if not outcome.refused:
                messages.success(request, _("Measure added."))
                return redirect("orglife:finding_detail", finding_id=finding.pk)
    measures = list(finding.measures.prefetch_related("refusals").select_related("verified_by"))
    may_verify = selectors.may_verify(request.user, finding.unit)
    today = selectors.today()
    return render(
        request,
        "orglife/finding_detail.html",
        {
            "finding": finding,
            "measures": [(m, m.is_overdue(today)) for m in measures],
            "form": form,
            "can_write": can_write,
            "may_verify": may_verify,
            "may_close": may_verify or has_role(request.user, *OFFICE),
            "done_form": forms.DoneForm(initial={"done_on": today}),
            "verify_form": forms.VerifyForm(initial={"verified_on": today}),
            "refuse_form": forms.RefuseForm(),
            "close_form": forms.CloseForm(initial={"closed_on": today}),
            "status": MeasureStatus,
        },
    )


# --- measures -----------------------------------------------------------------------------
@role_required(*STAFF_ROLES)
def measure_list(request):
    unit = _reading_unit(request)
    form = forms.MeasureFilterForm(request.GET or None)
    status, overdue = "", False
    if form.is_valid():
        status, overdue = form.cleaned_data["status"], form.cleaned_data["overdue"]
    today = selectors.today()
    measures = selectors.measures_in(request.user, unit, status=status, overdue=overdue, as_of=today)
    page = paginate(request, _in_campaign(request, unit, measures, "finding__date"))
    return render(
        request,
        "orglife/measure_list.html",
        {"unit": unit, "page": page, "form": form, "rows": [(m, m.is_overdue(today)) for m in page]},
    )


def _measure_action(request, measure_id: int, form_class, action, success: str):
    measure = get_visible_or_404(Measure.objects.select_related("unit", "finding"), request.user, pk=measure_id)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            action(measure, form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, success)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("orglife:finding_detail", finding_id=measure.finding_id)


@require_POST
@role_required(*WRITERS)
def measure_done(request, measure_id: int):
    return _measure_action(
        request,
        measure_id,
        forms.DoneForm,
        lambda m, d: services.mark_measure_done(actor=request.user, measure=m, **d),
        _("Measure reported done."),
    )


@require_POST
@role_required(Role.SUPERVISOR)
def measure_verify(request, measure_id: int):
    return _measure_action(
        request,
        measure_id,
        forms.VerifyForm,
        lambda m, d: services.verify_measure(actor=request.user, measure=m, **d),
        _("Measure verified."),
    )


@require_POST
@role_required(Role.SUPERVISOR)
def measure_refuse(request, measure_id: int):
    return _measure_action(
        request,
        measure_id,
        forms.RefuseForm,
        lambda m, d: services.refuse_measure(actor=request.user, measure=m, **d),
        _("Measure sent back."),
    )


@require_POST
@role_required(Role.OFFICE_ADMIN, Role.SUPERVISOR)
def measure_close(request, measure_id: int):
    return _measure_action(
        request,
        measure_id,
        forms.CloseForm,
        lambda m, d: services.close_measure(actor=request.user, measure=m, **d),
        _("Measure closed."),
    )


@role_required(*STAFF_ROLES)
def measure_evidence(request, measure_id: int):
    return _file_response(get_visible_or_404(Measure.objects.all(), request.user, pk=measure_id).evidence)


# --- supervision --------------------------------------------------------------------------
def _group(request, group_id: int):
    group = selectors.groups_for(request.user).filter(pk=group_id).first()
    if group is None:
        raise Http404
    return group


@role_required(*SUPERVISION)
def supervision(request):
    groups = list(selectors.groups_for(request.user).prefetch_related("units"))
    return render(request, "orglife/supervision.html", {"groups": groups})


@role_required(*SUPERVISION)
def group_work(request, group_id: int):
    group = _group(request, group_id)
    units = sorted(group.units.all(), key=lambda u: u.code)
    return render(
        request,
        "orglife/group_work.html",
        {
            "group": group,
            "units": units,
            "inspections": group.inspections.select_related("unit").order_by("-date", "-pk")[:50],
            "meetings": selectors.meetings_attended(group)[:50],
            "awaiting": paginate(request, selectors.awaiting_verification(group)),
            "is_member": group.accounts.filter(pk=request.user.pk).exists(),
        },
    )


@role_required(Role.SUPERVISOR)
def inspection_create(request, group_id: int):
    group = _group(request, group_id)
    form = forms.InspectionForm(request.POST or None, initial={"date": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            unit = _visible_code(request, form.cleaned_data["unit"], "unit")
            services.record_inspection(
                actor=request.user,
                group=group,
                unit=unit,
                date=form.cleaned_data["date"],
                checked=form.cleaned_data["checked"],
                rows=form.rows() if form.cleaned_data["lines"] else [],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "rows" in exc.error_dict:
                exc.error_dict["lines"] = exc.error_dict.pop("rows")
            apply_errors(form, exc)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("orglife:group_work", group_id=group.pk)
    return render(
        request, "orglife/form.html", {"form": form, "title": _("Record an inspection"), "subtitle": group.name}
    )


@role_required(*SUPERVISION)
def coverage(request):
    campaign: Campaign | None = campaign_from_request(request)
    if campaign is None:
        raise Http404
    groups = selectors.groups_for(request.user)
    return render(
        request,
        "orglife/coverage.html",
        {"campaign": campaign, "coverage": selectors.inspection_coverage(campaign, groups)},
    )
