"""Progress reports: editors' drafts, background builds and published (frozen) reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs import BackgroundJob
from core.models import EditedDefinition
from orgs.models import Unit
from orgs.scope import ScopedQuerySet
from reports.choices import BuildFormat, BuildStatus, ReportLanguage


class ReportDraft(models.Model):
    """The editors' free text of one unit's report as of one date in one language: a
    paragraph or more before and after each section (``texts`` = {section: {"before",
    "after"}}, and {"lead": {"text"}} to replace the lead). Free text never holds a figure:
    the services refuse digits in it, so every figure comes from an indicator."""

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("as of"))
    language = models.CharField(_("language"), max_length=10, choices=ReportLanguage.choices)
    texts = models.JSONField(_("free text"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")
        constraints = [
            models.UniqueConstraint(fields=["unit", "as_of", "language"], name="reportdraft_unit_asof_language")
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.as_of} {self.language}"


class ReportBuild(BackgroundJob, models.Model):
    """One background build of a report (the page, a docx or a PDF) requested by one
    account; the page polls ``progress`` (0–100) until ``status`` is done or failed."""

    job_running_statuses = (BuildStatus.PENDING, BuildStatus.RUNNING)
    job_failed_status = BuildStatus.FAILED

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField(_("as of"))
    language = models.CharField(_("language"), max_length=10, choices=ReportLanguage.choices)
    format = models.CharField(_("format"), max_length=8, choices=BuildFormat.choices, default=BuildFormat.PAGE)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    text = models.TextField(_("report text"), blank=True)
    figures = models.JSONField(_("figures"), default=list, blank=True)
    file = models.FileField(_("file"), upload_to="reports/builds/", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        ordering = ["-created_at"]

    @property
    def running(self) -> bool:
        return self.status in (BuildStatus.PENDING, BuildStatus.RUNNING)


class ReportTemplate(EditedDefinition):
    """The progress report's sections and sentences for one campaign, in Chinese and Tibetan,
    as one ordered document (``reports.template`` describes it and checks it). ``version``
    rises with every change, so that a published report can say which template built it. A
    campaign without a row reads the template the platform ships (the 2021 report)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="report_template"
    )
    document = models.JSONField(_("sections and sentences"), default=dict)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return f"{self.campaign} v{self.version}"


class PublishedReport(models.Model):
    """One published report: the text and every figure frozen as they were when it was
    published — each figure with its indicator code, definition version, value and how it
    was written — and a SHA-256 over all of it. Rows edited later never change it; the page
    shows where today's figures differ."""

    scope_path = "unit__path"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("as of"))
    start = models.DateField(_("from"))
    language = models.CharField(_("language"), max_length=10, choices=ReportLanguage.choices)
    scope = models.JSONField(_("scope"), default=dict)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("report text"))
    body = models.JSONField(_("report body"), default=dict)
    figures = models.JSONField(_("figures"), default=list)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    template_version = models.PositiveIntegerField(_("template version"), null=True, blank=True)
    # [{"code", "version", "defined"}]: every indicator the template named, with the version of
    # its definition ("defined": defined in the page, its version that of the DefinedIndicator).
    indicator_versions = models.JSONField(_("indicator versions"), default=list, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title
