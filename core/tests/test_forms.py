"""A page's write: a service's refusal lands on the form, each message at its field."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import refusals, submit


class NameForm(forms.Form):
    name = forms.CharField()


def _refuse(**kwargs):
    raise ValidationError({"name": "Already used.", "other": "Not on the form."})


def test_a_refused_write_puts_each_message_at_its_field_and_the_rest_on_top():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    assert submit(form, _refuse, name="x") is None
    assert form.errors["name"] == ["Already used."] and form.non_field_errors() == ["Not on the form."]


def test_a_write_gives_what_the_service_returned_or_true_for_nothing():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    assert submit(form, lambda **kw: kw["name"], name="x") == "x"
    assert submit(form, lambda: None) is True
    assert not form.errors


def test_a_block_of_writes_stops_at_the_first_refusal():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    done = []
    with refusals(form) as outcome:
        _refuse()
        done.append("after")
    assert outcome.refused and not done and form.errors["name"] == ["Already used."]
