"""A worker killed in the middle of an area job (SIGKILL, as the out-of-memory killer does): the job is marked
failed with the reason once the worker's heartbeat is stale, not one assessment is half-written, and the job run
again completes with every result.

The workers are real `giamngheo worker` processes against the test database: on PostgreSQL the test database
itself (the test runs outside a transaction, so they see its data); on SQLite, whose test database lives in this
process's memory, a file copy of it that this process also uses for the duration of the test
(`shared_database`). Short timeouts come from the environment, and a test hook
(GIAMNGHEO_TEST_SLEEP_PER_CHUNK) makes the job take a few seconds, one assessment per chunk.

The workers run on the real clock, so the test does too (its calendar is today, and its review round is open
until the end of this year).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from giamngheo.jobs import services
from giamngheo.jobs.models import Job, JobStatus, WorkerHeartbeat
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Assessment
from tests.registry.factories import make_household
from tests.reviews.helpers import open_review

REAL_TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
POOR = {
    "chat_luong_nha_o": True,
    "nguon_nuoc_sinh_hoat": True,
    "nha_tieu_hop_ve_sinh": True,
    "dich_vu_vien_thong": True,
}
HOUSEHOLDS = 8
SLEEP_PER_CHUNK = 0.4
TIMEOUT = 2.0

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.calendar(REAL_TODAY)]


@contextmanager
def shared_database(folder: Path) -> Iterator[str]:
    """The DATABASE_URL of this test's database, for a child process."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        yield f"postgres://{credentials}{settings_dict.get('HOST') or '127.0.0.1'}{port}/{settings_dict['NAME']}"
        return
    assert connection.vendor == "sqlite"
    connection.ensure_connection()
    memory = connection.connection
    path = folder / "shared.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    name = settings_dict["NAME"]
    connection.connection = None  # closing would destroy the in-memory database: set aside, given back below
    settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = memory


class Workers:
    """`giamngheo worker` child processes, each killed at the end whatever happens."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "GIAMNGHEO_DATA_DIR": str(folder / "data"),
            # Its own data folder has no key file: the workers get this process's key (DEBUG is off).
            "SECRET_KEY": settings.SECRET_KEY,
            "JOB_HEARTBEAT_SECONDS": "0.25",
            "JOB_WORKER_TIMEOUT_SECONDS": str(TIMEOUT),
            "JOB_AREA_CHUNK_ASSESSMENTS": "1",
            "GIAMNGHEO_TEST_SLEEP_PER_CHUNK": str(SLEEP_PER_CHUNK),
        }
        self.folder = folder
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, worker_id: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{worker_id}.log").open("wb")
        command = [sys.executable, "-m", "giamngheo.cli", "worker", "--worker-id", worker_id, "--interval", "0.2",
                   "--no-startup-delay", "--no-reload"]  # fmt: skip
        child = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.running[worker_id] = child
        return child

    def log(self, worker_id: str) -> str:
        return (self.folder / f"{worker_id}.log").read_text(errors="replace")[-3000:]

    def stop_all(self) -> None:
        for child in self.running.values():
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)


def wait_for(condition: Callable[[], bool], what: str, workers: Workers, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for worker_id, child in workers.running.items():
            if child.returncode is None and child.poll() is not None and child.returncode != -signal.SIGKILL:
                pytest.fail(f"worker {worker_id} exited ({child.returncode}):\n{workers.log(worker_id)}")
        time.sleep(0.1)
    logs = "\n".join(f"--- {w}\n{workers.log(w)}" for w in workers.running)
    pytest.fail(f"timed out waiting until {what}\n{logs}")


def job(pk: int) -> Job:
    return Job.objects.get(pk=pk)


def stored_results() -> dict[int, tuple[str, int, int, object]]:
    return {
        a.pk: (a.poverty_class, a.deprivation_count, a.deprivation_mask, a.classified_at)
        for a in Assessment.objects.order_by("pk")
    }


def test_a_worker_killed_mid_job_loses_the_job_not_the_data(personas, tmp_path):
    review = open_review(personas.units["new_province"], year=REAL_TODAY.year,
                         reference_date=date(REAL_TODAY.year, 12, 31))  # fmt: skip
    for _ in range(HOUSEHOLDS):
        household = make_household(commune=personas.units["yang_trung"])
        reviews.assessment_record(review=review, household=household, assessed_on=REAL_TODAY,
                                  income_per_capita=1_000_000, actor=None, entered=POOR)  # fmt: skip
    # As if a rule had changed since: every stored result is out of date, so the job rewrites all of them.
    Assessment.objects.update(poverty_class="khong_ngheo", deprivation_count=0, deprivation_mask=0)
    before = stored_results()
    assert len(before) == HOUSEHOLDS
    first = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])

    with shared_database(tmp_path) as database_url:
        workers = Workers(database_url, tmp_path)
        try:
            # Two workers, as on a server: the one that takes the job is killed, the other notices.
            workers.start("worker-a")
            workers.start("worker-b")
            wait_for(lambda: job(first.pk).status == JobStatus.RUNNING and job(first.pk).progress_done >= 2,
                     "the job runs and has classified two chunks", workers)  # fmt: skip
            running = job(first.pk)
            assert running.progress_total == HOUSEHOLDS and running.worker in {"worker-a", "worker-b"}
            killed, survivor = running.worker, ({"worker-a", "worker-b"} - {running.worker}).pop()
            assert WorkerHeartbeat.objects.filter(worker_id=killed).exists()
            workers.running[killed].send_signal(signal.SIGKILL)
            workers.running[killed].wait(timeout=10)
            assert stored_results() == before  # nothing written mid-job

            # The survivor's heartbeat thread finds the job's worker silent for longer than the timeout.
            wait_for(
                lambda: job(first.pk).status == JobStatus.FAILED, "the lost job is marked failed", workers
            )
            failed = job(first.pk)
            assert failed.error.startswith(
                "Tiến trình xử lý đã dừng đột ngột (có thể do hết bộ nhớ hoặc bị tắt) lúc "
            ) and failed.error.endswith("Hãy chạy lại công việc.")
            assert failed.finished_at is not None
            task = DBTaskResult.objects.get(pk=failed.task_result_id)
            assert task.status == "FAILED"
            assert task.exception_class_path == "giamngheo.jobs.liveness.WorkerLost"
            assert stored_results() == before  # not one assessment half-written

            again = services.job_restart(actor=personas.owner, job=failed)
            wait_for(lambda: job(again.pk).finished, "the job run again finishes", workers)
            done = job(again.pk)
            assert done.status == JobStatus.DONE, done.error
            assert done.worker == survivor and done.retry_of_id == first.pk
            assert done.summary["assessments"] == done.summary["changed"] == HOUSEHOLDS
            after = stored_results()
            assert set(after) == set(before)
            assert {result[:3] for result in after.values()} == {("ngheo", 4, after[min(after)][2])}
            assert all(after[pk][3] != before[pk][3] for pk in before)  # every result stored anew

            workers.running[survivor].send_signal(
                signal.SIGTERM
            )  # a clean stop removes the worker's heartbeat
            assert workers.running[survivor].wait(timeout=15) == 0, workers.log(survivor)
            assert not WorkerHeartbeat.objects.filter(worker_id=survivor).exists()
            assert WorkerHeartbeat.objects.filter(worker_id=killed).exists()
        finally:
            workers.stop_all()
