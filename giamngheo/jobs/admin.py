from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from giamngheo.jobs.models import Job, WorkerHeartbeat


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to administrators, never written from the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Read-only: a job is changed only by its task (giamngheo.jobs.services)."""

    list_display = [
        "id",
        "kind",
        "started_by",
        "status",
        "progress_done",
        "progress_total",
        "created_at",
        "worker",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["started_by__username", "input_name"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    """Read-only: the workers write their own heartbeats (giamngheo.jobs.liveness)."""

    list_display = ["worker_id", "host", "pid", "started_at", "last_seen"]
