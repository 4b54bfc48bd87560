"""Messages of the API that the apps' endpoints (``<app>/api.py``) use beyond their own
catalogues: they live in core's catalogue, so each app's stays as its pages need it."""

from django.utils.translation import gettext_lazy as _

NOT_A_CHOICE = _("Not one of the choices.")
NO_UNIT = _("No unit with this code in your scope.")
NO_MEETING = _("No meeting with this number in your scope.")
NO_NOTICE = _("No notice with this number in your scope.")
DATE_FORMAT = _("Enter a date as YYYY-MM-DD.")
FIRST_AFTER_LAST = _("The first day comes after the last.")
RANGE_TOO_LONG = _("The range is longer than twenty years.")
NO_CAMPAIGN = _("No campaign with this number over this unit in your scope.")
NUL_CHARACTER = _("The text holds a NUL character.")
TOO_LONG = _("The text is too long.")
UNKNOWN_INDICATOR = _("Unknown indicator: %(codes)s.")
