"""A bounded schemathesis run over the whole OpenAPI schema, in process against the WSGI
application, with an office admin's token: no server error, no response outside the schema.

Each operation gets ``EXAMPLES`` generated cases (hypothesis, derandomised so that the run is
repeatable); the failures of all operations are gathered and reported together."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from orgs.tokens import create_token

EXAMPLES = 10
# No server error, and every answer (status, content type, headers, body) within the schema.
# Not "positive data acceptance": input the schema allows may still break a rule the schema
# cannot say (an unknown kind code, a date outside the campaign), and that is a 422 by design.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def connection_kept_across_requests():
    """Requests go straight to the WSGI application here, not through Django's test client,
    which would otherwise stop each request from closing the test's database connection
    (its transaction is the test's): do what the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@override_settings(API_TOKEN_RATE_PER_MINUTE=1_000_000)
def test_the_api_answers_every_operation_within_its_schema(office, kinds, record, connection_kept_across_requests):
    record("540102001", title="schemathesis")
    token = create_token(actor=office, name="schemathesis")[1]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Exception as exc:  # gather every operation's failure, then report them all
            failures[operation.label] = str(exc)[:2000]
    assert operations > 30
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
