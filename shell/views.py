from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.selectors import campaign_from_request
from core import jobs as background_jobs
from core import replicas
from core.panels import declared_panels
from orgs.access import role_required
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import scope_paths


@login_required
def home(request):
    """Where every account lands: the work waiting for it, its unit, role, scope and campaign."""
    user = request.user
    paths = scope_paths(user)
    roots = Unit.objects.filter(path__in=paths) if paths else Unit.objects.none()
    if paths is None:
        roots = Unit.objects.get_root_nodes()
    return render(
        request,
        "shell/home.html",
        {
            "scope_roots": roots,
            "campaign": campaign_from_request(request),
            # What waits for the account leads (``home_lead_panel``), the apps' panels follow.
            "lead_panels": declared_panels("home_lead_panel", request),
            "panels": declared_panels("home_panel", request),
        },
    )


def health(request):
    """For the proxy and the monitor: the database answers, the background worker is
    taking work off the queue (no task has waited longer than the allowed lag), and no job
    has stopped while marked as running (``stale_jobs``). 503 when any is not so. Where a
    replica is configured, whether it is read (``replica``: ok, lagging or down, and its lag)."""
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
    report.update(background_jobs.health())
    if replicas.configured():
        # A lagging or absent replica is reported, not failed: the pages read the primary.
        seen = replicas.state(fresh=True)
        report["replica"] = seen.name
        report["replica_lag_seconds"] = seen.lag_seconds
    if report["worker"] != "ok" or report["stale_jobs"]:
        report["status"] = "degraded"
        return JsonResponse(report, status=503)
    return JsonResponse(report)


@role_required(Role.OFFICE_ADMIN)
def jobs(request):
    """Background jobs and their outcome, for the office at the top of the tree."""
    if not (request.user.is_superuser or (request.user.unit and request.user.unit.depth == 1)):
        raise PermissionDenied
    results = DBTaskResult.objects.order_by("-enqueued_at")[:100]
    return render(
        request,
        "shell/jobs.html",
        {
            "results": results,
            "stopped": list(background_jobs.stale_jobs())[:100],
            "stale_before": background_jobs.stale_before(),
        },
    )


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check: a page of the platform, in the reader's language, with
    the navigation (Django's own page is bare English)."""
    return render(request, "403_csrf.html", status=403)
