from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ledger.choices import CHOICE_FIELDS, OPTIONAL_FIELDS, Family, Language, Section, VenueKind
from ledger.models import ActivityKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIELD_LABELS = dict(OPTIONAL_FIELDS)


class ActivityForm(forms.Form):
    """The entry form of one kind: unit and date, then only the fields the kind uses, the
    required ones first. Built so that a reporter on a phone enters a session in a minute."""

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
            if name in ("sessions", "participants", "copies"):
                field: forms.Field = forms.IntegerField(
                    label=label,
                    min_value=0,
                    required=required,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                )
            elif name in CHOICE_FIELDS:
                field = forms.ChoiceField(
                    label=label, choices=[("", "—"), *CHOICE_FIELDS[name].choices], required=required
                )
            elif name == "notes":
                field = forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))
            else:
                field = forms.CharField(label=label, required=required, max_length=300)
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
