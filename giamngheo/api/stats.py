"""Poverty figures of an area for a year (`reviews.stats.area_stats`), the same keys as `giamngheo stats --json`,
for units whose every commune is in the caller's area (else the same 404 as an unknown code)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from giamngheo.accounts.access import unit_for_stats
from giamngheo.api.auth import current_user
from giamngheo.api.errors import Error
from giamngheo.api.schemas import StatsOut, StatsQuery
from giamngheo.areas.selectors import UnitAmbiguous, UnitNotFound, resolve_unit
from giamngheo.reviews.stats import area_stats

router = Router(tags=["Số liệu"])


@router.get(
    "/stats",
    response={200: StatsOut, 401: Error, 404: Error, 422: Error},
    summary="Số hộ nghèo, cận nghèo của một địa bàn theo rà soát định kỳ một năm, so với năm trước",
)
def stats(request: HttpRequest, query: Query[StatsQuery]) -> Any:
    on = timezone.localdate() if query.current else date(query.year, 12, 31)
    try:
        unit = resolve_unit(query.area, on=on, level=query.level)
    except UnitNotFound as exc:
        raise Http404(_("Không tìm thấy đơn vị hành chính.")) from exc
    except UnitAmbiguous as exc:
        raise ValidationError({"level": [str(exc)]}) from exc
    unit_for_stats(current_user(request), unit)
    return area_stats(unit, year=query.year).as_json()
