"""The work inbox: what waits for each account, from each app's selectors, in its scope."""

from __future__ import annotations

import datetime

from django.urls import reverse

from concerns import selectors as concern_selectors
from concerns import services as concerns
from concerns.models import Concern
from inbox import selectors
from ledger import services as ledger
from ledger.models import ActivityKind
from orglife import services as orglife
from orglife.tests import factories as F


def _codes(user) -> dict[str, int]:
    return {source.code: n for source, n in selectors.counts(user).by_source if n}


def test_the_concerns_waiting_are_exactly_those_whose_awaited_step_the_rules_allow(
    new_concern, cg_office, cg_reporter, barkor, office, supervisor, unit
):
    first, second = new_concern(), new_concern()
    concerns.assign_concern(actor=cg_office, concern=second, version=second.version, handling_unit=unit("540102001"))
    for account in (cg_office, cg_reporter, barkor, office, supervisor):
        waiting = set(concern_selectors.waiting_for(account).values_list("pk", flat=True))
        for concern in Concern.objects.visible_to(account).select_related("unit", "handling_unit"):
            awaited = concerns.WAITING_FOR.get(concern.state)
            allowed = awaited in concerns.allowed_actions(account, concern)
            assert (concern.pk in waiting) == allowed, (account.username, concern.pk, concern.state)
    assert first.pk in set(concern_selectors.waiting_for(cg_office).values_list("pk", flat=True))
    assert second.pk in set(concern_selectors.waiting_for(barkor).values_list("pk", flat=True))
    assert not concern_selectors.waiting_for(supervisor).filter(pk__in=[first.pk, second.pk]).exists()


def test_a_reporter_sees_the_concern_assigned_to_the_unit_overdue_first(new_concern, cg_office, barkor, unit, as_user):
    old = new_concern(collected_on=datetime.date(2021, 6, 1))
    recent = new_concern(collected_on=datetime.date.today())
    for concern in (recent, old):
        concerns.assign_concern(
            actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001")
        )
    items = [i for i in selectors.items(barkor) if i.kind]
    urls = [i.url for i in items]
    assert urls.index(f"/concerns/{old.pk}/") < urls.index(f"/concerns/{recent.pk}/")
    assert items[0].overdue
    body = as_user(barkor).get(reverse("inbox:index")).content.decode()
    assert f'href="/concerns/{old.pk}/"' in body and 'data-testid="item-overdue"' in body


def test_a_supervisor_sees_the_measures_waiting_for_verification_and_nothing_outside(dz_reporter, supervisor, as_user):
    inside, outside = F.measure(F.DAGZE_ORG), F.measure(F.CHENGGUAN_ORG)
    for measure, actor in ((inside, dz_reporter),):
        orglife.mark_measure_done(
            actor=actor, measure=measure, done_on=datetime.date(2021, 11, 1), evidence_note="调研记录"
        )
    outside.status = "done"
    outside.save(update_fields=["status"])
    assert list(selectors.items(supervisor, only="verify")) and all(
        i.url.endswith(f"#measure-{inside.pk}") for i in selectors.items(supervisor, only="verify")
    )
    body = as_user(supervisor).get(reverse("inbox:index") + "?kind=verify").content.decode()
    assert f"#measure-{inside.pk}" in body and f"#measure-{outside.pk}" not in body


def test_findings_without_measures_and_refused_imports_wait_for_the_nearest_writers(barkor, cg_reporter, unit):
    finding = F.finding(F.CHENGGUAN_ORG)  # a party branch in Barkor township
    page = reverse("orglife:finding_detail", args=[finding.pk])
    kind = ActivityKind.objects.order_by("pk").first()
    job = ledger.open_import(
        actor=cg_reporter, unit=unit("540102"), kind=kind, name="学习.xlsx", language="zh-hans", refused="坏文件"
    )
    assert page in {i.url for i in selectors.items(barkor)}
    # The county's reporter finds it in the lists, not in the inbox: Barkor has its own.
    assert page not in {i.url for i in selectors.items(cg_reporter)}
    assert reverse("ledger:import_status", args=[job.pk]) in {i.url for i in selectors.items(cg_reporter)}
    measure = orglife.add_measure(
        actor=barkor, finding=finding, text="整改", owner="扎西", deadline=datetime.date(2021, 12, 1)
    )
    assert page not in {i.url for i in selectors.items(barkor, only="findings")}
    assert f"{page}#measure-{measure.pk}" in {i.url for i in selectors.items(barkor, only="measures")}


def test_a_participant_has_no_inbox(participant, as_user):
    assert as_user(participant).get(reverse("inbox:index")).status_code == 403
    assert selectors.counts(participant).total == 0


def test_the_header_shows_the_count_last_counted_or_fetches_it_after_the_page(new_concern, cg_office, as_user):
    from django.core.cache import cache

    new_concern()
    cache.clear()
    client = as_user(cg_office)
    page = client.get(reverse("concerns:index")).content.decode()
    assert 'data-testid="inbox-link"' in page and f'hx-get="{reverse("inbox:count")}"' in page
    badge = client.get(reverse("inbox:count")).content.decode()
    assert 'data-testid="inbox-count"' in badge
    # Counted once, the next pages show it without asking again.
    page = client.get(reverse("concerns:index")).content.decode()
    assert 'data-testid="inbox-count"' in page and f'hx-get="{reverse("inbox:count")}"' not in page


