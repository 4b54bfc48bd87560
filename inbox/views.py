"""The work inbox ("我的待办"), its count in the header and the notices. Views are thin: they
read through ``inbox.selectors`` and write through ``inbox.services``."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from inbox import selectors, services
from inbox.models import Notice
from orgs.access import STAFF_ROLES, role_required

# Items on the home page's panel (the inbox page shows them all).
HOME_ITEMS = 8


def home_panel(request):
    """The work waiting, first on the home page of every account that has any."""
    user = request.user
    if not selectors.has_inbox(user):
        return None
    counts = selectors.counts(user)
    unread = selectors.notices_for(user, unread_only=True, limit=5)
    if not counts.total and not unread:
        return None
    return {"counts": counts, "items": selectors.items(user)[:HOME_ITEMS], "unread": unread}


@role_required(*STAFF_ROLES)
def index(request):
    user = request.user
    counts = selectors.counts(user)
    codes = {source.code for source, _n in counts.by_source}
    only = request.GET.get("kind", "")
    if only not in codes:
        only = ""
    return render(
        request,
        "inbox/index.html",
        {
            "counts": counts,
            "only": only,
            "items": selectors.items(user, only=only),
            "unread": selectors.notices_for(user, unread_only=True, limit=10),
            "per_source": selectors.PER_SOURCE,
        },
    )


@role_required(*STAFF_ROLES)
def count(request):
    """The header's badge: work waiting and unread notices (fetched after the page loads)."""
    user = request.user
    if selectors.counted(user) is None:
        selectors.counts(user)
    total, unread = selectors.counted(user) or (0, 0)
    return render(request, "inbox/_count.html", {"total": total, "unread": unread})


@role_required(*STAFF_ROLES)
def notices(request):
    return render(request, "inbox/notices.html", {"rows": selectors.notices_for(request.user, limit=100)})


@require_POST
@role_required(*STAFF_ROLES)
def notice_open(request, notice_id: int):
    """Mark the notice read and go to what it is about."""
    notice = Notice.objects.filter(pk=notice_id, recipient=request.user).first()
    if notice is None:
        raise Http404
    services.mark_read(actor=request.user, notice=notice)
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("inbox:notices")


@require_POST
@role_required(*STAFF_ROLES)
def mark_all_read(request):
    services.mark_all_read(actor=request.user)
    return redirect("inbox:notices")
