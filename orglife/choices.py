from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FindingSource(models.TextChoices):
    MEETING = "meeting", _("Organisational-life meeting")
    TALK = "talk", _("Heart-to-heart talk")
    SELF = "self", _("Self-examination")
    INSPECTION = "inspection", _("Inspection")


class MeasureStatus(models.TextChoices):
    # A context, because "Open" and "Closed" mean other things in other apps' catalogues.
    OPEN = "open", pgettext_lazy("measure status", "Open")
    DONE = "done", pgettext_lazy("measure status", "Done, awaiting verification")
    VERIFIED = "verified", pgettext_lazy("measure status", "Verified")
    CLOSED = "closed", pgettext_lazy("measure status", "Closed")


# The office's starting list of finding categories: code, Chinese, Tibetan, English. The
# data migration 0002 writes it; the demo writes it again after a flush.
DEFAULT_CATEGORIES = [
    ("conviction", "理想信念", "རེ་འདུན་དང་ཡིད་ཆེས།", "Political conviction"),
    ("discipline", "政治纪律", "ཆབ་སྲིད་སྒྲིག་ཁྲིམས།", "Discipline"),
    ("learning", "学习教育", "སློབ་སྦྱོང་དང་སློབ་གསོ།", "Study"),
    ("style", "工作作风", "ལས་ཀའི་ཉམས་འགྱུར།", "Work style"),
    ("service", "为民服务", "མང་ཚོགས་ལ་ཞབས་ཞུ།", "Serving the people"),
    ("role", "担当作为", "འགན་ཁུར་དང་བྱ་སྤྱོད།", "Taking responsibility"),
]
