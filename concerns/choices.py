from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VisitPurpose(models.TextChoices):
    RESEARCH = "research", _("Research")
    RECEPTION = "reception", _("Receiving visitors")
    SOLVING = "solving", _("Solving a problem")


class AssignmentKind(models.TextChoices):
    LEADER_COUNTY = "leader_county", _("Leader assigned to a county")
    LEADER_TOWNSHIP = "leader_township", _("Leader assigned to a township")
    DEPARTMENT_VILLAGE = "department_village", _("Department's village station")


class ConcernSource(models.TextChoices):
    VISIT = "visit", _("Visit")
    RECEPTION_DAY = "reception_day", _("Reception day")
    HOTLINE = "hotline", _("Hotline")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Online")


class ConcernState(models.TextChoices):
    COLLECTED = "collected", _("Collected")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    VERIFIED = "verified", _("Verified by callback")
    REOPENED = "reopened", _("Reopened")
    NOT_RESOLVABLE = "not_resolvable", _("Not resolvable, awaiting sign-off")
    CLOSED_NOT_RESOLVABLE = "closed_not_resolvable", _("Not resolvable, signed off")
    DUPLICATE = "duplicate", _("Duplicate")


# States in which a concern is still open and can be overdue.
OPEN_STATES = (
    ConcernState.COLLECTED,
    ConcernState.ASSIGNED,
    ConcernState.IN_PROGRESS,
    ConcernState.REOPENED,
    ConcernState.NOT_RESOLVABLE,
)
# 已办结: resolved by the handling unit (verified or still waiting for the callback).
RESOLVED_STATES = (ConcernState.RESOLVED, ConcernState.VERIFIED)
# States before the handling unit has responded (taken the concern up).
UNRESPONDED_STATES = (ConcernState.COLLECTED, ConcernState.ASSIGNED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    PARTLY = "partly", _("Partly satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


class EventKind(models.TextChoices):
    COLLECT = "collect", pgettext_lazy("concern event", "Collected")
    ASSIGN = "assign", pgettext_lazy("concern event", "Assigned")
    REASSIGN = "reassign", pgettext_lazy("concern event", "Reassigned")
    RETURN = "return", pgettext_lazy("concern event", "Returned")
    START = "start", pgettext_lazy("concern event", "Started")
    RESOLVE = "resolve", pgettext_lazy("concern event", "Resolved")
    CALLBACK = "callback", pgettext_lazy("concern event", "Callback")
    MARK_NOT_RESOLVABLE = "mark_not_resolvable", pgettext_lazy("concern event", "Marked not resolvable")
    SIGN_OFF = "sign_off", pgettext_lazy("concern event", "Not resolvable signed off")
    REFUSE_SIGN_OFF = "refuse_sign_off", pgettext_lazy("concern event", "Sign-off refused")
    DUPLICATE = "duplicate", pgettext_lazy("concern event", "Marked duplicate")
    REOPEN = "reopen", pgettext_lazy("concern event", "Reopened")
    EDIT = "edit", pgettext_lazy("concern event", "Edited")
    PROMOTE = "promote", pgettext_lazy("concern event", "Promoted to a key item")


class KeyItemStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SOLVED = "solved", _("Solved")
