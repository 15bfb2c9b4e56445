"""Admin: the poverty standards, read-only — they change only through their data files and `load-standards`."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from giamngheo.standards.models import PovertyStandard


@admin.register(PovertyStandard)
class PovertyStandardAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "instrument", "valid_from", "valid_to", "source_sha256", "loaded_at")
    search_fields = ("code", "name", "instrument")
    readonly_fields = ("code", "name", "instrument", "valid_from", "valid_to", "source_sha256", "loaded_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PovertyStandard | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PovertyStandard | None = None) -> bool:
        return False
