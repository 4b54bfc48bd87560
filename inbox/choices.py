from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeCode(models.TextChoices):
    CONCERN_ASSIGNED = "concern_assigned", _("Concern assigned")
    CONCERN_RETURNED = "concern_returned", _("Concern returned")
    CONCERN_SIGN_OFF_ASKED = "concern_sign_off_asked", _("Sign-off asked")
    CONCERN_SIGNED_OFF = "concern_signed_off", _("Signed off")
    CONCERN_SIGN_OFF_REFUSED = "concern_sign_off_refused", _("Sign-off refused")
    MEASURE_DONE = "measure_done", _("Measure to verify")
    MEASURE_VERIFIED = "measure_verified", _("Measure verified")
    MEASURE_REFUSED = "measure_refused", _("Measure sent back")
    IMPORT_REFUSED = "import_refused", _("Import refused")
    CONCERN_DUE = "concern_due", _("Deadline in three days")
    CONCERN_OVERDUE = "concern_overdue", _("Overdue")
    MEASURE_DUE = "measure_due", _("Measure due in three days")
    MEASURE_OVERDUE = "measure_overdue", _("Measure overdue")


# The text of each notice, with named parameters filled at reading time in the reader's
# language (``unit`` is a unit's id, shown by its name in that language). What a person typed
# (a reason, a file's name) is not part of the sentence: it is shown under it as it was typed.
TEXTS: dict[str, Any] = {
    NoticeCode.CONCERN_ASSIGNED: _("Concern #%(concern)s was assigned to %(unit)s: take it up by %(due)s."),
    NoticeCode.CONCERN_RETURNED: _("Concern #%(concern)s was returned by %(unit)s."),
    NoticeCode.CONCERN_SIGN_OFF_ASKED: _(
        "%(unit)s found that concern #%(concern)s cannot be resolved and asks for your sign-off."
    ),
    NoticeCode.CONCERN_SIGNED_OFF: _("Concern #%(concern)s was signed off as not resolvable."),
    NoticeCode.CONCERN_SIGN_OFF_REFUSED: _("The sign-off of concern #%(concern)s was refused."),
    NoticeCode.MEASURE_DONE: _("A measure of %(unit)s was reported done and waits for verification."),
    NoticeCode.MEASURE_VERIFIED: _("A measure of %(unit)s was verified."),
    NoticeCode.MEASURE_REFUSED: _("A measure of %(unit)s was sent back."),
    NoticeCode.IMPORT_REFUSED: _("A file you uploaded was refused."),
    NoticeCode.CONCERN_DUE: _("Concern #%(concern)s is due on %(due)s."),
    NoticeCode.CONCERN_OVERDUE: _("Concern #%(concern)s is overdue since %(due)s."),
    NoticeCode.MEASURE_DUE: _("A measure of %(unit)s is due on %(due)s."),
    NoticeCode.MEASURE_OVERDUE: _("A measure of %(unit)s is overdue since %(due)s."),
}
