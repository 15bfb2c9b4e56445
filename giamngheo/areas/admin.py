"""Admin for administrative units: units and successions come from the loader and are read-only here;
villages are kept by hand."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from giamngheo.areas.models import AdminUnit, UnitLoad, UnitSuccession, Village


class ReadOnlyAdmin(admin.ModelAdmin):
    """Loaded reference data: change it with `giamngheo load-units`, not by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "unit_type", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "unit_type", "valid_from", "valid_to"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    show_full_result_count = False


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "is_default", "effective_on", "source"]
    list_filter = ["predecessor__level", "is_default", "effective_on"]
    search_fields = ["predecessor__code", "predecessor__name", "successor__code", "successor__name"]
    list_select_related = ["predecessor", "successor"]
    show_full_result_count = False


@admin.register(UnitLoad)
class UnitLoadAdmin(ReadOnlyAdmin):
    list_display = [
        "loaded_at",
        "source",
        "units_created",
        "units_updated",
        "successions_created",
        "successions_updated",
        "successions_deleted",
    ]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["local_code", "name", "kind", "commune", "legacy_commune", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["local_code", "name", "commune__code", "commune__name"]
    list_select_related = ["commune", "legacy_commune"]
    autocomplete_fields = ["commune", "legacy_commune"]
