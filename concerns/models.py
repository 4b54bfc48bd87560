"""Serving the people (seed section 4): leaders' assignments and grassroots visits, the
concerns collected from the people and their handling, the key-items list and pairings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from concerns.choices import (
    AssignmentKind,
    ConcernSource,
    ConcernState,
    EventKind,
    KeyItemStatus,
    Satisfaction,
    VisitPurpose,
)
from core.languages import pick
from orgs.models import Person, Unit
from orgs.scope import ScopedQuerySet, paths_q, scope_paths


class TwoPathQuerySet(ScopedQuerySet):
    """Rows that belong to two units (where a concern arose and who handles it; the two
    sides of a pairing): visible when the account's scope holds either."""

    def visible_to(self, user: Any) -> TwoPathQuerySet:
        paths = scope_paths(user)
        if paths is None:
            return self
        if not paths:
            return self.none()
        first, second = self.model.scope_path_pair
        return self.filter(paths_q(first, paths) | paths_q(second, paths))


class Assignment(models.Model):
    """One standing assignment: a prefecture-level leader to a county or a township
    (包县包乡), or a city department to its village station (驻村点). ``target`` is the
    county, township or village; exactly one of ``person`` and ``department`` is set."""

    scope_path = "target__path"

    kind = models.CharField(_("kind"), max_length=24, choices=AssignmentKind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("leader"), null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        Unit,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="station_assignments",
    )
    target = models.ForeignKey(
        Unit, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="assignments"
    )
    since = models.DateField(_("since"))
    region_code = models.CharField(_("region"), max_length=32, db_index=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["person", "target"], name="assignment_person_target"),
            models.UniqueConstraint(fields=["department", "target"], name="assignment_department_target"),
        ]


