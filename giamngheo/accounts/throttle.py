"""Login throttling: after too many failed sign-ins for one account name or from one address, refuse for a while.

Counts live in the cache (per process with the default local-memory cache; a shared cache such as Redis makes the
limit hold across several server processes). A successful sign-in clears the account's count.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from giamngheo.lib.text import fold


def _limit() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_LIMIT", 5))


def _window() -> int:
    return int(getattr(settings, "LOGIN_LOCKOUT_SECONDS", 15 * 60))


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{fold(username)}", f"login-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    user_key, address_key = _keys(username, address)
    return (cache.get(user_key, 0) >= _limit()) or (cache.get(address_key, 0) >= _limit() * 4)


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, _window())
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, _window())


def clear(username: str) -> None:
    cache.delete(_keys(username, "")[0])


def lockout_minutes() -> int:
    return max(1, _window() // 60)
