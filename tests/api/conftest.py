"""API test helpers: a client that calls the API as a persona with that persona's own bearer token."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from giamngheo.accounts.services import token_create
from giamngheo.registry.concurrency import Seen
from giamngheo.registry.models import Household
from giamngheo.reviews.models import Assessment, Review
from giamngheo.reviews.services import assessment_record
from tests.conftest import OPEN_PERIODIC_CUTOFF
from tests.reviews.helpers import open_review

PERSONAS = ("owner", "peer", "outsider", "province", "viewer", "admin", "unbound")


class Api:
    """`api.get("owner", "/api/households")`: a request with the persona's token; the response's JSON is
    `response.json()`. A persona name of None sends no credentials."""

    def __init__(self, personas: Any) -> None:
        self.personas = personas
        self.client = Client()
        self.tokens: dict[str, str] = {}

    def token(self, name: str) -> str:
        if name not in self.tokens:
            _token, raw = token_create(user=self.personas.users()[name], name="tests")
            self.tokens[name] = raw
        return self.tokens[name]

    def _headers(self, name: str | None, if_match: str | None = None) -> dict[str, str]:
        headers = {} if name is None else {"Authorization": f"Bearer {self.token(name)}"}
        if if_match is not None:
            headers["If-Match"] = if_match
        return headers

    def get(self, name: str | None, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self._headers(name))

    def post(self, name: str | None, path: str, body: Any = None, *, if_match: str | None = None) -> Any:
        return self.client.post(
            path, json.dumps(body if body is not None else {}), content_type="application/json",
            headers=self._headers(name, if_match),
        )  # fmt: skip

    def patch(self, name: str | None, path: str, body: Any = None, *, if_match: str | None = None) -> Any:
        return self.client.patch(
            path, json.dumps(body if body is not None else {}), content_type="application/json",
            headers=self._headers(name, if_match),
        )  # fmt: skip


def etag(household: Any) -> str:
    """The entity tag the API gives `household` now (what a client holds after reading it)."""
    return Seen.of(Household.objects.get(pk=household.pk)).etag


@pytest.fixture
def api(personas: Any) -> Api:
    return Api(personas)


@pytest.fixture
def reviews(personas: Any) -> dict[str, Review]:
    """The end-2026 periodic review (open on the tests' calendar, deciding the 2027 lists) covering each persona
    household, by household code."""
    units = personas.units
    return {
        code: open_review(units[unit], year=2026, reference_date=OPEN_PERIODIC_CUTOFF)
        for code, unit in (("H-KONGCHRO", "new_commune"), ("H-SRO", "new_sro"), ("H-FAR", "far_commune"))
    }


@pytest.fixture
def assessments(personas: Any, reviews: dict[str, Review]) -> dict[str, Assessment]:
    """An assessment of each persona household in its review, by household code."""
    households = (personas.kongchro_household, personas.sro_household, personas.far_household)
    return {
        household.code: assessment_record(
            review=reviews[household.code], household=household, assessed_on=date(2026, 11, 16),
            income_per_capita=1_200_000, entered={"bao_hiem_y_te": True}, actor=None,
        )
        for household in households
    }  # fmt: skip