def test_the_home_page_leads_with_the_work_waiting(new_concern, cg_office, as_user):
    concern = new_concern()
    body = as_user(cg_office).get(reverse("home")).content.decode()
    assert 'data-testid="inbox-panel"' in body and f"/concerns/{concern.pk}/" in body
    assert body.index('data-testid="inbox-panel"') < body.index("<article")


def test_the_concern_page_says_whose_turn_it_is(new_concern, cg_office, as_user):
    concern = new_concern()
    body = as_user(cg_office).get(reverse("concerns:concern_detail", args=[concern.pk])).content.decode()
    assert 'data-testid="workflow"' in body and 'data-testid="next-steps"' in body
    assert 'data-testid="deadline"' in body and concern.response_due.isoformat() in body


def test_the_measure_shows_its_timeline_and_who_verifies_it(dz_reporter, supervisor, as_user):
    measure = F.measure(F.DAGZE_ORG)
    client = as_user(dz_reporter)
    client.post(
        reverse("orglife:measure_done", args=[measure.pk]),
        {"done_on": "2021-11-01", "evidence_note": "调研记录"},
    )
    body = as_user(supervisor).get(reverse("orglife:finding_detail", args=[measure.finding_id])).content.decode()
    timeline = body.split('data-testid="workflow-timeline"', 1)[1].split("</ol>", 1)[0]
    assert str(dz_reporter) in timeline
    assert f'id="measure-{measure.pk}"' in body


def test_a_concern_waits_for_the_nearest_accounts_of_the_step_it_waits_for(
    new_concern, cg_office, office, barkor, unit
):
    concern = new_concern()
    at = f"/concerns/{concern.pk}/"
    assert at in {i.url for i in selectors.items(cg_office)}
    # The city office may assign it too (the rules), but Chengguan's office is nearer.
    assert concern.pk in set(concern_selectors.waiting_for(office).values_list("pk", flat=True))
    assert at not in {i.url for i in selectors.items(office)}
    concerns.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    assert at not in {i.url for i in selectors.items(cg_office)}
    assert at in {i.url for i in selectors.items(barkor)}


def test_meetings_due_under_a_notice_wait_for_the_writers_until_held(cg_reporter, office, unit):
    from django.utils import timezone

    from campaigns.models import Campaign
    from orglife.models import MeetingNotice
    from orgs.choices import UnitKind

    today = timezone.localdate()
    notice = MeetingNotice.objects.create(
        campaign=Campaign.objects.get(root_unit__code="540100"),
        root_unit=unit("540102"),
        theme_zh="专题组织生活会",
        theme_bo="ཆེད་དོན་ཚོགས་འདུ།",
        window_from=today,
        window_to=today + datetime.timedelta(days=10),
        expected_kinds=[UnitKind.PARTY_BRANCH],
        issued_on=today,
    )
    items = selectors.items(cg_reporter, only="meetings")
    assert [i.deadline for i in items] == [notice.window_to]
    assert reverse("orglife:notice_detail", args=[notice.pk]) in items[0].url


def test_flags_wait_for_those_who_decide_them_in_their_scope(cg_office, cg_reporter, dz_reporter, unit):
    from django.contrib.contenttypes.models import ContentType

    from quality.models import Check, Flag

    concern_unit = unit("540102001")
    flag = Flag.objects.create(
        check_item=Check.objects.order_by("pk").first(),
        content_type=ContentType.objects.get_for_model(Concern),
        object_id=1,
        unit=concern_unit,
        region_code="540100",
        detail_code="activity.venue_capacity",
        detail_params={"per_session": 950, "capacity": 40},
    )
    assert "950" in flag.detail and "40" in flag.detail  # the check's words, in the reader's language
    assert [i.title.endswith(flag.detail) for i in selectors.items(cg_office, only="flags")] == [True]
    assert selectors.items(cg_reporter, only="flags") == []  # a reporter does not decide flags
    flag.status = "cleared"
    flag.save(update_fields=["status"])
    assert selectors.items(cg_office, only="flags") == []


def test_a_draft_waits_for_publishing_until_it_is_published(cg_office, cg_reporter, unit):
    from django.utils import timezone

    from reports import services as reports
    from reports.models import PublishedReport

    as_of = datetime.date(2021, 12, 31)
    draft = reports.save_draft(actor=cg_office, unit=unit("540102"), as_of=as_of, language="zh-hans", texts={})
    assert [i.since for i in selectors.items(cg_office, only="reports")] == [timezone.localdate(draft.updated_at)]
    assert selectors.items(cg_reporter, only="reports") == []
    PublishedReport.objects.create(
        unit=draft.unit,
        as_of=as_of,
        start=datetime.date(2021, 2, 20),
        language="zh-hans",
        title="t",
        text="t",
        sha256="0" * 64,
        published_by=cg_office,
        published_at=timezone.now(),
    )
    assert selectors.items(cg_office, only="reports") == []
