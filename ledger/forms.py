from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import RecordField, RecordForm
from ledger.choices import OPTIONAL_FIELDS, Family, Language, OutletLevel, Section, Target, VenueKind
from ledger.indicators import tally_sources
from ledger.models import DEFINED_SECTIONS, ActivityKind, DefinedIndicator
from ledger.records import ACTIVITY

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIELD_LABELS = dict(OPTIONAL_FIELDS)


class ActivityForm(RecordForm):
    """The entry form of one kind: unit and date, then only the fields the kind uses, the
    required ones first. Built so that a reporter on a phone enters a session in a minute.
    Each field parses through the activity's definition (``ledger.records.ACTIVITY``)."""

    unit = forms.CharField(label=_("Unit code"), max_length=32)
    date = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args: Any, kind: ActivityKind, with_evidence: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        names = sorted(kind.fields, key=lambda n: (not kind.requires(n), [f for f, _l in OPTIONAL_FIELDS].index(n)))
        for name in names:
            required = kind.requires(name)
            label = FIELD_LABELS[name]
            if name == "participants" and kind.participants_label:
                label = kind.participants_label
            field = RecordField(ACTIVITY[name], label=label, required=required)
            self.fields[name] = field
        if with_evidence:
            self.fields["evidence"] = forms.FileField(
                label=_("Photo or sign-in sheet"),
                required=kind.requires_evidence,
                help_text=_("JPEG, PNG, WebP or PDF, up to 10 MB."),
                widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
            )
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def activity_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {n: data[n] for n in self.kind.fields if n in data}


class ActivityFilterForm(forms.Form):
    unit = forms.CharField(label=_("Unit code"), required=False)
    kind = forms.ModelChoiceField(
        label=_("Kind"),
        queryset=ActivityKind.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Kind"),
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    venue_kind = forms.ChoiceField(
        label=_("Venue kind"), choices=[("", _("Venue kind")), *VenueKind.choices], required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Language")), *Language.choices], required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, section: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if section:
            self.fields["kind"].queryset = ActivityKind.objects.filter(section=section)


class KindForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=80)
    name_bo = forms.CharField(label=_("Name (Tibetan)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    family = forms.ChoiceField(label=_("Counts towards"), choices=Family.choices)
    measure_zh = forms.CharField(label=_("Unit of measure (Chinese)"), max_length=20)
    measure_bo = forms.CharField(label=_("Unit of measure (Tibetan)"), max_length=60)
    measure_en = forms.CharField(label=_("Unit of measure (English)"), max_length=40)
    fields = forms.MultipleChoiceField(
        label=_("Fields that apply"), choices=OPTIONAL_FIELDS, widget=forms.CheckboxSelectMultiple, required=False
    )
    required = forms.MultipleChoiceField(
        label=_("Required fields"), choices=OPTIONAL_FIELDS, widget=forms.CheckboxSelectMultiple, required=False
    )
    requires_evidence = forms.BooleanField(label=_("Evidence required"), required=False)
    active = forms.BooleanField(label=pgettext_lazy("ledger", "Active"), required=False, initial=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )


class PeriodForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"])
    action = forms.ChoiceField(choices=[("close", "close"), ("reopen", "reopen")])


class DefinedIndicatorForm(forms.Form):
    """An indicator the office defines: what it counts (kinds, measure, filters the rollups
    keep) or the rate of two indicators, and its names in Chinese, Tibetan and English."""

    code = forms.CharField(label=_("Code"), max_length=60, help_text=_("e.g. lecture.monastery_audience"))
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_bo = forms.CharField(label=_("Name (Tibetan)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=160)
    section = forms.ChoiceField(label=_("Section"), choices=DEFINED_SECTIONS)
    source = forms.ChoiceField(label=_("Kind of record"), required=False)
    measure = forms.ChoiceField(label=_("What it counts"), choices=DefinedIndicator.Measure.choices)
    keys = forms.MultipleChoiceField(
        label=_("Only records in these states"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For records counted in the tallies. None: every record; several: their counts add up."),
    )
    kinds = forms.ModelMultipleChoiceField(
        label=_("Kinds of activity"),
        queryset=ActivityKind.objects.order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    venue_kind = forms.ChoiceField(label=_("Only venue kind"), choices=[("", "—"), *VenueKind.choices], required=False)
    language = forms.ChoiceField(label=_("Only language"), choices=[("", "—"), *Language.choices], required=False)
    outlet_level = forms.ChoiceField(
        label=_("Only outlet level"), choices=[("", "—"), *OutletLevel.choices], required=False
    )
    target = forms.ChoiceField(label=_("Only trained group"), choices=[("", "—"), *Target.choices], required=False)
    numerator = forms.CharField(
        label=_("Numerator (indicator code)"), max_length=60, required=False, help_text=_("For a percentage only.")
    )
    denominator = forms.CharField(
        label=_("Denominator (indicator code)"), max_length=60, required=False, help_text=_("For a percentage only.")
    )
    measure_zh = forms.CharField(label=_("Unit of measure (Chinese)"), max_length=20)
    measure_bo = forms.CharField(label=_("Unit of measure (Tibetan)"), max_length=60)
    measure_en = forms.CharField(label=_("Unit of measure (English)"), max_length=40)
    definition_zh = forms.CharField(
        label=_("Definition (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    definition_bo = forms.CharField(
        label=_("Definition (Tibetan)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    definition_en = forms.CharField(
        label=_("Definition (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial") or {}
        if initial.get("source") and initial.get("keys"):
            initial["keys"] = [f"{initial['source']}:{k}" for k in initial["keys"]]
        super().__init__(*args, **kwargs)
        sources = tally_sources().values()
        self.fields["source"].choices = [
            (DefinedIndicator.LEDGER, _("Activities in the ledger")),
            *((s.name, s.label) for s in sources),
        ]
        self.fields["keys"].choices = [
            (s.label, [(f"{s.name}:{st.code}", st.label) for st in s.states]) for s in sources if len(s.states) > 1
        ]

    def clean_source(self) -> str:
        return self.cleaned_data.get("source") or DefinedIndicator.LEDGER

    def clean(self) -> dict[str, Any]:
        """States are sent as "<source>:<state>": those of the chosen kind of record become
        its states; another's stay whole, for the definition's checks to refuse."""
        data = super().clean()
        source = data.get("source") or DefinedIndicator.LEDGER
        data["keys"] = [
            key.partition(":")[2] if key.partition(":")[0] == source else key for key in data.get("keys") or []
        ]
        return data
