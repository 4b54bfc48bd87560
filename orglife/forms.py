from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import RecordForm, WholeNumberField
from orglife.choices import FindingSource, MeasureStatus
from orglife.models import FindingCategory
from orglife.records import MEASURE, MEETING
from orglife.services import FindingRow, TalkRow
from orgs.choices import PARTY_ORGANISATION_KINDS, UnitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def parse_date(value: str) -> datetime.date | str | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return value


def split_line(line: str) -> list[str]:
    sep = "\t" if "\t" in line else "|"
    return [cell.strip() for cell in line.split(sep)]


class NoticeForm(RecordForm):
    root_unit = forms.CharField(label=_("For the units under (code)"), max_length=32)
    theme_zh = forms.CharField(label=_("Theme (Chinese)"), max_length=200)
    theme_bo = forms.CharField(label=_("Theme (Tibetan)"), max_length=400, required=False)
    window_from = forms.DateField(label=_("Held from"), widget=DATE)
    window_to = forms.DateField(label=_("Held until"), widget=DATE)
    method = forms.CharField(label=_("Method"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    steps = forms.CharField(label=_("Steps"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    expected_kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation that must meet"),
        choices=[(k.value, k.label) for k in PARTY_ORGANISATION_KINDS],
        widget=forms.CheckboxSelectMultiple,
        initial=[UnitKind.PARTY_BRANCH],
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)


class MeetingForm(RecordForm):
    record = MEETING
    record_fields = ("place", "chair_name", "attendee_count", "agenda")

    unit = forms.CharField(label=_("Party organisation (code)"), max_length=32)
    date = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chair_name = forms.CharField(label=_("Chaired by"), max_length=120, required=False)
    attendee_count = WholeNumberField(label=_("Members attending"), min_value=0, initial=0)
    leaders = forms.ModelMultipleChoiceField(
        label=_("Leaders attending as ordinary members"),
        queryset=None,
        required=False,
        help_text=_("Leaders of higher rank who attend their own branch's meeting as ordinary members."),
    )
    supervisors = forms.ModelMultipleChoiceField(label=_("Supervisors present"), queryset=None, required=False)
    touring_group_present = forms.BooleanField(label=_("The region's touring guidance group attended"), required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    minutes = forms.FileField(label=_("Minutes"), required=False)
    sign_in_sheet = forms.FileField(label=_("Sign-in sheet"), required=False)

    def __init__(self, *args, leaders=None, supervisors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = leaders
        self.fields["supervisors"].queryset = supervisors


class TalksForm(RecordForm):
    unit = forms.CharField(label=_("Unit (code)"), max_length=32)
    lines = forms.CharField(
        label=_("Talks, one a line: date | who | with whom"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": _("2021-10-12 | Tashi | Tsering")}),
    )

    def rows(self) -> list[TalkRow]:
        out = []
        for n, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            cells = split_line(line) + ["", "", ""]
            day = parse_date(cells[0])
            out.append(
                TalkRow(row=n, date=day if isinstance(day, datetime.date) else None, name_a=cells[1], name_b=cells[2])
            )
        return out


class TalkImportForm(RecordForm):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))


class FindingBatchForm(RecordForm):
    unit = forms.CharField(label=_("Unit (code)"), max_length=32)
    source = forms.ChoiceField(
        label=pgettext_lazy("orglife", "Source"),
        choices=[(c.value, c.label) for c in FindingSource if c != FindingSource.INSPECTION],
    )
    meeting = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label=_("Date"), widget=DATE)
    lines = forms.CharField(
        label=_("Findings, one a line: person | category | problem | measure | responsible | deadline"),
        help_text=_(
            "Leave the person empty for the organisation's own problems; paste from a spreadsheet (tabs) or use |."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def rows(self) -> list[FindingRow]:
        out = []
        for n, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            cells = split_line(line) + [""] * 6
            out.append(
                FindingRow(
                    row=n,
                    person_name=cells[0],
                    category=cells[1],
                    text=cells[2],
                    measure=cells[3],
                    owner=cells[4],
                    deadline=parse_date(cells[5]),
                )
            )
        return out


class FindingImportForm(RecordForm):
    unit = forms.CharField(label=_("Unit (code)"), max_length=32)
    source = forms.ChoiceField(
        label=pgettext_lazy("orglife", "Source"),
        choices=[(c.value, c.label) for c in FindingSource if c != FindingSource.INSPECTION],
    )
    meeting = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label=_("Date"), widget=DATE)
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))


class MeasureForm(RecordForm):
    record = MEASURE
    record_fields = ("text", "owner")

    text = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Responsible"), max_length=120)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)


class DoneForm(RecordForm):
    record = MEASURE
    record_fields = ("evidence_note",)

    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    evidence = forms.FileField(label=_("Evidence file"), required=False)
    evidence_note = forms.CharField(
        label=_("Evidence (written account)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class VerifyForm(RecordForm):
    verified_on = forms.DateField(label=_("Verified on"), widget=DATE)


class RefuseForm(RecordForm):
    record = MEASURE
    record_fields = ("reason",)

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(RecordForm):
    closed_on = forms.DateField(label=pgettext_lazy("measure", "Closed on"), widget=DATE)


class InspectionForm(RecordForm):
    unit = forms.CharField(label=_("Unit (code)"), max_length=32)
    date = forms.DateField(label=_("Date"), widget=DATE)
    checked = forms.CharField(label=_("What was checked"), widget=forms.Textarea(attrs={"rows": 3}))
    lines = forms.CharField(
        label=_("Problems raised, one a line: person | category | problem | measure | responsible | deadline"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    rows = FindingBatchForm.rows


class MeasureFilterForm(RecordForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *MeasureStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class FindingFilterForm(RecordForm):
    category = forms.ChoiceField(label=pgettext_lazy("orglife", "Category"), required=False)
    source = forms.ChoiceField(
        label=pgettext_lazy("orglife", "Source"),
        choices=[("", _("All sources")), *FindingSource.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.code, c.name) for c in FindingCategory.objects.filter(active=True)
        ]
