"""Access functions: the only way views, the API and jobs fetch protected records for a user.

Each returns the record or raises `Http404` with the same message whether the record is missing or outside the
user's area, so a probe learns nothing about other areas. Visible but read-only records raise `PermissionDenied`
only for write access, once the user can already see them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit, UnitSuccession
from giamngheo.decisions.models import Approval, Decision, Recorded
from giamngheo.registry.models import Household, Membership, Person
from giamngheo.reviews.models import Assessment, Review

ProcedureRecord = TypeVar("ProcedureRecord", bound=Recorded)


def not_found() -> Http404:
    return Http404(_("Không tìm thấy hộ gia đình."))


def households_for(user: Any, queryset: QuerySet[Household] | None = None) -> QuerySet[Household]:
    """Households `user` may read (none for an unbound account)."""
    queryset = Household.objects.all() if queryset is None else queryset
    return queryset.filter(scope_for(user).households_q())


def assessments_for(user: Any, queryset: QuerySet[Assessment] | None = None) -> QuerySet[Assessment]:
    queryset = Assessment.objects.all() if queryset is None else queryset
    return queryset.filter(scope_for(user).households_q("household__"))


def reviews_for(user: Any) -> QuerySet[Review]:
    """Review rounds whose area overlaps the user's: rounds of a commune of the area (legacy ones included, and the
    communes that took a legacy one over), or of the district or province holding one. None for an unbound
    account."""
    scope = scope_for(user)
    if scope.everything:
        return Review.objects.all()
    communes = sorted(scope.stats_commune_ids)
    if not communes:
        return Review.objects.none()
    # A legacy commune's territory is also reviewed through the communes that took it over in 2025.
    successors = set(
        UnitSuccession.objects.filter(predecessor_id__in=communes).values_list("successor_id", flat=True)
    )
    units: set[int] = set(communes) | successors
    for parent, grandparent in AdminUnit.objects.filter(pk__in=sorted(units)).values_list(
        "parent_id", "parent__parent_id"
    ):
        units.update(unit for unit in (parent, grandparent) if unit is not None)
    return Review.objects.filter(area_id__in=sorted(units))


def reviews_covering(user: Any, household: Household) -> QuerySet[Review]:
    """The rounds of `reviews_for(user)` whose area covers the household's commune: the commune itself, its
    district or province, or, after the 2025 reform, a commune that took it over and that commune's province.
    Newest first."""
    commune = household.commune
    ids = {commune.pk, commune.parent_id}
    if commune.parent is not None:
        ids.add(commune.parent.parent_id)
    for successor, parent, grandparent in AdminUnit.objects.filter(
        predecessions__predecessor=commune
    ).values_list("pk", "parent_id", "parent__parent_id"):
        ids |= {successor, parent, grandparent}
    return (
        reviews_for(user)
        .filter(area_id__in=sorted(i for i in ids if i is not None))
        .select_related("area", "standard")
        .order_by("-year", "-reference_date", "-pk")
    )


def persons_for(user: Any, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """People who are or were members of a household the user may read."""
    queryset = Person.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.everything:
        return queryset
    return queryset.filter(
        pk__in=Household.objects.filter(scope.households_q()).values("memberships__person_id")
    )


def household_persons(household: Household) -> QuerySet[Person]:
    """The people who are or were members of `household`, a household the caller has already read through these
    functions (for a form's choice of member, a borrower)."""
    return Person.objects.filter(memberships__household=household).distinct()


def memberships_for(user: Any, person: Person) -> QuerySet[Membership]:
    """The memberships of `person` in households the user may read, oldest first, with the household."""
    return (
        Membership.objects.filter(person=person, household__in=households_for(user))
        .select_related("household")
        .order_by("start_date", "id")
    )


def household_for_read(user: Any, pk: Any, queryset: QuerySet[Household] | None = None) -> Household:
    try:
        return households_for(user, queryset).get(pk=int(pk))
    except (Household.DoesNotExist, ValueError, TypeError) as exc:
        raise not_found() from exc


def household_for_edit(user: Any, pk: Any, queryset: QuerySet[Household] | None = None) -> Household:
    household = household_for_read(user, pk, queryset)
    if not scope_for(user).can_edit:
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem, không được sửa hộ này."))
    return household


def household_for_assess(user: Any, pk: Any, queryset: QuerySet[Household] | None = None) -> Household:
    household = household_for_read(user, pk, queryset)
    if not scope_for(user).can_assess:
        raise PermissionDenied(_("Tài khoản của bạn không được ghi phiếu rà soát."))
    return household


def person_for_read(user: Any, pk: Any) -> Person:
    try:
        return persons_for(user).get(pk=int(pk))
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy nhân khẩu.")) from exc


def assessment_for_read(user: Any, pk: Any) -> Assessment:
    try:
        return assessments_for(user).select_related("review").get(pk=int(pk))
    except (Assessment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy phiếu rà soát.")) from exc


def unit_for_stats(user: Any, unit: AdminUnit) -> AdminUnit:
    """`unit` when the user may read its figures; otherwise the same 404 as a unit that does not exist."""
    if not scope_for(user).covers_unit(unit):
        raise unit_not_found()
    return unit


def unit_communes_for_stats(user: Any, unit: AdminUnit) -> set[int]:
    """The communes within `unit` (`commune_ids_within`) when the user may read its figures; otherwise the same
    404 as a unit that does not exist."""
    communes = scope_for(user).communes_readable(unit)
    if communes is None:
        raise unit_not_found()
    return communes


def round_for(user: Any, review_pk: Any, commune_pk: Any) -> tuple[Review, AdminUnit]:
    """A review round and one of its communes, both in the user's area (the same 404 otherwise): where the
    commune's decision and approval steps of that round are taken."""
    review = reviews_for(user).filter(pk=review_pk).select_related("standard").first()
    commune = AdminUnit.objects.filter(pk=commune_pk).first()
    if review is None or commune is None or scope_for(user).communes_readable(commune) is None:
        raise Http404(_("Không tìm thấy đợt rà soát."))
    return review, commune


def decisions_for(user: Any) -> QuerySet[Decision]:
    """Recognition decisions of the communes whose figures the user may read."""
    scope = scope_for(user)
    if scope.everything:
        return Decision.objects.all()
    return Decision.objects.filter(commune_id__in=sorted(scope.stats_commune_ids))


def approvals_for(user: Any) -> QuerySet[Approval]:
    """Approval steps of the communes whose figures the user may read."""
    scope = scope_for(user)
    if scope.everything:
        return Approval.objects.all()
    return Approval.objects.filter(commune_id__in=sorted(scope.stats_commune_ids))


def procedure_records_for(user: Any, model: type[Recorded]) -> QuerySet[Any]:
    """Records of the review procedure (requests, meetings, complaints, certificates, …) of the communes whose
    figures the user may read."""
    scope = scope_for(user)
    if scope.everything:
        return model._default_manager.all()
    return model._default_manager.filter(**{"commune_id__in": sorted(scope.stats_commune_ids)})


def procedure_record_for(user: Any, model: type[ProcedureRecord], pk: Any) -> ProcedureRecord:
    """One record of the review procedure in the user's area; the same 404 otherwise."""
    try:
        found: ProcedureRecord = procedure_records_for(user, model).get(pk=int(pk))
        return found
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy hồ sơ.")) from exc


def unit_not_found() -> Http404:
    return Http404(_("Không tìm thấy đơn vị hành chính."))
