"""Who may see which job, who may start which, and what an area job works on.

Access rule: a job is visible to the account that started it and to administrators, nobody else; anyone else
gets the same 404 as for a job that does not exist, so job ids reveal nothing. Starting a workbook job needs an
account bound to an area (it changes no stored data); re-classifying an area needs the right to edit or assess
there (commune officers, village reviewers, administrators) and an area whose figures the account may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from giamngheo.accounts.access import assessments_for
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.jobs.models import Job
from giamngheo.reviews.models import Assessment, Review


def jobs_for(user: Any) -> QuerySet[Job]:
    """The jobs `user` may see: their own; every job for an administrator."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    queryset = Job.objects.select_related("started_by", "area")
    return queryset if scope_for(user).everything else queryset.filter(started_by=user)


def job_not_found() -> Http404:
    return Http404(_("Không tìm thấy công việc."))


def job_for_read(user: Any, pk: Any) -> Job:
    try:
        return jobs_for(user).get(pk=int(pk))
    except (Job.DoesNotExist, ValueError, TypeError) as exc:
        raise job_not_found() from exc


def may_classify_workbook(user: Any) -> bool:
    scope = scope_for(user)
    return scope.everything or not scope.is_empty


def may_classify_area(user: Any) -> bool:
    scope = scope_for(user)
    return scope.can_edit or scope.can_assess


def area_choices(user: Any, *, today: date) -> QuerySet[AdminUnit]:
    """The areas offered on the area form: the account's own unit and the communes in it; for an administrator,
    the provinces in force `today` (each covers its communes and their predecessors)."""
    scope = scope_for(user)
    if scope.everything:
        return AdminUnit.objects.provinces().valid_on(today).order_by("name", "code")
    if scope.unit is None or not may_classify_area(user):
        return AdminUnit.objects.none()
    unit = scope.unit
    inside = Q(pk=unit.pk)
    if unit.level != UnitLevel.COMMUNE:
        inside |= Q(level=UnitLevel.COMMUNE) & (Q(parent=unit) | Q(parent__parent=unit))
    return AdminUnit.objects.filter(inside).order_by("level", "name", "code")


def _area_assessments(user: Any, unit: AdminUnit, year: int | None) -> QuerySet[Assessment]:
    """The assessments in force made in a commune within `unit` (with its legacy predecessors), of households
    `user` may read, optionally of the reviews of one year."""
    queryset = assessments_for(user).filter(commune_id__in=sorted(commune_ids_within(unit)), superseded=False)
    return queryset.filter(review__year=year) if year is not None else queryset


def area_assessment_ids(user: Any, unit: AdminUnit, *, year: int | None = None, today: date) -> list[int]:
    """Ids of the assessments an area job re-classifies: `_area_assessments` of rounds still open on `today`
    (a closed round's results stay as decided)."""
    queryset = _area_assessments(user, unit, year).filter(review__reference_date__gte=today)
    return list(queryset.order_by("pk").values_list("pk", flat=True))


@dataclass(frozen=True)
class AreaJobPreview:
    """What an area job would do, for the confirmation: per round, how many assessments, and whether the round
    is open (re-classified) or closed (left as decided)."""

    rounds: list[tuple[Review, int, bool]]

    @property
    def to_classify(self) -> int:
        return sum(count for _review, count, is_open in self.rounds if is_open)

    @property
    def kept(self) -> int:
        return sum(count for _review, count, is_open in self.rounds if not is_open)


def area_job_preview(user: Any, unit: AdminUnit, *, year: int | None, today: date) -> AreaJobPreview:
    counts = dict(
        _area_assessments(user, unit, year)
        .order_by()
        .values("review_id")
        .annotate(n=Count("id"))
        .values_list("review_id", "n")
    )
    rounds = Review.objects.in_bulk(list(counts))
    ordered = sorted(rounds.values(), key=lambda r: (r.reference_date, r.pk), reverse=True)
    return AreaJobPreview(
        rounds=[(review, counts[review.pk], not review.is_closed_on(today)) for review in ordered]
    )
