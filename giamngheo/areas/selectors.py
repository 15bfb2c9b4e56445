"""Read-only queries over administrative units, their 2025 successions and villages.

Two hierarchies coexist (domain.md §7.3, §8): the *historical* one (legacy commune → legacy district → legacy
province, valid until 30/06/2025) and the *current* one (new commune → new province, from 01/07/2025). Succession
rows link them; they are stored per unit by the loader, so nothing here ever matches units by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit, UnitLevel, UnitSuccession, Village

# Succession chains are one step long today (one reform); the bound only guards against a cycle in bad data.
_MAX_GENERATIONS = 10


class UnitNotFound(AdminUnit.DoesNotExist):
    """No unit with that code was valid on the date asked."""


class UnitAmbiguous(AdminUnit.MultipleObjectsReturned):
    """Several units with that code were valid on the date asked (give the level)."""


def resolve_unit(code: str, *, on: date, level: str | None = None) -> AdminUnit:
    """The unit with `code` valid on `on` (optionally at `level`); raises UnitNotFound / UnitAmbiguous."""
    code = code.strip()
    if level is not None:
        _check_level(level)
    units = AdminUnit.objects.valid_on(on).filter(code=code)
    if level is not None:
        units = units.filter(level=level)
    found = list(units[:2])
    level_text = f" ({UnitLevel(level).label})" if level is not None else ""
    if not found:
        raise UnitNotFound(
            _("Không có đơn vị hành chính mã %(code)s%(level)s còn hiệu lực vào ngày %(day)s.")
            % {"code": code, "level": level_text, "day": f"{on:%d/%m/%Y}"}
        )
    if len(found) > 1:
        raise UnitAmbiguous(
            _("Mã %(code)s ứng với nhiều đơn vị hành chính vào ngày %(day)s; cần chỉ rõ cấp.")
            % {"code": code, "day": f"{on:%d/%m/%Y}"}
        )
    return found[0]


def _check_level(level: str) -> None:
    if level not in UnitLevel.values:
        raise ValueError(_("Cấp đơn vị hành chính không hợp lệ: %(level)s.") % {"level": level})


def successors(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """Units that received `unit`'s territory, the default (main) receiver first."""
    return AdminUnit.objects.filter(predecessions__predecessor=unit).order_by(
        "-predecessions__is_default", "level", "code"
    )


