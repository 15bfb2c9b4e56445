"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL names one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def personas(db: None):  # type: ignore[no-untyped-def]
    """Owner / peer / outsider / province / viewer / admin / unbound accounts and a household each (tests/personas.py)."""
    from tests.personas import make_personas

    return make_personas()
