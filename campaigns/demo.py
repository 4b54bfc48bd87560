"""Lhasa's Party-history campaign: its leading group, office and 8 supervision groups that
together cover every county and every city department."""

from __future__ import annotations

from campaigns.choices import CampaignStatus, LeadingPost
from campaigns.models import Campaign, LeadingGroupMember, SupervisionGroup
from core.seeding import CAMPAIGN_END, CAMPAIGN_START, DemoContext
from orgs.choices import Rank, UnitKind
from orgs.models import Person, Unit

GROUPS = 8


def build(ctx: DemoContext) -> None:
    city: Unit = ctx.made["city"]
    campaign = Campaign.objects.create(
        name_zh="党史学习教育",
        name_bo="ཏང་གི་ལོ་རྒྱུས་སློབ་སྦྱོང་དང་སློབ་གསོ།",
        goal_words_zh="学史明理、学史增信、学史崇德、学史力行",
        goal_words_bo=(
            "ལོ་རྒྱུས་སློབ་ནས་རིགས་པ་གསལ་བ། ལོ་རྒྱུས་སློབ་ནས་ཡིད་ཆེས་བརྟན་པ། ལོ་རྒྱུས་སློབ་ནས་ཀུན་སྤྱོད་བཟང་བ། ལོ་རྒྱུས་སློབ་ནས་ལག་ལེན་བསྟར་བ།"
        ),
        root_unit=city,
        start=CAMPAIGN_START,
        end=CAMPAIGN_END,
        status=CampaignStatus.ACTIVE,
        office_unit=Unit.objects.get(code="540100D03"),
    )
    ctx.made["campaign"] = campaign
    leaders = list(Person.objects.filter(unit=city, rank=Rank.PREFECTURE).order_by("pk"))
    dept_heads = list(
        Person.objects.filter(
            unit__depth=city.depth + 1,
            unit__path__startswith=city.path,
            unit__kind=UnitKind.DEPARTMENT,
            rank=Rank.COUNTY,
        ).order_by("unit__code", "pk")
    )
    members = [
        LeadingGroupMember(campaign=campaign, person=leaders[0], post=LeadingPost.HEAD, title="市委书记", order=0),
        LeadingGroupMember(campaign=campaign, person=leaders[1], post=LeadingPost.DEPUTY, title="市长", order=1),
        LeadingGroupMember(campaign=campaign, person=leaders[2], post=LeadingPost.DEPUTY, title="市委副书记", order=2),
        LeadingGroupMember(
            campaign=campaign,
            person=leaders[3],
            post=LeadingPost.OFFICE_DIRECTOR,
            title="市委常委、宣传部部长，领导小组办公室主任",
            order=3,
        ),
    ]
    by_unit: dict[int, list[Person]] = {}
    for person in dept_heads:
        by_unit.setdefault(person.unit_id, []).append(person)
    for staff in by_unit.values():
        members.append(
            LeadingGroupMember(
                campaign=campaign, person=staff[0], post=LeadingPost.MEMBER, title="市直部门主要负责人", order=10
            )
        )
    # The full-time work team is drawn from across the city's departments.
    work_team = [staff[1] for staff in list(by_unit.values())[:12]]
    for person in work_team:
        members.append(
            LeadingGroupMember(
                campaign=campaign, person=person, post=LeadingPost.WORK_TEAM, title="工作专班成员", order=20
            )
        )
    LeadingGroupMember.objects.bulk_create(members)

    counties = list(
        Unit.objects.filter(path__startswith=city.path, depth=city.depth + 1, kind=UnitKind.COUNTY).order_by("code")
    )
    departments = list(
        Unit.objects.filter(path__startswith=city.path, depth=city.depth + 1, kind=UnitKind.DEPARTMENT).order_by("code")
    )
    others = list(
        Unit.objects.filter(path__startswith=city.path, depth=city.depth + 1)
        .exclude(kind__in=[UnitKind.COUNTY, UnitKind.DEPARTMENT])
        .order_by("code")
    )
    heads = leaders[4 : 4 + GROUPS]
    pool = [p for p in dept_heads if p not in work_team]
    supervisor = ctx.made["accounts"]["supervisor-3"]
    for number in range(1, GROUPS + 1):
        group = SupervisionGroup.objects.create(campaign=campaign, number=number, head=heads[number - 1])
        covered = [counties[number - 1], *departments[number - 1 :: GROUPS], *others[number - 1 :: GROUPS]]
        group.units.set(covered)
        group.members.set([heads[number - 1], *pool[(number - 1) * 4 : number * 4]])
        if number == 3:
            group.accounts.add(supervisor)
            supervisor.person = heads[number - 1]
            supervisor.save(update_fields=["person"])
    ctx.log(f"  campaign: {campaign.name_zh}, {GROUPS} supervision groups")
