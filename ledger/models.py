"""The learning and lectures ledger (seed sections 2 and 3): one row per thing a unit did on
one day, the catalogue of kinds, evidence files, closed reporting periods, the rollup that
answers indicators, and background import jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.indicators import declared_tallies
from campaigns.models import Campaign
from core.jobs import BackgroundJob
from core.languages import pick_field
from core.models import EditedDefinition
from ledger.catalogue import SESSIONS
from ledger.choices import Family, ImportStatus, Language, OutletLevel, Section, Target, VenueKind
from orgs.models import Unit
from orgs.scope import ScopedQuerySet


class ActivityKind(models.Model):
    """One kind of activity in the catalogue (collective study, a lecture format, a news
    report ...): its names, what it counts towards (``family``), which optional fields of an
    activity apply to it and which of those are required. The office adds kinds on a page;
    the catalogue the seed names is loaded by a data migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=120)
    section = models.CharField(_("section"), max_length=12, choices=Section.choices)
    family = models.CharField(_("counts towards"), max_length=16, choices=Family.choices)
    measure_zh = models.CharField(_("unit of measure (Chinese)"), max_length=20, default=SESSIONS[0])
    measure_bo = models.CharField(_("unit of measure (Tibetan)"), max_length=60, default=SESSIONS[1])
    measure_en = models.CharField(_("unit of measure (English)"), max_length=40, default="sessions")
    participants_label_zh = models.CharField(_("meaning of the count of people (Chinese)"), max_length=40, blank=True)
    participants_label_bo = models.CharField(_("meaning of the count of people (Tibetan)"), max_length=120, blank=True)
    participants_label_en = models.CharField(_("meaning of the count of people (English)"), max_length=60, blank=True)
    fields = models.JSONField(_("fields that apply"), default=list, blank=True)
    required = models.JSONField(_("required fields"), default=list, blank=True)
    requires_evidence = models.BooleanField(_("evidence required"), default=False)
    active = models.BooleanField(pgettext_lazy("ledger", "active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    campaigns = models.ManyToManyField(
        Campaign,
        verbose_name=_("campaigns"),
        blank=True,
        related_name="activity_kinds",
        help_text=_("The campaigns whose units record activities of this kind."),
    )

    class Meta:
        verbose_name = _("kind of activity")
        verbose_name_plural = _("kinds of activity")
        ordering = ["section", "order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_field(self, "name")

    @property
    def measure(self) -> str:
        return pick_field(self, "measure")

    @property
    def participants_label(self) -> str:
        return pick_field(self, "participants_label")

    def applies(self, field: str) -> bool:
        return field in self.fields

    def requires(self, field: str) -> bool:
        return field in self.required


class Activity(models.Model):
    """One thing one unit did on one day: a collective study session, a lecture in a village,
    a film screening, a batch of books handed out, a news report, an off-site training ...

    Counts are what the kind measures: ``sessions`` (usually 1), ``participants``
    (participant-times, contributions, visitors or people trained, as the kind says) and
    ``copies``. ``region_code`` is copied from the unit so that a distributed database can
    keep each region's rows together. ``version`` rises with every edit (optimistic
    concurrency: an edit made on a stale copy is refused). Rollups follow every write in
    the same transaction (see ``ledger.services``)."""

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="activities")
    region_code = models.CharField(_("region"), max_length=32, editable=False, db_index=True)
    kind = models.ForeignKey(ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="activities")
    date = models.DateField(_("date"))
    title = models.CharField(pgettext_lazy("ledger", "title"), max_length=200, blank=True)
    sessions = models.PositiveIntegerField(pgettext_lazy("ledger", "sessions"), default=1)
    participants = models.PositiveIntegerField(_("participant-times"), default=0)
    venue_kind = models.CharField(_("venue kind"), max_length=12, choices=VenueKind.choices, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, blank=True)
    copies = models.PositiveIntegerField(_("copies"), default=0)
    outlet_level = models.CharField(_("outlet level"), max_length=10, choices=OutletLevel.choices, blank=True)
    target = models.CharField(_("trained group"), max_length=10, choices=Target.choices, blank=True)
    lecturers = models.CharField(_("lecturers"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["unit", "date"], name="activity_unit_date"),
            models.Index(fields=["kind", "date"], name="activity_kind_date"),
            models.Index(fields=["date"], name="activity_date"),
        ]

    def __str__(self) -> str:
        return f"{self.kind.name} · {self.unit.name} · {self.date:%Y-%m-%d}"


def _evidence_path(instance: Evidence, filename: str) -> str:
    return f"ledger/evidence/{instance.activity.region_code or 'x'}/{instance.activity_id}/{filename}"


class Evidence(models.Model):
    """One file that backs an activity: a photo, a scanned sign-in sheet, a PDF. Stored
    under MEDIA_ROOT and served only by a view that checks the reader's scope."""

    scope_path = "activity__unit__path"

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class ReportingPeriod(models.Model):
    """One closed month of a campaign: rows of the campaign's units dated in it are locked,
    and only the office may change them."""

    scope_path = "campaign__root_unit__path"

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the closed month."))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("closed reporting period")
        verbose_name_plural = _("closed reporting periods")
        ordering = ["campaign", "month"]
        constraints = [models.UniqueConstraint(fields=["campaign", "month"], name="period_once")]


class ActivityRollup(models.Model):
    """The totals of one kind of activity, for one calendar month and one combination of
    venue kind, language, outlet level and trained group, over a unit *and everything below
    it* (every activity is added to the rollup of its own unit and of each unit above it).

    So a subtree's figure is read from the rows of exactly one unit, and the figure of each
    child from the rows of the children: a handful of rows, whatever the size of the ledger.
    Invariant: for every unit U, the rollup rows of U equal the activities of U's subtree
    grouped by the key (``manage.py check_rollups`` verifies it; ``rebuild_rollups``
    restores it). Kept current by ``ledger.services`` in the same transaction as each write.
    Derived data: not audited (the activities are)."""

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.ForeignKey(ActivityKind, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    venue_kind = models.CharField(max_length=12, blank=True)
    language = models.CharField(max_length=10, blank=True)
    outlet_level = models.CharField(max_length=10, blank=True)
    target = models.CharField(max_length=10, blank=True)
    sessions = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    copies = models.BigIntegerField(default=0)
    rows = models.BigIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "kind", "venue_kind", "language", "outlet_level", "target"],
                name="rollup_key",
            )
        ]


