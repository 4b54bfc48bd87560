"""Pages of serving the people: figures, visits, the assignment map, concerns with their
timeline and actions, key items and pairings. Views parse, call a selector or a service,
and render; every read goes through ``visible_to``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns.indicators import RateIndicator
from campaigns.selectors import campaign_from_request
from concerns import indicators, selectors, services
from concerns.choices import KeyItemStatus
from concerns.forms import (
    ActionForm,
    ConcernEditForm,
    ConcernFilterForm,
    ConcernForm,
    LeaderAssignmentForm,
    MilestoneForm,
    PairingForm,
    PromoteForm,
    StationAssignmentForm,
    VisitFilterForm,
    VisitForm,
)
from concerns.models import Concern, ConcernCategory, KeyItem, Milestone, Programme, Visit
from core.forms import apply_errors, refusals
from core.pagination import paginate
from core.panels import declared_panels
from orgs.access import STAFF_ROLES, has_role, role_required
from orgs.choices import Rank, Role
from orgs.models import Unit
from orgs.scope import get_visible_or_404
from orgs.selectors import scope_roots, unit_for_field, unit_from_request

OFFICE = (Role.OFFICE_ADMIN,)
RECORDERS = services.COLLECT_ROLES

# What each action on the concern page is called and which fields it asks for.
ACTIONS = {
    "assign": (gettext_lazy("Assign or reassign"), ["handling_unit", "note"]),
    "start": (gettext_lazy("Start handling"), ["note"]),
    "resolve": (gettext_lazy("Report resolved"), ["action_taken", "evidence"]),
    "callback": (gettext_lazy("Record the callback"), ["satisfaction", "note"]),
    "return": (gettext_lazy("Return to the assigner"), ["reason"]),
    "mark_not_resolvable": (gettext_lazy("Declare not resolvable"), ["reason"]),
    "sign_off": (gettext_lazy("Sign off as not resolvable"), ["approve", "note"]),
    "duplicate": (gettext_lazy("Mark as duplicate"), ["original"]),
    "reopen": (gettext_lazy("Reopen"), ["reason"]),
}


def home_panel(request):
    """The overdue concerns handled by the account's units, for the home page."""
    if not has_role(request.user, *STAFF_ROLES):
        return None
    overdue = selectors.overdue_handled(request.user)
    count = overdue.count()
    if not count:
        return None
    return {"overdue": _flag_overdue(list(overdue[:10])), "overdue_count": count}


def _flag_overdue(concerns, today=None):
    today = today or timezone.localdate()
    for concern in concerns:
        concern.is_overdue_flag = concern.is_overdue(today)
    return concerns


def _visible_unit(request, code: str, field: str) -> Unit:
    return unit_for_field(request.user, code, field)


def _context_unit(request) -> Unit:
    """The unit of ``?unit=`` when the reader sees it, else the reader's own: a link to a
    figure passed on to someone outside its scope opens their own unit's figure."""
    try:
        return unit_from_request(request)
    except Http404:
        return unit_from_request(request, "")


def _in_campaign(request, unit: Unit, qs, field: str):
    """The rows of ``qs`` that belong to the campaign the page reads: dated (``field``)
    inside its period; all of them when no campaign covers the unit."""
    campaign = campaign_from_request(request, unit)
    if campaign is None:
        return qs
    return qs.filter(**{f"{field}__gte": campaign.start, f"{field}__lte": campaign.end})


# --- landing and figures --------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def index(request):
    unit = _context_unit(request)
    campaign = campaign_from_request(request, unit)
    start, end = selectors.period(campaign, request.GET.get("start"), request.GET.get("end"))
    overdue = selectors.overdue_handled(request.user)
    return render(
        request,
        "concerns/index.html",
        {
            "unit": unit,
            "roots": scope_roots(request.user),
            "start": start,
            "end": end,
            "indicators": indicators.ALL,
            "overdue": _flag_overdue(list(overdue[:10])),
            "overdue_count": overdue.count(),
        },
    )


@role_required(*STAFF_ROLES)
def figure(request, figure: str):
    if figure not in indicators.CODES:
        raise Http404
    indicator = indicators.BY_CODE[figure]
    unit = _context_unit(request)
    campaign = campaign_from_request(request, unit)
    start, end = selectors.period(campaign, request.GET.get("start"), request.GET.get("end"))
    parts = indicator.parts(unit, start, end) if isinstance(indicator, RateIndicator) else None
    page = paginate(request, indicator.rows(unit, start, end))
    rows = [[column.value(row) for column in indicator.row_columns] for row in page]
    return render(
        request,
        "concerns/figure.html",
        {
            "indicator": indicator,
            "unit": unit,
            "crumbs": [u for u in Unit.objects.visible_to(request.user).filter(path__in=unit.ancestor_paths()[:-1])],
            "start": start,
            "end": end,
            "parts": parts,
            "page": page,
            "rows": rows,
            "is_concern": figure.startswith("concerns."),
        },
    )


