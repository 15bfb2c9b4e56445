"""Access functions for the programme ledger: the only way pages and the API read allocations and disbursements.

A user reads the allocations made to units lying wholly within the communes whose figures it may read
(`Scope.stats_commune_ids`, `selectors.units_covered`): a commune officer its commune (and the legacy communes
it took over), province staff its province, a village reviewer and a viewer their area, read-only. Anything else is
the same 404 as a missing record (`accounts.access`); a visible record that the account may not change is 403.
The services check the role and the area again.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from giamngheo.accounts.access import unit_not_found
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit
from giamngheo.programme.models import Allocation, Disbursement
from giamngheo.programme.selectors import units_covered
from giamngheo.programme.services import WRITERS


def may_write(user: Any) -> bool:
    scope = scope_for(user)
    return scope.role in WRITERS and not scope.is_empty


def readable_unit_ids(user: Any) -> set[int] | None:
    """Ids of the units whose allocations `user` may read; None for everything (an administrator)."""
    scope = scope_for(user)
    if scope.everything:
        return None
    if not scope.stats_commune_ids:
        return set()
    return units_covered(scope.stats_commune_ids)


def allocations_for(user: Any) -> QuerySet[Allocation]:
    units = readable_unit_ids(user)
    if units is None:
        return Allocation.objects.all()
    return Allocation.objects.filter(area_id__in=sorted(units))


def disbursements_for(user: Any) -> QuerySet[Disbursement]:
    units = readable_unit_ids(user)
    if units is None:
        return Disbursement.objects.all()
    return Disbursement.objects.filter(allocation__area_id__in=sorted(units))


def allocation_not_found() -> Http404:
    return Http404(_("Không tìm thấy khoản vốn."))


def allocation_for_read(user: Any, pk: Any) -> Allocation:
    try:
        found: Allocation = (
            allocations_for(user).select_related("area", "item", "capital_type", "source").get(pk=int(pk))
        )
    except (Allocation.DoesNotExist, ValueError, TypeError) as exc:
        raise allocation_not_found() from exc
    return found


def allocation_for_write(user: Any, pk: Any) -> Allocation:
    allocation = allocation_for_read(user, pk)
    if not may_write(user):
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem vốn chương trình, không được ghi."))
    return allocation


def disbursement_for_write(user: Any, pk: Any) -> Disbursement:
    try:
        found: Disbursement = disbursements_for(user).select_related("allocation__area").get(pk=int(pk))
    except (Disbursement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy khoản giải ngân.")) from exc
    if not may_write(user):
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem vốn chương trình, không được ghi."))
    return found


def area_for_read(user: Any, pk: Any) -> AdminUnit:
    """A unit whose money `user` may read; the same 404 as a missing unit otherwise."""
    try:
        unit = AdminUnit.objects.get(pk=int(pk))
    except (AdminUnit.DoesNotExist, ValueError, TypeError) as exc:
        raise unit_not_found() from exc
    units = readable_unit_ids(user)
    if units is not None and unit.pk not in units:
        raise unit_not_found()
    return unit


def area_for_write(user: Any, pk: Any) -> AdminUnit:
    unit = area_for_read(user, pk)
    if not may_write(user):
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem vốn chương trình, không được ghi."))
    return unit


def default_area(user: Any) -> AdminUnit | None:
    """The account's own area when it may read its money (None for an administrator or an unbound account)."""
    scope = scope_for(user)
    if scope.unit is None:
        return None
    units = readable_unit_ids(user)
    return scope.unit if units is None or scope.unit.pk in units else None
