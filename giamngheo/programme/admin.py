"""Admin: the catalogue (programmes, items, capital types and their names by year, sources) is edited here; the
ledger is read here and written only through `programme.services`."""

from __future__ import annotations

from django.contrib import admin

from giamngheo.areas.admin import ReadOnlyAdmin
from giamngheo.programme.models import (
    Allocation,
    CapitalType,
    CapitalTypeLabel,
    Disbursement,
    FundingSource,
    Programme,
    ProgrammeItem,
)


class ItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ["code", "kind", "name", "parent", "evidence"]
    raw_id_fields = ["parent"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "first_year", "last_year", "evidence"]
    list_filter = ["evidence"]
    inlines = [ItemInline]


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "programme", "parent", "evidence"]
    list_filter = ["programme", "kind", "evidence"]
    search_fields = ["code", "name"]
    list_select_related = ["programme", "parent"]


class LabelInline(admin.TabularInline):
    model = CapitalTypeLabel
    extra = 0


@admin.register(CapitalType)
class CapitalTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]
    inlines = [LabelInline]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["id", "year", "area", "item", "capital_type", "source", "kind", "amount", "decision_number",
                    "recorded_by_name", "recorded_at"]  # fmt: skip
    list_filter = ["year", "kind", "capital_type", "source"]
    search_fields = ["decision_number", "area__code", "area__name", "item__code"]
    list_select_related = ["area", "item", "capital_type", "source"]
    raw_id_fields = ["area", "item", "adjusts", "carried_from"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["id", "allocation", "paid_on", "amount", "activity", "reverses", "recorded_by_name"]
    list_filter = ["paid_on"]
    list_select_related = ["allocation__item"]
    raw_id_fields = ["allocation", "reverses"]
