"""Audit entries the code writes itself (core.auditing) read as django-auditlog's own."""

import copy

from auditlog.cid import set_cid
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Q
from django.test import RequestFactory

from core.auditing import save_changed
from orgs.models import Unit
from quiz.models import QuizTaker

COMPARED = ("content_type_id", "action", "actor_id", "cid", "serialized_data", "additional_data", "object_repr")


def _updates(taker: QuizTaker) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(taker).filter(action=LogEntry.Action.UPDATE))


def _takers(n: int) -> list[QuizTaker]:
    unit = Unit.objects.get(code="540102001")
    return [QuizTaker.objects.create(name="同名", unit=unit, region_code=unit.region_code) for _ in range(n)]


def test_an_update_recorded_by_save_changed_reads_as_auditlogs_own(cg_office):
    theirs, ours = _takers(2)
    before = copy.copy(ours)
    set_cid(RequestFactory().get("/", HTTP_X_CORRELATION_ID="cid-1"))
    with set_actor(cg_office), transaction.atomic():
        theirs.name = ours.name = "改名"
        theirs.save(update_fields=["name"])
        assert save_changed(ours, before=before, update_fields=["name"]) is True
    [expected], [entry] = _updates(theirs), _updates(ours)
    assert expected.actor_id == cg_office.pk and expected.cid == "cid-1"
    assert {f: getattr(entry, f) for f in COMPARED} == {f: getattr(expected, f) for f in COMPARED}
    assert entry.object_pk == str(ours.pk) and entry.object_id == ours.pk
    assert entry.changes == expected.changes == {"name": ["同名", "改名"]}
    ours.refresh_from_db()
    assert ours.name == "改名"


def test_an_unchanged_row_is_saved_without_an_entry(cg_office):
    [taker] = _takers(1)
    with set_actor(cg_office), transaction.atomic():
        assert save_changed(taker, before=copy.copy(taker), update_fields=["name"]) is True
    assert _updates(taker) == []


def test_a_row_that_no_longer_matches_the_condition_is_neither_written_nor_recorded(cg_office):
    [taker] = _takers(1)
    before = copy.copy(taker)
    taker.name = "改名"
    with set_actor(cg_office), transaction.atomic():
        assert save_changed(taker, before=before, update_fields=["name"], where=Q(name="别人")) is False
        assert save_changed(taker, before=before, update_fields=["name"], where=Q(name="同名")) is True
    taker.refresh_from_db()
    assert taker.name == "改名"
    assert [e.changes for e in _updates(taker)] == [{"name": ["同名", "改名"]}]


def test_the_write_sends_the_models_own_save_signal(cg_office):
    from django.db.models.signals import post_save

    [taker] = _takers(1)
    before = copy.copy(taker)
    taker.name = "改名"
    heard = []

    def receiver(sender, instance, update_fields, **kwargs):
        heard.append((instance.pk, set(update_fields)))

    post_save.connect(receiver, sender=QuizTaker, weak=False)
    try:
        with transaction.atomic():
            save_changed(taker, before=before, update_fields=["name"], where=Q(name="同名"))
    finally:
        post_save.disconnect(receiver, sender=QuizTaker)
    assert heard == [(taker.pk, {"name"})]
