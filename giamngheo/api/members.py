"""Members: the people of a household, one person, adding a member and changing a person's record.

A person is readable when they are or were a member of a household in the caller's area
(`access.person_for_read`); changing them needs edit rights over the household they belong to on the day of the
change, so an officer cannot edit someone who has since moved to another area.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from giamngheo.accounts.access import (
    household_for_edit,
    household_for_read,
    households_for,
    memberships_for,
    person_for_read,
)
from giamngheo.accounts.scope import scope_for
from giamngheo.api.auth import current_user
from giamngheo.api.households import READ_ERRORS, WRITE_ERRORS, HouseholdId
from giamngheo.api.lookups import ethnicity_by_id
from giamngheo.api.pagination import Page
from giamngheo.api.preconditions import seen_for_write, tag
from giamngheo.api.schemas import MAX_ID, MemberCreate, MemberFilters, MemberOut, MemberUpdate, PersonOut
from giamngheo.api.schemas.common import STAMP_FIELDS
from giamngheo.registry.models import Person
from giamngheo.registry.selectors import household_of_person, memberships_of
from giamngheo.registry.services import member_add, member_update

router = Router(tags=["Thành viên hộ"])

PersonId = Path(..., ge=1, le=MAX_ID, description="id của nhân khẩu")


@router.get(
    "/households/{household_id}/members",
    response={200: list[MemberOut], **READ_ERRORS},
    summary="Thành viên của hộ (mặc định: hiện tại)",
)
@paginate(Page)
def member_list(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[MemberFilters],
    household_id: int = HouseholdId,
) -> Any:
    household = household_for_read(current_user(request), household_id)
    tag(response, household)
    return memberships_of(household, on=None if filters.include_past else timezone.localdate())


@router.post(
    "/households/{household_id}/members",
    response={201: MemberOut, **WRITE_ERRORS},
    summary="Thêm một người mới vào hộ (sinh, chuyển đến)",
)
def member_create(
    request: HttpRequest, response: HttpResponse, payload: MemberCreate, household_id: int = HouseholdId
) -> Any:
    user = current_user(request)
    household = household_for_edit(user, household_id)
    seen = seen_for_write(request, payload)
    values = payload.model_dump(exclude={"ethnicity_id", *STAMP_FIELDS})
    person = member_add(
        household=household,
        actor=user,
        seen=seen,
        ethnicity=ethnicity_by_id("ethnicity_id", payload.ethnicity_id),
        **values,
    )
    tag(response, household)
    membership = memberships_of(household).filter(person=person).order_by("-start_date", "-id").first()
    return Status(201, membership)


def person_out(user: Any, person: Person) -> Person:
    """`person` with the memberships the caller may see (households in their area), for `PersonOut`."""
    person.visible_memberships = list(  # type: ignore[attr-defined]  # read by PersonOut.resolve_memberships
        memberships_for(user, person)
    )
    return person


@router.get(
    "/members/{person_id}",
    response={200: PersonOut, **READ_ERRORS},
    summary="Một nhân khẩu (ETag: của hộ người đó đang thuộc về)",
)
def member_get(request: HttpRequest, response: HttpResponse, person_id: int = PersonId) -> Any:
    user = current_user(request)
    person = person_for_read(user, person_id)
    _tag_household_of(user, response, person, timezone.localdate())
    return person_out(user, person)


def _tag_household_of(user: Any, response: HttpResponse, person: Person, on: date) -> None:
    """The ETag of the household a change of `person` on `on` belongs to, when the caller may read it."""
    household_id = household_of_person(person, on)
    if household_id is not None:
        household = households_for(user).filter(pk=household_id).first()
        if household is not None:
            tag(response, household)


@router.patch(
    "/members/{person_id}",
    response={200: PersonOut, **WRITE_ERRORS},
    summary="Sửa thông tin một nhân khẩu (chỉ các trường gửi lên)",
)
def member_edit(
    request: HttpRequest, response: HttpResponse, payload: MemberUpdate, person_id: int = PersonId
) -> Any:
    user = current_user(request)
    person = person_for_read(user, person_id)
    if not scope_for(user).can_edit:
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem, không được sửa nhân khẩu."))
    seen = seen_for_write(request, payload)
    on = payload.on or timezone.localdate()
    household_id = household_of_person(person, on)
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
    member_update(person=person, actor=user, on=on, seen=seen, **changes)
    person.refresh_from_db()
    _tag_household_of(user, response, person, on)
    return person_out(user, person)
