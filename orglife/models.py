"""Organisational-life meetings, heart-to-heart talks, findings, rectification measures and
the supervision groups' inspections (seed section 5, and the supervision of section 1).

Every row that belongs to a unit carries ``region_code``, copied from its unit when it is
written, so that a distributed database can keep each region's rows together.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, SupervisionGroup
from core.languages import pick
from orglife.choices import FindingSource, MeasureStatus
from orgs.models import Person, Unit
from orgs.scope import ScopedQuerySet


class MeetingNotice(models.Model):
    """One notice of the office calling the organisational-life meetings of a subtree: the
    theme, the window in which they are held, the method and steps, and which kinds of party
    organisation must each hold one. Every active organisation of those kinds under the root
    is expected to record a meeting for it."""

    scope_path = "root_unit__path"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="meeting_notices", verbose_name=_("campaign")
    )
    root_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("for the units under")
    )
    theme_zh = models.CharField(_("theme (Chinese)"), max_length=200)
    theme_bo = models.CharField(_("theme (Tibetan)"), max_length=400, blank=True)
    window_from = models.DateField(_("held from"))
    window_to = models.DateField(_("held until"))
    method = models.TextField(_("method"), blank=True)
    steps = models.TextField(_("steps"), blank=True)
    expected_kinds = models.JSONField(_("kinds of organisation expected"), default=list)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting notice")
        verbose_name_plural = _("meeting notices")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.theme

    @property
    def theme(self) -> str:
        return pick(self.theme_zh, self.theme_bo)


class Meeting(models.Model):
    """One party organisation's organisational-life meeting held for one notice (at most one
    per organisation and notice): when, where, who chaired, who attended (leaders of higher
    rank attend their own branch as ordinary members), which supervisors were present, the
    agenda, and the minutes and sign-in sheet as files."""

    scope_path = "unit__path"

    notice = models.ForeignKey(
        MeetingNotice, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("notice")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="orglife_meetings", verbose_name=_("party organisation")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair_name = models.CharField(_("chaired by"), max_length=120, blank=True)
    attendee_count = models.PositiveIntegerField(_("members attending"), default=0)
    attendees = models.ManyToManyField(
        Person,
        through="MeetingAttendance",
        related_name="orglife_meetings",
        blank=True,
        verbose_name=_("named attendees"),
    )
    supervisors = models.ManyToManyField(
        Person, related_name="orglife_meetings_supervised", blank=True, verbose_name=_("supervisors present")
    )
    touring_group_present = models.BooleanField(_("the region's touring guidance group attended"), default=False)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.FileField(_("minutes"), upload_to="orglife/minutes/%Y/%m/", blank=True)
    sign_in_sheet = models.FileField(_("sign-in sheet"), upload_to="orglife/sign-in/%Y/%m/", blank=True)
    region_code = models.CharField(_("region"), max_length=32, editable=False, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["notice", "unit"], name="orglife_meeting_once_per_notice")]
        indexes = [
            models.Index(fields=["unit", "date"], name="orglife_meeting_unit_date"),
            models.Index(fields=["date"], name="orglife_meeting_date"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.date:%Y-%m-%d}"


class MeetingAttendance(models.Model):
    """One named person's attendance at one meeting; ``as_ordinary_member`` marks a leader of
    higher rank who attends their own branch's meeting as an ordinary member."""

    scope_path = "meeting__unit__path"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    as_ordinary_member = models.BooleanField(_("as an ordinary member"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="orglife_attend_once")]


class Talk(models.Model):
    """One heart-to-heart talk (谈心谈话) between two people of a unit on one day."""

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="orglife_talks", verbose_name=_("unit"))
    date = models.DateField(_("date"))
    name_a = models.CharField(_("talked"), max_length=120)
    name_b = models.CharField(_("with"), max_length=120)
    person_a = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person_b = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField(_("region"), max_length=32, editable=False, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"], name="orglife_talk_unit_date"),
            models.Index(fields=["date"], name="orglife_talk_date"),
        ]


class FindingCategory(models.Model):
    """One entry of the office's list of finding categories (political conviction, work style,
    discipline, serving the people ...), named in Chinese, Tibetan and English."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("finding category")
        verbose_name_plural = _("finding categories")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_bo, self.name_en)


class Inspection(models.Model):
    """One visit of a supervision group to a unit it covers on one day: what it checked. The
    problems it raises are findings of that unit (source "inspection")."""

    scope_path = "unit__path"

    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("supervision group")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="orglife_inspections", verbose_name=_("unit"))
    date = models.DateField(_("date"))
    checked = models.TextField(_("what was checked"))
    region_code = models.CharField(_("region"), max_length=32, editable=False, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["unit", "date"], name="orglife_insp_unit_date")]


class Finding(models.Model):
    """One problem found (检视问题) in a person or an organisation of a unit on one day, of one
    category, coming from a meeting, a talk, a self-examination or an inspection."""

    n_measures: int  # not a column: counted for lists by orglife.selectors

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="orglife_findings", verbose_name=_("unit"))
    person_name = models.CharField(
        _("person"), max_length=120, blank=True, help_text=_("Empty when the finding is the organisation's.")
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    category = models.ForeignKey(
        FindingCategory, on_delete=models.PROTECT, related_name="findings", verbose_name=_("category")
    )
    text = models.TextField(_("problem"))
    source = models.CharField(_("source"), max_length=12, choices=FindingSource.choices)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="findings", verbose_name=_("meeting")
    )
    inspection = models.ForeignKey(
        Inspection,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("inspection"),
    )
    date = models.DateField(_("date"))
    region_code = models.CharField(_("region"), max_length=32, editable=False, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"], name="orglife_finding_unit_date"),
            models.Index(fields=["date"], name="orglife_finding_date"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Measure(models.Model):
    """One rectification measure (整改措施) set for one finding: what will be done, by whom, by
    when, and how far it has come. It is done with evidence (a file or a written account),
    verified by a member of the supervision group covering the unit (or sent back with a
    reason), then closed (销号). ``unit`` and ``set_on`` are copied from the finding so that
    figures over a subtree need no join through findings."""

    scope_path = "unit__path"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="measures", verbose_name=_("finding"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="orglife_measures", verbose_name=_("unit"))
    set_on = models.DateField(_("set on"))
    text = models.TextField(_("measure"))
    owner = models.CharField(_("responsible"), max_length=120)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.OPEN)
    evidence = models.FileField(_("evidence file"), upload_to="orglife/evidence/%Y/%m/", blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    closed_on = models.DateField(pgettext_lazy("measure", "closed on"), null=True, blank=True)
    region_code = models.CharField(_("region"), max_length=32, editable=False, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["deadline", "pk"]
        indexes = [
            # Covers the figures of the measures (set, done, verified, overdue), so that they are
            # counted from the index alone.
            models.Index(
                fields=["unit", "set_on", "done_on", "verified_on", "deadline"], name="orglife_measure_figures"
            ),
            models.Index(fields=["status", "deadline"], name="orglife_measure_status"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def is_overdue(self, as_of) -> bool:
        """Past its deadline on ``as_of`` and not done by that day."""
        return self.deadline < as_of and (self.done_on is None or self.done_on > as_of)

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence) or bool(self.evidence_note.strip())


class MeasureRefusal(models.Model):
    """One time a supervisor refused to verify a measure, with the reason; the measure went
    back to open."""

    scope_path = "measure__unit__path"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="refusals", verbose_name=_("measure"))
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("refused by")
    )
    refused_at = models.DateTimeField(_("refused at"), auto_now_add=True)
    reason = models.TextField(_("reason"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")
        ordering = ["-refused_at"]
