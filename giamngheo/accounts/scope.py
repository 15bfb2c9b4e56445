"""An account's area scope, resolved once per request: which households it may read, and what it may do.

Deny by default: anything that is not explicitly granted by the account's `AreaRole` (or superuser status) is out
of scope, and out-of-scope records are reported exactly like missing ones (see `access`).

Territory after the 2025 reform (`areas.selectors.territory`): a new commune covers the legacy communes that map
into it. A legacy commune that went wholly to communes of the area is covered whole; one split between several new
communes is covered village by village (the villages that belong to a commune of the area today).

The account's role is read on every request (a change takes effect at once); the territory of its area is kept
between requests (`areas.territory_cache`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from giamngheo.accounts.models import AreaRole, Role
from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import places_q
from giamngheo.areas.territory_cache import cached_territory

_CACHE_ATTRIBUTE = "_giamngheo_scope"


@dataclass(frozen=True)
class Scope:
    role: str | None
    unit: AdminUnit | None = None
    everything: bool = False
    commune_ids: frozenset[int] = frozenset()  # communes covered whole
    village_ids: frozenset[int] = frozenset()  # single villages (split communes, village reviewers)
    villageless_commune_ids: frozenset[int] = frozenset()  # split communes: households with no village
    # Communes whose figures the account may read (dashboard, statistics): whole or in part in its area.
    stats_commune_ids: frozenset[int] = field(default=frozenset())

    @property
    def is_empty(self) -> bool:
        return not self.everything and not (
            self.commune_ids or self.village_ids or self.villageless_commune_ids
        )

    @property
    def can_edit(self) -> bool:
        """May change households, members and living conditions."""
        return self.role in {Role.ADMIN, Role.COMMUNE} and not self.is_empty

    @property
    def can_assess(self) -> bool:
        """May record survey results (assessments)."""
        return self.role in {Role.ADMIN, Role.COMMUNE, Role.VILLAGE} and not self.is_empty

    @property
    def can_open_review(self) -> bool:
        """May open a review round of its area (a commune's regular monthly round, for instance)."""
        return self.role in {Role.ADMIN, Role.COMMUNE} and not self.is_empty

    @property
    def can_approve(self) -> bool:
        return self.role in {Role.ADMIN, Role.PROVINCE} and not self.is_empty

    def households_q(self, prefix: str = "") -> Q:
        """Condition on Household rows (or on rows reaching a household through `prefix`, e.g. "household__")."""
        if self.everything:
            return Q()
        return places_q(self.commune_ids, self.village_ids, self.villageless_commune_ids, prefix)

    def covers_unit(self, unit: AdminUnit) -> bool:
        """May read figures of `unit` (a commune, district or province): every commune of it is in scope."""
        return self.everything or self.communes_readable(unit) is not None

    def communes_readable(self, unit: AdminUnit) -> set[int] | None:
        """`commune_ids_within(unit)` when the account may read the figures of `unit`, else None."""
        inside = set(cached_territory(unit).inside)
        if self.everything or (inside and inside <= self.stats_commune_ids):
            return inside
        return None


NOTHING = Scope(role=None)


def scope_for(user: Any) -> Scope:
    """The scope of `user`, computed once and kept on the user object for the request."""
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = _resolve(user)
    if user is not None and getattr(user, "is_authenticated", False):
        setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def _resolve(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NOTHING
    area_role = AreaRole.objects.filter(user=user).select_related("area").first()
    if user.is_superuser or (area_role is not None and area_role.role == Role.ADMIN):
        return Scope(role=Role.ADMIN, everything=True)
    if area_role is None or area_role.area is None:
        return NOTHING
    if area_role.role == Role.VILLAGE:
        return _village_scope(area_role)
    return _area_scope(area_role.role, area_role.area)


def _area_scope(role: str, unit: AdminUnit) -> Scope:
    land = cached_territory(unit)
    return Scope(
        role=role,
        unit=unit,
        commune_ids=land.commune_ids,
        village_ids=land.village_ids,
        villageless_commune_ids=land.villageless_commune_ids,
        stats_commune_ids=land.inside,
    )


def _village_scope(area_role: AreaRole) -> Scope:
    assert area_role.area is not None
    allowed = _area_scope(Role.VILLAGE, area_role.area)
    chosen = set(area_role.villages.values_list("id", "commune_id"))
    village_ids = {
        village_id
        for village_id, commune_id in chosen
        if commune_id in allowed.commune_ids or village_id in allowed.village_ids
    }
    communes = {commune_id for village_id, commune_id in chosen if village_id in village_ids}
    return Scope(
        role=Role.VILLAGE,
        unit=area_role.area,
        village_ids=frozenset(village_ids),
        stats_commune_ids=frozenset(communes),
    )
