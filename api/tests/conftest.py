"""Fixtures of the API tests: a token per persona and a client that sends it."""

from __future__ import annotations

import json

import pytest
from django.test import Client


class ApiClient:
    """The Django test client with a bearer token and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, body) -> object:
        return getattr(self.client, method)(
            path, json.dumps(body) if body is not None else "", content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body=None):
        return self._send("post", path, body)

    def patch(self, path: str, body=None):
        return self._send("patch", path, body)

    def delete(self, path: str):
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def token_for(db):
    """``token_for(account)`` -> the secret of a new token of that account."""
    from api.services import create_token

    def make(account, name: str = "test") -> str:
        return create_token(actor=account, name=name)[1]

    return make


@pytest.fixture
def api_as(token_for):
    """``api_as(account)`` -> an ApiClient acting with a new token of that account."""
    return lambda account: ApiClient(token_for(account))


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield


JULY = "2021-07-01"


@pytest.fixture
def kinds(db):
    from ledger.catalogue import ensure_kinds
    from ledger.models import ActivityKind

    ensure_kinds()
    return {k.code: k for k in ActivityKind.objects.all()}


@pytest.fixture
def record(office, kinds):
    """Record an activity through the ledger's service: ``record("540102001", title="x")``."""
    import datetime

    from ledger import services
    from orgs.models import Unit

    def make(code="540102001", kind="collective_study", date=datetime.date(2021, 7, 1), actor=None, **fields):
        fields.setdefault("sessions", 1)
        return services.record_activity(
            actor=actor or office, unit=Unit.objects.get(code=code), kind=kinds[kind], date=date, **fields
        )

    return make


def locs(response) -> list:
    """The ``loc`` of every problem of a 422 answer."""
    return [tuple(item["loc"]) for item in response.json()["detail"]]
