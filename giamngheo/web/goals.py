"""Targets and progress of an area for a year (`goals.selectors`), and the forms that set a target and enter an
actual (`goals.services`).

`/chi-tieu/?area=<id>&nam=<year>`: the account's own area and the current year by default. A unit outside the
account's area is the same 404 as a missing one; province staff and commune officers see the forms, a viewer
reads only (a write is 403: the services check the role again). Each form names the row in force it corrects
(a hidden field), so a stale form is refused with the value someone else wrote meanwhile.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.accounts.access import unit_for_stats, unit_not_found
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit
from giamngheo.goals.computations import Ratio
from giamngheo.goals.models import ActualEntry, Indicator, Target
from giamngheo.goals.selectors import ProgressLine, format_value, progress
from giamngheo.goals.services import WRITERS, PeriodKey, StaleEntryError, actual_record, latest, target_set
from giamngheo.lib.formatting import format_percent_vi, group_thousands
from giamngheo.lib.params import positive_int
from giamngheo.reviews.overview import default_province, province_choices
from giamngheo.reviews.stats import area_label
from giamngheo.web.forms import apply_service_errors, date_field


def chosen_area(request: HttpRequest) -> AdminUnit | None:
    """The unit asked with `?area=` (404 when missing or not the account's), else the account's own area (for an
    administrator, the default province)."""
    unit_id = positive_int(request.GET.get("area") or request.POST.get("area"))
    if unit_id is not None:
        unit = AdminUnit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise unit_not_found()
        return unit_for_stats(request.user, unit)
    scope = scope_for(request.user)
    if scope.everything:
        return default_province(province_choices(timezone.localdate()))
    if scope.unit is not None and scope.communes_readable(scope.unit) is not None:
        return scope.unit
    return None


def chosen_year(request: HttpRequest) -> int:
    year = positive_int(request.GET.get("nam"))
    return year if year is not None and 2000 <= year <= 2100 else timezone.localdate().year


def ratio_text(ratio: Ratio) -> str:
    """A rate with its numerator and denominator: "Tỷ lệ hộ nghèo cuối kỳ: 3/4 hộ = 75,00 %"."""
    return _("%(label)s: %(part)s/%(whole)s hộ = %(rate)s") % {
        "label": ratio.label,
        "part": group_thousands(ratio.numerator),
        "whole": group_thousands(ratio.denominator),
        "rate": format_percent_vi(ratio.rate),
    }


def progress_rows(lines: list[ProgressLine], *, only_set: bool = False) -> list[dict[str, Any]]:
    """The progress as text for a template; with `only_set`, the indicators with a target or an actual."""
    rows = []
    for line in lines:
        if only_set and line.target is None and line.actual is None:
            continue
        actual = line.actual
        rows.append(
            {
                "code": line.indicator.code,
                "name": line.indicator.name,
                "target": line.target.wording if line.target else "",
                "source_decision": line.target.source_decision if line.target else "",
                "actual": format_value(actual.value, line.indicator.unit) if actual else "",
                "actual_source": actual.source_label if actual else "",
                "note": actual.note if actual else line.missing,
                "ratios": [ratio_text(ratio) for ratio in (actual.ratios if actual else ())],
                "met": line.met,
                "met_label": "" if line.met is None else (_("Đạt") if line.met else _("Chưa đạt")),
            }
        )
    return rows


@login_required
def goals_page(request: HttpRequest) -> HttpResponse:
    area = chosen_area(request)
    year = chosen_year(request)
    lines = progress(area, year) if area is not None else []
    return render(
        request,
        "web/goals.html",
        {
            "area": area,
            "area_label": area_label(area) if area is not None else "",
            "year": year,
            "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1)),
            "rows": progress_rows(lines),
            "may_write": scope_for(request.user).role in WRITERS,
        },
    )


class TargetForm(forms.Form):
    value = forms.DecimalField(label=gettext_lazy("Giá trị chỉ tiêu"), max_digits=14, decimal_places=2)
    document_number = forms.CharField(
        label=gettext_lazy("Số kế hoạch, quyết định giao chỉ tiêu"), max_length=60, required=False
    )
    document_date = date_field(gettext_lazy("Ngày ban hành"), required=False)
    document_title = forms.CharField(
        label=gettext_lazy("Trích yếu, cơ quan ban hành"), max_length=255, required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do đính chính"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_latest = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActualForm(forms.Form):
    value = forms.DecimalField(label=gettext_lazy("Số thực hiện"), max_digits=14, decimal_places=2)
    as_of = date_field(gettext_lazy("Số liệu đến ngày"))
    source_note = forms.CharField(
        label=gettext_lazy("Nguồn số liệu"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do đính chính"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_latest = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _entry_form(request: HttpRequest, area_pk: int, year: int, code: str, *, target: bool) -> HttpResponse:
    unit = AdminUnit.objects.filter(pk=area_pk).first()
    if unit is None:
        raise unit_not_found()
    area = unit_for_stats(request.user, unit)
    indicator = Indicator.objects.filter(code=code, active=True).first()
    if indicator is None or not 2000 <= year <= 2100:
        raise Http404(_("Không tìm thấy chỉ tiêu."))
    key = PeriodKey(indicator, area, year)
    in_force: Target | ActualEntry | None = latest(Target, key) if target else latest(ActualEntry, key)
    form_class = TargetForm if target else ActualForm
    initial: dict[str, Any] = {"expected_latest": in_force.pk if in_force is not None else None}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if target:
                target_set(
                    indicator=indicator, area=area, year=year, value=data["value"], actor=request.user,
                    document_number=data["document_number"], document_date=data["document_date"],
                    document_title=data["document_title"], expected_latest=data["expected_latest"],
                    reason=data["reason"],
                )  # fmt: skip
            else:
                actual_record(
                    indicator=indicator, area=area, year=year, value=data["value"], as_of=data["as_of"],
                    source_note=data["source_note"], actor=request.user,
                    expected_latest=data["expected_latest"], reason=data["reason"],
                )  # fmt: skip
        except StaleEntryError as error:
            # The form again with what the user typed, now naming the row in force: sent again, it corrects it.
            in_force = error.latest
            data = request.POST.copy()
            data["expected_latest"] = str(in_force.pk) if in_force is not None else ""
            form = form_class(data)
            form.is_valid()
            form.add_error(None, error.messages)
        except ValidationError as error:
            apply_service_errors(form, error, {"document_number": "document_number"})
        else:
            messages.success(
                request, _("Đã ghi «%(name)s» năm %(year)s.") % {"name": indicator.name, "year": year}
            )
            return redirect(f"{reverse('web:goals')}?area={area.pk}&nam={year}")
    return render(
        request,
        "web/goal_form.html",
        {
            "form": form, "area": area, "area_label": area_label(area), "year": year, "indicator": indicator,
            "target": target, "in_force": in_force,
            "in_force_value": format_value(Decimal(in_force.value), indicator.unit) if in_force else "",
        },
    )  # fmt: skip


@login_required
def target_form(request: HttpRequest, area_pk: int, year: int, code: str) -> HttpResponse:
    return _entry_form(request, area_pk, year, code, target=True)


@login_required
def actual_form(request: HttpRequest, area_pk: int, year: int, code: str) -> HttpResponse:
    return _entry_form(request, area_pk, year, code, target=False)
