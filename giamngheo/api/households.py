"""Households: list with filters, one with its members, living conditions and assessments, register, edit.

Reads go through `giamngheo.accounts.access` (the caller's area; the same 404 for missing and not yours); writes
call the registry services with the caller as actor, so the API and the pages record the same history.
"""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from giamngheo.accounts.access import household_for_edit, household_for_read, households_for, persons_for
from giamngheo.accounts.scope import scope_for
from giamngheo.api.auth import current_user
from giamngheo.api.errors import ConflictError, Error
from giamngheo.api.lookups import require_place_in_scope, unit_by_id, village_by_id
from giamngheo.api.pagination import Page
from giamngheo.api.schemas import (
    MAX_ID,
    HouseholdCreate,
    HouseholdDetail,
    HouseholdFilters,
    HouseholdItem,
    HouseholdUpdate,
)
from giamngheo.lib.text import fold
from giamngheo.registry.models import Household, HouseholdEvent, LivingConditions, Membership
from giamngheo.registry.services import household_register, household_update
from giamngheo.reviews.models import Assessment

router = Router(tags=["Hộ gia đình"])

CITIZEN_ID = re.compile(r"^\d{12}$")
READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, Any] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: ConflictError,
    422: Error,
}

HouseholdId = Path(..., ge=1, le=MAX_ID, description="id của hộ")


def with_latest_assessment(households: QuerySet[Household]) -> QuerySet[Household]:
    """Households with their place, head and the class, year and count of their latest assessment."""
    latest = Assessment.objects.filter(household=OuterRef("pk")).order_by("-assessed_on", "-id")
    return households.select_related("commune", "village", "head").annotate(
        latest_class=Subquery(latest.values("poverty_class")[:1]),
        latest_year=Subquery(latest.values("review__year")[:1]),
        latest_deprivation_count=Subquery(latest.values("deprivation_count")[:1]),
    )


def _search(households: QuerySet[Household], text: str) -> QuerySet[Household]:
    """Household code, a member's name without diacritics, or a member's 12-digit citizen ID."""
    members = Membership.objects.filter(household=OuterRef("pk"))
    condition = Q(code__icontains=text)
    if CITIZEN_ID.match(text):
        condition |= Q(Exists(members.filter(person__citizen_id=text)))
    folded = fold(text)
    if folded:
        condition |= Q(Exists(members.filter(person__search_name__contains=folded)))
    return households.filter(condition)


@router.get(
    "/households",
    response={200: list[HouseholdItem], **READ_ERRORS},
    summary="Danh sách hộ trong địa bàn của bạn",
)
@paginate(Page)
def household_list(request: HttpRequest, filters: Query[HouseholdFilters]) -> Any:
    households = with_latest_assessment(households_for(current_user(request)))
    if filters.commune is not None:
        households = households.filter(commune_id=filters.commune)
    if filters.village is not None:
        households = households.filter(village_id=filters.village)
    if filters.poverty_class is not None:
        # An annotation of `with_latest_assessment`, which django-stubs cannot see.
        households = households.filter(latest_class=filters.poverty_class)  # type: ignore[misc]
    if filters.ethnicity is not None:
        households = households.filter(head__ethnicity_id=filters.ethnicity)
    if filters.status is not None:
        households = households.filter(status=filters.status)
    for flag in ("is_agri", "has_meritorious_member", "no_working_capacity"):
        value = getattr(filters, flag)
        if value is not None:
            households = households.filter(**{flag: value})
    text = (filters.q or "").strip()
    if text:
        households = _search(households, text)
    return households.order_by("code", "id")


def household_with_details(user: Any, pk: int) -> Household:
    """One household for `HouseholdDetail`, in the caller's area: a fixed number of queries whatever its size."""
    last_event = HouseholdEvent.objects.filter(household=OuterRef("pk")).order_by("-id")
    return household_for_read(
        user,
        pk,
        with_latest_assessment(Household.objects.all())
        .annotate(last_event_id=Coalesce(Subquery(last_event.values("id")[:1]), 0))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("person", "person__ethnicity").order_by(
                    "start_date", "id"
                ),
            ),
            Prefetch("living_conditions", queryset=LivingConditions.objects.order_by("-recorded_on")),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("review").order_by("-assessed_on", "-id"),
            ),
        ),
    )


@router.get(
    "/households/{household_id}",
    response={200: HouseholdDetail, **READ_ERRORS},
    summary="Một hộ: thành viên hiện tại, điều kiện sống gần nhất, các lần rà soát",
)
def household_get(request: HttpRequest, household_id: int = HouseholdId) -> Any:
    return household_with_details(current_user(request), household_id)


@router.post(
    "/households",
    response={201: HouseholdDetail, **WRITE_ERRORS},
    summary="Đăng ký hộ mới (xã phải thuộc địa bàn của bạn)",
)
def household_create(request: HttpRequest, payload: HouseholdCreate) -> Any:
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
    return Status(201, household_with_details(user, household.pk))


@router.patch(
    "/households/{household_id}",
    response={200: HouseholdDetail, **WRITE_ERRORS},
    summary="Sửa hộ; expected_version cũ → 409 kèm những gì đã thay đổi",
)
def household_edit(request: HttpRequest, payload: HouseholdUpdate, household_id: int = HouseholdId) -> Any:
    user = current_user(request)
    household = household_for_edit(user, household_id)
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
    household_update(
        household=household,
        actor=user,
        expected_version=payload.expected_version,
        on=payload.on,
        **changes,
    )
    return household_with_details(user, household.pk)


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
