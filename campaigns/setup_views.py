"""Pages on which an office sets up a campaign without a programmer: the campaign (names,
goal words, period, root, office, status), its leading group and its supervision groups;
a new campaign copied from another; a campaign's set-up exported as one document and a
document imported as a new campaign. For an office admin whose scope holds the campaign's
root, and superusers; another campaign is 404 as one that does not exist. The kinds of
activity and indicators a campaign uses are picked on the ledger's page, linked from the
set-up page by the ledger's panel (``campaign_setup_panel``)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaigns import forms, services, transfer
from campaigns.models import Campaign, LeadingGroupMember, SupervisionGroup
from core import uploads
from core.forms import apply_errors, refusals
from core.panels import declared_panels
from orgs.access import role_required
from orgs.choices import Role
from orgs.scope import get_visible_or_404

OFFICE = (Role.OFFICE_ADMIN,)


def _require_office(request) -> None:
    if not services.may_set_up(request.user):
        raise Http404


def _campaign(request, campaign_id: int) -> Campaign:
    _require_office(request)
    return get_visible_or_404(Campaign.objects.select_related("root_unit", "office_unit"), request.user, pk=campaign_id)


@role_required(*OFFICE)
def setup_list(request):
    _require_office(request)
    campaigns = Campaign.objects.visible_to(request.user).select_related("root_unit")
    return render(request, "campaigns/setup/list.html", {"campaigns": campaigns})


@role_required(*OFFICE)
def campaign_new(request):
    _require_office(request)
    form = forms.CampaignForm(
        request.POST if request.method == "POST" else None, user=request.user, initial={"status": "draft"}
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            campaign = services.create_campaign(actor=request.user, **form.cleaned_data)
        if not outcome.refused:
            messages.success(request, _("Campaign %(name)s created.") % {"name": campaign.name})
            return redirect("campaigns:setup_detail", campaign.pk)
    return render(request, "campaigns/setup/form.html", {"form": form, "title": _("New campaign")})


@role_required(*OFFICE)
def setup_detail(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    return render(
        request,
        "campaigns/setup/detail.html",
        {
            "campaign": campaign,
            "members": campaign.leading_members.select_related("person__unit"),
            "groups": campaign.supervision_groups.select_related("head__unit").prefetch_related(
                "members", "accounts", "units"
            ),
            "panels": declared_panels("campaign_setup_panel", request, campaign),
        },
    )


@role_required(*OFFICE)
def campaign_edit(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    form = forms.CampaignForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=forms.campaign_initial(campaign)
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.update_campaign(actor=request.user, campaign=campaign, **form.cleaned_data)
        if not outcome.refused:
            messages.success(request, _("Changes saved."))
            return redirect("campaigns:setup_detail", campaign.pk)
    return render(request, "campaigns/setup/form.html", {"form": form, "title": campaign.name, "campaign": campaign})


def _remove_or_save(request, form, remove, save, campaign: Campaign, title: str, removable: bool):
    if request.method == "POST" and "remove" in request.POST and removable:
        with refusals(form) as outcome:
            remove()
        if not outcome.refused:
            messages.success(request, _("Removed."))
            return redirect("campaigns:setup_detail", campaign.pk)
    elif request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            save(form.cleaned_data)
        if not outcome.refused:
            messages.success(request, _("Changes saved."))
            return redirect("campaigns:setup_detail", campaign.pk)
    return render(
        request,
        "campaigns/setup/form.html",
        {"form": form, "title": title, "campaign": campaign, "removable": removable},
    )


@role_required(*OFFICE)
def member_edit(request, campaign_id: int, member_id: int | None = None):
    campaign = _campaign(request, campaign_id)
    member = None
    initial: dict[str, Any] = {"order": campaign.leading_members.count()}
    if member_id is not None:
        member = LeadingGroupMember.objects.filter(campaign=campaign, pk=member_id).select_related("person").first()
        if member is None:
            raise Http404
        initial = {"person": member.person, "post": member.post, "title": member.title, "order": member.order}
    data = request.POST if request.method == "POST" and "remove" not in request.POST else None
    form = forms.LeadingMemberForm(data, campaign=campaign, initial=initial)

    def save(cleaned: dict[str, Any]) -> None:
        if member is None:
            services.add_leading_member(actor=request.user, campaign=campaign, **cleaned)
        else:
            services.update_leading_member(actor=request.user, member=member, **cleaned)

    def remove() -> None:
        assert member is not None
        services.remove_leading_member(actor=request.user, member=member)

    title = _("Leading group") + " · " + (member.person.name if member else _("New member"))
    return _remove_or_save(request, form, remove, save, campaign, title, member is not None)


@role_required(*OFFICE)
def group_edit(request, campaign_id: int, group_id: int | None = None):
    campaign = _campaign(request, campaign_id)
    group = None
    numbers = list(campaign.supervision_groups.values_list("number", flat=True))
    initial: dict[str, Any] = {"number": max(numbers, default=0) + 1}
    if group_id is not None:
        group = SupervisionGroup.objects.filter(campaign=campaign, pk=group_id).first()
        if group is None:
            raise Http404
        initial = {
            "number": group.number,
            "head": group.head,
            "members": list(group.members.all()),
            "accounts": list(group.accounts.all()),
            "units": list(group.units.all()),
        }
    data = request.POST if request.method == "POST" and "remove" not in request.POST else None
    form = forms.GroupForm(data, campaign=campaign, initial=initial)

    def save(cleaned: dict[str, Any]) -> None:
        services.save_group(actor=request.user, campaign=campaign, group=group, **cleaned)

    def remove() -> None:
        assert group is not None
        services.delete_group(actor=request.user, group=group)

    title = group.name if group else _("New supervision group")
    return _remove_or_save(request, form, remove, save, campaign, title, group is not None)


# --- copy, export, import -------------------------------------------------------------------


@role_required(*OFFICE)
def copy(request):
    _require_office(request)
    initial: dict[str, Any] = {}
    source_id = request.GET.get("from", "")
    if source_id.isdigit():
        initial["source"] = Campaign.objects.visible_to(request.user).filter(pk=int(source_id)).first()
    form = forms.CopyForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        problems: list[str] = []
        try:
            campaign = services.copy_campaign(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            problems = _split(form, exc)
        else:
            messages.success(request, _("Campaign %(name)s copied; adjust its set-up below.") % {"name": campaign.name})
            return redirect("campaigns:setup_detail", campaign.pk)
        return render(request, "campaigns/setup/copy.html", {"form": form, "problems": problems})
    return render(request, "campaigns/setup/copy.html", {"form": form})


def _split(form, exc: ValidationError) -> list[str]:
    """A refusal's messages at the form's fields it names; the rest (a document's parts)
    as lines under the form."""
    on_form = {k: v for k, v in exc.error_dict.items() if k in form.fields} if hasattr(exc, "error_dict") else {}
    if on_form:
        apply_errors(form, ValidationError(on_form))
    rest = {k: v for k, v in exc.error_dict.items() if k not in form.fields} if hasattr(exc, "error_dict") else None
    if rest is None:
        return [str(m) for m in exc.messages]
    return transfer.problem_lines(ValidationError(rest)) if rest else []


@role_required(*OFFICE)
def export(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    document = services.export_document(actor=request.user, campaign=campaign)
    body = json.dumps(document, ensure_ascii=False, indent=1)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    name = f"campaign-{campaign.root_unit.code}-{campaign.start:%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*OFFICE)
def import_campaign(request):
    _require_office(request)
    form = forms.ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            uploads.check(upload, ("text",))
            upload.seek(0)
            document = transfer.read_document(upload.read())
            data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
            campaign = services.import_campaign(actor=request.user, document=document, **data)
        except ValidationError as exc:
            problems = _split(form, exc)
        else:
            messages.success(
                request, _("Campaign %(name)s imported; check its set-up below.") % {"name": campaign.name}
            )
            return redirect("campaigns:setup_detail", campaign.pk)
        finally:
            uploads.discard(upload)
    return render(request, "campaigns/setup/import.html", {"form": form, "problems": problems})
