"""A unit's fields check through its definition: implausible counts, control characters
and over-long names are refused at the page and in the service, nothing written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from orgs import services
from orgs.models import Unit

GOOD = {
    "code": "540102001090",
    "name_zh": "试验社区",
    "name_bo": "ཚོད་ལྟའི་སྡོད་ཁུལ།",
    "kind": "village",
    "party_members": 5,
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("party_members", "²"),
        ("party_members", "①"),
        ("party_members", "1E19"),
        ("party_members", "-1"),
        ("party_members", 1_000_001),
        ("headcount", 10**12),
        ("name_zh", "试验\x1b社区"),
        ("name_zh", "名" * 121),
    ],
)
def test_the_unit_page_refuses_a_bad_value_at_its_field(as_user, cg_office, field, value):
    response = as_user(cg_office).post(reverse("orgs:unit_create", args=["540102001"]), {**GOOD, field: value})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Unit.objects.filter(code=GOOD["code"]).exists()


def test_fullwidth_digits_are_a_number_and_an_empty_headcount_stays_unknown(as_user, cg_office):
    response = as_user(cg_office).post(
        reverse("orgs:unit_create", args=["540102001"]), {**GOOD, "party_members": "１２", "headcount": ""}
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code=GOOD["code"])
    assert (unit.party_members, unit.headcount) == (12, None)


def test_the_service_refuses_a_count_beyond_its_ceiling(cg_office):
    parent = Unit.objects.get(code="540102001")
    with pytest.raises(ValidationError) as caught:
        services.create_unit(actor=cg_office, parent=parent, **{**GOOD, "party_members": 2_000_000})
    assert "party_members" in caught.value.message_dict
    unit = Unit.objects.get(code="540102001")
    with pytest.raises(ValidationError):
        services.update_unit(actor=cg_office, unit=unit, headcount=10**9)
