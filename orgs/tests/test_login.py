from django.test import Client
from django.urls import reverse

from core.seeding import DEMO_PASSWORD


def test_an_account_logs_in_with_its_password(cg_reporter):
    client = Client()
    response = client.post(reverse("login"), {"username": "chengguan-reporter", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_login_is_locked_after_repeated_failures(cg_reporter, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "chengguan-reporter", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "chengguan-reporter", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower() or "锁" in response.content.decode()


def test_passwords_are_hashed_with_argon2(cg_reporter):
    assert cg_reporter.password.startswith("argon2$")


def test_an_office_admin_unlocks_a_locked_account(cg_office, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "barkor-reporter", "password": "wrong-password"})
    office = Client()
    office.force_login(cg_office)
    page = office.get(reverse("orgs:account_list")).content.decode()
    assert 'data-testid="locked"' in page
    from orgs.models import Account

    barkor = Account.objects.get(username="barkor-reporter")
    assert office.post(reverse("orgs:account_unlock", args=[barkor.pk])).status_code == 302
    response = client.post(reverse("login"), {"username": "barkor-reporter", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_an_office_admin_cannot_unlock_an_account_outside_its_scope(cg_office):
    from orgs.models import Account

    office = Client()
    office.force_login(cg_office)
    dagze = Account.objects.get(username="dagze-reporter")
    assert office.post(reverse("orgs:account_unlock", args=[dagze.pk])).status_code == 404
