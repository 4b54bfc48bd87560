from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Section(models.TextChoices):
    """Which of the seed's sections a kind of activity belongs to (and which list shows it)."""

    LEARNING = "learning", _("Learning")
    LECTURES = "lectures", _("Lectures and publicity")


class Family(models.TextChoices):
    """What an activity counts towards. Indicators are defined over families, so a kind the
    office adds (a new lecture format, say) counts as soon as it names its family."""

    CENTRE_GROUP = "centre_group", _("Theory-study centre group")
    STUDY = "study", _("Collective study")
    DISCUSSION = "discussion", _("Discussion contributions")
    TUTORING = "tutoring", _("Expert tutoring")
    READING_CLASS = "reading_class", _("Special reading class")
    TEST = "test", _("Must-know test")
    COMPETITION = "competition", _("Knowledge competition")
    FILM = "film", _("Red film screening")
    BASE_VISIT = "base_visit", _("Education base visit")
    TRAINING = "training", _("Off-site training")
    LECTURE = "lecture", _("Lecture")
    MATERIALS = "materials", _("Lecture materials")
    EXHIBITION = "exhibition", _("Exhibition hall")
    MICRO_LESSON = "micro_lesson", _("Micro-lesson")
    PAIRING = "pairing", _("Pairing")
    NEWS = "news", _("News report")
    BOOKS = "books", _("Books")
    OTHER = "other", _("Other")


class VenueKind(models.TextChoices):
    """The seven kinds of place lectures go into (七进)."""

    OFFICES = "offices", _("Offices")
    VILLAGES = "villages", _("Villages")
    ENTERPRISES = "enterprises", _("Enterprises")
    SCHOOLS = "schools", _("Schools")
    COMMUNITIES = "communities", _("Communities")
    BARRACKS = "barracks", _("Barracks")
    MONASTERIES = "monasteries", _("Monasteries")


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    BO = "bo", _("Tibetan")
    BILINGUAL = "bilingual", _("Tibetan and Chinese")


class OutletLevel(models.TextChoices):
    CENTRAL = "central", _("Central media")
    REGIONAL = "regional", _("Regional media")
    CITY = "city", _("City media")


class Target(models.TextChoices):
    """Who an off-site training was for."""

    LECTURERS = "lecturers", _("Lecturers")
    CADRES = "cadres", _("Grassroots cadres")


# The fields an activity kind may use, beyond unit and date (which every row has).
OPTIONAL_FIELDS = [
    ("title", pgettext_lazy("ledger", "Title")),
    ("sessions", pgettext_lazy("ledger", "Sessions")),
    ("participants", _("Participant-times")),
    ("venue_kind", _("Venue kind")),
    ("language", _("Language")),
    ("copies", _("Copies")),
    ("outlet_level", _("Outlet level")),
    ("target", _("Trained group")),
    ("lecturers", _("Lecturers")),
    ("place", _("Place")),
    ("notes", _("Notes")),
]
OPTIONAL_FIELD_NAMES = [name for name, _label in OPTIONAL_FIELDS]
COUNT_FIELDS = ("sessions", "participants", "copies")
CHOICE_FIELDS = {
    "venue_kind": VenueKind,
    "language": Language,
    "outlet_level": OutletLevel,
    "target": Target,
}


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CHECKING = "checking", _("Checking")
    WRITING = "writing", _("Writing")
    FAILED = "failed", _("Refused")
    DONE = "done", _("Done")
