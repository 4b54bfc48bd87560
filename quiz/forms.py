from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RecordForm, WholeNumberField
from quiz.choices import Difficulty, QuestionType
from quiz.models import Category, Tag

OPTION_ROWS = 6


class LightSignInForm(RecordForm):
    name = forms.CharField(label=_("Your name"), max_length=60)
    unit = forms.IntegerField(label=_("Your unit"), widget=forms.HiddenInput, required=False)
    code = forms.CharField(
        label=_("One-time code"), max_length=16, help_text=_("The code on the slip your unit gave you.")
    )


class QuestionForm(RecordForm):
    key = forms.SlugField(label=_("Key"), max_length=40)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    difficulty = forms.TypedChoiceField(label=_("Difficulty"), choices=Difficulty.choices, coerce=int)
    text_zh = forms.CharField(label=_("Text (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_bo = forms.CharField(label=_("Text (Tibetan)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    explanation_zh = forms.CharField(
        label=_("Explanation (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    explanation_bo = forms.CharField(
        label=_("Explanation (Tibetan)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    source = forms.CharField(label=_("Source"), max_length=240, required=False)
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    publish = forms.BooleanField(label=_("Published"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(OPTION_ROWS):
            self.fields[f"option_{i}_zh"] = forms.CharField(
                label=_("Option %(letter)s (Chinese)") % {"letter": "ABCDEF"[i]}, max_length=400, required=False
            )
            self.fields[f"option_{i}_bo"] = forms.CharField(
                label=_("Option %(letter)s (Tibetan)") % {"letter": "ABCDEF"[i]}, max_length=800, required=False
            )
            self.fields[f"option_{i}_right"] = forms.BooleanField(label=_("right"), required=False)

    def option_rows(self):
        return [
            (
                "ABCDEF"[i],
                self[f"option_{i}_zh"],
                self[f"option_{i}_bo"],
                self[f"option_{i}_right"],
            )
            for i in range(OPTION_ROWS)
        ]

    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("option_")]


class BankFilterForm(RecordForm):
    q = forms.CharField(label=_("Text or key"), required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), ("draft", _("Draft")), ("published", _("Published"))],
        required=False,
    )


class ImportForm(RecordForm):
    file = forms.FileField(label=_("Workbook (.xlsx)"))


class QuizForm(RecordForm):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_bo = forms.CharField(label=_("Title (Tibetan)"), max_length=400)
    unit = forms.CharField(label=_("Unit code"), max_length=32, help_text=_("Who may take it: this unit's subtree."))
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    time_limit_seconds = WholeNumberField(label=_("Time limit (seconds)"), min_value=60, initial=1200)
    attempts_allowed = WholeNumberField(label=_("Attempts allowed"), min_value=1, initial=1)
    pass_mark = WholeNumberField(label=_("Pass mark (%)"), min_value=0, max_value=100, initial=60)
    min_seconds_per_question = forms.DecimalField(
        label=_("Minimum seconds per question"), min_value=0, max_digits=4, decimal_places=1, initial=2
    )


class CodesForm(RecordForm):
    count = WholeNumberField(label=_("Number of codes"), min_value=1, max_value=50000, initial=100)
