from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign, SupervisionGroup
from campaigns.selectors import coverage


def _lhasa():
    return Campaign.objects.get(root_unit__code="540100")


def test_groups_covering_every_county_and_department_once_leave_no_gap(db):
    campaign = _lhasa()
    assert campaign.supervision_groups.count() == 3
    rows = coverage(campaign)
    assert {r.unit.code for r in rows if r.unit.kind == "county"} == {"540102", "540103", "540104"}
    assert {r.unit.code for r in rows if r.unit.kind == "department"} == {"540100D03", "540100D16", "540100D25"}
    assert all(r.status == "covered" for r in rows)


def test_each_group_is_headed_by_a_prefecture_level_leader(db):
    assert set(SupervisionGroup.objects.filter(campaign=_lhasa()).values_list("head__rank", flat=True)) == {
        "prefecture"
    }


def test_a_county_no_group_covers_is_a_gap_and_one_covered_twice_an_overlap(unit):
    campaign = _lhasa()
    g1, g2 = campaign.supervision_groups.get(number=1), campaign.supervision_groups.get(number=2)
    g1.units.remove(unit("540102"))
    g2.units.add(unit("540104"))
    status = {r.unit.code: r.status for r in coverage(campaign)}
    assert status["540102"] == "uncovered"
    assert status["540104"] == "overlap"
    assert status["540103"] == "covered"


def test_the_coverage_page_shows_gaps_to_the_office(office, unit):
    campaign = _lhasa()
    campaign.supervision_groups.get(number=1).units.remove(unit("540102"))
    client = Client()
    client.force_login(office)
    page = client.get(reverse("campaigns:supervision")).content.decode()
    assert 'data-status="uncovered"' in page
    assert page.count('data-status="covered"') == len(coverage(campaign)) - 1


def test_a_supervisor_sees_its_own_group_only(supervisor):
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("campaigns:supervision")).content.decode()
    assert 'data-testid="coverage"' not in page
    own = SupervisionGroup.objects.get(campaign=_lhasa(), number=3)
    other = SupervisionGroup.objects.get(campaign=_lhasa(), number=1)
    assert client.get(reverse("campaigns:group_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("campaigns:group_detail", args=[other.pk])).status_code == 404


def test_a_reporter_may_not_open_supervision(cg_reporter):
    client = Client()
    client.force_login(cg_reporter)
    assert client.get(reverse("campaigns:supervision")).status_code == 403


def test_the_campaign_page_lists_the_leading_group(cg_reporter):
    client = Client()
    client.force_login(cg_reporter)
    page = client.get(reverse("campaigns:detail", args=[_lhasa().pk])).content.decode()
    assert "市委书记" in page and "工作专班成员" in page
