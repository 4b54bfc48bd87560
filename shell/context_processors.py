"""The navigation follows the seed's sections. An app that has pages declares its section
on its AppConfig as ``nav_section = (order, label, url name, roles or None)`` (or several,
as ``nav_sections = [...]``); an app that declares none has no entry, so a section not
built yet is never shown. ``None`` for roles means every staff role."""

from __future__ import annotations

import functools
from typing import Any

from django.apps import apps
from django.urls import reverse

from orgs.access import has_role


@functools.cache  # the apps and their sections are fixed once Django has started
def _sections():
    found: list[tuple[Any, str]] = []
    for config in apps.get_app_configs():
        sections = list(getattr(config, "nav_sections", []))
        section = getattr(config, "nav_section", None)
        if section:
            sections.append(section)
        found.extend((section, config.name) for section in sections)
    return sorted(found, key=lambda item: item[0][0])


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    items = []
    for (_order, label, url_name, roles), _app in _sections():
        if roles is None:
            roles = ("office_admin", "reporter", "leader", "supervisor")
        if not has_role(user, *roles):
            continue
        url = reverse(url_name)
        items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return {"nav_sections": items}
