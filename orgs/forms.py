from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import RecordForm, WholeNumberField
from orgs.choices import Rank, UnitKind
from orgs.records import UNIT
from orgs.services import ASSIGNABLE_ROLES


class UnitForm(RecordForm):
    record = UNIT
    record_fields = ("code", "name_zh", "name_bo", "party_members", "headcount")

    code = forms.CharField(label=_("Code"), max_length=32)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_bo = forms.CharField(label=_("Name (Tibetan)"), max_length=240, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    party_members = WholeNumberField(label=_("Party members"), min_value=0, initial=0)
    headcount = WholeNumberField(label=_("Headcount"), min_value=0, required=False)


class UnitEditForm(UnitForm):
    code = None  # codes are identities: they do not change once given
    version = forms.IntegerField(widget=forms.HiddenInput)


class UnitMoveForm(RecordForm):
    parent = forms.CharField(label=_("Code of the new parent unit"), max_length=32)


class UnitCloseForm(RecordForm):
    closed_on = forms.DateField(label=_("Closed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    merged_into = forms.CharField(label=_("Code of the unit it merged into"), max_length=32, required=False)


class AccountForm(RecordForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=120, required=False)
    unit = forms.CharField(label=_("Unit code"), max_length=32)
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in ASSIGNABLE_ROLES])
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)


class PersonFilterForm(RecordForm):
    rank = forms.ChoiceField(label=_("Rank"), choices=[("", _("All ranks")), *Rank.choices], required=False)
    q = forms.CharField(label=_("Name"), required=False)


class TokenForm(RecordForm):
    name = forms.CharField(
        label=pgettext_lazy("api token", "Name"),
        max_length=80,
        help_text=_("Which system will use it, e.g. “city hotline”."),
    )
