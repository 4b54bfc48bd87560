"""Each event makes exactly one notice, to exactly the accounts whose turn it is, and none
to an account whose scope does not hold the record; deadlines are announced by the schedule."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import translation

from concerns import services as concerns
from concerns.models import ConcernEvent
from concerns.signals import concern_moved
from inbox import selectors, services
from inbox.choices import NoticeCode
from inbox.models import Digest, Notice
from ledger import services as ledger
from ledger.models import ActivityKind
from orglife import services as orglife
from orglife.signals import measure_moved
from orglife.tests import factories as F

DAY = datetime.date(2021, 6, 1)


def _who(code: str) -> list[str]:
    return sorted(Notice.objects.filter(code=code).values_list("recipient__username", flat=True))


@pytest.fixture
def concern(new_concern):
    return new_concern()


def _assign(concern, actor, unit):
    return concerns.assign_concern(actor=actor, concern=concern, version=concern.version, handling_unit=unit)


def test_an_assignment_tells_the_handling_units_handlers_once(concern, cg_office, barkor, unit):
    _assign(concern, cg_office, unit("540102001"))
    assert _who(NoticeCode.CONCERN_ASSIGNED) == ["barkor-reporter"]
    # The same event announced again makes no second notice.
    event = ConcernEvent.objects.filter(concern=concern).latest("pk")
    concern_moved.send(sender=ConcernEvent, event=event, concern=concern)
    assert Notice.objects.filter(code=NoticeCode.CONCERN_ASSIGNED).count() == 1


def test_a_return_tells_the_assigners_where_the_concern_arose(concern, cg_office, barkor, unit):
    _assign(concern, cg_office, unit("540102001"))
    concern.refresh_from_db()
    concerns.return_concern(actor=barkor, concern=concern, version=concern.version, reason="不归本单位")
    assert _who(NoticeCode.CONCERN_RETURNED) == ["chengguan-office"]
    notice = Notice.objects.get(code=NoticeCode.CONCERN_RETURNED)
    assert notice.params["reason"] == "不归本单位"


def test_a_sign_off_is_asked_of_the_office_and_its_refusal_told_to_the_handlers(concern, cg_office, barkor, unit):
    _assign(concern, cg_office, unit("540102001"))
    concern.refresh_from_db()
    concerns.start_concern(actor=barkor, concern=concern, version=concern.version)
    concern.refresh_from_db()
    concerns.mark_not_resolvable(actor=barkor, concern=concern, version=concern.version, reason="超出职权")
    assert _who(NoticeCode.CONCERN_SIGN_OFF_ASKED) == ["chengguan-office"]
    concern.refresh_from_db()
    concerns.sign_off_not_resolvable(
        actor=cg_office, concern=concern, version=concern.version, approve=False, note="再想办法"
    )
    assert _who(NoticeCode.CONCERN_SIGN_OFF_REFUSED) == ["barkor-reporter"]
    # Nobody outside the concern's county heard of any of it.
    outside = {"dagze-reporter", "shigatse-office", "supervisor-3", "participant"}
    assert not Notice.objects.filter(recipient__username__in=outside).exists()
    # Nobody is told of their own step.
    assert not Notice.objects.filter(recipient=cg_office, code=NoticeCode.CONCERN_SIGN_OFF_REFUSED).exists()


def test_a_measure_done_goes_to_the_covering_group_and_its_refusal_back_to_the_unit(dz_reporter, supervisor):
    measure = F.measure(F.DAGZE_ORG)
    orglife.mark_measure_done(
        actor=dz_reporter, measure=measure, done_on=DAY.replace(month=11), evidence_note="调研记录"
    )
    assert _who(NoticeCode.MEASURE_DONE) == ["supervisor-3"]
    orglife.refuse_measure(actor=supervisor, measure=measure, reason="证据不足")
    assert _who(NoticeCode.MEASURE_REFUSED) == ["dagze-reporter"]
    # Done again after the refusal: a second pass, its own notice.
    orglife.mark_measure_done(actor=dz_reporter, measure=measure, done_on=DAY.replace(month=11), evidence_note="补充")
    assert _who(NoticeCode.MEASURE_DONE) == ["supervisor-3", "supervisor-3"]
    measure.refresh_from_db()
    measure_moved.send(sender=type(measure), measure=measure, step="done", actor=dz_reporter, reason="")
    assert Notice.objects.filter(code=NoticeCode.MEASURE_DONE).count() == 2
    assert set(Notice.objects.values_list("recipient__username", flat=True)) == {"supervisor-3", "dagze-reporter"}


def test_a_refused_import_tells_only_its_uploader(cg_reporter, unit):
    kind = ActivityKind.objects.order_by("pk").first()
    ledger.open_import(
        actor=cg_reporter, unit=unit("540102"), kind=kind, name="学习.xlsx", language="zh-hans", refused="不是xlsx文件"
    )
    assert _who(NoticeCode.IMPORT_REFUSED) == ["chengguan-reporter"]


def test_deadlines_are_announced_once_by_the_schedule(concern, cg_office, barkor, unit):
    _assign(concern, cg_office, unit("540102001"))
    concern.refresh_from_db()
    Notice.objects.all().delete()
    before = concern.response_due - datetime.timedelta(days=2)
    assert services.send_deadline_notices(before) == 1
    assert services.send_deadline_notices(before) == 0
    assert _who(NoticeCode.CONCERN_DUE) == ["barkor-reporter"]
    after = concern.response_due + datetime.timedelta(days=1)
    services.send_deadline_notices(after)
    services.send_deadline_notices(after)
    assert _who(NoticeCode.CONCERN_OVERDUE) == ["barkor-reporter"]


def test_an_overdue_measure_is_announced_to_the_nearest_writers_above_its_unit(barkor):
    measure = F.measure(F.CHENGGUAN_ORG)  # a party branch in Barkor township
    services.send_deadline_notices(measure.deadline + datetime.timedelta(days=1))
    assert _who(NoticeCode.MEASURE_OVERDUE) == ["barkor-reporter"]


def test_a_notice_reads_in_the_readers_language(concern, cg_office, barkor, unit):
    _assign(concern, cg_office, unit("540102001"))
    notice = Notice.objects.get(code=NoticeCode.CONCERN_ASSIGNED)
    units = selectors.units_of([notice])
    with translation.override("zh-hans"):
        zh = selectors.notice_text(notice, units)
    with translation.override("bo"):
        bo = selectors.notice_text(notice, units)
    with translation.override("en"):
        en = selectors.notice_text(notice, units)
    assert f"#{concern.pk}" in zh and f"#{concern.pk}" in bo
    assert "交办" in zh and "八廓" in zh
    assert "བགོ་འགྲེམས" in bo and "交办" not in bo
    assert "assigned" in en


def test_a_notice_is_emailed_once_where_the_account_has_an_address(
    concern, cg_office, barkor, unit, django_capture_on_commit_callbacks
):
    barkor.email = "barkor@example.org"
    barkor.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        _assign(concern, cg_office, unit("540102001"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["barkor@example.org"]
    assert f"#{concern.pk}" in mail.outbox[0].body
    services.email_notices(list(Notice.objects.values_list("pk", flat=True)))
    assert len(mail.outbox) == 1


def test_the_daily_digest_is_sent_once_a_day(concern, cg_office, barkor, unit, settings):
    settings.XUEJIAO_DIGEST_HOUR = 0
    barkor.email = "barkor@example.org"
    barkor.save(update_fields=["email"])
    _assign(concern, cg_office, unit("540102001"))
    mail.outbox.clear()
    assert services.send_daily_digest() == 1
    assert services.send_daily_digest() == 0
    assert [m.to for m in mail.outbox] == [["barkor@example.org"]]
    assert Digest.objects.get(recipient=barkor).items >= 1


def test_reading_a_notice_marks_it_read_and_opens_its_record(concern, cg_office, barkor, unit, as_user):
    _assign(concern, cg_office, unit("540102001"))
    notice = Notice.objects.get(recipient=barkor)
    response = as_user(barkor).post(f"/inbox/notices/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == f"/concerns/{concern.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    # Somebody else's notice does not exist for them.
    assert as_user(cg_office).post(f"/inbox/notices/{notice.pk}/open/").status_code == 404


def test_every_notice_of_a_whole_workflow_goes_to_an_account_whose_scope_holds_its_record(
    concern, cg_office, barkor, dz_reporter, supervisor, unit
):
    from concerns.models import Concern
    from orglife.models import Measure
    from orgs.scope import path_in_scope

    _assign(concern, cg_office, unit("540102001"))
    concern.refresh_from_db()
    concerns.return_concern(actor=barkor, concern=concern, version=concern.version, reason="不归本单位")
    concern.refresh_from_db()
    _assign(concern, cg_office, unit("540102001"))
    concern.refresh_from_db()
    concerns.start_concern(actor=barkor, concern=concern, version=concern.version)
    concern.refresh_from_db()
    concerns.mark_not_resolvable(actor=barkor, concern=concern, version=concern.version, reason="超出职权")
    concern.refresh_from_db()
    concerns.sign_off_not_resolvable(actor=cg_office, concern=concern, version=concern.version, approve=True)
    measure = F.measure(F.DAGZE_ORG)
    orglife.mark_measure_done(actor=dz_reporter, measure=measure, done_on=DAY.replace(month=11), evidence_note="记录")
    orglife.verify_measure(actor=supervisor, measure=measure, verified_on=DAY.replace(month=11))
    codes = dict(Notice.objects.values_list("code", "recipient__username").order_by())
    assert set(codes) == {
        NoticeCode.CONCERN_ASSIGNED,
        NoticeCode.CONCERN_RETURNED,
        NoticeCode.CONCERN_SIGN_OFF_ASKED,
        NoticeCode.CONCERN_SIGNED_OFF,
        NoticeCode.MEASURE_DONE,
        NoticeCode.MEASURE_VERIFIED,
    }
    # Two assignments, two notices; each other event one.
    assert Notice.objects.count() == 7
    for notice in Notice.objects.select_related("recipient"):
        if "concern" in notice.params:
            record = Concern.objects.get(pk=notice.params["concern"])
            assert concerns.can_reach(notice.recipient, record), notice
        else:
            record = Measure.objects.get(unit_id=notice.params["unit"])
            assert path_in_scope(notice.recipient, record.unit.path), notice
        assert notice.recipient.username not in {"shigatse-office", "participant"}


def test_the_demo_announces_its_latest_steps_once(concern, cg_office, barkor, unit):
    from core.seeding import DemoContext
    from inbox import demo

    _assign(concern, cg_office, unit("540102001"))
    Notice.objects.all().delete()
    ctx = DemoContext(log=lambda *a: None)
    demo.finish(ctx)
    demo.finish(ctx)
    assert _who(NoticeCode.CONCERN_ASSIGNED) == ["barkor-reporter"]
