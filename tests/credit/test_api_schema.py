"""The credit operations against the API's own OpenAPI schema (schemathesis, as tests/api/test_schemathesis.py does
for the whole API): whatever the input, no server error, and every answer as documented."""

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

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler()).include(
    path_regex=r"^/api/(credit/|households/\{household_id\}/loans)"
)


class _Token:
    raw = ""


@schema.auth(refresh_interval=None)
class AdminBearer:
    def get(self, case: Any, context: Any) -> str:
        return _Token.raw

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def admin_token(town: Any) -> Iterator[str]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    _Token.raw = token_create(user=town.personas.admin, name="schemathesis")[1]
    try:
        yield _Token.raw
    finally:
        _Token.raw = ""
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_credit_operation_answers_within_its_schema(case: Any, admin_token: str) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
