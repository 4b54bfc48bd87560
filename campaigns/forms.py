"""Forms of a campaign's set-up pages. Choices are drawn from the office's scope and the
campaign's subtree; the services check both again (``campaigns.services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.choices import CampaignStatus, LeadingPost
from campaigns.models import Campaign
from orgs.choices import Role, UnitKind
from orgs.models import Account, Person, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# People's names and posts are the users' own data, kept in the language they were typed in.
PEOPLE = {"data-user": ""}
# Units that run a campaign or host its office, and units a supervision group covers.
ROOT_KINDS = (UnitKind.REGION, UnitKind.CITY, UnitKind.COUNTY)
OFFICE_KINDS = (UnitKind.REGION, UnitKind.CITY, UnitKind.COUNTY, UnitKind.DEPARTMENT)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} · {obj.post} · {obj.unit.name}" if obj.post else f"{obj.name} · {obj.unit.name}"


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} · {obj.unit.name}"


class AccountsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Account) -> str:
        return f"{obj.display_name} ({obj.username})" if obj.display_name else obj.username


def _scope_units(user: Any, kinds: tuple[str, ...]):
    units = Unit.objects.filter(kind__in=kinds, active=True).order_by("path")
    return units if user.is_superuser else units.visible_to(user)


def _period_errors(form: forms.Form, cleaned: dict[str, Any]) -> None:
    start, end = cleaned.get("start"), cleaned.get("end")
    if start and end and end < start:
        form.add_error("end", _("The campaign cannot end before it starts (%(start)s).") % {"start": start.isoformat()})


class CampaignForm(forms.Form):
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=120)
    name_bo = forms.CharField(label=_("name (Tibetan)"), max_length=240)
    goal_words_zh = forms.CharField(label=_("goal words (Chinese)"), max_length=240, required=False)
    goal_words_bo = forms.CharField(label=_("goal words (Tibetan)"), max_length=480, required=False)
    start = forms.DateField(label=_("start"), widget=DATE)
    end = forms.DateField(label=_("end"), widget=DATE)
    root_unit = UnitChoiceField(
        label=_("root unit"),
        queryset=Unit.objects.none(),
        help_text=_("The unit whose whole subtree runs the campaign."),
    )
    office_unit = UnitChoiceField(
        label=_("office"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("The unit that hosts the campaign office."),
    )
    status = forms.ChoiceField(label=_("status"), choices=CampaignStatus.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["root_unit"].queryset = _scope_units(user, ROOT_KINDS)
        self.fields["office_unit"].queryset = _scope_units(user, OFFICE_KINDS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _period_errors(self, cleaned)
        return cleaned


def campaign_initial(campaign: Campaign) -> dict[str, Any]:
    names = ("name_zh", "name_bo", "goal_words_zh", "goal_words_bo", "start", "end", "status")
    return {
        **{n: getattr(campaign, n) for n in names},
        "root_unit": campaign.root_unit,
        "office_unit": campaign.office_unit,
    }


def _leading_people(campaign: Campaign, held: list[int]):
    """People of the campaign's root and of the units right below it, those a leading group
    and a supervision group are drawn from, and the people the form already ``held``."""
    root = campaign.root_unit
    near = Q(unit__path__startswith=root.path, unit__depth__lte=root.depth + 1, active=True)
    return Person.objects.filter(near | Q(pk__in=held)).select_related("unit").order_by("unit__path", "rank", "name_zh")


def _held(initial: dict[str, Any], *names: str) -> list[int]:
    out: list[int] = []
    for name in names:
        value = initial.get(name)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                out.append(item.pk)
    return out


class LeadingMemberForm(forms.Form):
    person = PersonChoiceField(label=_("person"), queryset=Person.objects.none(), widget=forms.Select(attrs=PEOPLE))
    post = forms.ChoiceField(label=_("post"), choices=LeadingPost.choices)
    title = forms.CharField(label=pgettext_lazy("job title", "Title"), max_length=120, required=False)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _leading_people(campaign, _held(self.initial, "person"))


class GroupForm(forms.Form):
    number = forms.IntegerField(label=_("number"), min_value=1, max_value=999)
    head = PersonChoiceField(label=_("head"), queryset=Person.objects.none(), widget=forms.Select(attrs=PEOPLE))
    members = PeopleField(
        label=_("members"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    accounts = AccountsField(
        label=_("accounts"),
        queryset=Account.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The supervisors' accounts: each sees the units the group covers."),
    )
    units = UnitsField(
        label=_("units covered"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each unit with everything below it."),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = campaign.root_unit
        people = _leading_people(campaign, _held(self.initial, "head", "members"))
        self.fields["head"].queryset = people
        self.fields["members"].queryset = people
        self.fields["accounts"].queryset = (
            Account.objects.filter(unit__path__startswith=root.path, is_active=True)
            .filter(Q(role=Role.SUPERVISOR) | Q(supervision_groups__campaign=campaign))
            .distinct()
            .order_by("username")
        )
        near = Q(path__startswith=root.path, depth__gt=root.depth, depth__lte=root.depth + 2, active=True) & ~Q(
            kind__in=(UnitKind.PARTY_COMMITTEE, UnitKind.PARTY_GENERAL_BRANCH, UnitKind.PARTY_BRANCH)
        )
        held = _held(self.initial, "units")
        self.fields["units"].queryset = Unit.objects.filter(near | Q(pk__in=held)).order_by("path")


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        return f"{obj.name} ({obj.start:%Y-%m-%d} — {obj.end:%Y-%m-%d})"


class CopyForm(forms.Form):
    source = CampaignChoiceField(label=_("copy from"), queryset=Campaign.objects.none())
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=120)
    name_bo = forms.CharField(label=_("name (Tibetan)"), max_length=240)
    start = forms.DateField(label=_("start"), widget=DATE)
    end = forms.DateField(label=_("end"), widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Campaign.objects.visible_to(user).select_related("root_unit")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _period_errors(self, cleaned)
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(label=_("campaign document"))
    root_unit = UnitChoiceField(
        label=_("root unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave empty to use the unit the document names."),
    )
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=120, required=False)
    name_bo = forms.CharField(label=_("name (Tibetan)"), max_length=240, required=False)
    start = forms.DateField(label=_("start"), widget=DATE, required=False)
    end = forms.DateField(label=_("end"), widget=DATE, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["root_unit"].queryset = _scope_units(user, ROOT_KINDS)
        for name in ("name_zh", "name_bo", "start", "end"):
            self.fields[name].help_text = _("Leave empty to keep the document's.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _period_errors(self, cleaned)
        if bool(cleaned.get("start")) != bool(cleaned.get("end")) and not self.has_error("start"):
            self.add_error("end", _("Give both days of the new period, or neither."))
        return cleaned