def predecessors(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """Units whose territory (wholly or in part) passed to `unit`: legacy provinces, districts and communes."""
    return AdminUnit.objects.filter(successions__successor=unit).order_by("level", "code")


def default_successor(unit: AdminUnit) -> AdminUnit | None:
    """The main receiver of `unit`'s territory (for a split commune, the one the package marks as default)."""
    row = (
        UnitSuccession.objects.filter(predecessor=unit, is_default=True)
        .select_related("successor__parent__parent")
        .order_by("successor__code")
        .first()
    )
    return row.successor if row else None


def ancestor_at(unit: AdminUnit, level: str) -> AdminUnit | None:
    """`unit` itself or the ancestor at `level` in its own hierarchy (None when that hierarchy has no such level)."""
    current: AdminUnit | None = unit
    while current is not None and current.level != level:
        current = current.parent
    return current


def unit_holding(commune: AdminUnit, *, on: date, level: str = UnitLevel.COMMUNE) -> AdminUnit | None:
    """The unit at `level` that held `commune`'s territory on `on`, or None when no single unit did.

    - `commune` valid on `on`: itself, or its district/province in its own hierarchy (a new commune has no
      district: None).
    - `on` after `commune` ended (a legacy commune after 01/07/2025): its default successor, followed while that
      is not yet valid; then lifted to `level`. A split commune thus goes to the receiver the package marks as
      default; `successors()` lists the others.
    - `on` before `commune` began (a new commune before 01/07/2025): its territory lay in the predecessor communes.
      The answer is the one unit at `level` holding all of them - the single predecessor commune, or their common
      district or province - and None when they were spread over several (the usual case at commune level).
    """
    if commune.level != UnitLevel.COMMUNE:
        raise ValueError(_("%(unit)s không phải đơn vị cấp xã.") % {"unit": commune})
    _check_level(level)
    holders = _units_holding(commune, on)
    lifted = [ancestor_at(holder, level) for holder in holders]
    found = {unit.pk: unit for unit in lifted if unit is not None}
    if len(lifted) == 0 or None in lifted or len(found) != 1:
        return None
    return next(iter(found.values()))


def _units_holding(commune: AdminUnit, on: date) -> list[AdminUnit]:
    """Units valid on `on` that together covered `commune`'s territory (communes; districts without communes)."""
    frontier = [commune]
    for _generation in range(_MAX_GENERATIONS):
        if all(unit.is_valid_on(on) for unit in frontier):
            return frontier
        if any(unit.valid_from is not None and on < unit.valid_from for unit in frontier):
            earlier = list(
                AdminUnit.objects.filter(successions__successor__in=frontier)
                .filter(level__in=[UnitLevel.COMMUNE, UnitLevel.DISTRICT])
                .select_related("parent__parent")
                .distinct()
            )
            # District rows are aggregates of their communes; they count only where the district had no
            # commune level (island districts that became special zones).
            communes = [unit for unit in earlier if unit.level == UnitLevel.COMMUNE]
            frontier = communes or earlier
        else:
            frontier = [unit for unit in map(default_successor, frontier) if unit is not None]
        if not frontier:
            return []
    return []


def commune_ids_within(unit: AdminUnit) -> set[int]:
    """Ids of every commune row, legacy and new, whose territory lies within `unit`.

    The unit's own communes (itself, its children, its districts' children) plus, transitively, every commune that
    succession rows map into them. So a legacy district or province gives its legacy communes only (the
    historical hierarchy); a new commune gives itself and its legacy predecessors, and a new province its new
    communes and all their predecessors (the current hierarchy). A split commune appears under each receiver.
    """
    if unit.level == UnitLevel.COMMUNE:
        found = {unit.pk}
    else:
        found = set(
            AdminUnit.objects.filter(
                Q(parent=unit) | Q(parent__parent=unit), level=UnitLevel.COMMUNE
            ).values_list("pk", flat=True)
        )
    frontier = set(found)
    for _generation in range(_MAX_GENERATIONS):
        if not frontier:
            break
        # Two plain lookups rather than one join: without planner statistics SQLite would scan every commune.
        earlier = set(
            UnitSuccession.objects.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True)
        )
        unseen = earlier - found
        communes = AdminUnit.objects.filter(pk__in=unseen, level=UnitLevel.COMMUNE)
        frontier = set(communes.values_list("pk", flat=True)) if unseen else set()
        found |= frontier
    return found


