"""The statutory reports of the official lists on screen, printed, and as Excel or JSON (`decisions.reports`).

`/bao-cao/?bao_cao=NAME&area=ID&nam=YYYY[&thang=M][&dinh_dang=xlsx|json][&in=1][&trang=N]`. The area is the
account's own (a commune officer's commune, province staff's province, an administrator's chosen province) or one
within it asked with `?area=`; a unit outside the account's area is the same 404 as one that does not exist. The
named lists (one line per household) are shown and printed `PAGE_SIZE` households a page (`?trang=`); their Excel
and JSON have every household.
"""

from __future__ import annotations

import io
import math
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.access import decisions_for, unit_communes_for_stats, unit_not_found
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit
from giamngheo.decisions.excel import write_report
from giamngheo.decisions.reports import REPORTS, RESULTS, Report, Value, build_report
from giamngheo.lib.formatting import group_thousands
from giamngheo.lib.params import positive_int
from giamngheo.reviews.overview import default_province, province_choices
from giamngheo.reviews.stats import area_label
from giamngheo.web.exports import XLSX_CONTENT_TYPE

PAGE_SIZE = 500  # households a page of a named list


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return f"{value}".replace(".", ",")
    return group_thousands(value)


def requested_area(request: HttpRequest) -> AdminUnit | None:
    """The unit asked for with `?area=` (the same 404 whether missing or outside the account's area), else the
    account's own (an administrator's: the province of the latest review); None for an account with no area."""
    raw = request.GET.get("area", "").strip()
    if raw:
        unit_id = positive_int(raw)
        unit = AdminUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
        if unit is None:
            raise unit_not_found()
        unit_communes_for_stats(request.user, unit)
        return unit
    scope = scope_for(request.user)
    if scope.everything:
        return default_province(province_choices(timezone.localdate()))
    if scope.unit is not None and scope.communes_readable(scope.unit) is not None:
        return scope.unit
    return None


@login_required
def report_page(request: HttpRequest) -> HttpResponse | FileResponse:
    kind = REPORTS.get(request.GET.get("bao_cao", ""), RESULTS)
    unit = requested_area(request)
    latest = decisions_for(request.user).aggregate(last=Max("effective_from"))["last"]
    default_year = (latest.year - 1) if latest is not None else timezone.localdate().year - 1
    raw_year = request.GET.get("nam", "").strip()
    year = positive_int(raw_year) if len(raw_year) == 4 else None
    year = year if year is not None and 1990 <= year <= timezone.localdate().year else default_year
    month = positive_int(request.GET.get("thang", ""))
    month = month if month is not None and 1 <= month <= 12 else None
    report = build_report(kind, unit, year, month) if unit is not None else None
    file_format = request.GET.get("dinh_dang", "")
    if report is not None and file_format == "json":
        return JsonResponse(report.to_json(), json_dumps_params={"ensure_ascii": False})
    if report is not None and file_format == "xlsx":
        buffer = io.BytesIO()
        write_report(buffer, report, today=timezone.localdate())
        buffer.seek(0)
        name = f"{kind.name}-{unit.code if unit else ''}-{year}{f'-{month:02d}' if month else ''}.xlsx"
        return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
    context: dict[str, Any] = {
        "kinds": sorted(REPORTS.values(), key=lambda k: list(REPORTS).index(k.name)),
        "kind": kind,
        "unit": unit,
        "unit_label": area_label(unit) if unit is not None else "",
        "year": year,
        "month": month,
        "months": range(1, 13),
        "report": report,
        "table": _table(report, request) if report is not None else None,
        "query": request.GET.urlencode(),
        "today": timezone.localdate(),
        "dated": _("Ngày %(d)s tháng %(m)s năm %(y)s")
        % {
            "d": f"{timezone.localdate():%d}",
            "m": f"{timezone.localdate():%m}",
            "y": timezone.localdate().year,
        },
    }
    template = "web/report_print.html" if request.GET.get("in") == "1" else "web/report.html"
    return render(request, template, context)


def _table(report: Report, request: HttpRequest) -> dict[str, Any]:
    numbers = [number for number, _title in report.columns]
    lines = list(zip(range(1, len(report.rows) + 1), report.row_labels(), report.rows, strict=True))
    page, pages = 1, 1
    if report.kind.per_household:
        pages = max(1, math.ceil(len(lines) / PAGE_SIZE))
        page = min(positive_int(request.GET.get("trang", "")) or 1, pages)
        lines = lines[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]

    def link(number: int) -> str:
        query = request.GET.copy()
        query["trang"] = str(number)
        return query.urlencode()

    return {
        "columns": report.columns,
        "rows": [(n, label, [_cell(row.values.get(c)) for c in numbers]) for n, label, row in lines],
        "total": [_cell(report.total.values.get(n)) for n in numbers],
        "persons": (
            [
                (n, label, [_cell(row.persons.get(c)) for c in numbers])
                for n, label, row in lines
                if row.persons is not None
            ],
            [_cell(report.total.persons.get(n)) for n in numbers] if report.total.persons else None,
        ),
        "approved": report.approved,
        "period": f"{report.start:%d/%m/%Y} – {date.fromordinal(report.end.toordinal() - 1):%d/%m/%Y}",
        "page": page,
        "pages": pages,
        "previous": link(page - 1) if page > 1 else "",
        "next": link(page + 1) if page < pages else "",
    }
