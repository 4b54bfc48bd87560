"""Open311 GeoReport v2 over the concerns: with Django's test client, and with an Open311
client library from PyPI (``georeport``) against a live server."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from concerns.models import Concern, ConcernCategory
from orgs.models import Account

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")
ROOT = "/open311/v2"


def _category():
    return ConcernCategory.objects.order_by("pk").first()


def _post(client, key, **fields):
    data = {"service_code": str(_category().pk), "description": "路灯不亮", "first_name": "次仁", **fields}
    if key:
        data["api_key"] = key
    return client.post(f"{ROOT}/requests.json", data)


def test_services_are_the_concern_categories(db):
    r = Client().get(f"{ROOT}/services.json")
    assert r.status_code == 200
    codes = {s["service_code"] for s in r.json()}
    assert codes == {str(pk) for pk in ConcernCategory.objects.values_list("pk", flat=True)}
    xml = Client().get(f"{ROOT}/services.xml")
    assert xml["Content-Type"].startswith("text/xml")
    assert len(ET.fromstring(xml.content).findall("service")) == len(codes)


def test_a_service_definition_offers_the_unit_code_attribute(db):
    r = Client().get(f"{ROOT}/services/{_category().pk}.json")
    assert r.status_code == 200
    assert [a["code"] for a in r.json()["attributes"]] == ["unit_code", "source"]
    assert Client().get(f"{ROOT}/services/999999.json").status_code == 404


def test_a_posted_request_becomes_a_collected_concern_at_the_given_unit(token_for, cg_reporter):
    key = token_for(cg_reporter)
    r = _post(
        Client(), key, **{"attribute[unit_code]": "540102001001", "phone": "139", "lat": "29.65", "long": "91.13"}
    )
    assert r.status_code == 201, r.content
    (answer,) = r.json()
    concern = Concern.objects.get(pk=int(answer["service_request_id"]))
    assert (concern.unit.code, concern.state, concern.source, concern.raised_by) == (
        "540102001001",
        "collected",
        "hotline",
        "次仁",
    )
    assert "29.65, 91.13" in concern.description
    assert concern.recorded_by == cg_reporter


def test_without_a_unit_code_the_request_is_collected_at_the_keys_unit(token_for, cg_reporter):
    r = _post(Client(), token_for(cg_reporter))
    concern = Concern.objects.get(pk=int(r.json()[0]["service_request_id"]))
    assert concern.unit == cg_reporter.unit


def test_requests_need_an_api_key(token_for, cg_reporter):
    assert _post(Client(), None).status_code == 403
    assert _post(Client(), "xj_nope_nope").status_code == 403
    assert Client().get(f"{ROOT}/requests.json").status_code == 403
    assert not Concern.objects.exists()


def test_a_unit_outside_the_keys_scope_is_refused(token_for, cg_reporter):
    r = _post(Client(), token_for(cg_reporter), address_id="540104")
    assert r.status_code == 400
    assert r.json()[0]["code"] == 400


def test_a_request_without_description_is_refused_with_the_field(token_for, cg_reporter):
    r = _post(Client(), token_for(cg_reporter), description="")
    assert r.status_code == 400
    assert "description" in r.json()[0]["description"]


def test_status_notes_and_agency_come_from_the_handling_chain(token_for, cg_reporter, cg_office):
    from concerns import services
    from orgs.models import Unit

    key = token_for(cg_reporter)
    cid = int(_post(Client(), key, address_id="540102001001").json()[0]["service_request_id"])
    concern = Concern.objects.get(pk=cid)
    services.assign_concern(
        actor=cg_office,
        concern=concern,
        version=1,
        handling_unit=Unit.objects.get(code="540102001"),
        note="请八廓街道办理",
    )
    r = Client().get(f"{ROOT}/requests/{cid}.json", {"api_key": key})
    (req,) = r.json()
    assert (req["status"], req["status_notes"]) == ("open", "请八廓街道办理")
    assert req["agency_responsible"] == Unit.objects.get(code="540102001").name
    xml = Client().get(f"{ROOT}/requests/{cid}.xml", {"api_key": key})
    assert ET.fromstring(xml.content).find("request/status").text == "open"


def test_requests_are_searched_within_the_keys_scope(token_for, cg_reporter, dz_reporter):
    mine = int(_post(Client(), token_for(cg_reporter)).json()[0]["service_request_id"])
    theirs = int(_post(Client(), token_for(dz_reporter)).json()[0]["service_request_id"])
    key = token_for(cg_reporter)
    ids = {int(r["service_request_id"]) for r in Client().get(f"{ROOT}/requests.json", {"api_key": key}).json()}
    assert mine in ids and theirs not in ids
    assert Client().get(f"{ROOT}/requests/{theirs}.json", {"api_key": key}).status_code == 404
    assert Client().get(f"{ROOT}/tokens/{theirs}.json", {"api_key": key}).status_code == 404
    token = Client().get(f"{ROOT}/tokens/{mine}.json", {"api_key": key}).json()
    assert token == [{"service_request_id": str(mine), "token": str(mine)}]
    closed = Client().get(f"{ROOT}/requests.json", {"api_key": key, "status": "closed"}).json()
    assert closed == []
    assert Client().get(f"{ROOT}/requests.json", {"api_key": key, "status": "maybe"}).status_code == 400


def test_a_participant_key_may_not_post_requests(token_for, participant):
    assert _post(Client(), token_for(participant)).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_an_open311_client_library_reads_services_and_the_posted_request(live_server, world, monkeypatch):
    """``georeport`` (PyPI) is a GeoReport v2 client; it reads services, definitions and
    requests but cannot post and sends no api_key on reads. The request is posted as the
    spec says (form fields with api_key) with ``requests``, the HTTP library georeport
    itself uses, and georeport's reads carry the key in the X-Api-Key header."""
    import functools

    import georeport
    import requests

    from orgs.tokens import create_token

    account = Account.objects.get(username="chengguan-reporter")
    _row, key = create_token(actor=account, name="hotline")
    root = f"{live_server.url}{ROOT}"
    client = georeport.GeoReport(root, api_key=key)

    services = client.get_service_list()
    code = services[0]["service_code"]
    assert {s["service_code"] for s in services} == {str(c.pk) for c in ConcernCategory.objects.all()}
    definition = client.get_service_definition(code)
    assert definition["service_code"] == code

    posted = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": client.api_key,
            "service_code": code,
            "description": "小区停车位不足",
            "first_name": "卓玛",
            "address_id": "540102001001",
        },
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    request_id = posted.json()[0]["service_request_id"]

    monkeypatch.setattr(
        georeport.georeport.requests, "get", functools.partial(requests.get, headers={"X-Api-Key": key}, timeout=10)
    )
    got = client.get_service_request(request_id)
    assert (got["service_request_id"], got["status"], got["service_code"]) == (request_id, "open", code)
    assert got["address_id"] == "540102001001"
    listed = client.get_service_requests(service_code=code, status="open")
    assert request_id in {r["service_request_id"] for r in listed}

    xml_client = georeport.GeoReport(root, api_key=key, output_format="xml")
    assert xml_client.get_service_request(request_id)["service_request_id"] == request_id
    assert len(xml_client.get_service_list()) == len(services)
