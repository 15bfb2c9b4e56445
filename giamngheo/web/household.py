"""The household page: members, living conditions, assessments with their explanation, and the history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from giamngheo.accounts.access import household_for_read
from giamngheo.accounts.scope import scope_for
from giamngheo.engine.standard import load_catalogue
from giamngheo.registry.models import Household, HouseholdEvent, LivingConditions, Membership
from giamngheo.reviews.models import Assessment


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for_read(
        request.user,
        pk,
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
            "scope": scope_for(request.user),
        },
    )
