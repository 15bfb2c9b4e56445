"""`giamngheo worker`: django-tasks' database worker (`django_tasks_db`'s `db_worker`, its options and its loop
unchanged) with a heartbeat beside it (`giamngheo.jobs.liveness.Heartbeat`).

The heartbeat row is written before the first task is taken and removed when the worker exits cleanly; a worker
that is killed leaves a row that stops getting fresher, and its running job is then marked failed by any other
worker or by the job's page. With `--reload` the heartbeat runs in the reloaded child, which runs the tasks.
"""

from __future__ import annotations

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from giamngheo.jobs.liveness import Heartbeat


class Command(db_worker.Command):
    help = "Chạy tiến trình xử lý công việc nền, có tín hiệu sống / run the background job worker with a heartbeat"

    def handle(self, *args: Any, **options: Any) -> None:
        if (
            options.get("reload")
            and not options.get("batch")
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        ):
            super().handle(
                *args, **options
            )  # the reloader's parent only watches files and restarts the child
            return
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
