"""Panels that apps put on another app's page, so that the page's app imports none of them.

An app declares ``<name> = (template name, "module.function")`` on its AppConfig (e.g.
``home_panel``); the page renders ``declared_panels("<name>", request, ...)``. The function
takes the request and whatever the page passes after it, and returns the panel's context, or
None to show nothing. Panels come in the order of ``INSTALLED_APPS``."""

from __future__ import annotations

from django.apps import apps
from django.template.loader import render_to_string
from django.utils.module_loading import import_string


def declared_panels(name: str, request, *args) -> list[str]:
    panels: list[str] = []
    for config in apps.get_app_configs():
        declared = getattr(config, name, None)
        if declared:
            template, provider = declared
            context = import_string(provider)(request, *args)
            if context is not None:
                panels.append(render_to_string(template, context, request))
    return panels
