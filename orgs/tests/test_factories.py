"""The factories the tests build their rows with put units where the services would."""

from orgs.choices import UnitKind
from orgs.models import Unit
from orgs.tests.factories import AccountFactory, UnitFactory


def test_a_unit_made_by_the_factory_sits_under_its_parent_in_its_parents_region(unit):
    village = unit("540104001001")
    branch = UnitFactory(parent=village, kind=UnitKind.PARTY_BRANCH)
    assert Unit.objects.get_parent(Unit.objects.get(pk=branch.pk)) == village
    assert branch.region_code == "540100" and branch in village.subtree()


def test_a_unit_made_without_a_parent_is_a_region_of_its_own(db):
    city = UnitFactory(code="549900", kind=UnitKind.CITY)
    assert city.depth == 1 and city.region_code == "549900"


def test_an_account_made_by_the_factory_signs_in_with_the_shared_password(client, unit):
    from django.urls import reverse

    from core.seeding import DEMO_PASSWORD

    account = AccountFactory(unit=unit("540102001"))
    response = client.post(reverse("login"), {"username": account.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
