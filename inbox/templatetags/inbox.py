"""``{% load inbox %}{% workflow record %}``: the box that says whose turn it is, on the
pages of records with a workflow (a template tag of the higher app in the lower app's
template, which is no import)."""

from __future__ import annotations

from typing import Any

from django import template

from inbox.workflow import workflow as read_workflow

register = template.Library()


@register.inclusion_tag("inbox/_workflow.html")
def workflow(obj: Any, timeline: bool = True) -> dict:
    return {"flow": read_workflow(obj), "show_timeline": timeline}
