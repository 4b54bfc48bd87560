"""An office runs two campaigns over the same units: the 2021 Party-history study (the
world's) and a later thematic education over Lhasa that records a few kinds only. The
reader's selected campaign (``campaigns.selectors.campaign_from_request``, chosen with the
header's switch, ``POST /campaigns/select/``) sets the period and figures of the dashboard,
the indicator pages and the report page; records are accepted only for a kind and a date of
a campaign covering their unit."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.selectors import CAMPAIGN_SESSION_KEY, campaigns_of
from campaigns.tests.factories import CampaignFactory
from conftest import PERSONAS
from ledger import services
from ledger.models import ActivityKind
from orgs.models import Account, Unit

pytestmark = pytest.mark.django_db

START_2023 = datetime.date(2023, 4, 1)
END_2023 = datetime.date(2023, 12, 31)
THEMATIC_KINDS = ("collective_study", "lecture_theory")


@pytest.fixture
def party_history():
    return Campaign.objects.get(root_unit__code="540100")


@pytest.fixture
def thematic():
    return CampaignFactory(
        name_zh="主题教育",
        name_bo="བརྗོད་གཞིའི་སློབ་གསོ།",
        root_unit=Unit.objects.get(code="540100"),
        start=START_2023,
        end=END_2023,
        kinds=list(ActivityKind.objects.filter(code__in=THEMATIC_KINDS)),
    )


def _record(actor, code: str, kind: str, day: datetime.date, sessions: int):
    return services.record_activity(
        actor=actor,
        unit=Unit.objects.get(code=code),
        kind=ActivityKind.objects.get(code=kind),
        date=day,
        sessions=sessions,
        title="学习",
        participants=10,
    )


@pytest.fixture
def both_years(office, thematic):
    """Three sessions of collective study in 2021 and five in 2023, in Barkor."""
    _record(office, "540102001", "collective_study", datetime.date(2021, 7, 1), 3)
    _record(office, "540102001", "collective_study", datetime.date(2023, 7, 1), 5)


def _select(client, campaign, next_url="/"):
    return client.post(reverse("campaigns:select"), {"campaign": campaign.pk, "next": next_url})


def _card(response, code: str):
    return next(card.value for card in response.context["board"]["cards"] if card.code == code)


def test_the_newest_active_campaign_is_the_default_and_the_switch_changes_the_dashboard(
    as_user, office, party_history, thematic, both_years
):
    client = as_user(office)
    url = reverse("reports:dashboard")
    first = client.get(url, {"unit": "540100"})
    assert (first.context["start"], first.context["end"]) == (START_2023, END_2023)
    assert _card(first, "study.sessions") == 5

    response = _select(client, party_history, url + "?unit=540100")
    assert response.status_code == 302 and response["Location"] == url + "?unit=540100"
    assert client.session[CAMPAIGN_SESSION_KEY] == party_history.pk
    second = client.get(url, {"unit": "540100"})
    assert (second.context["start"], second.context["end"]) == (party_history.start, party_history.end)
    assert _card(second, "study.sessions") == 3


def test_the_switch_changes_the_indicator_pages_and_the_report(as_user, office, party_history, thematic, both_years):
    client = as_user(office)
    table = reverse("figures:table")
    assert 'data-code="study.sessions">5</a>' in client.get(table, {"unit": "540100"}).content.decode()
    detail = client.get(reverse("figures:detail", args=["study.sessions"]), {"unit": "540100"})
    assert detail.status_code == 200 and detail.context["end"] == END_2023
    assert client.get(reverse("reports:report"), {"unit": "540100"}).context["as_of"] == END_2023

    _select(client, party_history)
    assert 'data-code="study.sessions">3</a>' in client.get(table, {"unit": "540100"}).content.decode()
    detail = client.get(reverse("figures:detail", args=["study.sessions"]), {"unit": "540100"})
    assert detail.context["end"] == party_history.end
    report = client.get(reverse("reports:report"), {"unit": "540100"})
    assert report.context["as_of"] == party_history.end


def test_a_range_in_the_address_still_wins_over_the_campaign(as_user, office, thematic, both_years):
    response = as_user(office).get(
        reverse("reports:dashboard"), {"unit": "540100", "start": "2021-01-01", "end": "2023-12-31"}
    )
    assert _card(response, "study.sessions") == 8


def test_a_reader_cannot_select_a_campaign_outside_its_scope(as_user, cg_reporter, thematic):
    client = as_user(cg_reporter)
    shigatse = Campaign.objects.get(root_unit__code="540200")
    for value in (shigatse.pk, "nonsense", "", 999_999):
        response = client.post(reverse("campaigns:select"), {"campaign": value, "next": "/"})
        assert response.status_code == 404
        assert CAMPAIGN_SESSION_KEY not in client.session
    # Only staff choose; a participant has no campaign to choose from.
    participant = Account.objects.get(username="participant")
    assert as_user(participant).post(reverse("campaigns:select"), {"campaign": thematic.pk}).status_code == 403
    # A GET writes nothing.
    assert client.get(reverse("campaigns:select")).status_code == 405


def test_the_switch_goes_back_only_to_this_site(as_user, office, party_history, thematic):
    response = _select(as_user(office), party_history, "https://elsewhere.example/")
    assert response["Location"] == "/"


def test_the_campaigns_a_reader_may_choose(party_history, thematic):
    reporter = Account.objects.get(username="chengguan-reporter")
    assert campaigns_of(reporter) == [thematic, party_history]
    supervisor = Account.objects.get(username="supervisor-3")
    assert set(campaigns_of(supervisor)) == {thematic, party_history}
    shigatse = Account.objects.get(username="shigatse-office")
    assert [c.root_unit.code for c in campaigns_of(shigatse)] == ["540200"]


def test_the_header_shows_the_switch_only_to_a_reader_with_several_campaigns(as_user, cg_reporter, party_history):
    client = as_user(cg_reporter)
    assert 'data-testid="campaign-switch"' not in client.get("/").content.decode()
    thematic = CampaignFactory(
        name_zh="主题教育", root_unit=Unit.objects.get(code="540100"), start=START_2023, end=END_2023
    )
    page = client.get(reverse("ledger:learning")).content.decode()
    assert 'data-testid="campaign-switch"' in page
    selected = re.search(r'<option value="(\d+)" selected>', page)
    assert selected and int(selected.group(1)) == thematic.pk
    _select(client, party_history)
    page = client.get(reverse("ledger:learning")).content.decode()
    assert f'<option value="{party_history.pk}" selected>' in page


def test_the_kinds_offered_follow_the_campaign(as_user, cg_reporter, party_history, thematic):
    client = as_user(cg_reporter)
    offered = {k.code for k in client.get(reverse("ledger:learning")).context["kinds"]}
    assert offered == {"collective_study"}  # the thematic education's learning kinds
    _select(client, party_history)
    offered = {k.code for k in client.get(reverse("ledger:learning")).context["kinds"]}
    assert {"collective_study", "film", "reading_class"} <= offered


def test_a_kind_the_campaign_does_not_record_is_refused_for_its_dates(office, party_history, thematic):
    # A film screening in 2023 belongs to no campaign that records films.
    with pytest.raises(ValidationError) as refused:
        _record(office, "540102001", "film", datetime.date(2023, 7, 1), 1)
    assert "kind" in refused.value.message_dict
    assert "主题教育" in refused.value.message_dict["kind"][0]
    # The same kind in 2021 is the Party-history study's.
    assert _record(office, "540102001", "film", datetime.date(2021, 7, 1), 1).pk


def test_a_date_in_no_campaign_of_the_unit_is_refused_with_the_periods(office, thematic):
    with pytest.raises(ValidationError) as refused:
        _record(office, "540102001", "collective_study", datetime.date(2022, 6, 1), 1)
    message = refused.value.message_dict["date"][0]
    assert "2021-02-20" in message and "2023-04-01" in message


def test_an_import_checks_the_kind_against_the_campaign_of_its_date(office, thematic):
    batch = services.BatchCheck(office, codes=["540102001"])
    film = {"unit": "540102001", "kind": "film", "sessions": 1, "participants": 30}
    row, errors = batch.check({**film, "date": "2023-07-01"})
    assert row is None and "kind" in errors
    row, errors = batch.check({**film, "date": "2021-07-01"})
    assert row is not None and not errors


def test_the_import_template_offers_the_kinds_of_the_campaign(as_user, cg_reporter, thematic):
    import io

    from openpyxl import load_workbook

    response = as_user(cg_reporter).get(reverse("ledger:import_template", args=["collective_study"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content])))
    sheet = book.worksheets[1]
    heading = next(cell.column for cell in sheet[1] if cell.value == "类别")
    names = {sheet.cell(row=r, column=heading).value for r in range(2, sheet.max_row + 1)} - {None}
    wanted = {k.name for k in ActivityKind.objects.filter(code__in=THEMATIC_KINDS)}
    assert names == wanted


def test_a_kind_added_on_the_page_serves_the_campaign_the_office_works_in(as_user, office, party_history, thematic):
    client = as_user(office)
    _select(client, party_history)
    response = client.post(
        reverse("ledger:kind_create"),
        {
            "code": "lecture_horseback",
            "name_zh": "马背宣讲",
            "name_bo": "རྟ་སྒང་ཁྱབ་བསྒྲགས།",
            "name_en": "Lecture on horseback",
            "section": "lectures",
            "family": "lecture",
            "measure_zh": "场次",
            "measure_bo": "ཐེངས།",
            "measure_en": "sessions",
            "fields": ["sessions", "participants"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert list(ActivityKind.objects.get(code="lecture_horseback").campaigns.all()) == [party_history]
    # A campaign outside the office's scope is refused.
    shigatse = Campaign.objects.get(root_unit__code="540200")
    with pytest.raises(ValidationError):
        services.create_kind(
            actor=office,
            campaigns=[shigatse],
            code="x1",
            name_zh="x",
            name_bo="x",
            name_en="x",
            section="lectures",
            family="lecture",
            fields=["sessions"],
            required=[],
        )


def test_an_activity_of_either_campaign_is_inside_a_campaign_for_the_quality_checks(office, thematic):
    from ledger.models import Activity
    from quality import services as quality
    from quality.tests.conftest import codes_of

    in_2023 = _record(office, "540102001", "collective_study", datetime.date(2023, 7, 1), 1)
    in_2021 = _record(office, "540102001", "collective_study", datetime.date(2021, 7, 1), 1)
    quality.check_rows(Activity, Activity.objects.filter(pk__in=[in_2021.pk, in_2023.pk]))
    assert "activity.outside_campaign" not in codes_of(in_2023) | codes_of(in_2021)
    Activity.objects.filter(pk=in_2023.pk).update(date=datetime.date(2022, 6, 1))
    quality.check_rows(Activity, Activity.objects.filter(pk=in_2023.pk))
    assert "activity.outside_campaign" in codes_of(in_2023)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_holds_for_every_persona_with_a_second_campaign(persona, db, thematic):
    """The crawl of every URL with every persona (``core/tests/test_crawl.py``) while the
    newer campaign is every Lhasa reader's default and the header shows the switch."""
    from core.tests.test_crawl import test_no_page_shows_anything_outside_the_personas_scope_and_no_get_writes as crawl

    crawl(persona, db)


