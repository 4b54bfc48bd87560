"""Data quality: the catalogue of checks, the flags they raise on rows, and runs of the checks
over a subtree. A flag never changes or hides a figure; it is a doubt on one row that a
person confirms or clears."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.jobs import BackgroundJob
from core.languages import pick_field
from core.quality import render_detail
from orgs.models import Unit
from orgs.scope import ScopedQuerySet
from quality.choices import FlagStatus, RunStatus, Severity

# Sent by the writes to the catalogue that send no post_save (``update`` and the bulk writes),
# so that the processes that keep the enabled checks in memory (``quality.enabled``) hear of
# them as of a save (``quality.signals`` connects them).
checks_written = Signal()


class CheckQuerySet(models.QuerySet):
    """Writes that send no signal of Django's send ``checks_written``."""

    def update(self, **kwargs) -> int:
        checks_written.send(sender=self.model)
        return super().update(**kwargs)

    def bulk_create(self, *args, **kwargs):
        checks_written.send(sender=self.model)
        return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        checks_written.send(sender=self.model)
        return super().bulk_update(*args, **kwargs)


class Check(models.Model):
    """One data-quality check of the catalogue: what it looks for (names and description in
    three languages), how serious a hit is, and the threshold the office tunes. The code that
    runs it is declared under the same ``code`` in the ``quality_checks`` module of the app
    whose rows it checks (``quality.checks`` keeps the registry)."""

    code = models.CharField(pgettext_lazy("quality", "code"), max_length=40, unique=True)
    model = models.CharField(_("rows checked"), max_length=60, help_text=_("app_label.model of the rows."))
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=240)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_zh = models.TextField(_("description (Chinese)"))
    description_bo = models.TextField(_("description (Tibetan)"))
    description_en = models.TextField(_("description (English)"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    threshold = models.DecimalField(_("threshold"), max_digits=10, decimal_places=2, default=0)
    enabled = models.BooleanField(_("enabled"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = CheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return pick_field(self, "name")

    @property
    def description(self) -> str:
        return pick_field(self, "description")


class FlagQuerySet(ScopedQuerySet):
    def doubtful(self) -> FlagQuerySet:
        from quality.choices import DOUBTFUL

        return self.filter(status__in=DOUBTFUL)


class Flag(models.Model):
    """One check's doubt about one row (an activity, a concern, a measure, a quiz attempt):
    which check, which row, the unit the row belongs to (so that flags are scoped like their
    rows), and what the check found as a message code and its parameters (``core.quality.Detail``:
    numbers, ISO dates, an account's name), put into words in the reader's language when shown
    (``detail``). At most one flag per check
    and row. Open until a person confirms it or clears it with a reason (audited); a cleared
    flag is not raised again by the same check on the same row."""

    row_url: str  # not a column: the flagged row's page, set by quality.selectors

    scope_path = "unit__path"

    # Few indexes: an import of a hundred thousand rows writes as many flags, and each index
    # is written for every one. The row's columns are found through quality_flag_once, the
    # unit's through quality_flag_unit_status; the check keeps its own index, through which
    # the pages list a check's flags in the order they were raised.
    check_item = models.ForeignKey(
        Check, verbose_name=_("check"), on_delete=models.CASCADE, related_name="flags", db_column="check_id"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    object_id = models.PositiveBigIntegerField()
    row = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+", db_index=False)
    # The city the row belongs to, so that flags are sharded with their rows (docs/scaling.md,
    # step 3); no page looks flags up by it, so it has no index.
    region_code = models.CharField(_("region"), max_length=32, editable=False)
    detail_code = models.CharField(_("detail"), max_length=60, blank=True)
    detail_params = models.JSONField(_("detail's values"), default=dict, blank=True)
    created = models.DateTimeField(_("raised at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # quality_flag_decided_by holds the decided flags only
    )
    reason = models.TextField(_("reason"), blank=True)
    cleared_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-created", "-pk"]
        constraints = [
            # Row first: the same index finds a row's flags (its badge) and keeps one per check.
            models.UniqueConstraint(fields=["content_type", "object_id", "check_item"], name="quality_flag_once")
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="quality_flag_unit_status"),
            # For the account's deletion (SET_NULL); an open flag has no decider.
            models.Index(
                fields=["cleared_by"], name="quality_flag_decided_by", condition=models.Q(cleared_by__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_item.code} #{self.object_id}"

    @property
    def detail(self) -> str:
        """What the check found, in the active language."""
        return render_detail(self.detail_code, self.detail_params)


class Run(BackgroundJob, models.Model):
    """One run of every enabled check over one unit's subtree, started from the page or the
    command: when, by whom, how long it took and how many flags were open afterwards."""

    job_running_statuses = (RunStatus.PENDING, RunStatus.RUNNING)
    job_failed_status = RunStatus.FAILED

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    flags_raised = models.PositiveIntegerField(_("flags raised"), default=0)
    seconds = models.DecimalField(_("seconds"), max_digits=8, decimal_places=2, default=0)
    message = models.TextField(_("message"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check run")
        verbose_name_plural = _("check runs")
        ordering = ["-created_at"]

    @property
    def running(self) -> bool:
        return self.status in (RunStatus.PENDING, RunStatus.RUNNING)
