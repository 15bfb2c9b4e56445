"""Admin: decisions and official statuses are read here, written only through `decisions.services`."""

from __future__ import annotations

from django.contrib import admin

from giamngheo.areas.admin import ReadOnlyAdmin
from giamngheo.decisions.models import Decision, OfficialStatus


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "signed_on",
        "commune",
        "review",
        "effective_from",
        "signer",
        "recorded_by_name",
    ]
    list_filter = ["signed_on", "effective_from"]
    search_fields = ["number", "commune__code", "commune__name", "signer"]
    list_select_related = ["commune", "review"]


@admin.register(OfficialStatus)
class OfficialStatusAdmin(ReadOnlyAdmin):
    list_display = ["household", "status", "valid_from", "decision", "commune", "member_count"]
    list_filter = ["status", "valid_from"]
    search_fields = ["household__code"]
    list_select_related = ["household", "decision", "commune"]
    raw_id_fields = ["household", "decision", "assessment", "commune", "village"]
    show_full_result_count = False