def test_the_activity_api_accepts_only_the_kinds_of_the_campaign_of_the_date(api_as, cg_reporter, thematic):
    film = {"unit": "540102001", "kind": "film", "sessions": 1, "participants": 30, "title": "《长津湖》"}
    refused = api_as(cg_reporter).post("/api/v1/activities", {**film, "date": "2023-07-01"})
    assert refused.status_code == 422
    assert any(item["loc"][-1] == "kind" for item in refused.json()["detail"]), refused.json()
    bulk = api_as(cg_reporter).post("/api/v1/activities/bulk", {"rows": [{**film, "date": "2023-07-01"}]})
    assert bulk.status_code == 422
    assert ["body", "rows", 0, "kind"] in [item["loc"] for item in bulk.json()["detail"]]
    assert api_as(cg_reporter).post("/api/v1/activities", {**film, "date": "2021-07-01"}).status_code == 201
    study = {**film, "kind": "collective_study", "date": "2023-07-01"}
    assert api_as(cg_reporter).post("/api/v1/activities", study).status_code == 201


def test_the_entry_form_says_at_the_top_that_the_kind_is_not_the_campaigns(as_user, cg_reporter, thematic):
    response = as_user(cg_reporter).post(
        reverse("ledger:activity_create", args=["film"]),
        {"unit": "540102001", "date": "2023-07-01", "sessions": 1, "participants": 30},
    )
    assert response.status_code == 200
    assert "主题教育" in " ".join(response.context["form"].non_field_errors())


