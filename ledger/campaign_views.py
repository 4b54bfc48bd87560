"""The ledger's page of a campaign's set-up: which kinds of activity the campaign's units
record and which defined indicators it shows; and the panel that links to it from the
campaign's set-up page (``LedgerConfig.campaign_setup_panel``, see ``core.panels``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from campaigns.services import may_set_up
from core.forms import refusals
from ledger.campaign_setup import set_campaign_catalogue
from ledger.models import ActivityKind, DefinedIndicator
from orgs.access import role_required
from orgs.choices import Role
from orgs.scope import get_visible_or_404


class KindsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ActivityKind) -> str:
        return f"{obj.name} · {obj.get_section_display()}"


class IndicatorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: DefinedIndicator) -> str:
        return f"{obj.name} ({obj.code})"


class CatalogueForm(forms.Form):
    kinds = KindsField(
        label=gettext_lazy("kinds of activity"),
        queryset=ActivityKind.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    indicators = IndicatorsField(
        label=gettext_lazy("defined indicators"),
        queryset=DefinedIndicator.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Kinds no longer offered are still shown while the campaign uses them.
        self.fields["kinds"].queryset = ActivityKind.objects.filter(active=True) | ActivityKind.objects.filter(
            campaigns=campaign
        )
        self.fields["kinds"].queryset = self.fields["kinds"].queryset.distinct()


def setup_panel(request, campaign: Campaign) -> dict[str, Any] | None:
    """On the campaign's set-up page: how many kinds and indicators it uses, and the link."""
    return {
        "campaign": campaign,
        "kinds": list(campaign.activity_kinds.all()),
        "indicators": campaign.defined_indicators.count(),
    }


@role_required(Role.OFFICE_ADMIN)
def campaign_catalogue(request, campaign_id: int):
    if not may_set_up(request.user):
        raise Http404
    campaign = get_visible_or_404(Campaign.objects.select_related("root_unit"), request.user, pk=campaign_id)
    initial = {
        "kinds": list(campaign.activity_kinds.all()),
        "indicators": list(campaign.defined_indicators.all()),
    }
    form = CatalogueForm(request.POST if request.method == "POST" else None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            set_campaign_catalogue(actor=request.user, campaign=campaign, **form.cleaned_data)
        if not outcome.refused:
            messages.success(request, _("Changes saved."))
            return redirect("campaigns:setup_detail", campaign.pk)
    return render(request, "ledger/campaign_catalogue.html", {"form": form, "campaign": campaign})
