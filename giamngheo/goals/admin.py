"""Admin: indicators are data an administrator edits; targets and actuals are read here and written only through
`goals.services` (they are append-only and attributed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from giamngheo.areas.admin import ReadOnlyAdmin
from giamngheo.goals.computations import computation_for
from giamngheo.goals.models import ActualEntry, Indicator, Obtained, Target


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "direction", "obtained", "description", "position", "active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("code")
        if cleaned.get("obtained") == Obtained.COMPUTED and code and computation_for(code) is None:
            self.add_error(
                "obtained",
                _("Phần mềm chưa có phép tính cho mã «%(code)s»: chọn «Cán bộ nhập».") % {"code": code},
            )
        return cleaned


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorForm
    list_display = ["position", "code", "name", "unit", "direction", "obtained", "active"]
    list_display_links = ["code"]
    list_filter = ["obtained", "active", "unit"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request: Any, obj: Indicator | None = None) -> bool:
        return False  # deactivate instead: targets and actuals refer to it


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "area", "year", "month", "value", "document_number", "recorded_by_name"]
    list_filter = ["year", "indicator"]
    search_fields = ["area__code", "area__name", "document_number"]
    list_select_related = ["indicator", "area"]


@admin.register(ActualEntry)
class ActualEntryAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "area", "year", "month", "value", "as_of", "recorded_by_name"]
    list_filter = ["year", "indicator"]
    search_fields = ["area__code", "area__name"]
    list_select_related = ["indicator", "area"]