def test_a_campaign_being_set_up_is_the_offices_alone(thematic):
    from campaigns.choices import CampaignStatus

    Campaign.objects.filter(pk=thematic.pk).update(status=CampaignStatus.DRAFT)
    office = Account.objects.get(username="lhasa-office")
    reporter = Account.objects.get(username="chengguan-reporter")
    assert thematic in campaigns_of(office)
    assert [c.root_unit.code for c in campaigns_of(reporter)] == ["540100"] and thematic not in campaigns_of(reporter)
    # The office still opens on the campaign that runs.
    from campaigns.selectors import current_campaign

    assert current_campaign(office) != thematic
    # Nor is it the default of the reads that keep no choice (the API's figures).
    from campaigns.selectors import campaign_for_unit

    assert campaign_for_unit(Unit.objects.get(code="540102")) != thematic


def test_a_supervisor_opens_on_the_campaign_it_has_a_group_in(as_user, supervisor, party_history, thematic):
    # The thematic education is newer, but supervisor-3's group is the Party-history study's.
    client = as_user(supervisor)
    page = client.get(reverse("campaigns:supervision"))
    assert page.context["campaign"] == party_history
    assert [g.number for g in page.context["groups"]] == [3]
    # It may still switch to the newer one, which reaches the units it covers.
    _select(client, thematic)
    assert client.get(reverse("campaigns:supervision")).context["campaign"] == thematic