# --- visits ---------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def visit_list(request):
    unit = _context_unit(request)
    form = VisitFilterForm(request.GET or None)
    purpose = form.cleaned_data["purpose"] if form.is_valid() else ""
    page = paginate(request, _in_campaign(request, unit, selectors.visits_for(request.user, unit, purpose), "date"))
    return render(request, "concerns/visit_list.html", {"unit": unit, "form": form, "page": page})


@role_required(*RECORDERS)
def visit_create(request):
    people = selectors.people_for_visits(request.user)
    initial = {"date": timezone.localdate()}
    if request.user.person_id:
        initial["people"] = [request.user.person_id]
    form = VisitForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as outcome:
            unit = _visible_unit(request, data["unit"], "unit")
            visit = services.record_visit(
                actor=request.user,
                unit=unit,
                date=data["date"],
                purpose=data["purpose"],
                people=list(data["people"]),
                notes=data["notes"],
            )
        if not outcome.refused:
            messages.success(request, _("Visit recorded."))
            return redirect("concerns:visit_detail", visit_id=visit.pk)
    return render(request, "concerns/form.html", {"form": form, "title": _("Record a visit")})


@role_required(*STAFF_ROLES)
def visit_detail(request, visit_id: int):
    visit = get_visible_or_404(
        Visit.objects.select_related("unit", "recorded_by").prefetch_related("people__unit"), request.user, pk=visit_id
    )
    concerns = _flag_overdue(list(selectors.concerns_for(request.user).filter(visit=visit)))
    return render(request, "concerns/visit_detail.html", {"visit": visit, "concerns": concerns})


# --- assignments ----------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def assignments(request):
    unit = _context_unit(request)
    gaps = paginate(request, selectors.villages_without_station(unit))
    return render(
        request,
        "concerns/assignments.html",
        {
            "unit": unit,
            "leaders": selectors.leader_assignments(request.user, unit),
            "stations": selectors.station_assignments(request.user, unit),
            "townships_open": selectors.townships_without_leader(unit),
            "page": gaps,
            "can_edit": request.user.is_superuser or request.user.role == Role.OFFICE_ADMIN,
        },
    )


@role_required(*OFFICE)
def assignment_create(request):
    leaders = selectors.people_for_visits(request.user).filter(rank=Rank.PREFECTURE)
    leader_form = LeaderAssignmentForm(
        request.POST if request.POST.get("form") == "leader" else None, people=leaders, prefix="leader"
    )
    station_form = StationAssignmentForm(
        request.POST if request.POST.get("form") == "station" else None, prefix="station"
    )
    if request.method == "POST":
        form = leader_form if request.POST.get("form") == "leader" else station_form
        if form.is_valid():
            data = form.cleaned_data
            with refusals(form) as outcome:
                target = _visible_unit(request, data["target"], "target")
                if form is leader_form:
                    services.assign_leader(
                        actor=request.user, person=data["person"], target=target, since=data["since"]
                    )
                else:
                    department = _visible_unit(request, data["department"], "department")
                    services.assign_department(
                        actor=request.user, department=department, target=target, since=data["since"]
                    )
            if not outcome.refused:
                messages.success(request, _("Assignment saved."))
                return redirect("concerns:assignments")
    return render(request, "concerns/assignment_form.html", {"leader_form": leader_form, "station_form": station_form})


# --- concerns -------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def concern_list(request):
    unit = _context_unit(request)
    form = ConcernFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "state": data["state"],
            "category": data["category"].pk if data["category"] else None,
            "overdue": data["overdue"],
            "handled": data["handled"],
        }
    today = timezone.localdate()
    concerns = selectors.concerns_for(request.user, unit=unit, today=today, **filters)
    page = paginate(request, _in_campaign(request, unit, concerns, "collected_on"))
    page.object_list = _flag_overdue(list(page.object_list), today)
    return render(
        request,
        "concerns/concern_list.html",
        {"unit": unit, "form": form, "page": page, "today": today, "can_record": request.user.role in RECORDERS},
    )


