"""Schemathesis against /api/schema/, over the seeded database: no 5xx, and every response as the schema says.

Each operation gets ``SCHEMATHESIS_MAX_EXAMPLES`` generated requests (25 by default;
valid and invalid parameters alike), sent to the WSGI application in-process.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from cantho.wsgi import application

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))


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
def test_api_conforms_to_its_schema(case, seeded):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
