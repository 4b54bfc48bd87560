"""Marks for what a page shows that is not the platform's own words.

``{{ value|user_data }}`` wraps a value that users typed (a person's name, a title) or a proper
name in ``<span data-user>``: it is shown as written, in whatever language it was written, and
the browser test of the pages' languages (core/tests/test_words_browser.py) leaves it alone."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def user_data(value):
    return format_html('<span data-user="">{}</span>', value)
