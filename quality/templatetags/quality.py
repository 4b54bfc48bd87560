"""``{% load quality %}{% flag_badge row %}``: a small badge on a row that a data-quality
check doubts. A list view calls ``quality.selectors.prefetch_flags(rows)`` (one query for the
page) or passes ``flagged_ids(model, rows)`` as a second argument; without either the tag
looks the row's flags up itself (one query per row: fine on a detail page)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from quality import selectors

register = template.Library()


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
