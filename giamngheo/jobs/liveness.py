"""Which workers are alive, and what happens to the jobs of those that are not.

A job runs in a `giamngheo worker` process. When that process dies without warning (SIGKILL, the out-of-memory
killer, a crash of the machine) nothing is left to mark its job finished: the job would say "running" for good. So
every worker keeps a `WorkerHeartbeat` row fresh (`Heartbeat`, a thread with its own database connection, every
JOB_HEARTBEAT_SECONDS), each job records the worker that runs it (`Job.worker`), and a running job whose worker was
not seen for JOB_WORKER_TIMEOUT_SECONDS (or has no row at all, and the job started longer ago than that) is marked
failed with a reason that says so, together with django-tasks' own result row (`jobs_fail_dead`). The check runs in every worker (from the
heartbeat thread, so also while the worker is busy with a long job) and whenever a job's page is shown or polled
(`job_fail_if_dead`), so that a dead job is reported even when no worker is left alive.

Jobs that have no worker recorded (queued jobs, or a task called outside a worker) are never judged here.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from giamngheo.jobs.models import Job, JobStatus, WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded as the exception of a django-tasks result whose worker died while running it."""


def worker_timeout() -> timedelta:
    return timedelta(seconds=settings.JOB_WORKER_TIMEOUT_SECONDS)


def live_workers(now: datetime | None = None) -> list[WorkerHeartbeat]:
    """The workers seen within the timeout, freshest first."""
    now = now or timezone.now()
    return list(WorkerHeartbeat.objects.filter(last_seen__gte=now - worker_timeout()).order_by("-last_seen"))


def beat(worker_id: str, *, started_at: datetime, now: datetime | None = None) -> None:
    """Record that `worker_id` (this process) is alive."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen": now or timezone.now()},
        create_defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": now or timezone.now(),
        },
    )


def dead_reason(last_seen: datetime | None, now: datetime) -> str:
    """The failure reason of a job whose worker died (in the site's language, as stored messages are)."""
    with translation.override(settings.LANGUAGE_CODE):
        moment = timezone.localtime(last_seen or now)
        return _(
            "Tiến trình xử lý đã dừng đột ngột (có thể do hết bộ nhớ hoặc bị tắt) lúc %(time)s %(date)s; "
            "dữ liệu không bị thay đổi. Hãy chạy lại công việc."
        ) % {"time": moment.strftime("%H:%M:%S"), "date": formats.date_format(moment, "SHORT_DATE_FORMAT")}


def _fail(job_ids: list[int], worker: str, reason: str, now: datetime) -> int:
    """Fail the jobs still running on `worker`, and their django-tasks results."""
    with transaction.atomic():
        running = Job.objects.filter(pk__in=job_ids, status=JobStatus.RUNNING, worker=worker)
        task_ids = [task_id for task_id in running.values_list("task_result_id", flat=True) if task_id]
        failed = running.update(
            status=JobStatus.FAILED,
            error=reason,
            message=_("Công việc không hoàn thành."),
            finished_at=now,
        )
        if task_ids:
            DBTaskResult.objects.filter(pk__in=task_ids, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=reason,
                return_value=None,
            )
    if failed:
        logger.warning("Marked %d job(s) of the lost worker %s failed", failed, worker)
    return failed


def _judge(jobs: dict[str, list[tuple[int, datetime | None]]], now: datetime) -> int:
    """Fail the jobs (id, started at) of each worker in `jobs` that is gone: seen last before the timeout, or
    never seen at all by a job started before the timeout (a worker without a heartbeat row, e.g. django-tasks' own
    `db_worker`, gets the timeout from the job's start)."""
    cutoff = now - worker_timeout()
    seen = dict(
        WorkerHeartbeat.objects.filter(worker_id__in=list(jobs)).values_list("worker_id", "last_seen")
    )
    failed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for worker, running in jobs.items():
            last_seen = seen.get(worker)
            if last_seen is not None:
                lost = [pk for pk, _started in running] if last_seen < cutoff else []
            else:
                lost = [pk for pk, started in running if started is None or started < cutoff]
            if lost:
                failed += _fail(lost, worker, dead_reason(last_seen, now), now)
    return failed


def jobs_fail_dead(now: datetime | None = None) -> int:
    """Fail every running job whose worker is gone; return how many."""
    now = now or timezone.now()
    jobs: dict[str, list[tuple[int, datetime | None]]] = {}
    running = Job.objects.filter(status=JobStatus.RUNNING).exclude(worker="")
    for pk, worker, started in running.values_list("pk", "worker", "started_at"):
        jobs.setdefault(worker, []).append((pk, started))
    return _judge(jobs, now) if jobs else 0


def job_fail_if_dead(job: Job, now: datetime | None = None) -> bool:
    """Fail `job` if it is running on a worker that is gone (and refresh it); whether it was."""
    if job.status != JobStatus.RUNNING or not job.worker:
        return False
    if not _judge({job.worker: [(job.pk, job.started_at)]}, now or timezone.now()):
        return False
    job.refresh_from_db()
    return True


class Heartbeat:
    """A daemon thread that records this worker's heartbeat every JOB_HEARTBEAT_SECONDS and fails the jobs of
    dead workers. It uses its own database connection (Django's connections belong to their thread) and closes it
    when stopped. A database that is busy or away for a moment (SQLite's single writer, a PostgreSQL restart) only
    costs a beat: the error is logged and the next beat tries again."""

    def __init__(self, worker_id: str, *, interval: float | None = None) -> None:
        self.worker_id = worker_id
        self.interval = interval if interval is not None else settings.JOB_HEARTBEAT_SECONDS
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{worker_id}", daemon=True)

    def start(self) -> None:
        """Announce this worker (before it takes any task, so that its jobs always have a heartbeat row) and start
        beating. Jobs still "running" under this worker's id were left by an earlier process with the same id
        (`--worker-id` fixed in a service file): nothing runs here yet, so they are failed at once."""
        earlier = WorkerHeartbeat.objects.filter(worker_id=self.worker_id).first()
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": self.started_at,
                      "last_seen": now},
        )  # fmt: skip
        left = list(
            Job.objects.filter(status=JobStatus.RUNNING, worker=self.worker_id).values_list("pk", flat=True)
        )
        if left:
            with translation.override(settings.LANGUAGE_CODE):
                _fail(left, self.worker_id, dead_reason(earlier.last_seen if earlier else None, now), now)
        self._thread.start()

    def stop(self, *, remove: bool = True) -> None:
        """Stop beating; `remove` deletes the row (a worker that exits cleanly is no longer a worker)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=max(self.interval, 1) + 5)
        if remove:
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            except DatabaseError:
                logger.warning("Could not remove the heartbeat of worker %s", self.worker_id, exc_info=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self.tick()
        finally:
            connections.close_all()  # this thread's connections only

    def tick(self) -> None:
        try:
            beat(self.worker_id, started_at=self.started_at)
            jobs_fail_dead()
        except DatabaseError:
            logger.warning("Heartbeat of worker %s not recorded; trying again", self.worker_id, exc_info=True)
            connections.close_all()  # a broken connection is opened anew at the next beat
