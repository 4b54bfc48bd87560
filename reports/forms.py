from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reports.choices import BuildFormat, ReportLanguage
from reports.templates_text import SECTIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    """Which report: a unit (by code, inside the reader's scope), an as-of date, a language."""

    unit = forms.CharField(label=_("Unit code"), required=False, max_length=32)
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices, required=False)


class BuildForm(ReportForm):
    format = forms.ChoiceField(label=_("Format"), choices=BuildFormat.choices)


class RangeForm(forms.Form):
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=32)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)


class DraftForm(forms.Form):
    """Free text before and after each section (and a replacement for the lead). No digits:
    figures come only from indicators."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_text"] = forms.CharField(
            label=_("Lead paragraph (leave empty for the generated one)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        for section in SECTIONS:
            for pos, label in (("before", _("Before “%(section)s”")), ("after", _("After “%(section)s”"))):
                self.fields[f"{section.key}_{pos}"] = forms.CharField(
                    label=label % {"section": section.title_bo if get_language() == "bo" else section.title_zh},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def texts(self) -> dict:
        data = self.cleaned_data
        texts: dict[str, dict[str, str]] = {"lead": {"text": data.get("lead_text", "")}}
        for section in SECTIONS:
            texts[section.key] = {pos: data.get(f"{section.key}_{pos}", "") for pos in ("before", "after")}
        return texts

    @staticmethod
    def initial_from(texts: dict) -> dict:
        initial = {"lead_text": (texts.get("lead") or {}).get("text", "")}
        for section in SECTIONS:
            for pos in ("before", "after"):
                initial[f"{section.key}_{pos}"] = (texts.get(section.key) or {}).get(pos, "")
        return initial
