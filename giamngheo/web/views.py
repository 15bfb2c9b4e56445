"""Pages of the officer's workspace: the household list.

Every page needs a signed-in user and reads households only through `giamngheo.accounts.access`, so an account sees
its own area and gets the same 404 for a household that is missing or outside it. The list's query and its
performance notes are in `giamngheo.reviews.selectors`, shared with the API list and the exports; the filter
choices offered here are limited to the account's area too (communes of its area that hold households it may read,
villages of the chosen commune). A query parameter that is not what it should be (a page number such as "²") is
ignored, never an error.
"""

from __future__ import annotations

import tempfile
from datetime import date
from itertools import islice
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from giamngheo.accounts.access import households_for
from giamngheo.accounts.models import Role
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit, UnitLevel, UnitSuccession, Village, valid_on_q
from giamngheo.areas.selectors import unit_includes, villages_of
from giamngheo.lib.params import positive_int
from giamngheo.registry.ethnicities import ethnicity_choices
from giamngheo.registry.models import HouseholdStatus
from giamngheo.reviews.models import PovertyClass
from giamngheo.reviews.selectors import HouseholdFilters, household_page, households_for_export
from giamngheo.reviews.stats import area_label
from giamngheo.web.exports import XLSX_CONTENT_TYPE, write_household_list

PRINT_LIMIT = 5_000  # rows on a printed list; a longer list is narrowed or exported

# The flag checkboxes: query parameter (Vietnamese, as the URLs are), the filter it sets, its label.
FLAGS = (
    ("nong_nghiep", "is_agri", _("Hộ làm nông, lâm, ngư, diêm nghiệp")),
    ("co_cong", "has_meritorious_member", _("Có thành viên là người có công")),
    ("khong_lao_dong", "no_working_capacity", _("Hộ không có khả năng lao động")),
)


def commune_choices(user: Any, today: date) -> tuple[list[AdminUnit], list[AdminUnit]]:
    """The communes the list can be narrowed to: (today's communes of the user's area, by name; legacy communes
    of the area that still hold households registered in them, by name)."""
    scope = scope_for(user)
    units = AdminUnit.objects.filter(level=UnitLevel.COMMUNE)
    if not scope.everything:
        units = units.filter(pk__in=sorted(scope.stats_commune_ids))
    current = units.filter(valid_on_q(today))
    held = households_for(user).filter(commune_id=OuterRef("pk"))
    if scope.everything:  # every commune of the country: those with households registered there or taken over
        taken_over = UnitSuccession.objects.filter(
            successor_id=OuterRef("pk"), predecessor__households__isnull=False
        )
        current = current.filter(Exists(held) | Exists(taken_over))
    legacy = units.filter(valid_to__lt=today).filter(Exists(held))
    return list(current.order_by("name", "code")), list(legacy.order_by("name", "code"))


def village_choices(user: Any, commune_id: int) -> list[Village]:
    """Villages of the commune (`areas.selectors.villages_of`) within the user's area."""
    scope = scope_for(user)
    commune = AdminUnit.objects.filter(pk=commune_id, level=UnitLevel.COMMUNE).first()
    villages = villages_of(commune)
    if not scope.everything:
        villages = villages.filter(
            Q(commune_id__in=sorted(scope.commune_ids | scope.stats_commune_ids))
            | Q(pk__in=sorted(scope.village_ids))
        )
        if scope.role == Role.VILLAGE:
            villages = villages.filter(pk__in=sorted(scope.village_ids))
    return list(villages.order_by("local_code", "name"))


def _filters(params: QueryDict, villages: list[Village]) -> HouseholdFilters:
    commune_id = positive_int(params.get("xa"))
    village_id = positive_int(params.get("thon"))
    ethnicity = params.get("dan_toc", "")
    return HouseholdFilters(
        query=params.get("q", "").strip()[:120],
        commune_id=commune_id,
        village_id=village_id if any(v.pk == village_id for v in villages) else None,
        poverty_class=params.get("phan_loai", "") if params.get("phan_loai") in PovertyClass.values else "",
        ethnicity=ethnicity if any(code == ethnicity for code, _name in ethnicity_choices()) else "",
        status=params.get("tinh_trang", "") if params.get("tinh_trang") in HouseholdStatus.values else "",
        **{flag: True if params.get(name) == "1" else None for name, flag, _label in FLAGS},
    )


