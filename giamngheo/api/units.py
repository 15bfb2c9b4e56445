"""Administrative units: public reference data for any signed-in account (codes, names, levels, validity, the
2025 old → new mapping and the villages of a commune)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.pagination import paginate

from giamngheo.api.errors import Error
from giamngheo.api.pagination import Page
from giamngheo.api.schemas import MAX_ID, UnitDetail, UnitFilters, UnitOut
from giamngheo.areas.models import AdminUnit, valid_on_q
from giamngheo.lib.text import fold

router = Router(tags=["Đơn vị hành chính"])


def _name_matches(units: QuerySet[AdminUnit], text: str) -> QuerySet[AdminUnit]:
    """Units whose name contains `text`, ignoring case and diacritics. Unit names have no folded column, so they
    are folded here: a few thousand short names at most, after the other filters."""
    folded = fold(text)
    if not folded:
        return units
    ids = [pk for pk, name in units.values_list("pk", "name") if folded in fold(name)]
    return units.filter(pk__in=ids)


@router.get("/units", response={200: list[UnitOut], 401: Error, 422: Error}, summary="Đơn vị hành chính")
@paginate(Page)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    units: QuerySet[AdminUnit] = AdminUnit.objects.all()
    if filters.level is not None:
        units = units.filter(level=filters.level)
    if filters.parent is not None:
        units = units.filter(parent_id=filters.parent)
    if filters.code:
        units = units.filter(code=filters.code.strip())
    if filters.valid_on is not None:
        units = units.filter(valid_on_q(filters.valid_on))
    if filters.q and filters.q.strip():
        units = _name_matches(units, filters.q)
    return units.order_by("level", "code", "valid_from", "id")


@router.get(
    "/units/{unit_id}",
    response={200: UnitDetail, 401: Error, 404: Error, 422: Error},
    summary="Một đơn vị hành chính, với đơn vị trước/sau 01/07/2025 và các thôn",
)
def unit_get(request: HttpRequest, unit_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    unit = AdminUnit.objects.select_related("parent").filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị hành chính."))
    return unit
