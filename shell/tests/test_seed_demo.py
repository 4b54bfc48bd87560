"""The demo that ``seed_demo`` loads: Lhasa's real counties, the seed's units and people, a
deterministic tree. These tests are about the demo, so each builds the demo's Lhasa itself
(the ``demo_foundation`` fixture) instead of reading the small world the other tests share."""

from io import StringIO

from django.core.management import call_command

from campaigns.models import Campaign
from core.seeding import DemoContext
from orgs import demo as orgs_demo
from orgs.choices import Rank, UnitKind
from orgs.models import Account, Person, Unit


def test_the_demo_has_lhasas_real_counties(demo_foundation):
    counties = dict(Unit.objects.filter(kind=UnitKind.COUNTY, code__startswith="5401").values_list("code", "name_zh"))
    assert counties == {
        "540102": "城关区",
        "540103": "堆龙德庆区",
        "540104": "达孜区",
        "540121": "林周县",
        "540122": "当雄县",
        "540123": "尼木县",
        "540124": "曲水县",
        "540127": "墨竹工卡县",
    }
    assert all(Unit.objects.filter(code__in=counties).values_list("name_bo", flat=True))


def test_the_demo_has_the_seeds_units_and_people(demo_foundation):
    lhasa = Unit.objects.get(code="540100")
    subtree = lhasa.subtree()
    assert subtree.filter(kind=UnitKind.TOWNSHIP).count() == 66
    assert subtree.filter(kind=UnitKind.VILLAGE).count() >= 287
    for kind in (UnitKind.DEPARTMENT, UnitKind.SCHOOL, UnitKind.MONASTERY, UnitKind.ENTERPRISE, UnitKind.BARRACKS):
        assert subtree.filter(kind=kind).exists(), kind
    assert subtree.filter(kind__startswith="party_").count() >= 3000
    assert Person.objects.filter(rank=Rank.PREFECTURE, unit__path__startswith=lhasa.path).count() == 43
    assert Person.objects.filter(rank=Rank.COUNTY, unit__path__startswith=lhasa.path).count() >= 1000
    assert Account.objects.filter(username="lhasa-office", role="office_admin", unit=lhasa).exists()
    campaign = Campaign.objects.get(root_unit=lhasa)
    assert (str(campaign.start), str(campaign.end)) == ("2021-02-20", "2021-12-31")


def test_the_demo_tree_is_deterministic():
    def snapshot():
        city = orgs_demo.build_city(DemoContext())
        out = []

        def walk(node):
            out.append((node.code, node.name_zh, node.name_bo, node.party_members))
            for child in node.children:
                walk(child)

        walk(city)
        return out

    assert snapshot() == snapshot()


def test_seed_demo_is_idempotent(demo_foundation):
    before = Unit.objects.count(), Person.objects.count(), Account.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Unit.objects.count(), Person.objects.count(), Account.objects.count()) == before


def test_every_unit_of_the_demo_has_both_names(demo_foundation):
    assert not Unit.objects.filter(name_bo="").exists()
    assert not Unit.objects.filter(name_zh="").exists()
