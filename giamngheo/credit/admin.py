"""Admin: the programmes and their terms are edited here (they are data, valid by date); loans, repayments and
the bank's figures are read here and written only through `credit.services` and `credit.bank`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from giamngheo.areas.admin import ReadOnlyAdmin
from giamngheo.credit.models import (
    BankFigure,
    BankImport,
    CreditEvent,
    Loan,
    Programme,
    ProgrammeTerms,
    Repayment,
)


class TermsForm(forms.ModelForm):
    class Meta:
        model = ProgrammeTerms
        fields = [
            "programme", "valid_from", "valid_to", "interest_rate", "overdue_rate_percent", "ceiling",
            "max_term_months", "source", "evidence",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        """Two spans of one programme may not overlap: the terms on a day must be one row."""
        data = super().clean() or {}
        programme, start, end = data.get("programme"), data.get("valid_from"), data.get("valid_to")
        if programme is not None and start is not None:
            others = ProgrammeTerms.objects.filter(programme=programme).exclude(pk=self.instance.pk)
            for other in others:
                if (other.valid_to is None or start <= other.valid_to) and (
                    end is None or other.valid_from <= end
                ):
                    raise forms.ValidationError(_("Khoảng thời gian trùng với %(other)s.") % {"other": other})
        return data


class TermsInline(admin.TabularInline):
    model = ProgrammeTerms
    form = TermsForm
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "eligibility", "window_years", "active", "order"]
    list_editable = ["active", "order"]
    inlines = [TermsInline]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = [
        "household",
        "programme",
        "amount",
        "disbursed_on",
        "matures_on",
        "commune",
        "recorded_by_name",
    ]
    list_filter = ["programme", "disbursed_on"]
    search_fields = ["household__code", "contract_number"]
    raw_id_fields = ["household", "borrower", "commune", "village"]
    list_select_related = ["household", "programme", "commune"]


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyAdmin):
    list_display = ["loan", "paid_on", "principal", "recorded_by_name"]
    raw_id_fields = ["loan"]


@admin.register(CreditEvent)
class CreditEventAdmin(ReadOnlyAdmin):
    list_display = ["household", "kind", "summary", "recorded_by_name", "recorded_at"]
    raw_id_fields = ["household", "loan"]


@admin.register(BankImport)
class BankImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "row_count", "imported_by_name", "imported_at", "sha256"]


@admin.register(BankFigure)
class BankFigureAdmin(ReadOnlyAdmin):
    list_display = ["batch", "row_number", "commune", "programme", "period_start", "period_end", "disbursed",
                    "outstanding"]  # fmt: skip
    raw_id_fields = ["batch", "commune"]
