from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quality.choices import Severity


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm: the row is wrong")), ("clear", _("Clear: the row is right"))],
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class CheckForm(forms.Form):
    threshold = forms.DecimalField(label=_("Threshold"), min_value=0, max_digits=10, decimal_places=2)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    enabled = forms.BooleanField(label=pgettext_lazy("quality", "Enabled"), required=False)
