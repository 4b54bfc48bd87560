from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from campaigns.selectors import current_campaign
from orgs.models import Unit
from orgs.scope import scope_paths


@login_required
def home(request):
    """Where every account lands: its unit, role, scope and campaign."""
    user = request.user
    paths = scope_paths(user)
    roots = Unit.objects.filter(path__in=paths) if paths else Unit.objects.none()
    if paths is None:
        roots = Unit.objects.get_root_nodes()
    return render(
        request,
        "core/home.html",
        {"scope_roots": roots, "campaign": current_campaign(user)},
    )


def health(request):
    """Liveness for the proxy and the monitor: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok", "database": "ok"})
