"""Property-based test of the whole API against its own OpenAPI schema (schemathesis, in-process over WSGI):
whatever the input, no operation answers with a server error, and every answer matches the schema.

The schema is loaded when the module is imported (serving /api/openapi.json reads no database); each operation
becomes one test that runs in its own database transaction, with an administrator's token so that every household,
member and assessment is reachable. (`schemathesis.pytest.from_fixture` would load the schema per test, but it
does not work with pytest 9, whose nodes no longer have `_nodeid`.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from giamngheo.accounts.services import token_create

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


class _Token:
    raw = ""


@schema.auth(refresh_interval=None)
class AdminBearer:
    """The token of the current test's administrator (a new one per test: each test has its own database)."""

    def get(self, case: Any, context: Any) -> str:
        return _Token.raw

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def admin_token(personas: Any, assessments: Any) -> Iterator[str]:
    # The requests run inside the test's transaction: Django must not close the connection between them (its
    # test client makes the same arrangement).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    _Token.raw = token_create(user=personas.admin, name="schemathesis")[1]
    try:
        yield _Token.raw
    finally:
        _Token.raw = ""
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
# Derandomized: the same examples on every run, so the suite cannot fail by chance; raise max_examples locally
# to search further.
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(case: Any, admin_token: str) -> None:
    # Every default check (no 5xx, status codes, content types and bodies as documented, auth enforced, invalid
    # input refused) except "schema-valid input is accepted": the services refuse much that the schema cannot
    # express (a duplicate household code, a date before registration), with a 422 naming the field.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
