"""The demo holds two campaigns over Lhasa: the 2021 Party-history campaign, whose figures do
not move, and the 2023 thematic education, loaded from the document its set-up pages exported,
whose figures come from its own records and kinds."""

import datetime
import json

import pytest
from django.db import transaction
from django.db.models import Sum

from campaigns.models import Campaign
from conftest import build_demo_foundation
from figures import catalogue
from ledger import demo, demo_2023, selectors
from ledger.catalogue import ensure_kinds
from ledger.indicators import INDICATORS
from ledger.indicators import build as build_indicator
from ledger.models import Activity, ActivityKind

NAME_2023 = "学习贯彻习近平新时代中国特色社会主义思想主题教育"


@pytest.fixture(scope="module")
def two_campaigns(django_db_setup, django_db_blocker):
    """The demo's foundation, its 2021 ledger and the 2023 campaign with its records, as
    ``seed_demo`` builds them (the rollups rebuilt at the end), rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_kinds()
        ctx = build_demo_foundation()
        demo.build(ctx)
        demo_2023.build(ctx)
        demo.finish(ctx)
        yield ctx
        transaction.set_rollback(True)
    catalogue.forget_defined()
    catalogue._DEFINED = {}  # what the rolled-back database defines: nothing


def test_the_demo_holds_both_campaigns_over_the_city(two_campaigns):
    city = two_campaigns.made["city"]
    campaigns = list(Campaign.objects.filter(root_unit=city).order_by("start"))
    assert [(c.name_zh, str(c.start), str(c.end)) for c in campaigns] == [
        ("党史学习教育", "2021-02-20", "2021-12-31"),
        (NAME_2023, "2023-04-01", "2023-08-31"),
    ]
    old, new = campaigns
    assert new.name_bo and new.goal_words_zh and new.goal_words_bo and new.office_unit.code == "540100D03"
    assert new.status == "closed" and old.status == "active"
    assert new.leading_members.filter(post="head").count() == 1
    assert 2 <= new.supervision_groups.count() <= 3 and old.supervision_groups.count() == 8
    # Its people are the city's, not copies of them.
    assert set(new.leading_members.values_list("person__unit__code", flat=True)) <= {
        u.code for u in city.subtree().filter(depth__lte=city.depth + 1)
    }


def test_the_2023_campaign_is_the_document_the_pages_exported(two_campaigns):
    document = json.loads(demo_2023.DOCUMENT.read_text(encoding="utf-8"))
    campaign = two_campaigns.made["campaign_2023"]
    assert document["campaign"]["name_zh"] == campaign.name_zh == NAME_2023
    kinds = sorted(row["code"] for row in document["parts"]["ledger.kinds"])
    assert sorted(campaign.activity_kinds.values_list("code", flat=True)) == kinds
    indicators = sorted(row["code"] for row in document["parts"]["ledger.indicators"])
    assert sorted(campaign.defined_indicators.values_list("code", flat=True)) == indicators
    assert 2 <= len(indicators) <= 4
    groups = [row for row in document["parts"]["campaigns.frame"] if row["type"] == "supervision_group"]
    assert campaign.supervision_groups.count() == len(groups)


def test_the_2023_kind_and_indicators_are_its_own_and_the_shared_kinds_are_reused(two_campaigns):
    old = two_campaigns.made["campaign"]
    new = two_campaigns.made["campaign_2023"]
    reading = ActivityKind.objects.get(code=demo_2023.NEW_KIND)
    assert list(reading.campaigns.all()) == [new]
    assert all(list(i.campaigns.all()) == [new] for i in new.defined_indicators.all())
    shared = new.activity_kinds.exclude(pk=reading.pk)
    assert shared.exists() and ActivityKind.objects.filter(code__in=["collective_study", "lecture_theory"]).count() == 2
    assert not old.defined_indicators.filter(pk__in=new.defined_indicators.values("pk")).exists()


def test_the_2023_records_lie_in_its_period_kinds_and_counties(two_campaigns):
    new = two_campaigns.made["campaign_2023"]
    rows = Activity.objects.filter(date__gte=new.start, date__lte=new.end)
    assert 2_000 <= rows.count() <= 5_000
    assert not Activity.objects.filter(date__gt=datetime.date(2021, 12, 31)).exclude(pk__in=rows.values("pk")).exists()
    kinds = set(new.activity_kinds.values_list("pk", flat=True))
    assert set(rows.values_list("kind_id", flat=True).distinct()) <= kinds
    assert rows.filter(kind__code=demo_2023.NEW_KIND).exists()
    covered = list(new.supervision_groups.values_list("units__path", flat=True).distinct())
    city = new.root_unit.path
    outside = [p for p in rows.values_list("unit__path", flat=True).distinct() if p != city]
    assert outside and all(any(p.startswith(c) for c in covered) for p in outside)


def test_each_2023_indicator_over_its_period_is_the_sum_of_its_raw_rows(two_campaigns):
    new = two_campaigns.made["campaign_2023"]
    city = new.root_unit
    checked = 0
    for row in new.defined_indicators.prefetch_related("kinds"):
        indicator = build_indicator(row)
        raw = Activity.objects.filter(
            unit__path__startswith=city.path, date__gte=new.start, date__lte=new.end, kind__in=row.kinds.all()
        ).aggregate(total=Sum(row.measure))["total"]
        assert raw and indicator.value(city, new.start, new.end) == raw, row.code
        # A county's figure, too, is its own rows.
        county = new.supervision_groups.order_by("number").first().units.order_by("code").first()
        raw_county = (
            Activity.objects.filter(
                unit__path__startswith=county.path, date__gte=new.start, date__lte=new.end, kind__in=row.kinds.all()
            ).aggregate(total=Sum(row.measure))["total"]
            or 0
        )
        assert indicator.value(county, new.start, new.end) == raw_county, (row.code, county.code)
        checked += 1
    assert checked == new.defined_indicators.count() >= 2


def test_the_2021_figures_are_unchanged_by_the_2023_campaign(two_campaigns):
    city = two_campaigns.made["city"]
    figures = selectors.answer(city, datetime.date(2021, 2, 20), datetime.date(2021, 12, 31), INDICATORS)
    assert {code: figures.total[code] for code in demo.FIGURES} == demo.FIGURES
    # And the 2023 rows count in 2023 only.
    before = selectors.answer(city, datetime.date(2021, 1, 1), datetime.date(2022, 12, 31), INDICATORS)
    assert {code: before.total[code] for code in demo.FIGURES} == demo.FIGURES


def test_each_campaign_reports_in_its_own_words_as_of_its_own_dates(two_campaigns):
    from reports.report import build_report

    city = two_campaigns.made["city"]
    old = build_report(city, datetime.date(2021, 12, 31), "zh-hans").as_text()
    assert old.startswith("拉萨市党史学习教育") and NAME_2023 not in old
    new = build_report(city, datetime.date(2023, 8, 31), "zh-hans").as_text()
    assert new.splitlines()[0] == f"拉萨市{NAME_2023}：学思想强党性 重实践建新功"
    assert old.splitlines()[0] == "拉萨市党史学习教育：学党史砺初心 担使命谋发展"
    document = json.loads(demo_2023.DOCUMENT.read_text(encoding="utf-8"))
    (lead,) = [row for row in document["parts"]["reports.template"] if row["section"] == "lead"]
    opening = "以学铸魂、以学增智、以学正风、以学促干"  # the words the office wrote into its opening
    assert opening in lead["paragraphs"][0][0]["zh"]
    assert opening in new and opening not in old


def test_the_dashboards_coverage_and_the_report_template_follow_the_campaign_the_office_works_in(two_campaigns):
    from django.test import Client

    old = two_campaigns.made["campaign"]
    new = two_campaigns.made["campaign_2023"]
    client = Client()
    client.force_login(two_campaigns.made["accounts"]["lhasa-office"])

    def read():
        board = client.get("/reports/dashboard/", {"unit": "540100"}).context["board"]
        groups = {g.campaign_id for row in board["coverage"] for g in row.groups}
        uncovered = [row.unit.code for row in board["coverage"] if row.status == "uncovered"]
        return groups, uncovered, client.get("/reports/template/").context["campaign"]

    # By default the office works in the running 2021 campaign: its 8 groups cover everything.
    groups, uncovered, edited = read()
    assert groups == {old.pk} and not uncovered and edited == old
    # In the 2023 campaign: its own three groups, which cover the counties only.
    client.post("/campaigns/select/", {"campaign": new.pk, "next": "/"})
    groups, uncovered, edited = read()
    assert groups == {new.pk} and uncovered and all(code.startswith("540100D") for code in uncovered)
    assert edited == new


def test_talks_of_either_campaigns_period_are_taken_and_a_day_between_them_is_refused(two_campaigns):
    from django.core.exceptions import ValidationError

    from orglife import services as orglife_services
    from orglife.models import Talk
    from orglife.services import TalkRow
    from orgs.models import Unit

    office = two_campaigns.made["accounts"]["lhasa-office"]
    unit = Unit.objects.get(code="540102")
    rows = [TalkRow(1, datetime.date(2021, 11, 3), "甲", "乙"), TalkRow(2, datetime.date(2023, 5, 9), "丙", "丁")]
    assert orglife_services.record_talks(actor=office, unit=unit, talks=rows) == 2
    assert Talk.objects.filter(unit=unit).count() == 2
    with pytest.raises(ValidationError) as refused:
        orglife_services.record_talks(
            actor=office, unit=unit, talks=[TalkRow(1, datetime.date(2022, 6, 1), "甲", "乙")]
        )
    assert "2023-04-01" in str(refused.value)
