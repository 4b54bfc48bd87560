from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from concerns.choices import ConcernSource, ConcernState, Satisfaction, VisitPurpose
from concerns.models import ConcernCategory, Programme
from concerns.records import CONCERN, MILESTONE
from core.forms import RecordForm, WholeNumberField

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.get_rank_display()} · {obj.post}"


class VisitForm(RecordForm):
    unit = forms.CharField(label=_("Code of the unit visited"), max_length=32)
    date = forms.DateField(label=_("Date"), widget=DATE)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=VisitPurpose.choices)
    people = PersonChoiceField(label=_("Who went"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 8}))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class VisitFilterForm(RecordForm):
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("", _("All purposes")), *VisitPurpose.choices], required=False
    )


class LeaderAssignmentForm(RecordForm):
    person = forms.ModelChoiceField(label=_("Leader"), queryset=None)
    target = forms.CharField(label=_("Code of the county or township"), max_length=32)
    since = forms.DateField(label=_("Since"), widget=DATE)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class StationAssignmentForm(RecordForm):
    department = forms.CharField(label=_("Code of the department"), max_length=32)
    target = forms.CharField(label=_("Code of the village or community"), max_length=32)
    since = forms.DateField(label=_("Since"), widget=DATE)


class ConcernForm(RecordForm):
    record = CONCERN
    record_fields = ("source", "description", "raised_by", "contact")

    unit = forms.CharField(label=_("Code of the unit where it arose"), max_length=32)
    category = forms.ModelChoiceField(label=_("Category"), queryset=ConcernCategory.objects.all())
    source = forms.ChoiceField(label=pgettext_lazy("concern", "Source"), choices=ConcernSource.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    raised_by = forms.CharField(label=_("Raised by"), max_length=60)
    contact = forms.CharField(
        label=_("Contact (optional)"),
        max_length=120,
        required=False,
        help_text=_("Seen only by the handling chain."),
    )
    collected_on = forms.DateField(label=_("Collected on"), widget=DATE)


class ConcernEditForm(RecordForm):
    record = CONCERN
    record_fields = ("description",)

    version = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ModelChoiceField(label=_("Category"), queryset=ConcernCategory.objects.all())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))


class ConcernFilterForm(RecordForm):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All states")), *ConcernState.choices], required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ConcernCategory.objects.all(), required=False, empty_label=_("All categories")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    handled = forms.BooleanField(label=_("Handled by my units"), required=False)


class ActionForm(RecordForm):
    """One form for every transition; each action reads the fields it needs."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    handling_unit = forms.CharField(label=_("Code of the handling unit"), max_length=32, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    action_taken = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    satisfaction = forms.ChoiceField(
        label=_("Callback result"), choices=[("", "—"), *Satisfaction.choices], required=False
    )
    original = WholeNumberField(label=_("Number of the original concern"), required=False)
    approve = forms.ChoiceField(label=_("Decision"), choices=[("1", _("Sign off")), ("0", _("Refuse"))], required=False)


class PromoteForm(RecordForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=120)
    title_bo = forms.CharField(label=_("Title (Tibetan)"), max_length=240)
    responsible_unit = forms.CharField(label=_("Code of the responsible unit"), max_length=32)

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes


class MilestoneForm(RecordForm):
    record = MILESTONE
    record_fields = ("title_zh", "title_bo", "weight")

    title_zh = forms.CharField(label=_("Milestone (Chinese)"), max_length=120)
    title_bo = forms.CharField(label=_("Milestone (Tibetan)"), max_length=240, required=False)
    due = forms.DateField(label=_("Due"), widget=DATE)
    weight = WholeNumberField(label=_("Weight"), min_value=1, initial=1)


class PairingForm(RecordForm):
    city_org = forms.CharField(label=_("Code of the city party organisation"), max_length=32)
    village_branch = forms.CharField(label=_("Code of the village branch"), max_length=32)
    since = forms.DateField(label=_("Since"), widget=DATE)
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
