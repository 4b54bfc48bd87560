from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RangeForm(forms.Form):
    """The unit and range of the indicator pages (all optional: the defaults are the top of
    the reader's scope and the campaign's months)."""

    unit = forms.CharField(label=_("Unit code"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
