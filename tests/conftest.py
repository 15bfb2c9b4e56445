"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL names one.

Every test runs on the same calendar: the clock is set to `NOW` (20 November 2026, 09:00 in Vietnam, during the
end-2026 periodic review, whose cut-off date is 14 December) and keeps ticking from there. Which review rounds are
open or closed, which standard is in force and every "today" in a service or a page then follow from the test's
own data, whatever day the suite runs on. A test about an earlier time says so with
`@pytest.mark.calendar(date(2023, 12, 1))` (09:00 in Vietnam on that day).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TODAY = NOW.date()
# The end-2026 periodic review decides the 2027 lists (under NĐ 351/2025); it is open on TODAY.
OPEN_PERIODIC_CUTOFF = date(2026, 12, 14)


@pytest.fixture(autouse=True)
def _calendar(request: pytest.FixtureRequest) -> Iterator[None]:
    marker = request.node.get_closest_marker("calendar")
    now = NOW if marker is None else datetime.combine(marker.args[0], NOW.timetz())
    with time_machine.travel(now, tick=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def _empty_cache_at_start() -> None:
    """With REDIS_URL set (`make test-postgres`) the cache outlives the test run: start from an empty one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _empty_cache_after_each_test() -> Iterator[None]:
    """What a test counted in the cache (login failures, ...) must not reach the next test, in local memory or in a
    shared Redis alike. Only caches the test touched are cleared (no Redis round trip for the others)."""
    yield
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def _site_language() -> None:
    """Each test starts in the site's language: a request through LocaleMiddleware (the test client runs in this
    thread) leaves the language it chose active, and a service's messages would follow it into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def personas(db: None):  # type: ignore[no-untyped-def]
    """Owner / peer / outsider / province / viewer / admin / unbound accounts and a household each (tests/personas.py)."""
    from tests.personas import make_personas

    return make_personas()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    """Uploaded files (meeting minutes) go to the test's own folder, never to the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