def test_the_activity_list_opens_on_the_campaigns_period(as_user, office, party_history, thematic, both_years):
    client = as_user(office)
    dates = {a.date.year for a in client.get(reverse("ledger:learning")).context["page"]}
    assert dates == {2023}
    _select(client, party_history)
    dates = {a.date.year for a in client.get(reverse("ledger:learning")).context["page"]}
    assert dates == {2021}
    # A range in the address still wins.
    everything = client.get(reverse("ledger:learning"), {"start": "2021-01-01", "end": "2023-12-31"})
    assert {a.date.year for a in everything.context["page"]} == {2021, 2023}


def test_each_campaigns_report_names_that_campaign_and_starts_on_its_first_day(
    as_user, office, party_history, thematic, both_years
):
    from reports.report import build_report

    lhasa = Unit.objects.get(code="540100")
    earlier = build_report(lhasa, party_history.end, "zh-hans")
    later = build_report(lhasa, END_2023, "zh-hans")
    assert earlier.start == party_history.start and later.start == START_2023
    assert party_history.name_zh in earlier.title and thematic.name_zh not in earlier.title
    assert thematic.name_zh in later.title

    client = as_user(office)
    _select(client, party_history)
    shown = client.get(reverse("reports:report"), {"unit": "540100"})
    assert shown.context["as_of"] == party_history.end
    assert party_history.name_zh in shown.content.decode()


def test_the_template_editor_edits_the_selected_campaigns_template(as_user, office, party_history, thematic):
    client = as_user(office)
    _select(client, party_history)
    assert client.get(reverse("reports:template")).context["campaign"] == party_history
    _select(client, thematic)
    assert client.get(reverse("reports:template")).context["campaign"] == thematic


def test_the_dashboards_supervision_coverage_is_that_of_the_campaign_shown(as_user, office, party_history, thematic):
    assert party_history.supervision_groups.exists() and not thematic.supervision_groups.exists()
    client = as_user(office)
    url = reverse("reports:dashboard")
    _select(client, party_history)
    rows = client.get(url, {"unit": "540100"}).context["board"]["coverage"]
    assert any(row.groups for row in rows)
    _select(client, thematic)
    rows = client.get(url, {"unit": "540100"}).context["board"]["coverage"]
    assert rows and not any(row.groups for row in rows)  # the same counties, none covered yet


def test_the_indicator_api_reads_the_campaign_its_query_names(api_as, office, party_history, thematic, both_years):
    def sessions(account, **query):
        answer = api_as(account).get("/api/v1/indicators", {"unit": "540100", "codes": "study.sessions", **query})
        return answer.status_code, answer.json()

    status, newest = sessions(office)
    assert status == 200 and (newest["from"], newest["to"]) == ("2023-04-01", END_2023.isoformat())
    assert newest["items"][0]["value"] == 5
    status, earlier = sessions(office, campaign=party_history.pk)
    assert status == 200 and earlier["to"] == party_history.end.isoformat()
    assert earlier["items"][0]["value"] == 3

    # A campaign that is not there, or whose subtree does not hold the unit: refused at the field.
    status, refused = sessions(office, campaign=999999)
    assert status == 422 and refused["detail"][0]["loc"] == ["query", "campaign"]
    other = CampaignFactory(root_unit=Unit.objects.get(code="540102"), start=START_2023, end=END_2023)
    status, refused = sessions(office, campaign=other.pk)
    assert status == 422 and refused["detail"][0]["loc"] == ["query", "campaign"]
