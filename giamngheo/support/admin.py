"""Admin: the kinds of support and their rules are editable data; the ledger is read here and written only
through `support.services`."""

from __future__ import annotations

from django.contrib import admin

from giamngheo.areas.admin import ReadOnlyAdmin
from giamngheo.support.models import HousingCase, HousingStep, SupportEvent, SupportKind, SupportRule


class SupportRuleInline(admin.TabularInline):
    model = SupportRule
    extra = 0


@admin.register(SupportKind)
class SupportKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "project", "housing", "order", "active"]
    list_editable = ["order", "active"]
    inlines = [SupportRuleInline]


@admin.register(SupportRule)
class SupportRuleAdmin(admin.ModelAdmin):
    list_display = [
        "kind", "valid_from", "valid_to", "poor", "near_poor", "escaped_within_years", "any_household",
        "default_state_amount", "verified",
    ]  # fmt: skip
    list_filter = ["kind", "verified"]
    list_select_related = ["kind"]


@admin.register(SupportEvent)
class SupportEventAdmin(ReadOnlyAdmin):
    list_display = ["household", "kind", "occurred_on", "commune", "state_budget", "bank_loan", "mobilised",
                    "recorded_by_name"]  # fmt: skip
    list_filter = ["kind", "occurred_on"]
    search_fields = ["household__code", "reference"]
    list_select_related = ["household", "kind", "commune"]
    raw_id_fields = ["household", "person", "commune", "village", "rule", "housing_case", "corrects"]
    show_full_result_count = False


@admin.register(HousingCase)
class HousingCaseAdmin(ReadOnlyAdmin):
    list_display = ["household", "work", "commune", "recorded_at"]
    list_filter = ["work"]
    search_fields = ["household__code"]
    list_select_related = ["household", "commune"]


@admin.register(HousingStep)
class HousingStepAdmin(ReadOnlyAdmin):
    list_display = ["case", "stage", "on", "recorded_by_name"]
    list_filter = ["stage", "on"]
    list_select_related = ["case", "case__household"]
