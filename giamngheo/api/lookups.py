"""Turning ids in a request body into records, with a 422 naming the field when the id is unknown, and the
area check for a household's place (register, move)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from giamngheo.accounts.scope import Scope
from giamngheo.areas.models import AdminUnit, Village
from giamngheo.registry.models import Ethnicity


def _unknown(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def unit_by_id(field: str, pk: int) -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=pk).select_related("parent").first()
    if unit is None:
        raise _unknown(field, _("Không có đơn vị hành chính có id %(id)s.") % {"id": pk})
    return unit


def village_by_id(field: str, pk: int | None) -> Village | None:
    if pk is None:
        return None
    village = Village.objects.filter(pk=pk).first()
    if village is None:
        raise _unknown(field, _("Không có thôn có id %(id)s.") % {"id": pk})
    return village


def ethnicity_by_id(field: str, pk: int | None) -> Ethnicity | None:
    if pk is None:
        return None
    ethnicity = Ethnicity.objects.filter(pk=pk).first()
    if ethnicity is None:
        raise _unknown(field, _("Không có dân tộc có id %(id)s.") % {"id": pk})
    return ethnicity


def place_in_scope(scope: Scope, commune: AdminUnit, village: Village | None) -> bool:
    """Whether a household at (commune, village) would be in `scope`: the condition of
    `Scope.households_q`, evaluated for a household that does not exist yet."""
    if scope.everything or commune.pk in scope.commune_ids:
        return True
    if village is not None:
        return village.pk in scope.village_ids
    return commune.pk in scope.villageless_commune_ids


def require_place_in_scope(scope: Scope, commune: AdminUnit, village: Village | None) -> None:
    if not place_in_scope(scope, commune, village):
        place = f"{village}, {commune}" if village is not None else str(commune)
        raise PermissionDenied(
            _("%(place)s không thuộc địa bàn của tài khoản bạn; không thể đặt hộ ở đó.") % {"place": place}
        )
