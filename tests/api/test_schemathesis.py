"""Schemathesis against /api/schema/, over the seeded database: no 5xx, and every response as the schema says.

Each operation gets Schemathesis' deterministic coverage cases (boundary and invalid values of
every parameter) and ``SCHEMATHESIS_MAX_EXAMPLES`` generated requests (25 by default; valid and
invalid parameters alike), sent to the WSGI application in-process.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from cantho.wsgi import application

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))


@pytest.fixture
def in_test_transaction(seeded):
    """Requests sent straight to the WSGI application, like Django's test client: the end of a request must not
    close the database connection, which holds the test's transaction (and the seeds)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


#: Loaded once at collection: building the schema needs no database (the lazy ``from_fixture`` loader does not run on pytest 9).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, in_test_transaction):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
