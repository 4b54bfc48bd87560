from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from campaigns.selectors import current_campaign
from orgs.access import role_required
from orgs.choices import Role
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
        {"scope_roots": roots, "campaign": current_campaign(user), "panels": _home_panels(request)},
    )


def _home_panels(request) -> list[str]:
    """Panels that apps put on the home page. An app declares
    ``home_panel = (template name, "module.function")`` on its AppConfig; the function
    takes the request and returns the panel's context, or None to show nothing."""
    panels: list[str] = []
    for config in apps.get_app_configs():
        declared = getattr(config, "home_panel", None)
        if declared:
            template, provider = declared
            context = import_string(provider)(request)
            if context is not None:
                panels.append(render_to_string(template, context, request))
    return panels


def health(request):
    """For the proxy and the monitor: the database answers, and the background worker is
    taking work off the queue (no task has waited longer than the allowed lag). 503 when
    either is not so."""
    report: dict = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        report["database"] = "ok"
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    waiting = DBTaskResult.objects.ready().order_by("enqueued_at")
    oldest = waiting.values_list("enqueued_at", flat=True).first()
    lag = (timezone.now() - oldest).total_seconds() if oldest else 0
    report["queued"] = waiting.count()
    report["oldest_queued_seconds"] = round(lag)
    report["worker"] = "ok" if lag <= settings.XUEJIAO_WORKER_MAX_LAG else "stalled"
    if report["worker"] != "ok":
        report["status"] = "degraded"
        return JsonResponse(report, status=503)
    return JsonResponse(report)


@role_required(Role.OFFICE_ADMIN)
def jobs(request):
    """Background jobs and their outcome, for the office at the top of the tree."""
    if not (request.user.is_superuser or (request.user.unit and request.user.unit.depth == 1)):
        raise PermissionDenied
    results = DBTaskResult.objects.order_by("-enqueued_at")[:100]
    return render(request, "core/jobs.html", {"results": results})
