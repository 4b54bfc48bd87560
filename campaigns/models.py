"""A campaign, its leading group and office, and its supervision groups (seed section 1)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.choices import CampaignStatus, LeadingPost
from core.languages import pick
from orgs.models import Person, Unit
from orgs.scope import ScopedQuerySet


class Campaign(models.Model):
    """One study-and-education campaign run by a unit (its root) for its whole subtree,
    e.g. Lhasa's Party-history campaign from 2021-02-20 to 2021-12-31."""

    scope_path = "root_unit__path"

    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=240)
    goal_words_zh = models.CharField(_("goal words (Chinese)"), max_length=240, blank=True)
    goal_words_bo = models.CharField(_("goal words (Tibetan)"), max_length=480, blank=True)
    root_unit = models.ForeignKey(Unit, verbose_name=_("root unit"), on_delete=models.PROTECT, related_name="campaigns")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    office_unit = models.ForeignKey(
        Unit,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that hosts the campaign office."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_bo)

    @property
    def goal_words(self) -> str:
        return pick(self.goal_words_zh, self.goal_words_bo)


class LeadingGroupMember(models.Model):
    """One person's post in a campaign's leading group or its office."""

    scope_path = "campaign__root_unit__path"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="leading_members", verbose_name=_("campaign")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, verbose_name=_("person"))
    post = models.CharField(_("post"), max_length=20, choices=LeadingPost.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("leading group member")
        verbose_name_plural = _("leading group members")
        ordering = ["campaign", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person", "post"], name="leading_member_once")]


class SupervisionGroup(models.Model):
    """One comprehensive guidance and supervision group (综合指导督导组) of a campaign: a
    prefecture-level head, its members, the accounts its members log in with, and the units
    it covers (each covered unit with everything below it)."""

    scope_path = "campaign__root_unit__path"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="supervision_groups", verbose_name=_("campaign")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    head = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="headed_groups", verbose_name=_("head"))
    members = models.ManyToManyField(Person, related_name="supervision_groups", blank=True, verbose_name=_("members"))
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="supervision_groups",
        blank=True,
        verbose_name=_("accounts"),
    )
    units = models.ManyToManyField(Unit, related_name="supervision_groups", blank=True, verbose_name=_("units covered"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision group")
        verbose_name_plural = _("supervision groups")
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="supervision_group_number")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import gettext

        return gettext("Supervision group %(number)s") % {"number": self.number}


class Tally(models.Model):
    """Counts of the rows of one kind (``source``: "orglife.measure", "quiz.attempt" ...) for
    one day, one ``key`` the source names (a state, "done", "passed" ...) and up to two more
    dates (``until``: the day a row was done, or, for a distinct count, the day of the same
    person's or place's previous row; ``due``: a deadline), over a unit *and everything
    below it* (every row adds to the tally of its own unit and of each unit above it).

    So a subtree's figure is read from the tallies of exactly one unit, and each child's
    from the children's. ``n`` counts rows, ``total`` sums a value the source names (a quiz
    score in tenths of a point). Invariant: for every unit, its tallies equal those computed
    from the rows of its subtree (``campaigns.tallies``); ``manage.py rebuild_tallies``
    restores it. Kept current in the same transaction as each write, by the signals of the
    rows' models and by the services that write rows in bulk. Derived data: not audited."""

    NEVER = datetime.date(9999, 12, 31)
    BEFORE = datetime.date(1, 1, 1)

    source = models.CharField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    key = models.CharField(max_length=40, blank=True)
    until = models.DateField(default=NEVER)
    due = models.DateField(default=NEVER)
    n = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    scope_path = "unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["unit", "source", "key", "day", "until", "due"], name="tally_key"),
        ]
        # A unit's sums per source and key read from the index alone, in its order.
        indexes = [
            models.Index(fields=["unit", "source", "key", "day", "until", "due", "n", "total"], name="tally_sums"),
        ]
