from django.test import Client
from django.urls import reverse


def _nav(account) -> str:
    client = Client()
    client.force_login(account)
    client.cookies["django_language"] = "en"
    return client.get(reverse("home")).content.decode()


def test_a_reporter_sees_organisation_but_not_supervision(cg_reporter):
    page = _nav(cg_reporter)
    assert "Organisation" in page
    assert ">Supervision<" not in page


def test_the_office_sees_supervision(office):
    assert ">Supervision<" in _nav(office)


def test_a_participant_sees_no_sections(participant):
    page = _nav(participant)
    assert "Organisation" not in page and ">Supervision<" not in page


def test_the_navigation_shows_exactly_the_sections_apps_declare(office):
    from django.apps import apps
    from django.utils import translation

    with translation.override("en"):
        declared = set()
        for config in apps.get_app_configs():
            sections = list(getattr(config, "nav_sections", []))
            if getattr(config, "nav_section", None):
                sections.append(config.nav_section)
            declared |= {str(section[1]) for section in sections}
    page = _nav(office)
    for label in ("Organisation", "Learning", "Lectures", "Serving the people", "Organisational life", "Reports"):
        assert (f">{label}<" in page) == (label in declared), label


def test_the_health_endpoint_answers(db):
    report = Client().get(reverse("health")).json()
    assert report["status"] == "ok" and report["database"] == "ok" and report["worker"] == "ok"


def test_the_health_endpoint_reports_a_stalled_worker(db, settings):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="core.tasks.example",
        backend_name="default",
        run_after=timezone.now() - datetime.timedelta(hours=1),
        queue_name="default",
    )
    DBTaskResult.objects.update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=settings.XUEJIAO_WORKER_MAX_LAG + 60)
    )
    response = Client().get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["worker"] == "stalled"


def test_the_city_office_sees_background_jobs_and_a_county_office_does_not(office, cg_office):
    city, county = Client(), Client()
    city.force_login(office)
    county.force_login(cg_office)
    assert city.get(reverse("jobs")).status_code == 200
    assert county.get(reverse("jobs")).status_code == 403


def test_pages_carry_a_strict_content_security_policy(cg_reporter):
    client = Client()
    client.force_login(cg_reporter)
    response = client.get(reverse("orgs:unit_detail", args=["540102"]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "default-src 'self'" in policy


def test_no_page_has_inline_script_or_a_cdn(cg_reporter):
    import re

    client = Client()
    client.force_login(cg_reporter)
    page = client.get(reverse("home")).content.decode()
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag, tag
    assert "http://" not in page.replace("http://127.0.0.1", "") and "https://" not in page
