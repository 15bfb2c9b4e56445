"""Social-policy bank credit pages (`giamngheo.credit`).

- `/tin-dung/?area=ID&nam=YYYY`: an area's figures of the year by programme, with the source of each (the bank's
  imported figures or the loans recorded per household), and the listed poor and near-poor households without a
  loan with an outstanding balance.
- `/tin-dung/ho/<pk>/`: a household's loans with their outstanding and overdue balances today; commune officers
  record a loan, a repayment, and the corrections (withdraw a repayment, cancel a loan) with a reason.
- `/tin-dung/nhap/`: import the bank's spreadsheet (every problem listed by row and column, nothing saved unless
  all rows are right) and the batches imported, each with its undo.

Areas, households and batches outside the account's are the same 404 as missing ones; the services check roles.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giamngheo.accounts.access import household_for_read, household_persons
from giamngheo.areas.models import AdminUnit
from giamngheo.credit import services
from giamngheo.credit.access import (
    batch_for,
    batches_for,
    loan_for,
    may_import,
    may_write_loans,
    repayment_for,
)
from giamngheo.credit.bank import COLUMNS, ImportRefused, bank_import, bank_import_withdraw, uploaded_file
from giamngheo.credit.models import Channel, Loan, Programme
from giamngheo.credit.selectors import credit_summary, eligible_without_loan, repaid_by, source_label
from giamngheo.lib.formatting import group_thousands
from giamngheo.lib.params import positive_int
from giamngheo.registry.models import Household, Person
from giamngheo.reviews.models import PovertyClass
from giamngheo.reviews.stats import area_label
from giamngheo.web.forms import apply_service_errors, date_field
from giamngheo.web.reports import requested_area

ELIGIBLE_SHOWN = 500


class LoanForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Chương trình"),
        queryset=Programme.objects.filter(active=True),
        to_field_name="code",
    )
    amount = forms.IntegerField(label=gettext_lazy("Số tiền vay (đồng)"), min_value=1)
    disbursed_on = date_field(gettext_lazy("Ngày giải ngân"))
    term_months = forms.IntegerField(label=gettext_lazy("Thời hạn (tháng)"), min_value=1, max_value=600)
    borrower = forms.ModelChoiceField(
        label=gettext_lazy("Người vay"), queryset=Person.objects.none(), required=False
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Tổ chức nhận ủy thác"), choices=[("", "—"), *Channel.choices], required=False
    )
    contract_number = forms.CharField(label=gettext_lazy("Số khế ước"), max_length=60, required=False)
    credit_mark = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["borrower"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = household_persons(household)


class LoanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme.name} — {group_thousands(obj.amount)}đ — {obj.disbursed_on:%d/%m/%Y}"


class RepaymentForm(forms.Form):
    loan = LoanChoiceField(label=gettext_lazy("Khoản vay"), queryset=Loan.objects.none())
    paid_on = date_field(gettext_lazy("Ngày trả"))
    principal = forms.IntegerField(label=gettext_lazy("Số tiền gốc trả (đồng)"), min_value=1)
    credit_mark = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["loan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Loan.objects.filter(household=household, cancellation__isnull=True).select_related(
            "programme"
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp số liệu của ngân hàng (.xlsx hoặc .csv)"))


@login_required
def credit_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    raw_year = request.GET.get("nam", "").strip()
    year = positive_int(raw_year) if len(raw_year) == 4 else None
    year = year if year is not None and 2000 <= year <= today.year else today.year
    unit = requested_area(request)
    context: dict[str, Any] = {"year": year, "years": range(today.year, today.year - 6, -1), "unit": unit}
    if unit is not None:
        summary = credit_summary(unit, year, min(today, date(year, 12, 31)))
        on = min(today, date(year, 12, 31))
        eligible = eligible_without_loan(unit, on)
        communes = AdminUnit.objects.in_bulk({c.commune_id for c in summary.cells})
        context.update(
            unit_label=area_label(unit),
            summary=summary,
            lines=[{"line": line, "source": source_label(line.source)} for line in summary.lines],
            total_source=source_label(summary.source),
            cells=[
                {"cell": c, "commune": area_label(communes[c.commune_id]), "source": source_label(c.source)}
                for c in summary.cells
            ],
            eligible=eligible[:ELIGIBLE_SHOWN],
            eligible_count=len(eligible),
            eligible_on=on,
            poor=PovertyClass.POOR.value,
        )
    return render(request, "credit/credit.html", context)


def _loans(household: Household, on: date) -> list[dict[str, Any]]:
    loans = list(
        Loan.objects.filter(household=household)
        .select_related("programme", "cancellation", "borrower")
        .prefetch_related("repayments__reversal")
        .order_by("disbursed_on", "id")
    )
    repaid = repaid_by([loan.pk for loan in loans], on)
    rows = []
    for loan in loans:
        cancelled = hasattr(loan, "cancellation")
        outstanding = 0 if cancelled or loan.disbursed_on > on else loan.amount - repaid.get(loan.pk, 0)
        rows.append(
            {
                "loan": loan,
                "cancelled": cancelled,
                "outstanding": outstanding,
                "overdue": outstanding if on > loan.matures_on else 0,
                "repayments": [(r, getattr(r, "reversal", None)) for r in loan.repayments.all()],
            }
        )
    return rows


@login_required
def household_loans(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for_read(request.user, pk)
    mark = services.credit_mark(household)
    writable = may_write_loans(request.user)
    loan_form = LoanForm(household=household, initial={"credit_mark": mark}, prefix="vay")
    repayment_form = RepaymentForm(household=household, initial={"credit_mark": mark}, prefix="tra")
    if request.method == "POST":
        action = request.POST.get("action", "")
        done = None
        if action == "loan":
            loan_form = LoanForm(request.POST, household=household, prefix="vay")
            done = _record_loan(request, household, loan_form)
        elif action == "repayment":
            repayment_form = RepaymentForm(request.POST, household=household, prefix="tra")
            done = _record_repayment(request, repayment_form)
        elif action in {"reverse", "cancel"}:
            done = _correct(request, action)
        if done:
            messages.success(request, done)
            return redirect("web:credit-household", pk=household.pk)
    today = timezone.localdate()
    return render(
        request,
        "credit/household_loans.html",
        {
            "household": household, "loans": _loans(household, today), "today": today, "writable": writable,
            "loan_form": loan_form, "repayment_form": repayment_form, "mark": mark,
        },
    )  # fmt: skip


def _record_loan(request: HttpRequest, household: Household, form: LoanForm) -> str | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        services.loan_record(
            household=household, programme=data["programme"], amount=data["amount"],
            disbursed_on=data["disbursed_on"], term_months=data["term_months"], borrower=data["borrower"],
            channel=data["channel"], contract_number=data["contract_number"], actor=request.user,
            seen=data["credit_mark"],
        )  # fmt: skip
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    return _("Đã ghi khoản vay.")


def _record_repayment(request: HttpRequest, form: RepaymentForm) -> str | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        services.repayment_record(
            loan=loan_for(request.user, data["loan"].pk), paid_on=data["paid_on"], principal=data["principal"],
            actor=request.user, seen=data["credit_mark"],
        )  # fmt: skip
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    return _("Đã ghi trả nợ gốc.")


def _correct(request: HttpRequest, action: str) -> str | None:
    seen = positive_int(request.POST.get("credit_mark", ""))
    reason = request.POST.get("reason", "")
    try:
        if action == "reverse":
            repayment = repayment_for(request.user, request.POST.get("repayment", ""))
            services.repayment_reverse(repayment=repayment, reason=reason, actor=request.user, seen=seen or 0)
            return _("Đã huỷ lần trả nợ ghi nhầm.")
        loan = loan_for(request.user, request.POST.get("loan", ""))
        services.loan_cancel(loan=loan, reason=reason, actor=request.user, seen=seen or 0)
        return _("Đã huỷ khoản vay ghi nhầm.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
    problems: list[str] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                with uploaded_file(upload) as path:
                    batch = bank_import(path=path, file_name=upload.name or "", actor=request.user)
            except ImportRefused as refused:
                problems = list(refused.messages)
            else:
                messages.success(
                    request,
                    _("Đã nhập %(count)s dòng số liệu từ tệp «%(file)s».")
                    % {"count": batch.row_count, "file": batch.file_name},
                )
                return redirect("web:credit-import")
    batches = list(
        batches_for(request.user).select_related("withdrawal").order_by("-imported_at", "-id")[:100]
    )
    return render(
        request,
        "credit/import.html",
        {"form": form, "problems": problems, "batches": batches, "columns": COLUMNS,
         "may_import": may_import(request.user)},
    )  # fmt: skip


@login_required
@require_POST
def batch_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_for(request.user, pk)
    try:
        bank_import_withdraw(batch=batch, reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã rút lô số liệu «%(file)s».") % {"file": batch.file_name})
    return redirect("web:credit-import")
