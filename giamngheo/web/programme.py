"""The national target programme's money for officers (`programme.services`, `programme.selectors`).

`/von-chuong-trinh/?area=ID&nam=YYYY`: the year's money of an area — allocated, carried in, disbursed, carried
out — by project, capital type, source and area, each figure linking to the rows it adds up
(`&so_lieu=MEASURE&theo=DIMENSION&ma=PK`), the disbursement rate with its numerator and denominator, and the form
recording an allocation. `/von-chuong-trinh/khoan/<pk>/`: one allocation, its entries and the forms recording a
disbursement, an adjustment, a reversal or the carry-over. An area or record outside the account's area is the
same 404 as a missing one; a read-only account gets no forms and 403 on a write.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giamngheo.areas.models import AdminUnit
from giamngheo.lib.params import positive_int
from giamngheo.programme import services
from giamngheo.programme.access import (
    allocation_for_read,
    allocation_for_write,
    area_for_read,
    area_for_write,
    default_area,
    disbursement_for_write,
    may_write,
)
from giamngheo.programme.models import FUNDABLE_KINDS, CapitalType, FundingSource, ProgrammeItem
from giamngheo.programme.selectors import Dimension, Measure, allocation_state, funds_summary, rows_behind
from giamngheo.reviews.overview import default_province, province_choices
from giamngheo.reviews.stats import area_label
from giamngheo.web.forms import apply_service_errors, date_field

MEASURE_LABELS = {
    Measure.ALLOCATED: gettext_lazy("Vốn giao trong năm"),
    Measure.CARRIED_IN: gettext_lazy("Chuyển từ năm trước"),
    Measure.DISBURSED: gettext_lazy("Đã giải ngân"),
    Measure.CARRIED_OUT: gettext_lazy("Chuyển sang năm sau"),
}
DIMENSION_LABELS = {
    Dimension.PROJECT: gettext_lazy("Theo dự án"),
    Dimension.CAPITAL_TYPE: gettext_lazy("Theo loại vốn"),
    Dimension.SOURCE: gettext_lazy("Theo nguồn vốn"),
    Dimension.AREA: gettext_lazy("Theo địa bàn"),
}


class AllocationForm(forms.Form):
    item = forms.ModelChoiceField(
        label=gettext_lazy("Dự án, tiểu dự án"),
        queryset=ProgrammeItem.objects.filter(kind__in=FUNDABLE_KINDS).select_related("programme"),
    )
    capital_type = forms.ModelChoiceField(label=gettext_lazy("Loại vốn"), queryset=CapitalType.objects.all())
    source = forms.ModelChoiceField(label=gettext_lazy("Nguồn vốn"), queryset=FundingSource.objects.all())
    amount = forms.IntegerField(
        label=gettext_lazy("Số tiền (đồng)"), min_value=1, max_value=services.MAX_AMOUNT
    )
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60)
    decision_date = date_field(gettext_lazy("Ngày quyết định"))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=2000)


class DisbursementForm(forms.Form):
    paid_on = date_field(gettext_lazy("Ngày giải ngân"))
    amount = forms.IntegerField(
        label=gettext_lazy("Số tiền (đồng)"), min_value=1, max_value=services.MAX_AMOUNT
    )
    activity = forms.CharField(label=gettext_lazy("Nội dung, hoạt động"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AdjustmentForm(forms.Form):
    change = forms.IntegerField(
        label=gettext_lazy("Số tiền điều chỉnh (đồng, âm để giảm)"),
        min_value=-services.MAX_AMOUNT,
        max_value=services.MAX_AMOUNT,
    )
    reason = forms.CharField(label=gettext_lazy("Lý do điều chỉnh"), max_length=2000)
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60, required=False)
    decision_date = date_field(gettext_lazy("Ngày quyết định"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReversalForm(forms.Form):
    disbursement = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reversed_on = date_field(gettext_lazy("Ngày huỷ"))
    reason = forms.CharField(label=gettext_lazy("Lý do huỷ"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CarryOverForm(forms.Form):
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60)
    decision_date = date_field(gettext_lazy("Ngày quyết định"))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _area_and_year(request: HttpRequest) -> tuple[AdminUnit, int]:
    raw = request.GET.get("area", "").strip()
    area: AdminUnit | None
    if raw:
        area = area_for_read(request.user, raw)
    else:
        area = default_area(request.user)
        if area is None and getattr(request.user, "is_superuser", False):
            area = default_province(province_choices(timezone.localdate()))
        if area is None:
            raise Http404(_("Không tìm thấy đơn vị hành chính."))
    year = positive_int(request.GET.get("nam", ""))
    today = timezone.localdate()
    year = year if year is not None and 2000 <= year <= today.year + 1 else today.year
    return area, year


@login_required
def programme_page(request: HttpRequest) -> HttpResponse:
    area, year = _area_and_year(request)
    summary = funds_summary(area, year)
    tables = []
    for dimension, title in DIMENSION_LABELS.items():
        keys: dict[int, dict[str, Any]] = {}
        for measure in Measure:
            for figure in summary.breakdown(measure).split(dimension):
                line = keys.setdefault(
                    figure.pk, {"pk": figure.pk, "code": figure.code, "label": figure.label}
                )
                line[measure.value] = figure.amount
        for line in keys.values():
            line["cells"] = [(measure.value, line.get(measure.value, 0)) for measure in Measure]
        tables.append({"dimension": dimension.value, "title": title, "lines": list(keys.values())})
    rows = None
    measure_raw = request.GET.get("so_lieu", "")
    if measure_raw in Measure._value2member_map_:
        measure = Measure(measure_raw)
        dimension_raw = request.GET.get("theo", "")
        chosen = Dimension(dimension_raw) if dimension_raw in Dimension._value2member_map_ else None
        rows = {
            "measure": MEASURE_LABELS[measure],
            "disbursements": measure == Measure.DISBURSED,
            "items": list(rows_behind(area, year, measure, chosen, positive_int(request.GET.get("ma", "")))),
        }
    writer = may_write(request.user)
    form = AllocationForm(request.POST or None) if writer else None
    if request.method == "POST":
        area = area_for_write(request.user, area.pk)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                allocation = services.allocation_record(
                    year=year, area=area, item=data["item"], capital_type=data["capital_type"],
                    source=data["source"], amount=data["amount"], decision_number=data["decision_number"],
                    decision_date=data["decision_date"], note=data["note"], actor=request.user,
                )  # fmt: skip
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Đã ghi khoản vốn %(allocation)s.")
                                 % {"allocation": services.describe(allocation)})  # fmt: skip
                return redirect("web:programme-allocation", pk=allocation.pk)
    return render(
        request,
        "web/programme.html",
        {"area": area, "area_label": area_label(area), "year": year, "summary": summary, "tables": tables,
         "measures": [(m.value, MEASURE_LABELS[m]) for m in Measure], "rows": rows, "form": form,
         "rate": summary.disbursement_rate},
    )  # fmt: skip


@login_required
def allocation_page(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = allocation_for_read(request.user, pk)
    head = allocation_for_read(request.user, allocation.head_id)
    state = allocation_state(head)
    initial = {"version": state.version}
    writer = may_write(request.user) and not state.closed
    context = {
        "allocation": head,
        "label": services.describe(head),
        "capital_label": head.capital_type.label_for(head.year),
        "state": state,
        "adjustments": head.adjustments.order_by("recorded_at", "id"),
        "disbursements": head.disbursements.order_by("paid_on", "id"),
        "reversed": set(
            head.disbursements.filter(reverses__isnull=False).values_list("reverses_id", flat=True)
        ),
        "carried_to": getattr(head, "carried_to", None) if state.closed else None,
        "writer": writer,
        "forms": {
            "giai-ngan": DisbursementForm(initial=initial),
            "dieu-chinh": AdjustmentForm(initial=initial),
            "chuyen-nam": CarryOverForm(initial=initial),
        }
        if writer
        else {},
        "version": state.version,
    }
    return render(request, "web/programme_allocation.html", context)


@login_required
@require_POST
def allocation_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    allocation = allocation_for_write(request.user, pk)
    form_class = {"giai-ngan": DisbursementForm, "dieu-chinh": AdjustmentForm, "chuyen-nam": CarryOverForm,
                  "huy": ReversalForm}.get(step)  # fmt: skip
    if form_class is None:
        raise Http404(_("Không tìm thấy khoản vốn."))
    form = form_class(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
        return redirect("web:programme-allocation", pk=allocation.pk)
    data = form.cleaned_data
    version = data["version"]
    try:
        if step == "giai-ngan":
            services.disbursement_record(
                allocation=allocation, paid_on=data["paid_on"], amount=data["amount"], activity=data["activity"],
                expected_version=version, actor=request.user,
            )  # fmt: skip
        elif step == "dieu-chinh":
            services.allocation_adjust(
                allocation=allocation, change=data["change"], expected_version=version, reason=data["reason"],
                decision_number=data["decision_number"], decision_date=data["decision_date"], actor=request.user,
            )  # fmt: skip
        elif step == "chuyen-nam":
            services.carry_over(
                allocation=allocation, expected_version=version, decision_number=data["decision_number"],
                decision_date=data["decision_date"], note=data["note"], actor=request.user,
            )  # fmt: skip
        else:
            disbursement = disbursement_for_write(request.user, data["disbursement"])
            if disbursement.allocation_id != allocation.pk:
                raise Http404(_("Không tìm thấy khoản giải ngân."))
            services.disbursement_reverse(
                disbursement=disbursement, reversed_on=data["reversed_on"], reason=data["reason"],
                expected_version=version, actor=request.user,
            )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ghi vào khoản vốn %(allocation)s.")
                         % {"allocation": services.describe(allocation)})  # fmt: skip
    return redirect("web:programme-allocation", pk=allocation.pk)
