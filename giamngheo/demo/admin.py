from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from giamngheo.demo.models import DemoRun


@admin.register(DemoRun)
class DemoRunAdmin(admin.ModelAdmin):
    list_display = ("district", "seed", "households", "persons", "assessments", "seconds", "created_at")
    readonly_fields = [f.name for f in DemoRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