def communes_within(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """The commune rows of `commune_ids_within(unit)` as a queryset."""
    return AdminUnit.objects.filter(pk__in=commune_ids_within(unit))


def village_commune_on(village: Village, on: date) -> AdminUnit | None:
    """The commune that held `village` on `on` (`Village.commune_on`), or None if the village did not exist then
    or that commune did not (and no single unit held its territory)."""
    if (village.valid_from and on < village.valid_from) or (village.valid_to and on > village.valid_to):
        return None
    commune = village.commune_on(on)
    if commune.is_valid_on(on):
        return commune
    return unit_holding(commune, on=on)


def place_commune_on(commune: AdminUnit, village: Village | None, on: date) -> AdminUnit:
    """The commune holding a place registered in `commune` (and `village`) on `on`: `commune` while it exists;
    after it ended (a legacy commune after the 2025 reform), the commune holding the village, else the legacy
    commune's default successor."""
    if commune.is_valid_on(on):
        return commune
    holder = village_commune_on(village, on) if village is not None else None
    return holder or unit_holding(commune, on=on) or commune


def villages_of(commune: AdminUnit | None) -> QuerySet[Village]:
    """Villages a household registered in `commune` may be placed in: the villages of that commune today, and
    for a legacy commune the villages that were its own (they belong to a new commune now)."""
    if commune is None:
        return Village.objects.none()
    return Village.objects.filter(Q(commune=commune) | Q(legacy_commune=commune)).order_by(
        "name", "local_code"
    )


@dataclass(frozen=True)
class Territory:
    """Where the households of a unit's territory are registered, for filtering households (`households_q`).

    A new commune covers the legacy communes that map into it: a legacy commune that went wholly to communes of
    the unit is covered whole; one split between several new communes is covered village by village (its
    villages that belong to a commune of the unit today), and its households without a village go with its
    default successor.
    """

    unit: AdminUnit
    inside: frozenset[int]  # `commune_ids_within(unit)`: every commune row, legacy and new
    commune_ids: frozenset[int] = frozenset()  # communes covered whole
    village_ids: frozenset[int] = frozenset()  # villages of split legacy communes that lie in the unit
    villageless_commune_ids: frozenset[int] = frozenset()  # split legacy communes: households with no village

    def households_q(self, prefix: str = "") -> Q:
        """Condition on Household rows (or rows reaching a household through `prefix`, e.g. "household__")."""
        return places_q(self.commune_ids, self.village_ids, self.villageless_commune_ids, prefix)


def places_q(
    commune_ids: Iterable[int],
    village_ids: Iterable[int],
    villageless_commune_ids: Iterable[int],
    prefix: str = "",
) -> Q:
    """Households registered in one of `commune_ids`, placed in one of `village_ids`, or registered in one of
    `villageless_commune_ids` without a village (nothing when all are empty)."""
    condition = Q(pk__in=[])
    if commune_ids:
        condition |= Q(**{f"{prefix}commune_id__in": sorted(commune_ids)})
    if village_ids:
        condition |= Q(**{f"{prefix}village_id__in": sorted(village_ids)})
    if villageless_commune_ids:
        condition |= Q(
            **{f"{prefix}commune_id__in": sorted(villageless_commune_ids), f"{prefix}village__isnull": True}
        )
    return condition


def territory(unit: AdminUnit) -> Territory:
    """The `Territory` of `unit` (a commune, district or province, legacy or new), in a fixed number of queries."""
    inside = commune_ids_within(unit)
    if unit.level == UnitLevel.COMMUNE:
        own = {unit.pk}
    else:
        own = set(
            AdminUnit.objects.filter(
                Q(parent=unit) | Q(parent__parent=unit), level=UnitLevel.COMMUNE
            ).values_list("pk", flat=True)
        )
    # A legacy commune reached only through succession is split when some of its successors lie outside.
    inherited = inside - own
    successors: dict[int, set[int]] = {}
    defaults: dict[int, int] = {}
    # Plain lookups rather than a join on the successor's level: without planner statistics SQLite would scan.
    rows = list(
        UnitSuccession.objects.filter(predecessor_id__in=inherited).values_list(
            "predecessor_id", "successor_id", "is_default"
        )
    )
    commune_successors = set(
        AdminUnit.objects.filter(pk__in={row[1] for row in rows}, level=UnitLevel.COMMUNE).values_list(
            "pk", flat=True
        )
    )
    for predecessor, successor, is_default in rows:
        if successor not in commune_successors:
            continue
        successors.setdefault(predecessor, set()).add(successor)
        if is_default:
            defaults[predecessor] = successor
    whole = set(own)
    split: set[int] = set()
    for commune_id in inherited:
        receivers = successors.get(commune_id, set())
        (whole if receivers and receivers <= inside else split).add(commune_id)
    village_ids: set[int] = set()
    villageless: set[int] = set()
    if split:
        village_ids = set(
            Village.objects.filter(legacy_commune_id__in=split, commune_id__in=inside).values_list(
                "pk", flat=True
            )
        )
        villageless = {c for c in split if defaults.get(c) in inside}
    return Territory(
        unit=unit,
        inside=frozenset(inside),
        commune_ids=frozenset(whole),
        village_ids=frozenset(village_ids),
        villageless_commune_ids=frozenset(villageless),
    )


def unit_includes(unit: AdminUnit) -> list[AdminUnit]:
    """For a commune created in the 2025 reform: the legacy communes whose territory it took (wholly or in part),
    by code; empty for other units."""
    if unit.level != UnitLevel.COMMUNE or unit.valid_from is None:
        return []
    return list(
        AdminUnit.objects.filter(successions__successor=unit, level=UnitLevel.COMMUNE)
        .select_related("parent")
        .order_by("code")
    )


def commune_households_q(commune: AdminUnit, prefix: str = "") -> Q:
    """Households of `commune`'s territory: for a commune of today, its `territory` (the legacy communes and
    villages it took over included); for a legacy commune, the households registered in it or placed in one of
    its villages."""
    if commune.valid_to is not None:
        # The villages read first, by id: an OR across a join (or a subquery) cannot use the indexes, and the
        # planner would test every household of the account's area.
        villages = sorted(Village.objects.filter(legacy_commune_id=commune.pk).values_list("pk", flat=True))
        condition = Q(**{f"{prefix}commune_id": commune.pk})
        return condition | Q(**{f"{prefix}village_id__in": villages}) if villages else condition
    return territory(commune).households_q(prefix)
