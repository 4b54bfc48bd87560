"""Which database a request's reads go to when a hot standby is configured (core/replicas.py).

The standby itself is exercised by ``scripts/cluster test`` (a real primary and a real standby);
here the decisions are checked one by one, with the replica declared present and healthy, and
real writes on the test database.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core import replicas
from orgs.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_replica(monkeypatch, settings):
    settings.XUEJIAO_REPLICA_PATHS = ["/reports/dashboard/"]
    settings.XUEJIAO_REPLICA_PIN_SECONDS = 15
    monkeypatch.setattr(replicas, "configured", lambda: True)
    health = {"name": "ok"}
    monkeypatch.setattr(replicas, "state", lambda fresh=False: replicas.State(health["name"], 0.0, 0.0))
    cache.clear()
    return health


def run(request, body=lambda: None):
    """The middleware around a view that runs ``body`` and says where a read would go before
    and after it."""
    seen = {}

    def view(req):
        seen["before"] = replicas.ReplicaRouter().db_for_read(Unit)
        body()
        seen["after"] = replicas.ReplicaRouter().db_for_read(Unit)
        from django.http import HttpResponse

        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(view)(request)
    return seen, response


def test_a_figure_page_read_by_a_signed_in_reader_goes_to_the_replica(with_replica):
    request = RequestFactory().get("/reports/dashboard/", HTTP_COOKIE="sessionid=abc")
    seen, _ = run(request)
    assert seen == {"before": "replica", "after": "replica"}


def test_pages_outside_the_figure_paths_and_every_post_read_the_primary(with_replica):
    factory = RequestFactory()
    assert run(factory.get("/concerns/"))[0]["before"] is None
    assert run(factory.post("/reports/dashboard/"))[0]["before"] is None


def test_a_request_that_writes_reads_its_own_write_and_pins_its_sender(with_replica):
    request = RequestFactory().get("/reports/dashboard/", HTTP_COOKIE="sessionid=writer")
    seen, _ = run(request, lambda: Unit.objects.filter(pk=-1).update(name_zh="x"))
    assert seen == {"before": "replica", "after": None}
    again = RequestFactory().get("/reports/dashboard/", HTTP_COOKIE="sessionid=writer")
    assert run(again)[0]["before"] is None, "the writer's next read is on the primary"
    other = RequestFactory().get("/reports/dashboard/", HTTP_COOKIE="sessionid=someone-else")
    assert run(other)[0]["before"] == "replica", "another reader is not pinned"


def test_the_session_saved_on_every_request_is_no_write_but_a_changed_session_pins(with_replica):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    touched = RequestFactory().get("/reports/dashboard/", HTTP_COOKIE="sessionid=reader")
    touched.session = SessionStore()
    seen, _ = run(touched, lambda: Session.objects.filter(pk="reader").update(expire_date=timezone.now()))
    assert seen == {"before": "replica", "after": "replica"}
    assert run(RequestFactory().get("/reports/dashboard/", HTTP_COOKIE="sessionid=reader"))[0]["before"] == "replica"

    changed = RequestFactory().get("/reports/dashboard/", HTTP_COOKIE="sessionid=chooser")
    changed.session = SessionStore()
    changed.session["scope"] = "540102"
    run(changed)
    assert run(RequestFactory().get("/reports/dashboard/", HTTP_COOKIE="sessionid=chooser"))[0]["before"] is None


def test_an_api_token_that_wrote_is_pinned_like_a_session(with_replica):
    auth = {"HTTP_AUTHORIZATION": "Bearer xj_abc_secret"}
    run(RequestFactory().post("/api/v1/activities", **auth), lambda: Unit.objects.filter(pk=-1).update(name_zh="x"))
    with_replica_paths = RequestFactory().get("/reports/dashboard/", **auth)
    assert run(with_replica_paths)[0]["before"] is None
    assert "secret" not in replicas._pin_key("Bearer xj_abc_secret"), "the cache never holds a credential"


def test_a_lagging_or_absent_replica_is_not_read(with_replica):
    for name in ("lagging", "down"):
        with_replica["name"] = name
        request = RequestFactory().get("/reports/dashboard/", HTTP_COOKIE="sessionid=abc")
        assert run(request)[0]["before"] is None


def test_without_a_replica_nothing_changes(settings):
    request = RequestFactory().get("/reports/dashboard/")
    seen, response = run(request, lambda: Unit.objects.filter(pk=-1).update(name_zh="x"))
    assert seen == {"before": None, "after": None}
    assert "replica" not in settings.DATABASES
    assert replicas.ReplicaRouter().allow_migrate("default", "orgs") is True
    assert replicas.ReplicaRouter().allow_migrate("replica", "orgs") is False