def _list_request(request: HttpRequest) -> tuple[HouseholdFilters, dict[str, Any]]:
    """The filters asked for in the query string (only the choices the account may use), and what the list
    page's filter form shows."""
    today = timezone.localdate()
    current, legacy = commune_choices(request.user, today)
    commune_id = positive_int(request.GET.get("xa"))
    chosen = next((c for c in [*current, *legacy] if c.pk == commune_id), None)
    villages = village_choices(request.user, commune_id) if chosen is not None and commune_id else []
    filters = _filters(request.GET, villages)
    choices = {
        "communes": [(unit.pk, area_label(unit)) for unit in current],
        "legacy_communes": [(unit.pk, area_label(unit)) for unit in legacy],
        "chosen_commune": chosen,
        "chosen_includes": [area_label(unit) for unit in unit_includes(chosen)] if chosen else [],
        "villages": villages,
    }
    return filters, choices


def _filters_summary(filters: HouseholdFilters, choices: dict[str, Any]) -> list[str]:
    """The filters in force, in words, for the printed list and the export."""
    parts: list[str] = []
    if filters.query:
        parts.append(_("Tìm: «%(text)s»") % {"text": filters.query})
    if choices["chosen_commune"] is not None:
        parts.append(area_label(choices["chosen_commune"]))
    village = next((v for v in choices["villages"] if v.pk == filters.village_id), None)
    if village is not None:
        parts.append(village.name)
    if filters.poverty_class:
        parts.append(str(PovertyClass(filters.poverty_class).label))
    if filters.ethnicity:
        parts.append(dict(ethnicity_choices()).get(filters.ethnicity, filters.ethnicity))
    if filters.status:
        parts.append(str(HouseholdStatus(filters.status).label))
    parts.extend(str(label) for _name, flag, label in FLAGS if getattr(filters, flag))
    return parts


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    filters, choices = _list_request(request)
    page = household_page(
        households_for(request.user), filters, number=positive_int(request.GET.get("trang")) or 1
    )
    params = request.GET.copy()
    params.pop("trang", None)
    class_labels = dict(PovertyClass.choices)
    return render(
        request,
        "web/household_list.html",
        {
            "page": page,
            "rows": [
                (household, class_labels.get(getattr(household, "latest_class", None) or ""))
                for household in page.households
            ],
            "filters": filters,
            **choices,
            "classes": PovertyClass.choices,
            "ethnicities": ethnicity_choices(),
            "statuses": HouseholdStatus.choices,
            "flags": [(name, label, getattr(filters, flag)) for name, flag, label in FLAGS],
            "more_filters": any(
                getattr(filters, name)
                for name in ("village_id", "ethnicity", "status", *(f for _p, f, _l in FLAGS))
            ),
            "querystring": params.urlencode(),
        },
    )


@login_required
def household_list_print(request: HttpRequest) -> HttpResponse:
    """The list as filtered, every row up to `PRINT_LIMIT`, in a layout for paper: no menu, no filters; the
    filters in force and the date are printed above the table."""
    filters, choices = _list_request(request)
    rows = list(islice(households_for_export(households_for(request.user), filters), PRINT_LIMIT + 1))
    class_labels = dict(PovertyClass.choices)
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "web/household_print.html",
        {
            "rows": [
                (household, class_labels.get(getattr(household, "latest_class", None) or ""))
                for household in rows[:PRINT_LIMIT]
            ],
            "truncated": len(rows) > PRINT_LIMIT,
            "limit": PRINT_LIMIT,
            "summary": _filters_summary(filters, choices),
            "printed_at": timezone.localtime(),
            "querystring": params.urlencode(),
        },
    )


@login_required
def household_list_export(request: HttpRequest) -> FileResponse:
    """The list as filtered as an Excel workbook: every matching household, written row by row (XlsxWriter's
    constant-memory mode, households read in chunks), so memory does not grow with the number of rows. Every
    cell is written as a string or a number, never as a formula."""
    filters, choices = _list_request(request)
    households = households_for_export(households_for(request.user), filters)
    workbook_file = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the response, which closes it
    write_household_list(workbook_file, households, summary=_filters_summary(filters, choices))
    workbook_file.seek(0)
    name = f"danh-sach-ho-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(workbook_file, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
