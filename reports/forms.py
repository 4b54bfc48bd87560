from django import forms
from django.utils.translation import gettext_lazy as _

from reports import template
from reports.choices import BuildFormat, ReportLanguage

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

    def __init__(self, *args, sections: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.fields["lead_text"] = forms.CharField(
            label=_("Lead paragraph (leave empty for the generated one)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        for section in sections:
            title = template.section_title(section, template.reader_language())
            for pos, label in (("before", _("Before “%(section)s”")), ("after", _("After “%(section)s”"))):
                self.fields[f"{section['key']}_{pos}"] = forms.CharField(
                    label=label % {"section": title},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def texts(self) -> dict:
        data = self.cleaned_data
        texts: dict[str, dict[str, str]] = {"lead": {"text": data.get("lead_text", "")}}
        for section in self.sections:
            key = section["key"]
            texts[key] = {pos: data.get(f"{key}_{pos}", "") for pos in ("before", "after")}
        return texts

    @staticmethod
    def initial_from(texts: dict, sections: list[dict]) -> dict:
        initial = {"lead_text": (texts.get("lead") or {}).get("text", "")}
        for section in sections:
            for pos in ("before", "after"):
                initial[f"{section['key']}_{pos}"] = (texts.get(section["key"]) or {}).get(pos, "")
        return initial


def _sentence_field(label) -> forms.CharField:
    # Not stripped and not limited here: the template's checks name the character at fault.
    return forms.CharField(label=label, required=False, strip=False, widget=forms.Textarea(attrs={"rows": 4}))


class SentenceForm(forms.Form):
    """One sentence of the report template in Chinese and Tibetan (and an English gloss), with
    the version of the template it was opened at."""

    zh = _sentence_field(_("Chinese"))
    bo = _sentence_field(_("Tibetan"))
    en = _sentence_field(_("English (optional)"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, paragraphs: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in template.LANGUAGES:  # the template's checks name a control character's place
            self.fields[name].validators = []
        if paragraphs is not None:  # a new sentence: at the end of which paragraph
            choices = [(i, _("Paragraph %(n)s") % {"n": i + 1}) for i in range(paragraphs)]
            choices.append((paragraphs, _("A new paragraph")))
            self.fields["paragraph"] = forms.TypedChoiceField(
                label=_("Paragraph"), choices=choices, coerce=int, initial=max(paragraphs - 1, 0)
            )

    def texts(self) -> dict:
        return {k: self.cleaned_data.get(k, "").strip() for k in template.LANGUAGES}


LINE = forms.Textarea(attrs={"rows": 2})  # a title is long: it wraps on a phone


class LineForm(forms.Form):
    """A line of the report's head or close (its title, subtitle, issuing office, date of
    issue) in Chinese and Tibetan (and English), with the version of the template it was
    opened at."""

    zh = forms.CharField(label=_("Chinese"), required=False, strip=False, widget=LINE)
    bo = forms.CharField(label=_("Tibetan"), required=False, strip=False, widget=LINE)
    en = forms.CharField(label=_("English (optional)"), required=False, strip=False, widget=LINE)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in template.LANGUAGES:  # the template's checks name a control character's place
            self.fields[name].validators = []

    def texts(self) -> dict:
        return {k: self.cleaned_data.get(k, "").strip() for k in template.LANGUAGES}


class SectionForm(forms.Form):
    """A section's titles and whether it is left out when none of its figures has a value."""

    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        required=False,
        help_text=_("Lower-case letters, digits and underscores; it names the section in links and exports."),
    )
    title_zh = forms.CharField(label=_("Title (Chinese)"), required=False, strip=False)
    title_bo = forms.CharField(label=_("Title (Tibetan)"), required=False, strip=False)
    title_en = forms.CharField(label=_("Title (English)"), required=False, strip=False)
    needs_data = forms.BooleanField(
        label=_("Leave the section out when none of its figures has a value"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in template.LANGUAGES:  # the template's checks name a control character's place
            self.fields[f"title_{name}"].validators = []

    def titles(self) -> dict:
        return {k: self.cleaned_data.get(f"title_{k}", "").strip() for k in template.LANGUAGES}


class FigureForm(forms.Form):
    """The figure to insert into a sentence: an indicator, its rounding, its measure words."""

    code = forms.ChoiceField(label=_("Indicator"), required=False)
    style = forms.ChoiceField(label=_("Rounding"), required=False)
    measure_zh = forms.CharField(label=_("Measure word (Chinese)"), required=False, max_length=20)
    measure_bo = forms.CharField(label=_("Measure word (Tibetan)"), required=False, max_length=60)

    def __init__(self, *args, indicators: list[tuple[str, str]], **kwargs):
        from reports import numbers

        super().__init__(*args, prefix="figure", **kwargs)
        self.fields["code"].choices = [(code, f"{code} · {label}") for code, label in indicators]
        self.fields["style"].choices = [
            (numbers.AS_COUNTED, _("As counted, in ten-thousands from 10,000 (2.8 wan)")),
            (numbers.ROUNDED, _("A round figure and more (4000 and more)")),
            (numbers.EXACT, _("Exact (28036)")),
        ]
