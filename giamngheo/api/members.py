"""Members: the people of a household, one person, adding a member and changing a person's record.

A person is readable when they are or were a member of a household in the caller's area
(`access.person_for_read`); changing them needs edit rights over the household they belong to on the day of the
change, so an officer cannot edit someone who has since moved to another area.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from giamngheo.accounts.access import household_for_edit, household_for_read, households_for, person_for_read
from giamngheo.accounts.scope import scope_for
from giamngheo.api.auth import current_user
from giamngheo.api.households import READ_ERRORS, WRITE_ERRORS, HouseholdId
from giamngheo.api.lookups import ethnicity_by_id
from giamngheo.api.pagination import Page
from giamngheo.api.schemas import MAX_ID, MemberCreate, MemberFilters, MemberOut, MemberUpdate, PersonOut
from giamngheo.api.schemas.common import STAMP_FIELDS, stamp
from giamngheo.registry import concurrency as guard
from giamngheo.registry.models import Membership, Person
from giamngheo.registry.services import member_add, member_update

router = Router(tags=["Thành viên hộ"])

PersonId = Path(..., ge=1, le=MAX_ID, description="id của nhân khẩu")


def _memberships() -> QuerySet[Membership]:
    return Membership.objects.select_related("person", "person__ethnicity")


@router.get(
    "/households/{household_id}/members",
    response={200: list[MemberOut], **READ_ERRORS},
    summary="Thành viên của hộ (mặc định: hiện tại)",
)
@paginate(Page)
def member_list(request: HttpRequest, filters: Query[MemberFilters], household_id: int = HouseholdId) -> Any:
    household = household_for_read(current_user(request), household_id)
    memberships = _memberships().filter(household=household)
    if not filters.include_past:
        today = timezone.localdate()
        memberships = memberships.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=today), start_date__lte=today
        )
    return memberships.order_by("start_date", "id")


@router.post(
    "/households/{household_id}/members",
    response={201: MemberOut, **WRITE_ERRORS},
    summary="Thêm một người mới vào hộ (sinh, chuyển đến)",
)
def member_create(request: HttpRequest, payload: MemberCreate, household_id: int = HouseholdId) -> Any:
    user = current_user(request)
    household = household_for_edit(user, household_id)
    values = payload.model_dump(exclude={"ethnicity_id", *STAMP_FIELDS})
    with transaction.atomic():
        fresh = guard.lock(household)
        guard.check(fresh, **stamp(payload), relevant=guard.household_saved)
        person = member_add(
            household=fresh,
            actor=user,
            ethnicity=ethnicity_by_id("ethnicity_id", payload.ethnicity_id),
            **values,
        )
    membership = (
        _memberships().filter(person=person, household=household).order_by("-start_date", "-id").first()
    )
    return Status(201, membership)


def person_out(user: Any, person: Person) -> Person:
    """`person` with the memberships the caller may see (households in their area), for `PersonOut`."""
    person.visible_memberships = list(  # type: ignore[attr-defined]  # read by PersonOut.resolve_memberships
        Membership.objects.filter(person=person, household__in=households_for(user))
        .select_related("household")
        .order_by("start_date", "id")
    )
    return person


@router.get("/members/{person_id}", response={200: PersonOut, **READ_ERRORS}, summary="Một nhân khẩu")
def member_get(request: HttpRequest, person_id: int = PersonId) -> Any:
    user = current_user(request)
    return person_out(user, person_for_read(user, person_id))


def _household_on(person: Person, on: date) -> int | None:
    """The id of the household `person` belongs to on `on`, else of their latest (as `member_update` decides)."""
    memberships = list(Membership.objects.filter(person=person).order_by("start_date", "id"))
    for membership in memberships:
        if membership.is_current_on(on):
            return membership.household_id
    return memberships[-1].household_id if memberships else None


@router.patch(
    "/members/{person_id}",
    response={200: PersonOut, **WRITE_ERRORS},
    summary="Sửa thông tin một nhân khẩu (chỉ các trường gửi lên)",
)
def member_edit(request: HttpRequest, payload: MemberUpdate, person_id: int = PersonId) -> Any:
    user = current_user(request)
    person = person_for_read(user, person_id)
    if not scope_for(user).can_edit:
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem, không được sửa nhân khẩu."))
    on = payload.on or timezone.localdate()
    household_id = _household_on(person, on)
    if household_id is not None:
        try:
            household_for_edit(user, household_id)
        except (Http404, PermissionDenied) as exc:
            raise PermissionDenied(
                _("Nhân khẩu «%(name)s» không thuộc hộ nào trong địa bàn của bạn vào ngày %(day)s.")
                % {"name": person.full_name, "day": on.strftime("%d/%m/%Y")}
            ) from exc
    changes = payload.model_dump(exclude_unset=True, exclude={"on", "ethnicity_id", *STAMP_FIELDS})
    if "ethnicity_id" in payload.model_fields_set:
        changes["ethnicity"] = ethnicity_by_id("ethnicity_id", payload.ethnicity_id)
    with transaction.atomic():
        # The same lock order as member_update: the person, then the household.
        list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk"))
        if household_id is not None:
            guard.check(guard.lock_id(household_id), **stamp(payload), relevant=guard.concerning(person))
        member_update(person=person, actor=user, on=on, **changes)
    person.refresh_from_db()
    return person_out(user, person)