@role_required(*RECORDERS)
def concern_create(request):
    form = ConcernForm(request.POST or None, initial={"collected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as outcome:
            unit = _visible_unit(request, data["unit"], "unit")
            concern = services.record_concern(
                actor=request.user,
                unit=unit,
                category=data["category"],
                source=data["source"],
                description=data["description"],
                raised_by=data["raised_by"],
                contact=data["contact"],
                collected_on=data["collected_on"],
            )
        if not outcome.refused:
            messages.success(request, _("Concern #%(number)s recorded.") % {"number": concern.pk})
            return redirect("concerns:concern_detail", concern_id=concern.pk)
    return render(request, "concerns/form.html", {"form": form, "title": _("Record a concern")})


def _concern(request, concern_id: int) -> Concern:
    return get_visible_or_404(
        Concern.objects.select_related("unit", "handling_unit", "category", "resolved_by", "duplicate_of", "visit"),
        request.user,
        pk=concern_id,
    )


def _programmes(user):
    return Programme.objects.visible_to(user)


@role_required(*STAFF_ROLES)
def concern_detail(request, concern_id: int, form: ActionForm | None = None, action: str = "", promote=None):
    concern = _concern(request, concern_id)
    events = concern.events.select_related("actor", "handling_unit").order_by("at", "pk")
    allowed = services.allowed_actions(request.user, concern)
    form = form or ActionForm(initial={"version": concern.version})
    if "promote" in allowed:
        promote = promote or PromoteForm(programmes=_programmes(request.user))
    return render(
        request,
        "concerns/concern_detail.html",
        {
            "concern": concern,
            "events": events,
            "allowed": allowed,
            "actions": [(a, ACTIONS[a][0], [form[f] for f in ACTIONS[a][1]]) for a in allowed if a in ACTIONS],
            "form": form,
            "failed_action": action,
            "promote": promote,
            "show_contact": services.can_see_contact(request.user, concern),
            "overdue": concern.is_overdue(timezone.localdate()),
            "key_items": concern.key_items.visible_to(request.user),
        },
    )


def _run_action(request, concern: Concern, action: str, data: dict):
    version = data["version"]
    common = {"actor": request.user, "concern": concern, "version": version}
    if action == "assign":
        unit = _visible_unit(request, data["handling_unit"], "handling_unit") if data["handling_unit"] else None
        if unit is None:
            raise ValidationError({"handling_unit": _("Give the code of the handling unit.")})
        return services.assign_concern(handling_unit=unit, note=data["note"] or data["reason"], **common)
    if action == "return":
        return services.return_concern(reason=data["reason"], **common)
    if action == "start":
        return services.start_concern(note=data["note"], **common)
    if action == "resolve":
        return services.resolve_concern(action_taken=data["action_taken"], evidence=data["evidence"], **common)
    if action == "callback":
        return services.record_callback(satisfaction=data["satisfaction"], note=data["note"], **common)
    if action == "mark_not_resolvable":
        return services.mark_not_resolvable(reason=data["reason"], **common)
    if action == "sign_off":
        return services.sign_off_not_resolvable(approve=data["approve"] != "0", note=data["note"], **common)
    if action == "duplicate":
        original = None
        if data["original"]:
            original = (
                Concern.objects.visible_to(request.user)
                .select_related("unit", "handling_unit")
                .filter(pk=data["original"])
                .first()
            )
        return services.mark_duplicate(original=original, **common)
    if action == "reopen":
        return services.reopen_concern(reason=data["reason"], **common)
    raise ValidationError({"state": _("Unknown action.")})


@require_POST
@role_required(*STAFF_ROLES)
def concern_act(request, concern_id: int):
    concern = _concern(request, concern_id)
    action = request.POST.get("action", "")
    if action == "promote":
        return _promote(request, concern)
    form = ActionForm(request.POST)
    if form.is_valid():
        with refusals(form) as outcome:
            _run_action(request, concern, action, form.cleaned_data)
        if not outcome.refused:
            messages.success(request, _("Concern #%(number)s updated.") % {"number": concern.pk})
            return redirect("concerns:concern_detail", concern_id=concern.pk)
    return concern_detail(request, concern_id, form=form, action=action)


def _promote(request, concern: Concern):
    form = PromoteForm(request.POST, programmes=_programmes(request.user))
    if form.is_valid():
        data = form.cleaned_data
        with refusals(form) as outcome:
            responsible = _visible_unit(request, data["responsible_unit"], "responsible_unit")
            item = services.promote_concern(
                actor=request.user,
                concern=concern,
                programme=data["programme"],
                title_zh=data["title_zh"],
                title_bo=data["title_bo"],
                responsible_unit=responsible,
            )
        if not outcome.refused:
            messages.success(request, _("Key item created from the concern."))
            return redirect("concerns:key_item_detail", key_item_id=item.pk)
    return concern_detail(request, concern.pk, action="promote", promote=form)


@role_required(*RECORDERS)
def concern_edit(request, concern_id: int):
    concern = _concern(request, concern_id)
    form = ConcernEditForm(
        request.POST or None,
        initial={"version": concern.version, "category": concern.category_id, "description": concern.description},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as outcome:
            services.update_concern(
                actor=request.user,
                concern=concern,
                version=data["version"],
                description=data["description"],
                category=data["category"],
            )
        if not outcome.refused:
            messages.success(request, _("Changes saved."))
            return redirect("concerns:concern_detail", concern_id=concern.pk)
    return render(
        request,
        "concerns/form.html",
        {"form": form, "title": _("Edit concern #%(number)s") % {"number": concern.pk}, "concern": concern},
    )


@role_required(*STAFF_ROLES)
def categories(request):
    return render(request, "concerns/categories.html", {"categories": ConcernCategory.objects.all()})


# --- key items ------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def key_item_list(request):
    programmes = selectors.programmes_with_items(request.user)
    return render(request, "concerns/key_item_list.html", {"programmes": programmes})


def _item(request, key_item_id: int) -> KeyItem:
    return get_visible_or_404(
        KeyItem.objects.select_related("programme", "responsible_unit", "responsible_leader", "confirmed_by"),
        request.user,
        pk=key_item_id,
    )


@role_required(*STAFF_ROLES)
def key_item_detail(request, key_item_id: int, milestone_form: MilestoneForm | None = None, error: str = ""):
    item = _item(request, key_item_id)
    milestones = list(item.milestones.all())
    total = sum(m.weight for m in milestones)
    done = sum(m.weight for m in milestones if m.done_on)
    user = request.user
    return render(
        request,
        "concerns/key_item_detail.html",
        {
            "item": item,
            "milestones": milestones,
            "progress": round(100 * done / total) if total else 0,
            "concerns": _flag_overdue(list(selectors.concerns_for(user).filter(key_items=item))),
            "can_handle": user.is_superuser or user.role in services.HANDLE_ROLES,
            "can_confirm": (user.is_superuser or user.role == Role.OFFICE_ADMIN)
            and item.status != KeyItemStatus.SOLVED,
            "milestone_form": milestone_form or MilestoneForm(),
            "error": error,
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def key_item_act(request, key_item_id: int):
    item = _item(request, key_item_id)
    action = request.POST.get("action", "")
    try:
        if action == "milestone":
            form = MilestoneForm(request.POST)
            if not form.is_valid():
                return key_item_detail(request, key_item_id, milestone_form=form)
            try:
                services.add_milestone(actor=request.user, item=item, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
                return key_item_detail(request, key_item_id, milestone_form=form)
        elif action == "done":
            milestone = Milestone.objects.filter(item=item, pk=request.POST.get("milestone") or 0).first()
            if milestone is None:
                raise ValidationError({"milestone": _("No such milestone on this item.")})
            services.complete_milestone(actor=request.user, milestone=milestone)
        elif action == "confirm":
            services.confirm_key_item(actor=request.user, item=item)
        elif action == "link":
            number = request.POST.get("concern", "").strip().lstrip("#")
            concern = (
                Concern.objects.visible_to(request.user)
                .select_related("unit", "handling_unit")
                .filter(pk=int(number) if number.isdigit() else 0)
                .first()
            )
            if concern is None:
                raise ValidationError({"concern": _("No concern with this number in your scope.")})
            services.link_concern(actor=request.user, item=item, concern=concern)
        else:
            raise ValidationError({"action": _("Unknown action.")})
    except ValidationError as exc:
        return key_item_detail(request, key_item_id, error=" ".join(exc.messages))
    messages.success(request, _("Key item updated."))
    return redirect("concerns:key_item_detail", key_item_id=item.pk)


# --- pairings -------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def pairing_list(request):
    page = paginate(request, selectors.pairings_for(request.user))
    return render(
        request,
        "concerns/pairing_list.html",
        {"page": page, "can_edit": request.user.is_superuser or request.user.role == Role.OFFICE_ADMIN},
    )


@role_required(*STAFF_ROLES)
def pairing_detail(request, pairing_id: int):
    pairing = get_visible_or_404(selectors.pairings_for(request.user), request.user, pk=pairing_id)
    return render(
        request,
        "concerns/pairing_detail.html",
        {"pairing": pairing, "panels": declared_panels("pairing_panel", request, pairing)},
    )


@role_required(*OFFICE)
def pairing_create(request):
    form = PairingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as outcome:
            pairing = services.create_pairing(
                actor=request.user,
                city_org=_visible_unit(request, data["city_org"], "city_org"),
                village_branch=_visible_unit(request, data["village_branch"], "village_branch"),
                since=data["since"],
                theme=data["theme"],
            )
        if not outcome.refused:
            messages.success(request, _("Pairing saved."))
            return redirect("concerns:pairing_detail", pairing_id=pairing.pk)
    return render(request, "concerns/form.html", {"form": form, "title": _("New pairing")})