class Visit(models.Model):
    """One grassroots visit: one or more people (leaders, cadres) went to one unit on one day
    for one purpose. Counted by ``visits.*`` indicators by the unit visited."""

    scope_path = "unit__path"

    people = models.ManyToManyField(Person, verbose_name=_("people"), related_name="visits")
    unit = models.ForeignKey(Unit, verbose_name=_("where"), on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=VisitPurpose.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region_code = models.CharField(_("region"), max_length=32, db_index=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"], name="visit_date")]


class ConcernCategory(models.Model):
    """One category of concern (traffic, housing, water ...) with its time limits: days to
    respond (the handling unit takes it up) and days to resolve, counted from collection."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=60)
    response_days = models.PositiveSmallIntegerField(_("days to respond"), default=3)
    resolution_days = models.PositiveSmallIntegerField(_("days to resolve"), default=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("concern category")
        verbose_name_plural = _("concern categories")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_bo, self.name_en)


class ConcernQuerySet(TwoPathQuerySet):
    pass


class Concern(models.Model):
    """One problem or request (问题/诉求) raised by a person, collected once and handled
    until it is resolved and verified by a callback, or closed otherwise.

    Visible to accounts whose scope holds the unit where it arose or the unit handling it.
    ``version`` grows with every change: a write names the version it read and is refused
    when somebody else changed the concern in between (no lost update)."""

    scope_path = "unit__path"
    scope_path_pair = ("unit__path", "handling_unit__path")

    unit = models.ForeignKey(Unit, verbose_name=_("where it arose"), on_delete=models.PROTECT, related_name="concerns")
    handling_unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_concerns",
    )
    category = models.ForeignKey(
        ConcernCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="concerns"
    )
    source = models.CharField(pgettext_lazy("concern", "source"), max_length=16, choices=ConcernSource.choices)
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    description = models.TextField(_("description"))
    raised_by = models.CharField(_("raised by"), max_length=60)
    contact = models.CharField(_("contact"), max_length=120, blank=True)
    collected_on = models.DateField(_("collected on"))
    state = models.CharField(_("state"), max_length=24, choices=ConcernState.choices, default=ConcernState.COLLECTED)
    response_due = models.DateField(_("respond by"))
    resolution_due = models.DateField(_("resolve by"))
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    action_taken = models.TextField(_("what was done"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    satisfaction = models.CharField(
        _("callback result"),
        max_length=16,
        choices=Satisfaction.choices,
        blank=True,
        help_text=_("The latest callback."),
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    region_code = models.CharField(_("region"), max_length=32, db_index=True, editable=False)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-collected_on", "-pk"]
        indexes = [
            models.Index(fields=["collected_on"], name="concern_collected"),
            models.Index(fields=["state", "resolution_due"], name="concern_state_due"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def is_overdue(self, today) -> bool:
        from concerns.choices import OPEN_STATES, UNRESPONDED_STATES

        if self.state not in OPEN_STATES:
            return False
        if self.state in UNRESPONDED_STATES and self.response_due < today:
            return True
        return self.resolution_due < today


class ConcernEvent(models.Model):
    """One step in a concern's life: who moved it from which state to which, when, why,
    and (for a resolution) what was done and the evidence. The concern's timeline."""

    scope_path = "concern__unit__path"

    concern = models.ForeignKey(Concern, verbose_name=_("concern"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_state = models.CharField(_("from"), max_length=24, choices=ConcernState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=ConcernState.choices)
    handling_unit = models.ForeignKey(
        Unit, verbose_name=_("handling unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    satisfaction = models.CharField(_("callback result"), max_length=16, choices=Satisfaction.choices, blank=True)
    # The concern's region, so that a distributed database keeps the timeline with its concern.
    region_code = models.CharField(_("region"), max_length=32, db_index=True, editable=False, default="")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern event")
        verbose_name_plural = _("concern events")
        ordering = ["at", "pk"]


class Programme(models.Model):
    """One programme of the key-items list (重点事项清单), e.g. 平安拉萨便民工程, run by a
    unit (the city) for its subtree."""

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="programmes")
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=240)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_bo)


class KeyItem(models.Model):
    """One livelihood item on the key-items list, run as a project: a responsible unit and
    leader, milestones with due dates and weights, and the concerns it answers. It is solved
    when every milestone is done and the office confirms."""

    scope_path = "responsible_unit__path"

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="items"
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_bo = models.CharField(_("title (Tibetan)"), max_length=240)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="key_items"
    )
    responsible_leader = models.ForeignKey(
        Person,
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_items",
    )
    listed_on = models.DateField(_("listed on"))
    status = models.CharField(_("status"), max_length=12, choices=KeyItemStatus.choices, default=KeyItemStatus.OPEN)
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    concerns = models.ManyToManyField(
        Concern, verbose_name=_("concerns answered"), blank=True, related_name="key_items"
    )
    region_code = models.CharField(_("region"), max_length=32, db_index=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("key item")
        verbose_name_plural = _("key items")
        ordering = ["programme__order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick(self.title_zh, self.title_bo)

    def progress(self) -> int:
        """Percent of the milestones' weight that is done (uses prefetched milestones)."""
        milestones = list(self.milestones.all())
        total = sum(m.weight for m in milestones)
        if not total:
            return 0
        return round(100 * sum(m.weight for m in milestones if m.done_on) / total)


class Milestone(models.Model):
    """One checkpoint of a key item, with its due date and its weight in the item's progress."""

    scope_path = "item__responsible_unit__path"

    item = models.ForeignKey(KeyItem, verbose_name=_("key item"), on_delete=models.CASCADE, related_name="milestones")
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_bo = models.CharField(_("title (Tibetan)"), max_length=240, blank=True)
    due = models.DateField(_("due"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]

    @property
    def title(self) -> str:
        return pick(self.title_zh, self.title_bo)


class PairingQuerySet(TwoPathQuerySet):
    pass


class Pairing(models.Model):
    """One pairing (结对共建): a party organisation of a city unit joined with the party
    branch of its village station. Its theme days and volunteering are ledger activities of
    kind pairing, recorded by the city organisation."""

    scope_path = "city_org__path"
    scope_path_pair = ("city_org__path", "village_branch__path")

    city_org = models.ForeignKey(
        Unit, verbose_name=_("city party organisation"), on_delete=models.PROTECT, related_name="pairings_as_city"
    )
    village_branch = models.ForeignKey(
        Unit, verbose_name=_("village branch"), on_delete=models.PROTECT, related_name="pairings_as_village"
    )
    since = models.DateField(_("since"))
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    region_code = models.CharField(_("region"), max_length=32, db_index=True, editable=False)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["city_org__code", "pk"]
        constraints = [models.UniqueConstraint(fields=["city_org", "village_branch"], name="pairing_once")]
