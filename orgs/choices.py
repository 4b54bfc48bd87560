from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    REGION = "region", _("Region")
    CITY = "city", _("City")
    COUNTY = "county", _("District or county")
    TOWNSHIP = "township", _("Township or street")
    VILLAGE = "village", _("Village or community")
    DEPARTMENT = "department", _("Department")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    MONASTERY = "monastery", _("Monastery")
    BARRACKS = "barracks", _("Barracks")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PARTY_GENERAL_BRANCH = "party_general_branch", _("Party general branch")
    PARTY_BRANCH = "party_branch", _("Party branch")


PARTY_ORGANISATION_KINDS = (
    UnitKind.PARTY_COMMITTEE,
    UnitKind.PARTY_GENERAL_BRANCH,
    UnitKind.PARTY_BRANCH,
)
ADMINISTRATIVE_KINDS = (UnitKind.REGION, UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWNSHIP)
INSTITUTION_KINDS = (UnitKind.SCHOOL, UnitKind.MONASTERY, UnitKind.ENTERPRISE)


class Rank(models.TextChoices):
    PREFECTURE = "prefecture", _("Prefecture level")
    COUNTY = "county", _("County or division level")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("Office admin")
    REPORTER = "reporter", _("Reporter")
    LEADER = "leader", _("Leader")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARTICIPANT = "participant", _("Participant")
