"""Pages of the officer's workspace: the household list and the household page.

Every page needs a signed-in user. (Area scopes per role arrive with the accounts app; until then only staff
accounts exist, created by the administrator or the demo.)
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from giamngheo.areas.models import AdminUnit
from giamngheo.engine.standard import load_catalogue
from giamngheo.lib.text import fold
from giamngheo.registry.models import Household, HouseholdEvent, LivingConditions, Membership
from giamngheo.reviews.models import Assessment, PovertyClass

PAGE_SIZE = 50


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    commune_id = request.GET.get("xa", "")
    poverty_class = request.GET.get("phan_loai", "")

    latest = Assessment.objects.filter(household=OuterRef("pk")).order_by("-assessed_on", "-id")
    households = (
        Household.objects.select_related("commune", "village", "head")
        .annotate(
            latest_class=Subquery(latest.values("poverty_class")[:1]),
            latest_year=Subquery(latest.values("review__year")[:1]),
            latest_count=Subquery(latest.values("deprivation_count")[:1]),
        )
        .order_by("code")
    )
    if query:
        folded = fold(query)
        households = households.filter(
            Q(code__icontains=query)
            | Q(head__search_name__contains=folded)
            | Q(memberships__person__citizen_id=query)
            | Q(memberships__person__search_name__contains=folded)
        ).distinct()
    if commune_id.isdigit():
        households = households.filter(commune_id=int(commune_id))
    if poverty_class in PovertyClass.values:
        households = households.filter(latest_class=poverty_class)

    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("trang"))
    communes = AdminUnit.objects.filter(households__isnull=False).distinct().order_by("name")
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "web/household_list.html",
        {
            "page": page,
            "query": query,
            "communes": communes,
            "commune_id": commune_id,
            "poverty_class": poverty_class,
            "classes": PovertyClass.choices,
            "querystring": params.urlencode(),
        },
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(
        Household.objects.select_related("commune", "commune__parent", "village", "head").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("person", "person__ethnicity").order_by(
                    "end_date", "start_date", "id"
                ),
            ),
            Prefetch("living_conditions", queryset=LivingConditions.objects.order_by("-recorded_on")),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("review", "standard", "commune").order_by(
                    "-assessed_on"
                ),
            ),
            Prefetch("events", queryset=HouseholdEvent.objects.order_by("-recorded_at", "-id")),
        ),
        pk=pk,
    )
    catalogue = load_catalogue()
    assessments = []
    for assessment in household.assessments.all():
        standard = assessment.standard.definition()
        indicators = []
        for rule in standard.indicators:
            bit = 1 << standard.bit(rule.code)
            indicators.append(
                {
                    "name": catalogue[rule.code].name_vi,
                    "deprived": bool(assessment.deprivation_mask & bit),
                    "conflict": bool(assessment.conflict_mask & bit),
                    "missing": bool(assessment.missing_mask & bit),
                    "derived": bool(assessment.derivable_mask & bit),
                }
            )
        assessments.append({"assessment": assessment, "indicators": indicators})
    memberships = list(household.memberships.all())
    return render(
        request,
        "web/household_detail.html",
        {
            "household": household,
            "current_members": [m for m in memberships if m.end_date is None],
            "past_members": [m for m in memberships if m.end_date is not None],
            "living_conditions": list(household.living_conditions.all()),
            "assessments": assessments,
            "events": list(household.events.all()),
        },
    )
