"""Where sign-in failures are counted: Redis when REDIS_URL is set (shared by every process), else the database."""

from __future__ import annotations

import os

import pytest
from axes.helpers import make_cache_key_list
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from tests.accounts.signin_helpers import HOME, officer, sign_in

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(autouse=True)
def _clean_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def test_the_settings_choose_redis_when_it_is_configured() -> None:
    handler = settings.AXES_HANDLER
    assert handler.endswith(".CacheHandler" if REDIS_URL else ".DatabaseHandler")
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith("RedisCache" if REDIS_URL else "LocMemCache")


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")
def test_failures_are_counted_in_redis_where_every_process_sees_them(client: Client) -> None:
    import redis

    officer("canbo")
    for _ in range(3):
        assert sign_in(client, "canbo", "sai").status_code == 200
    (account_key,) = make_cache_key_list([{"username": "canbo", "ip_address": HOME}])
    (address_key,) = make_cache_key_list([{"ip_address": HOME}])
    # A separate connection, as another server process would have (keys: cache.make_key, "<prefix>:<version>:<key>").
    other = redis.Redis.from_url(REDIS_URL)
    assert other.get(cache.make_key(account_key)) == b"3"
    assert other.get(cache.make_key(address_key)) == b"3"
    assert 0 < other.ttl(cache.make_key(account_key)) <= settings.LOGIN_LOCKOUT_SECONDS
    assert not AccessAttempt.objects.exists()
    # Failures another process recorded count here too.
    other.set(cache.make_key(account_key), settings.LOGIN_FAILURE_LIMIT)
    assert sign_in(client, "canbo", "sai").status_code == 429


@pytest.mark.skipif(bool(REDIS_URL), reason="REDIS_URL is set: the counts are in Redis")
def test_without_redis_failures_are_counted_in_the_database(client: Client) -> None:
    officer("canbo")
    for _ in range(3):
        sign_in(client, "canbo", "sai")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("canbo", HOME, 3)
