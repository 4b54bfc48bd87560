"""The unit a page or an API call is about: ``?unit=<code>`` inside the reader's scope, else
the reader's home unit; outside scope is 404, as a code that does not exist."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from orgs.selectors import home_unit, unit_from_request, unit_in_scope


def _request(account, **query):
    request = RequestFactory().get("/", query)
    request.user = account
    return request


def test_without_a_code_the_page_is_about_the_readers_home_unit(cg_office, supervisor):
    assert unit_from_request(_request(cg_office)).code == "540102"
    assert unit_from_request(_request(supervisor)) == home_unit(supervisor)


def test_a_code_inside_scope_is_that_unit(cg_office):
    assert unit_from_request(_request(cg_office, unit=" 540102001 ")).code == "540102001"


@pytest.mark.parametrize("code", ["540104", "540200", "no-such-unit"])
def test_a_code_outside_scope_is_404_like_one_that_does_not_exist(cg_office, code):
    with pytest.raises(Http404):
        unit_from_request(_request(cg_office, unit=code))


def test_a_unit_may_be_required_to_lie_under_another(office, unit):
    assert unit_in_scope(office, "540102001", within=unit("540102")).code == "540102001"
    with pytest.raises(Http404):
        unit_in_scope(office, "540104", within=unit("540102"))


def test_an_optional_unit_is_none_without_a_code_and_a_reader_without_scope_gets_404(office, participant):
    assert unit_in_scope(office, "", default=None) is None
    with pytest.raises(Http404):
        unit_from_request(_request(participant))


def test_a_forms_unit_outside_scope_is_refused_at_its_field_like_one_that_does_not_exist(cg_office):
    from django.core.exceptions import ValidationError

    from orgs.selectors import unit_for_field

    assert unit_for_field(cg_office, " 540102001 ", "unit").code == "540102001"
    for code in ("540104", "nothing"):
        with pytest.raises(ValidationError) as refused:
            unit_for_field(cg_office, code, "target")
        assert list(refused.value.message_dict) == ["target"]
