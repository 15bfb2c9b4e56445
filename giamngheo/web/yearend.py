"""The year-end summary report on screen and as DOCX, PDF and JSON (`yearend`).

`/bao-cao/tong-ket/?area=ID&nam=YYYY[&dinh_dang=docx|pdf|json]`: the area is the account's own or one within it
(`web.reports`' rule: a unit outside the account's area is the same 404 as one that does not exist). On screen
each figure links to the page listing what it counts; the files carry the same figures with notes.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from giamngheo.lib.params import positive_int
from giamngheo.reviews.stats import area_label
from giamngheo.web.reports import requested_area
from giamngheo.yearend.build import build_summary
from giamngheo.yearend.render import context, summary_docx, summary_pdf

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def summary_page(request: HttpRequest) -> HttpResponse | FileResponse:
    unit = requested_area(request)
    today = timezone.localdate()
    raw_year = request.GET.get("nam", "").strip()
    year = positive_int(raw_year) if len(raw_year) == 4 else None
    year = year if year is not None and 1990 <= year <= today.year else today.year - 1
    summary = build_summary(unit, year) if unit is not None else None
    file_format = request.GET.get("dinh_dang", "")
    if summary is not None and file_format == "json":
        return JsonResponse(summary.to_json(), json_dumps_params={"ensure_ascii": False})
    if summary is not None and file_format in {"docx", "pdf"}:
        data = summary_docx(summary) if file_format == "docx" else summary_pdf(summary)
        name = f"tong-ket-{summary.area_code}-{year}.{file_format}"
        content_type = DOCX_CONTENT_TYPE if file_format == "docx" else "application/pdf"
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=content_type)
    page: dict[str, Any] = {
        "unit": unit,
        "unit_label": area_label(unit) if unit is not None else "",
        "year": year,
        "today": today,
        "query": request.GET.urlencode(),
    }
    if summary is not None:
        page.update(context(summary, footnotes=False))
        page["charts"] = [chart["data"] for item in page["sections"] for chart in item["charts"]]
    return render(request, "web/yearend.html", page)
