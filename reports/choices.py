from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportLanguage(models.TextChoices):
    CHINESE = "zh-hans", _("Chinese")
    TIBETAN = "bo", _("Tibetan")


class BuildStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Building")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BuildFormat(models.TextChoices):
    PAGE = "page", _("Page")
    DOCX = "docx", _("Word document")
    PDF = "pdf", _("PDF")