class ImportJob(BackgroundJob, models.Model):
    """One uploaded spreadsheet of activities: checked row by row, written in one
    transaction only when no row has a problem. The page polls it for progress."""

    job_running_statuses = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.WRITING)
    job_failed_status = ImportStatus.FAILED

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("kind"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="ledger/imports/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    language = models.CharField(max_length=10, default="zh-hans")
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows checked"), default=0)
    created = models.PositiveIntegerField(_("rows written"), default=0)
    message = models.TextField(_("message"), blank=True)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    annotated = models.FileField(_("annotated file"), upload_to="ledger/imports/", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.FAILED):
            return 100
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.WRITING)


# The sections a defined indicator may join: the ledger's, and those of the records the
# tallies count (``campaigns.indicators.Section``).
DEFINED_SECTIONS = [
    *Section.choices,
    ("serving", pgettext_lazy("section", "Serving the people")),
    ("orglife", pgettext_lazy("section", "Organisational life")),
    ("supervision", pgettext_lazy("section", "Supervision")),
    ("quiz", pgettext_lazy("section", "Online quiz")),
]


class DefinedIndicator(EditedDefinition):
    """An indicator the campaign office defines in the page rather than in code: a measure
    (sessions, participant-times, copies or the number of records) summed over some kinds of
    activity, narrowed by the dimensions the rollups keep (venue kind, language, outlet level,
    trained group), the number of distinct units that recorded such activities (``reach``,
    answered from the tallies: ``ledger.reach``), or a percentage of two ledger indicators. Read from the same rollups as
    the declared ones (``ledger.indicators.DefinedLedgerIndicator``); ``version`` rises with
    every change, so that a published report can say which definition it used."""

    class Measure(models.TextChoices):
        SESSIONS = "sessions", pgettext_lazy("ledger", "Sessions")
        PARTICIPANTS = "participants", _("Participant-times")
        COPIES = "copies", _("Copies")
        ROWS = "rows", _("Number of records")
        TOTAL = "total", _("Sum of the records' values")
        RATE = "rate", _("Percentage of two indicators")
        REACH = "reach", _("Units reached")

    LEDGER = "ledger.activity"

    code = models.CharField(_("code"), max_length=60, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=160)
    measure_zh = models.CharField(_("unit of measure (Chinese)"), max_length=20)
    measure_bo = models.CharField(_("unit of measure (Tibetan)"), max_length=60)
    measure_en = models.CharField(_("unit of measure (English)"), max_length=40)
    definition_zh = models.TextField(_("definition (Chinese)"), blank=True)
    definition_bo = models.TextField(_("definition (Tibetan)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    section = models.CharField(_("section"), max_length=12, choices=DEFINED_SECTIONS)
    measure = models.CharField(_("what it counts"), max_length=12, choices=Measure.choices)
    source = models.CharField(
        _("kind of record"),
        max_length=40,
        default=LEDGER,
        help_text=_(
            "The ledger's activities, or records counted in the tallies (concerns, meetings, quiz attempts ...)."
        ),
    )
    keys = models.JSONField(_("states"), default=list, blank=True)
    kinds = models.ManyToManyField(ActivityKind, verbose_name=_("kinds of activity"), blank=True, related_name="+")
    venue_kind = models.CharField(_("venue kind"), max_length=12, choices=VenueKind.choices, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, blank=True)
    outlet_level = models.CharField(_("outlet level"), max_length=10, choices=OutletLevel.choices, blank=True)
    target = models.CharField(_("trained group"), max_length=10, choices=Target.choices, blank=True)
    numerator = models.CharField(_("numerator (indicator code)"), max_length=60, blank=True)
    denominator = models.CharField(_("denominator (indicator code)"), max_length=60, blank=True)
    campaigns = models.ManyToManyField(
        Campaign,
        verbose_name=_("campaigns"),
        blank=True,
        related_name="defined_indicators",
        help_text=_("The campaigns whose dashboards and reports show this indicator."),
    )

    class Meta:
        verbose_name = _("defined indicator")
        verbose_name_plural = _("defined indicators")
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return pick_field(self, "name")

    @property
    def source_label(self) -> str:
        if self.source == self.LEDGER:
            return str(_("Activities in the ledger"))
        return next((s.label for s in declared_tallies() if s.name == self.source), self.source)

    def source_errors(self, kinds: list[ActivityKind]) -> dict[str, str]:
        """Why the record kind, states, kinds and measure do not go together (field -> message):
        kinds and the ledger's measures only for the ledger's activities, states only among
        those the tallied source declares, a sum only where its records carry a value."""
        errors: dict[str, str] = {}
        if self.measure == self.Measure.RATE:
            return errors
        if self.source == self.LEDGER:
            if self.keys:
                errors["keys"] = str(_("States are chosen only for records counted in the tallies."))
            if self.measure == self.Measure.TOTAL:
                errors["measure"] = str(
                    _("The ledger's activities have no such value: choose sessions, participants or copies.")
                )
            return errors
        source = next((s for s in declared_tallies() if s.name == self.source and s.names), None)
        if source is None:
            errors["source"] = str(_("No kind of record is called %(name)s.") % {"name": self.source})
            return errors
        if kinds:
            errors["kinds"] = str(_("Kinds of activity are chosen only for the ledger's activities."))
        for name in ("venue_kind", "language", "outlet_level", "target"):
            if getattr(self, name):
                errors[name] = str(_("This filter applies only to the ledger's activities."))
        unknown = [k for k in self.keys or [] if source.state(k) is None]
        if unknown:
            errors["keys"] = str(
                _("%(source)s have no state %(keys)s.") % {"source": source.label, "keys": ", ".join(map(str, unknown))}
            )
        # The states counted: those chosen, else the first (every row).
        chosen = [source.state(k) for k in self.keys or []] or list(source.states[:1])
        if self.measure not in (self.Measure.ROWS, self.Measure.TOTAL):
            errors["measure"] = str(_("Records counted in the tallies give their number or the sum of their values."))
        elif self.measure == self.Measure.TOTAL and not (
            source.total_names and chosen and all(state is not None and state.total for state in chosen)
        ):
            errors["measure"] = str(_("%(source)s carry no value to sum.") % {"source": source.label})
        return errors
