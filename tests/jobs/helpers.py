"""Run the real django-tasks database worker in the test's thread, and build uploads."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from giamngheo.jobs.models import Job


def run_worker() -> int:
    """Process every queued task with django_tasks_db's own `Worker` in batch mode (it exits when the queue is
    empty) and return how many it ran. The worker's `close_old_connections` would close the connection holding the
    test's transaction (its autocommit is off), so it is a no-op here."""
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
    return worker._run_tasks


def task_status(job: Job) -> str:
    return DBTaskResult.objects.get(pk=job.task_result_id).status


def upload_of(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())
