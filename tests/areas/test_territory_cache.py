"""Territories kept between requests (`areas.territory_cache`): read once, then from memory until units or villages
change — through the models (signals) or through the bulk writers that call `territory_changed`."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo.areas.loader import load_units
from giamngheo.areas.models import AdminUnit, UnitSuccession, Village
from giamngheo.areas.selectors import resolve_unit, territory
from giamngheo.areas.territory_cache import GENERATION_KEY, cached_territory, territory_changed

EVE = date(2025, 6, 30)
REFORM = date(2025, 7, 1)
# Xã An Nghĩa (21634) was split: An Hòa (21628, the default receiver) and An Toàn (21622).
SPLIT_OLD, SPLIT_DEFAULT, SPLIT_OTHER = "21634", "21628", "21622"

pytestmark = pytest.mark.usefixtures("loaded")


def reads(unit: AdminUnit) -> tuple[int, frozenset[int]]:
    """(queries run, village ids) of `cached_territory(unit)`."""
    with CaptureQueriesContext(connection) as queries:
        land = cached_territory(unit)
    return len(queries), land.village_ids


def test_a_territory_is_read_once_then_kept() -> None:
    other = resolve_unit(SPLIT_OTHER, on=REFORM)
    first, villages = reads(other)
    assert first > 0
    assert reads(other) == (0, villages)
    assert cached_territory(other) == territory(other)


def test_a_village_saved_or_deleted_changes_the_territory_at_once() -> None:
    old, other = resolve_unit(SPLIT_OLD, on=EVE), resolve_unit(SPLIT_OTHER, on=REFORM)
    assert reads(other)[1] == frozenset()
    village = Village.objects.create(commune=other, legacy_commune=old, local_code="01", name="Thôn 1")
    assert cached_territory(other).village_ids == {village.pk}
    village.commune = resolve_unit(SPLIT_DEFAULT, on=REFORM)  # an administrator moves it
    village.save()
    assert cached_territory(other).village_ids == frozenset()
    village.commune = other
    village.save()
    assert cached_territory(other).village_ids == {village.pk}
    village.delete()
    assert cached_territory(other).village_ids == frozenset()


def test_bulk_writes_call_territory_changed() -> None:
    """`Village.objects.bulk_create` sends no signal: the writers that use it (the loader, the demo) say so."""
    old, other = resolve_unit(SPLIT_OLD, on=EVE), resolve_unit(SPLIT_OTHER, on=REFORM)
    reads(other)
    [village] = Village.objects.bulk_create(
        [Village(commune=other, legacy_commune=old, local_code="02", name="Thôn 2")]
    )
    assert cached_territory(other).village_ids == frozenset()  # kept: nothing said it changed
    territory_changed()
    assert cached_territory(other).village_ids == {village.pk}


def test_a_succession_row_changes_the_territory() -> None:
    other = resolve_unit(SPLIT_OTHER, on=REFORM)
    before = cached_territory(other).inside
    extra = resolve_unit("23848", on=EVE)  # a legacy commune of Kông Chro, mapped elsewhere
    UnitSuccession.objects.create(predecessor=extra, successor=other, effective_on=REFORM, is_default=False)
    assert cached_territory(other).inside == before | {extra.pk}


def test_an_emptied_cache_draws_a_new_generation(settings: pytest.FixtureRequest) -> None:
    """A restarted Redis (or `cache.clear()`) loses the token: territories are read again, never a stale one."""
    other = resolve_unit(SPLIT_OTHER, on=REFORM)
    reads(other)
    token = cache.get(GENERATION_KEY)
    cache.clear()
    assert reads(other)[0] > 0
    assert cache.get(GENERATION_KEY) not in {None, token}


def test_a_kept_territory_expires(settings: pytest.FixtureRequest) -> None:
    """Without Redis another process's change is only seen when the territory expires."""
    settings.TERRITORY_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    other = resolve_unit(SPLIT_OTHER, on=REFORM)
    reads(other)
    assert reads(other)[0] > 0


def test_the_loader_moving_villages_says_so() -> None:
    """A village recorded under an ended commune is moved by the loader (`rehome_villages`, a bulk update)."""
    old, default = resolve_unit(SPLIT_OLD, on=EVE), resolve_unit(SPLIT_DEFAULT, on=REFORM)
    before = reads(default)[1]
    village = Village.objects.create(commune=old, local_code="03", name="Thôn 3")
    reads(default)  # kept again after the signal of the creation
    load_units()
    assert cached_territory(default).village_ids == before | {village.pk}
