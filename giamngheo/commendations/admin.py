"""Admin: movements are data an administrator edits; commendations are read here and written only through
`commendations.services` (append-only and attributed)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from giamngheo.areas.admin import ReadOnlyAdmin
from giamngheo.commendations.models import Commendation, Movement


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year", "basis", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request: Any, obj: Movement | None = None) -> bool:
        return False  # deactivate instead: commendations refer to it


@admin.register(Commendation)
class CommendationAdmin(ReadOnlyAdmin):
    list_display = ["recipient_name", "recipient_type", "area", "year", "decision_number", "withdrawn"]
    list_filter = ["year", "recipient_type", "withdrawn", "movement"]
    search_fields = ["recipient_name", "decision_number", "area__code", "area__name"]
    list_select_related = ["area"]
    raw_id_fields = ["household", "person", "area", "corrects"]
