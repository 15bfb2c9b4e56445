"""Territories kept between requests: an account's area is resolved on every request (`accounts.scope`), and a
province's territory takes several queries over thousands of succession and village rows, while the units and
villages behind it change a few times a year (the unit loader, the 2025 reform, an administrator moving a village).

Each process keeps the territories it computed, under a *generation* token held in Django's cache. Any change to
units, successions or villages draws a new token (`territory_changed`: the model signals below, and the loader and
the demo after their bulk writes), so the next request computes territories afresh:
- with `REDIS_URL` set the token is shared, and every server process sees a change at once;
- without it (one local-memory cache per process) a process that did not make the change keeps its territories for
  at most `TERRITORY_CACHE_SECONDS` (60 by default).
An empty cache (a restart of Redis, `cache.clear()`) also draws a new token, so nothing stale survives it.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from giamngheo.areas.models import AdminUnit, UnitSuccession, Village
from giamngheo.areas.selectors import Territory, territory

GENERATION_KEY = "areas:territory-generation"
_MAX_ENTRIES = 4096  # provinces, communes and districts asked for; cleared whole when reached

_lock = threading.Lock()
_kept: dict[tuple[str, int], tuple[float, Territory]] = {}


def territory_generation() -> str:
    """The current generation token (drawn anew when the cache holds none)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = secrets.token_hex(8)
        if not cache.add(GENERATION_KEY, token, timeout=None):
            token = cache.get(GENERATION_KEY) or token
    return str(token)


def territory_changed() -> None:
    """Units, successions or villages changed: territories are computed afresh from now on."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    with _lock:
        _kept.clear()


def cached_territory(unit: AdminUnit) -> Territory:
    """`areas.selectors.territory(unit)`, from this process's store while the generation holds."""
    key = (territory_generation(), unit.pk)
    now = time.monotonic()
    found = _kept.get(key)
    if found is not None and found[0] > now:
        return found[1]
    land = territory(unit)
    with _lock:
        if len(_kept) >= _MAX_ENTRIES:
            _kept.clear()
        _kept[key] = (now + settings.TERRITORY_CACHE_SECONDS, land)
    return land


@receiver(post_save, sender=AdminUnit)
@receiver(post_save, sender=UnitSuccession)
@receiver(post_save, sender=Village)
@receiver(post_delete, sender=AdminUnit)
@receiver(post_delete, sender=UnitSuccession)
@receiver(post_delete, sender=Village)
def _units_changed(**_kwargs: Any) -> None:
    territory_changed()
