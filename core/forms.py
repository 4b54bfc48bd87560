from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


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
