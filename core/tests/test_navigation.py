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


def test_sections_not_built_are_not_shown(office):
    page = _nav(office)
    for label in ("Learning", "Lectures", "Serving the people", "Organisational life", "Reports"):
        assert f">{label}<" not in page


def test_the_health_endpoint_answers(db):
    assert Client().get(reverse("health")).json() == {"status": "ok", "database": "ok"}
