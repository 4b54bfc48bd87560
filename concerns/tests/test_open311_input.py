"""Open311 answers malformed input with GeoReport's error list, in the format asked, never
a server error; its XML stays well formed whatever an old row holds."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from concerns.models import Concern, ConcernCategory
from concerns.services import record_concern
from orgs.models import Unit

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")
ROOT = "/open311/v2"
ODD = ["%C2%B2", "%E2%91%A0", "-1", "1E19", "99999999999999999999999", "%00"]


def _errors(response, fmt):
    if fmt == "json":
        return response.json()
    return [
        {"code": int(e.findtext("code")), "description": e.findtext("description")}
        for e in ET.fromstring(response.content)
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("odd", ODD)
def test_an_odd_number_in_any_path_is_a_georeport_404(token_for, cg_reporter, fmt, odd):
    key = token_for(cg_reporter)
    for path in (f"services/{odd}.{fmt}", f"requests/{odd}.{fmt}?api_key={key}", f"tokens/{odd}.{fmt}?api_key={key}"):
        r = Client().get(f"{ROOT}/{path}")
        assert r.status_code == 404, (path, r.status_code)
        assert _errors(r, fmt)[0]["code"] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "query",
    [
        "service_request_id=%C2%B2",
        "service_code=%E2%91%A0",
        "start_date=2021-13-01T00:00:00Z",
        "end_date=2021-06-31T00:00:00Z",
        "start_date=2021-06-01T25:00:00Z",
    ],
)
def test_an_odd_search_is_a_georeport_400(token_for, cg_reporter, fmt, query):
    r = Client().get(f"{ROOT}/requests.{fmt}?api_key={token_for(cg_reporter)}&{query}")
    assert r.status_code == 400
    assert _errors(r, fmt)[0]["code"] == 400


@pytest.mark.parametrize("text", ["路灯\x0b不亮", "路灯\x1b[31m不亮", "x" * 4001])
def test_a_request_with_control_characters_or_too_long_is_refused(token_for, cg_reporter, text):
    category = ConcernCategory.objects.order_by("pk").first()
    r = Client().post(
        f"{ROOT}/requests.xml",
        {"service_code": str(category.pk), "description": text, "api_key": token_for(cg_reporter)},
    )
    assert r.status_code == 400
    assert _errors(r, "xml")[0]["code"] == 400
    assert not Concern.objects.exists()


def test_the_form_refuses_control_characters_in_a_description(as_user, cg_reporter):
    from django.urls import reverse

    category = ConcernCategory.objects.order_by("pk").first()
    body = as_user(cg_reporter).post(
        reverse("concerns:concern_create"),
        {
            "unit": "540102001",
            "category": category.pk,
            "source": "hotline",
            "description": "路灯\x0b不亮",
            "raised_by": "次仁",
            "collected_on": "2021-07-01",
        },
    )
    assert body.status_code == 200 and not Concern.objects.exists()


def test_xml_stays_well_formed_when_an_old_row_holds_control_characters(token_for, office):
    concern = record_concern(
        actor=office,
        unit=Unit.objects.get(code="540102001"),
        category=ConcernCategory.objects.order_by("pk").first(),
        source="hotline",
        description="路灯不亮",
        raised_by="次仁",
        collected_on=datetime.date(2021, 7, 1),
    )
    Concern.objects.filter(pk=concern.pk).update(description="路灯\x0b不\x1b亮")  # as written before the check
    r = Client().get(f"{ROOT}/requests.xml?api_key={token_for(office)}")
    assert r.status_code == 200
    (request,) = ET.fromstring(r.content).findall("request")
    assert request.findtext("description") == "路灯不亮"
