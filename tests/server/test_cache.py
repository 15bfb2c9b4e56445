"""With REDIS_URL set (`make test-postgres` sets it), the cache is Redis, shared by every process: a value one
process stores is read by another. Without it, the cache is this process's memory (tests/server/test_deploy_check.py
checks the setting either way)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

redis_only = pytest.mark.skipif(
    "RedisCache" not in settings.CACHES["default"]["BACKEND"], reason="REDIS_URL is not set (SQLite run)"
)


@redis_only
def test_a_value_stored_here_is_read_by_another_process() -> None:
    key, value = f"test-{uuid.uuid4()}", "chia sẻ giữa các tiến trình"
    cache.set(key, value, timeout=60)
    script = f"import django; django.setup(); from django.core.cache import cache; print(cache.get({key!r}))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == value


@redis_only
def test_keys_carry_the_prefix_in_redis() -> None:
    import redis

    cache.set("tien-to", 1, timeout=60)
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    assert client.keys(f"{settings.CACHES['default']['KEY_PREFIX']}:*:tien-to")
