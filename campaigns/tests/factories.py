"""Factories for a campaign's frame, for tests: the campaign, its leading group and its
supervision groups (``units=``, ``members=`` and ``accounts=`` set the groups' relations)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from campaigns.choices import CampaignStatus, LeadingPost
from campaigns.models import Campaign, LeadingGroupMember, SupervisionGroup
from core.seeding import CAMPAIGN_END, CAMPAIGN_START
from orgs.choices import Rank, UnitKind
from orgs.tests.factories import PersonFactory, UnitFactory


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name_zh = "党史学习教育"
    name_bo = "ཏང་གི་ལོ་རྒྱུས་སློབ་སྦྱོང་དང་སློབ་གསོ།"
    root_unit = factory.SubFactory(UnitFactory, kind=UnitKind.CITY)
    start = CAMPAIGN_START
    end = CAMPAIGN_END
    status = CampaignStatus.ACTIVE

    @factory.post_generation
    def kinds(self, create, extracted, **kwargs):
        """Every kind of activity there is, unless ``kinds=[...]`` names them."""
        if not create:
            return
        from ledger.models import ActivityKind

        self.activity_kinds.set(extracted if extracted is not None else ActivityKind.objects.all())


class LeadingGroupMemberFactory(DjangoModelFactory):
    class Meta:
        model = LeadingGroupMember

    campaign = factory.SubFactory(CampaignFactory)
    person = factory.SubFactory(PersonFactory, rank=Rank.PREFECTURE)
    post = LeadingPost.MEMBER
    order = 0


class SupervisionGroupFactory(DjangoModelFactory):
    class Meta:
        model = SupervisionGroup
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    head = factory.SubFactory(PersonFactory, rank=Rank.PREFECTURE)

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)

    @factory.post_generation
    def accounts(self, create, extracted, **kwargs):
        if create and extracted:
            self.accounts.set(extracted)
