"""The audit log's request context (core.middleware.AuditContextMiddleware): entries carry the
request's account and address, and serving a request leaves Django's signal receivers as
they were."""

from auditlog.models import LogEntry
from django.db.models.signals import pre_save
from django.test import override_settings
from django.urls import reverse

from orgs.models import Unit

NEW_UNIT = {"code": "540102001091", "name_zh": "审计社区", "name_bo": "ཞིབ་བཤེར།", "kind": "village", "party_members": 3}


def _create_unit(client, **extra):
    response = client.post(reverse("orgs:unit_create", args=["540102001"]), NEW_UNIT, **extra)
    assert response.status_code == 302
    return LogEntry.objects.get_for_object(Unit.objects.get(code=NEW_UNIT["code"])).get()


def test_an_entry_written_in_a_request_carries_its_account_and_address(as_user, cg_office):
    entry = _create_unit(as_user(cg_office), REMOTE_ADDR="198.51.100.4")
    assert entry.actor == cg_office
    assert entry.remote_addr == "198.51.100.4"


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_the_entry_carries_the_address_the_proxy_saw(as_user, cg_office):
    entry = _create_unit(as_user(cg_office), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.8")
    assert entry.remote_addr == "203.0.113.8"  # the hop the proxy appended, not the one sent


def test_outside_a_request_an_entry_names_nobody(cg_office):
    unit = Unit.objects.get(code="540102001")
    unit.party_members += 1
    unit.save()
    entry = LogEntry.objects.get_for_object(unit).latest("pk")
    assert entry.actor is None and entry.remote_addr is None


def test_serving_a_request_leaves_the_receiver_cache_filled(as_user, cg_office):
    """auditlog's own middleware connected and disconnected a receiver per request, which
    empties the cache of every model's receivers."""
    client = as_user(cg_office)
    client.get(reverse("orgs:unit_detail", args=["540102001"]))
    Unit.objects.get(code="540102001").save()  # fills the cache for Unit
    receivers_before = list(pre_save.receivers)
    assert Unit in pre_save.sender_receivers_cache
    _create_unit(client)
    assert Unit in pre_save.sender_receivers_cache
    assert list(pre_save.receivers) == receivers_before
