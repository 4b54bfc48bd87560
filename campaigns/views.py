from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import selectors
from campaigns.models import Campaign, SupervisionGroup
from orgs.access import STAFF_ROLES, role_required
from orgs.choices import Role
from orgs.scope import get_visible_or_404, path_in_scope


def _campaign_for(request, campaign_id: int) -> Campaign:
    """A campaign the user works in: one whose root is in scope, or whose groups the
    supervisor belongs to."""
    user = request.user
    if user.role == Role.SUPERVISOR and not user.is_superuser:
        group = SupervisionGroup.objects.filter(campaign_id=campaign_id, accounts=user).first()
        if group is None:
            raise Http404
        return group.campaign
    current = next((c for c in selectors.campaigns_of(user) if c.pk == campaign_id), None)
    if current is not None:
        return current
    return get_visible_or_404(Campaign.objects.all(), user, pk=campaign_id)


@role_required(*STAFF_ROLES)
def campaign_detail(request, campaign_id: int):
    campaign = _campaign_for(request, campaign_id)
    members = campaign.leading_members.select_related("person", "person__unit")
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "members": members,
            "groups": selectors.groups_for(request.user, campaign),
        },
    )


@role_required(Role.OFFICE_ADMIN, Role.LEADER, Role.SUPERVISOR)
def supervision(request):
    campaign = selectors.campaign_from_request(request)
    if campaign is None:
        raise Http404
    groups = selectors.groups_for(request.user, campaign)
    # The coverage check is the office's and the leaders' view of the whole campaign; a
    # supervisor sees its own group only.
    show_coverage = request.user.role != Role.SUPERVISOR and path_in_scope(request.user, campaign.root_unit.path)
    rows = selectors.coverage(campaign) if show_coverage else None
    return render(
        request,
        "campaigns/supervision.html",
        {"campaign": campaign, "groups": groups, "rows": rows},
    )


@role_required(Role.OFFICE_ADMIN, Role.LEADER, Role.SUPERVISOR)
def group_detail(request, group_id: int):
    campaign = selectors.campaign_from_request(request)
    if campaign is None:
        raise Http404
    groups = selectors.groups_for(request.user, campaign).prefetch_related("members__unit")
    group = groups.filter(pk=group_id).first()
    if group is None:
        raise Http404
    return render(request, "campaigns/group_detail.html", {"campaign": campaign, "group": group})


@require_POST
@role_required(*STAFF_ROLES)
def select_campaign(request):
    """The campaign switch: the campaign (one the reader may read, else 404 and nothing
    kept) that the pages read from now on in this session; back to the page it came from."""
    campaign = selectors.remember_campaign(request, request.POST.get("campaign", ""))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    messages.success(request, _("Now working in %(campaign)s.") % {"campaign": campaign.name})
    return redirect(back)
