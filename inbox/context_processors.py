"""The inbox's link in every page's header. It reads nothing from the database: the count
is the one last counted (kept in the cache), or else fetched by the page after it has loaded
(``inbox:count``), so no page pays for it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inbox.selectors import counted, has_inbox


def inbox_link(request):
    user = getattr(request, "user", None)
    if user is None or not has_inbox(user):
        return {}
    return {
        "inbox_link": {
            "url": reverse("inbox:index"),
            "count_url": reverse("inbox:count"),
            "label": _("My work"),
            "counted": counted(user),
        }
    }
