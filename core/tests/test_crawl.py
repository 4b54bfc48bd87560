"""Walk every URL pattern with every persona and make sure nothing outside a persona's scope
is ever shown, and that reading a page (GET) writes nothing to the database.

Each URL parameter needs a provider that gives, for a persona, a value inside its scope and
one outside it. Apps declare theirs in ``<app>/tests/crawl.py`` as ``PARAMS = {name: fn}``
with ``fn(account, inside: bool) -> str | int | None``; a URL with a parameter nobody
provides fails this test, so a new page cannot slip past it.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PERSONAS
from core.testing import Writes
from orgs.models import Account

# Pages that are not about any unit's data; they are still walked for errors.
PUBLIC = {"login", "logout", "set_language", "health"}

# Strings that must never appear in a page shown to a persona: codes of units outside it.
CANARIES = {
    "office": ["540200", "540202"],
    "leader": ["540200", "540202"],
    "cg_office": ["540104", "540200"],
    "cg_reporter": ["540104", "540200"],
    "dz_reporter": ["540102", "540200"],
    "supervisor": ["540102", "540200"],
    "participant": ["540104", "540200"],
}


def _providers():
    found = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.crawl")
        except ModuleNotFoundError:
            continue
        found.update(module.PARAMS)
    return found


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern), entry


def _build_path(route: str, values: dict) -> str:
    def sub(match):
        return str(values[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)


def _params(route: str) -> list[str]:
    return [m.group(2) for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route)]


ALL = list(_patterns())


def test_every_url_parameter_has_a_provider():
    providers = _providers()
    missing = {(name, p) for name, route, _ in ALL for p in _params(route) if p not in providers}
    assert not missing, f"URL parameters without a crawl provider: {sorted(missing)}"


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_page_shows_anything_outside_the_personas_scope_and_no_get_writes(persona, db):
    account = Account.objects.get(username=PERSONAS[persona])
    client = Client()
    client.force_login(account)
    providers = _providers()
    checked = 0
    written: dict[str, list[str]] = {}
    for name, route, _entry in ALL:
        if route.startswith("admin/") or name in PUBLIC:
            continue
        params = _params(route)
        inside = {p: providers[p](account, True) for p in params}
        outside = {p: providers[p](account, False) for p in params}
        if params and all(v is not None for v in outside.values()):
            # Any one parameter pointing outside scope must be refused.
            for p in params:
                values = dict(inside)
                values[p] = outside[p]
                if any(v is None for v in values.values()):
                    continue
                path = _build_path(route, values)
                for method in ("get", "post"):
                    with Writes() as writes:
                        response = getattr(client, method)(path)
                    if method == "get" and writes.statements:
                        written[path] = writes.statements
                    assert response.status_code in (403, 404, 405), (persona, method, path, response.status_code)
                    checked += 1
        if any(v is None for v in inside.values()):
            continue
        path = _build_path(route, inside)
        with Writes() as writes:
            response = client.get(path)
        if writes.statements:
            written[path] = writes.statements
        assert response.status_code in (200, 302, 403, 404, 405), (persona, path, response.status_code)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/"):
            body = response.content.decode()
            for canary in CANARIES[persona]:
                assert canary not in body, (persona, path, canary)
        checked += 1
    assert checked > 10
    assert not written, f"GET requests that wrote to the database: {written}"
