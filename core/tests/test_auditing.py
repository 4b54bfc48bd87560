"""Audit entries the code writes itself (core.auditing) read as django-auditlog's own."""

from auditlog.cid import set_cid
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.test import RequestFactory

from core.auditing import create_logged
from orgs.models import Unit
from quiz.models import QuizTaker

COMPARED = ("content_type_id", "action", "actor_id", "cid", "serialized_data", "additional_data")


def _entry(taker: QuizTaker) -> LogEntry:
    return LogEntry.objects.get_for_object(taker).get()


def _changes(entry: LogEntry) -> dict:
    """The entry's changes but the row's own id and time of creation."""
    return {field: change for field, change in entry.changes.items() if field not in ("id", "created_at")}


def test_entries_written_together_read_as_auditlogs_own(cg_office):
    unit = Unit.objects.get(code="540102001")
    set_cid(RequestFactory().get("/", HTTP_X_CORRELATION_ID="cid-1"))
    with set_actor(cg_office):
        theirs = QuizTaker.objects.create(name="同名", unit=unit, region_code=unit.region_code)
        ours = [QuizTaker(name="同名", unit=unit, region_code=unit.region_code) for _ in range(2)]
        entries = create_logged(*ours)
    assert all(t.pk for t in ours) and [e.pk for e in entries] == [_entry(t).pk for t in ours]
    expected = _entry(theirs)
    assert expected.actor_id == cg_office.pk and expected.action == LogEntry.Action.CREATE
    assert "code" not in expected.changes  # the registry's exclusions hold in both
    for taker in ours:
        entry = _entry(taker)
        assert {f: getattr(entry, f) for f in COMPARED} == {f: getattr(expected, f) for f in COMPARED}
        assert entry.object_pk == str(taker.pk) and entry.object_id == taker.pk
        assert entry.object_repr == expected.object_repr
        assert _changes(entry) == _changes(expected) and entry.changes["id"] == ["None", str(taker.pk)]
        assert set(entry.changes) == set(expected.changes)
