"""The support pages (`support.services`, `support.selectors`): recording, correcting and cancelling a household's
support; opening housing cases and recording their steps; the support received in an area in a year.

Households, entries, cases and areas are read through the access functions (the same 404 for missing and out of
area); only commune officers and administrators write (403 otherwise), and the services check role and area again.
The household page shows the support section through the `support_section` tag (`support.templatetags`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giamngheo.accounts.access import household_for_read, household_persons, unit_communes_for_stats
from giamngheo.areas.models import AdminUnit
from giamngheo.lib.params import positive_int
from giamngheo.registry.models import Household, Person
from giamngheo.reviews.stats import area_label
from giamngheo.support.access import (
    housing_case_for_edit,
    housing_cases_for,
    may_record,
    refuse_unless_writer,
    support_event_for_edit,
)
from giamngheo.support.models import HousingStage, HousingWork, SupportKind
from giamngheo.support.selectors import (
    case_view,
    cases_with_steps,
    household_cases,
    household_events,
    summary_of_communes,
)
from giamngheo.support.services import (
    housing_case_open,
    housing_step_record,
    support_event_cancel,
    support_event_correct,
    support_event_record,
)
from giamngheo.web.forms import MoneyField, WorkspaceForm, apply_service_errors, date_field
from giamngheo.web.reports import requested_area

CASES_SHOWN = 200


class FundingForm(WorkspaceForm):
    state_budget = MoneyField(
        label=gettext_lazy("Ngân sách nhà nước (đồng)"), required=False,
        help_text=gettext_lazy("Để trống: mức hỗ trợ mặc định của quy định"),
    )  # fmt: skip
    bank_loan = MoneyField(label=gettext_lazy("Vốn vay ngân hàng (đồng)"), required=False)
    mobilised = MoneyField(label=gettext_lazy("Vốn huy động, cộng đồng (đồng)"), required=False)
    reference = forms.CharField(
        label=gettext_lazy("Quyết định, văn bản (số, ngày)"), max_length=200, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EventForm(FundingForm):
    field_order = ["kind", "occurred_on", "person"]
    kind = forms.ModelChoiceField(label=gettext_lazy("Loại hỗ trợ"), queryset=SupportKind.objects.none())
    occurred_on = date_field(gettext_lazy("Ngày hỗ trợ"))
    person = forms.ModelChoiceField(
        label=gettext_lazy("Thành viên được hỗ trợ"), queryset=Person.objects.none(), required=False,
        empty_label=gettext_lazy("Cả hộ"),
    )  # fmt: skip

    def __init__(self, household: Household, *args: Any, housing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = SupportKind.objects.filter(active=True)
        field = self.fields["kind"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = kinds if housing else kinds.filter(housing="")
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = household_persons(household).order_by("full_name")


class CorrectionForm(EventForm):
    reason = forms.CharField(label=gettext_lazy("Lý do đính chính"), widget=forms.Textarea(attrs={"rows": 2}))


class CaseForm(FundingForm):
    field_order = ["work", "approved_on"]
    work = forms.ChoiceField(label=gettext_lazy("Loại hỗ trợ nhà ở"), choices=HousingWork.choices)
    approved_on = date_field(gettext_lazy("Ngày phê duyệt"))


def _funding(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "state_budget": data["state_budget"], "bank_loan": data["bank_loan"] or 0,
        "mobilised": data["mobilised"] or 0, "reference": data["reference"], "description": data["description"],
    }  # fmt: skip


def _household_url(household: Household) -> str:
    return reverse("web:household-detail", args=[household.pk]) + "#ho-tro"


def _writable_household(request: HttpRequest, pk: int) -> Household:
    household = household_for_read(request.user, pk)
    refuse_unless_writer(request.user)
    return household


@login_required
def event_record(request: HttpRequest, pk: int) -> HttpResponse:
    household = _writable_household(request, pk)
    form = EventForm(household, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            support_event_record(
                household=household, kind=data["kind"], occurred_on=data["occurred_on"], person=data["person"],
                actor=request.user, **_funding(data),
            )  # fmt: skip
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi hỗ trợ «%(kind)s».") % {"kind": data["kind"].name})
            return redirect(_household_url(household))
    return render(
        request,
        "web/support_form.html",
        {"form": form, "household": household, "title": _("Ghi hỗ trợ hộ đã nhận")},
    )


@login_required
def event_correct(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = support_event_for_edit(request.user, event_pk)
    household = event.household
    initial = {
        "kind": event.kind, "occurred_on": event.occurred_on, "person": event.person, "description": event.description,
        "reference": event.reference, "state_budget": event.state_budget, "bank_loan": event.bank_loan,
        "mobilised": event.mobilised,
    }  # fmt: skip
    form = CorrectionForm(
        household, request.POST or None, initial=initial, housing=bool(event.housing_case_id)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        funding = _funding(data)
        if funding["state_budget"] is None:
            funding["state_budget"] = 0
        try:
            support_event_correct(
                event=event, reason=data["reason"], actor=request.user, kind=data["kind"],
                occurred_on=data["occurred_on"], person=data["person"], **funding,
            )  # fmt: skip
        except ValidationError as error:
            apply_service_errors(form, error, {"event": "reason"})
        else:
            messages.success(request, _("Đã ghi mục đính chính."))
            return redirect(_household_url(household))
    return render(
        request,
        "web/support_form.html",
        {"form": form, "household": household, "title": _("Đính chính mục hỗ trợ"), "event": event},
    )


@login_required
@require_POST
def event_cancel(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = support_event_for_edit(request.user, event_pk)
    try:
        support_event_cancel(event=event, reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã huỷ mục hỗ trợ «%(kind)s».") % {"kind": event.kind.name})
    return redirect(_household_url(event.household))


@login_required
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    household = _writable_household(request, pk)
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            housing_case_open(
                household=household, work=data["work"], approved_on=data["approved_on"], actor=request.user,
                **_funding(data),
            )  # fmt: skip
        except ValidationError as error:
            apply_service_errors(form, error, {"kind": "work", "occurred_on": "approved_on"})
        else:
            messages.success(request, _("Đã lập hồ sơ hỗ trợ nhà ở."))
            return redirect(_household_url(household))
    return render(
        request,
        "web/support_form.html",
        {"form": form, "household": household, "title": _("Lập hồ sơ hỗ trợ nhà ở đã phê duyệt")},
    )


@login_required
@require_POST
def case_step(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = housing_case_for_edit(request.user, case_pk)
    form = forms.Form(request.POST)
    form.fields["on"] = date_field(gettext_lazy("Ngày"))
    stage = request.POST.get("stage", "")
    if not form.is_valid():
        messages.error(request, _("Ngày của bước: nhập ngày/tháng/năm."))
    else:
        try:
            housing_step_record(
                case=case, stage=stage, on=form.cleaned_data["on"], note=request.POST.get("note", ""),
                actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            label = HousingStage(stage).label
            messages.success(request, _("Hồ sơ nhà ở hộ %(household)s: %(stage)s.")
                             % {"household": case.household.code, "stage": label})  # fmt: skip
    target = request.POST.get("next", "")
    if target == "household":
        return redirect(_household_url(case.household))
    return redirect(reverse("web:support-housing") + f"?area={case.commune_id}")


def _area(request: HttpRequest) -> tuple[AdminUnit | None, set[int]]:
    """The unit asked with `?area=` (404 when missing or not the account's), else the account's own, with the
    communes the account may read within it."""
    unit = requested_area(request)
    return (unit, unit_communes_for_stats(request.user, unit)) if unit is not None else (None, set())


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("nam", "")
    year = positive_int(raw) if len(raw.strip()) == 4 else None
    return year or timezone.localdate().year


@login_required
def housing_page(request: HttpRequest) -> HttpResponse:
    unit, communes = _area(request)
    cases = cases_with_steps(
        housing_cases_for(request.user).filter(Q(commune_id__in=sorted(communes)))
    ).order_by("-id")[:CASES_SHOWN]
    return render(
        request,
        "web/support_housing.html",
        {
            "unit": unit,
            "unit_label": area_label(unit) if unit is not None else "",
            "cases": [case_view(case) for case in cases],
            "can_write": may_record(request.user),
        },
    )


@login_required
def overview_page(request: HttpRequest) -> HttpResponse:
    unit, communes = _area(request)
    year = _year(request)
    summary = summary_of_communes(unit.pk, communes, year) if unit is not None else None
    housing_rows = []
    if summary is not None:
        for stage in (HousingStage.APPROVED, HousingStage.COMPLETED, HousingStage.HANDED_OVER):
            housing_rows.append(
                {
                    "label": stage.label,
                    "new_build": summary.houses(stage, HousingWork.NEW_BUILD),
                    "repair": summary.houses(stage, HousingWork.REPAIR),
                    "total": summary.houses(stage),
                }
            )
    return render(
        request,
        "web/support_overview.html",
        {
            "unit": unit,
            "unit_label": area_label(unit) if unit is not None else "",
            "year": year,
            "years": list(range(timezone.localdate().year, 2020, -1)),
            "summary": summary,
            "housing_rows": housing_rows,
        },
    )


def household_section(user: Any, household: Household) -> dict[str, Any]:
    """The context of the household page's support section: entries newest first, housing cases, what the
    account may do (the household is one the page already read through `household_for_read`)."""
    rows = []
    for event in household_events(household):
        corrected_by = getattr(event, "correction", None)
        cancellation = getattr(event, "cancellation", None)
        rows.append(
            {"event": event, "corrected_by": corrected_by, "cancellation": cancellation,
             "in_force": corrected_by is None and cancellation is None}
        )  # fmt: skip
    return {
        "household": household,
        "events": rows,
        "cases": [case_view(case) for case in household_cases(household)],
        "can_write": may_record(user) and household.closed_on is None,
    }
