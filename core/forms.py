from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import records


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form, each message at the field it names (or at the
    top of the form when the field is not on it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


@dataclass
class Outcome:
    """Whether the writes of a ``refusals`` block were refused."""

    refused: bool = False


@contextmanager
def refusals(form: forms.Form) -> Iterator[Outcome]:
    """Run a page's writes (services, and the lookups that refuse as they do); a
    ``ValidationError`` stops the block and is put on the form (``apply_errors``)::

        with refusals(form) as outcome:
            parent = visible_unit(request, data["parent"], "parent")
            services.move_unit(actor=request.user, unit=unit, new_parent=parent)
        if not outcome.refused:
            messages.success(request, _("Unit moved."))
            return redirect(...)
    """
    outcome = Outcome()
    try:
        yield outcome
    except ValidationError as exc:
        outcome.refused = True
        apply_errors(form, exc)


def submit(form: forms.Form, service: Callable[..., Any], /, **kwargs: Any) -> Any:
    """``service(**kwargs)`` for a valid form: what it returned (True when it returned
    nothing), or None when it refused, its errors then put on the form (``refusals``)::

        if request.method == "POST" and form.is_valid():
            unit = submit(form, services.create_unit, actor=request.user, **form.cleaned_data)
            if unit is not None:
                return redirect(...)
    """
    result = None
    with refusals(form):
        found = service(**kwargs)
        result = True if found is None else found
    return result


class WholeNumberInput(forms.TextInput):
    """A count, typed on a phone's numeric keyboard: a text input, since a number input
    drops letters before the form is sent (and the server would then answer "required"
    where the person typed "abc"); what was typed comes back with the server's "enter a
    whole number" in the reader's language. Works without scripts."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class WholeNumberField(forms.IntegerField):
    """``forms.IntegerField`` typed into a ``WholeNumberInput``."""

    widget = WholeNumberInput


class RecordField(forms.Field):
    """A form field that parses through a record's spec (``core.records``): the form
    accepts and refuses exactly what the record's other doors accept and refuse."""

    def __init__(self, spec: Any, **kwargs: Any) -> None:
        self.spec = spec
        kwargs.setdefault("label", spec.label)
        kwargs.setdefault("required", spec.required)
        kwargs.setdefault("widget", _widget(spec))
        super().__init__(**kwargs)
        if isinstance(spec, records.Choice):
            self.widget.choices = [("", "—"), *spec.choices.choices]

    def to_python(self, value: Any) -> Any:
        try:
            return self.spec.parse(value)
        except records.Refused as exc:
            raise ValidationError(exc.message, code="invalid") from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(self.spec, records.Text):
            attrs["maxlength"] = str(self.spec.max_length)
        elif isinstance(self.spec, records.Count):
            attrs["inputmode"] = "numeric"
        return attrs


def _widget(spec: Any) -> forms.Widget:
    if isinstance(spec, records.Count):
        return WholeNumberInput()
    if isinstance(spec, records.Choice):
        return forms.Select()
    if isinstance(spec, records.Day):
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if isinstance(spec, records.Text) and spec.multiline:
        return forms.Textarea(attrs={"rows": 3})
    return forms.TextInput()


class RecordForm(forms.Form):
    """A form whose fields named in ``record_fields`` come from ``record`` (a
    ``core.records.Record``), and whose every other text field refuses control characters."""

    record: Any = None
    record_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.record_fields:
            current = self.fields.get(name)
            if current is None:  # a subclass took the field away
                continue
            field = RecordField(self.record[name])
            field.label = current.label
            field.required = current.required
            field.help_text = current.help_text
            field.initial = current.initial
            field.widget = _keep_widget(current.widget, field)
            self.fields[name] = field

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        for name, value in list((data or {}).items()):
            field = self.fields.get(name)
            if isinstance(value, str) and not isinstance(field, RecordField):
                multiline = isinstance(getattr(field, "widget", None), forms.Textarea)
                if records.has_control_characters(value, multiline=multiline):
                    self.add_error(
                        name, _("Remove the control characters (invisible characters copied with the text).")
                    )
        return data


def _keep_widget(widget: forms.Widget, field: RecordField) -> forms.Widget:
    """The widget a form declared (a textarea's rows, a select's choices) with the spec's
    bounds added."""
    widget.attrs.update(field.widget_attrs(widget))
    widget.is_required = field.required
    return widget
