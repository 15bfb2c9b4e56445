"""Households: list with filters, one with its members, living conditions and assessments, register, edit.

Reads go through `giamngheo.accounts.access` (the caller's area; the same 404 for missing and not yours); writes
call the registry services with the caller as actor, so the API and the pages record the same history.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from giamngheo.accounts.access import household_for_edit, household_for_read, households_for, persons_for
from giamngheo.accounts.scope import scope_for
from giamngheo.api.auth import current_user
from giamngheo.api.errors import ConflictError, Error
from giamngheo.api.lookups import require_place_in_scope, unit_by_id, village_by_id
from giamngheo.api.preconditions import seen_for_write, tag
from giamngheo.api.schemas import (
    MAX_ID,
    HouseholdCreate,
    HouseholdDetail,
    HouseholdFilters,
    HouseholdPageOut,
    HouseholdPaging,
    HouseholdUpdate,
)
from giamngheo.registry.models import Household
from giamngheo.registry.services import household_register, household_update
from giamngheo.reviews.selectors import HouseholdFilters as ListFilters
from giamngheo.reviews.selectors import household_slice, household_with

router = Router(tags=["Hộ gia đình"])

READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, Any] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: ConflictError,
    412: ConflictError,
    422: Error,
    428: Error,
}

HouseholdId = Path(..., ge=1, le=MAX_ID, description="id của hộ")


@router.get(
    "/households",
    response={200: HouseholdPageOut, **READ_ERRORS},
    summary="Danh sách hộ trong địa bàn của bạn (cùng bộ lọc và cách tìm như trang danh sách)",
)
def household_list(
    request: HttpRequest, filters: Query[HouseholdFilters], paging: Query[HouseholdPaging]
) -> Any:
    page = household_slice(
        households_for(current_user(request)),
        list_filters(filters),
        offset=paging.offset,
        limit=paging.limit,
    )
    return {
        "count": page.count,
        "count_at_least": page.count_at_least,
        "limit": page.limit,
        "offset": page.offset,
        "items": page.households,
    }


def list_filters(filters: HouseholdFilters) -> ListFilters:
    """The list selector's filters from the API's query parameters (the web list builds the same from its own)."""
    return ListFilters(
        query=(filters.q or "").strip(),
        commune_id=filters.commune,
        village_id=filters.village,
        poverty_class=filters.poverty_class or "",
        ethnicity=filters.ethnicity or "",
        status=filters.status or "",
        is_agri=filters.is_agri,
        has_meritorious_member=filters.has_meritorious_member,
        no_working_capacity=filters.no_working_capacity,
    )


def household_with_details(user: Any, pk: int) -> Household:
    """One household for `HouseholdDetail`, in the caller's area: a fixed number of queries whatever its size."""
    return household_for_read(user, pk, household_with(assessments=True))


@router.get(
    "/households/{household_id}",
    response={200: HouseholdDetail, **READ_ERRORS},
    summary="Một hộ: thành viên hiện tại, điều kiện sống gần nhất, các lần rà soát (kèm ETag)",
)
def household_get(request: HttpRequest, response: HttpResponse, household_id: int = HouseholdId) -> Any:
    household = household_with_details(current_user(request), household_id)
    tag(response, household, event_id=household.last_event_id)  # type: ignore[attr-defined]  # annotated
    return household


@router.post(
    "/households",
    response={201: HouseholdDetail, **WRITE_ERRORS},
    summary="Đăng ký hộ mới (xã phải thuộc địa bàn của bạn)",
)
def household_create(request: HttpRequest, response: HttpResponse, payload: HouseholdCreate) -> Any:
    user = current_user(request)
    scope = scope_for(user)
    if not scope.can_edit:
        raise PermissionDenied(_("Tài khoản của bạn không được đăng ký hộ."))
    commune = unit_by_id("commune_id", payload.commune_id)
    village = village_by_id("village_id", payload.village_id)
    require_place_in_scope(scope, commune, village)
    household = household_register(
        code=payload.code,
        commune=commune,
        village=village,
        area_type=payload.area_type,
        registered_on=payload.registered_on,
        address=payload.address,
        is_agri=payload.is_agri,
        has_meritorious_member=payload.has_meritorious_member,
        no_working_capacity=payload.no_working_capacity,
        actor=user,
    )
    created = household_with_details(user, household.pk)
    tag(response, created, event_id=created.last_event_id)  # type: ignore[attr-defined]  # annotated
    return Status(201, created)


@router.patch(
    "/households/{household_id}",
    response={200: HouseholdDetail, **WRITE_ERRORS},
    summary="Sửa hộ: gửi ETag trong If-Match (hoặc expected_version); đã có người sửa → 412/409, thiếu → 428",
)
def household_edit(
    request: HttpRequest, response: HttpResponse, payload: HouseholdUpdate, household_id: int = HouseholdId
) -> Any:
    user = current_user(request)
    household = household_for_edit(user, household_id)
    seen = seen_for_write(request, payload)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    for name in ("code", "area_type", "address", "is_agri", "has_meritorious_member", "no_working_capacity"):
        if name in sent:
            changes[name] = sent[name]
    if "commune_id" in sent or "village_id" in sent:
        if "commune_id" in sent and sent["commune_id"] is None:
            raise ValidationError({"commune_id": [_("Xã không được để trống.")]})
        commune = unit_by_id("commune_id", sent["commune_id"]) if "commune_id" in sent else household.commune
        village = (
            village_by_id("village_id", sent["village_id"]) if "village_id" in sent else household.village
        )
        if "village_id" not in sent and commune.pk != household.commune_id:
            village = None  # a new commune without a village: the old village belongs to the old commune
        require_place_in_scope(scope_for(user), commune, village)
        changes.update(commune=commune, village=village)
    if "head_id" in sent:
        changes["head"] = _head(user, household, sent["head_id"])
    household_update(household=household, actor=user, seen=seen, on=payload.on, **changes)
    updated = household_with_details(user, household.pk)
    tag(response, updated, event_id=updated.last_event_id)  # type: ignore[attr-defined]  # annotated
    return updated


def _head(user: Any, household: Household, person_id: int | None) -> Any:
    """The person to make head (None clears it); the service checks they are a current member."""
    if person_id is None:
        return None
    head = persons_for(user).filter(pk=person_id).first()
    if head is None:
        message = _("Không có nhân khẩu có id %(id)s trong hộ %(code)s.") % {
            "id": person_id,
            "code": household.code,
        }
        raise ValidationError({"head_id": [message]})
    return head
