"""``{% load quality %}``: the data-quality flags on the pages of the other apps.

``{% flag_badge row %}`` puts a small badge on a row that a check doubts. A list first says
``{% fetch_flags page %}`` (a page, a queryset or a list of rows of one model): the doubtful
flags of all its rows are read in one query and kept on the rows, so that the badges need
none. Without it the badge looks the row's flags up itself (one query per row: fine on a
detail page). ``{% flag_badge row ids %}`` takes the ids of the flagged rows instead
(``selectors.flagged_ids``) and shows a plain badge."""

from __future__ import annotations

from django import template
from django.core.paginator import Page
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from quality import selectors

register = template.Library()


@register.simple_tag
def fetch_flags(rows) -> str:
    """Read the doubtful flags of every row of ``rows`` in one query and keep them on the
    rows (``quality_flags``) for ``flag_badge``. Renders nothing."""
    if rows is None:
        return ""
    if isinstance(rows, Page) and not isinstance(rows.object_list, list):
        rows.object_list = list(rows.object_list)  # the rows the page's loop shows
    selectors.prefetch_flags([row for row in rows if getattr(row, "quality_flags", None) is None])
    return ""


@register.simple_tag
def flag_badge(row, ids=None):
    if row is None or getattr(row, "pk", None) is None:
        return ""
    if ids is not None:
        if row.pk not in ids:
            return ""
        return format_html(
            '<span class="badge warn" data-testid="flag-badge" title="{}">{}</span>',
            _("A data-quality check doubts this row."),
            _("flagged"),
        )
    flags = getattr(row, "quality_flags", None)
    if flags is None:
        flags = selectors.flags_for(row)
    if not flags:
        return ""
    names = format_html_join("; ", "{}", ((f.check_item.name,) for f in flags))
    severe = any(f.check_item.severity == "high" for f in flags)
    return format_html(
        '<span class="badge {}" data-testid="flag-badge" title="{}">{}</span>',
        "bad" if severe else "warn",
        names,
        _("flagged"),
    )
