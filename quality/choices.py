from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Severity(models.TextChoices):
    LOW = "low", pgettext_lazy("severity", "Low")
    MEDIUM = "medium", pgettext_lazy("severity", "Medium")
    HIGH = "high", pgettext_lazy("severity", "High")


class FlagStatus(models.TextChoices):
    """A flag is open until a person looks at it: confirmed (the row is wrong; it still
    counts until its unit corrects it) or cleared (a false alarm, with a reason)."""

    OPEN = "open", pgettext_lazy("flag status", "Open")
    CONFIRMED = "confirmed", pgettext_lazy("flag status", "Confirmed")
    CLEARED = "cleared", pgettext_lazy("flag status", "Cleared")


# Flags that still cast doubt on their row (a cleared flag does not).
DOUBTFUL = (FlagStatus.OPEN, FlagStatus.CONFIRMED)


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
