"""Pages of the officer's workspace: the household list and the household page.

Every page needs a signed-in user and reads households only through `giamngheo.accounts.access`, so an account sees
its own area and gets the same 404 for a household that is missing or outside it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from giamngheo.accounts.access import households_for
from giamngheo.areas.models import AdminUnit
from giamngheo.lib.text import fold
from giamngheo.reviews.models import Assessment, PovertyClass

PAGE_SIZE = 50


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    commune_id = request.GET.get("xa", "")
    poverty_class = request.GET.get("phan_loai", "")

    latest = Assessment.objects.filter(household=OuterRef("pk")).order_by("-assessed_on", "-id")
    households = (
        households_for(request.user)
        .select_related("commune", "village", "head")
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
    communes = (
        AdminUnit.objects.filter(households__in=households_for(request.user)).distinct().order_by("name")
    )
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
