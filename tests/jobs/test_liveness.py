"""Heartbeats, jobs lost with their worker, and "Chạy lại" (start a failed job again)."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.jobs import liveness, services, tasks
from giamngheo.jobs.models import Job, JobKind, JobStatus, WorkerHeartbeat
from tests.jobs.helpers import run_worker, task_status, upload_of
from tests.survey.conftest import household, survey_headers, write_csv

pytestmark = pytest.mark.django_db

LOST = "Tiến trình xử lý đã dừng đột ngột (có thể do hết bộ nhớ hoặc bị tắt) lúc"


def running_on(job: Job, worker: str, started_ago: float = 120) -> Job:
    """The job as a worker left it when it claimed it, `started_ago` seconds ago (the django-tasks row too)."""
    now = timezone.now() - timedelta(seconds=started_ago)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker=worker, started_at=now,
                                         progress_total=10, progress_done=3)  # fmt: skip
    DBTaskResult.objects.filter(pk=job.task_result_id).update(
        status="RUNNING", started_at=now, worker_ids=[worker]
    )
    job.refresh_from_db()
    return job


def heartbeat(worker: str, age_seconds: float) -> WorkerHeartbeat:
    seen = timezone.now() - timedelta(seconds=age_seconds)
    return WorkerHeartbeat.objects.create(worker_id=worker, host="h", pid=1, started_at=seen, last_seen=seen)


@pytest.fixture
def area_job(personas) -> Job:
    return services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])


def test_beat_records_this_process_and_keeps_its_start(db):
    started = timezone.now() - timedelta(minutes=5)
    liveness.beat("w1", started_at=started, now=started)
    liveness.beat("w1", started_at=timezone.now(), now=started + timedelta(seconds=5))
    row = WorkerHeartbeat.objects.get()
    assert (row.worker_id, row.host, row.pid) == ("w1", socket.gethostname(), os.getpid())
    assert row.started_at == started and row.last_seen == started + timedelta(seconds=5)


def test_a_job_whose_worker_stopped_beating_is_failed_with_the_reason(settings, area_job):
    settings.JOB_WORKER_TIMEOUT_SECONDS = 60
    job = running_on(area_job, "gone")
    last = heartbeat("gone", age_seconds=61).last_seen
    assert liveness.jobs_fail_dead() == 1
    job.refresh_from_db()
    local = timezone.localtime(last)
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert job.error == (
        f"{LOST} {local:%H:%M:%S} {local:%d/%m/%Y}; dữ liệu không bị thay đổi. Hãy chạy lại công việc."
    )
    assert task_status(job) == "FAILED"
    task = DBTaskResult.objects.get(pk=job.task_result_id)
    assert task.exception_class_path == "giamngheo.jobs.liveness.WorkerLost" and task.traceback == job.error
    assert liveness.jobs_fail_dead() == 0  # once


def test_jobs_of_live_workers_and_jobs_not_running_are_left_alone(settings, personas, area_job):
    settings.JOB_WORKER_TIMEOUT_SECONDS = 60
    alive = running_on(area_job, "alive")
    heartbeat("alive", age_seconds=59)
    queued = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])
    assert liveness.jobs_fail_dead() == 0
    alive.refresh_from_db()
    queued.refresh_from_db()
    assert alive.status == JobStatus.RUNNING and queued.status == JobStatus.QUEUED


def test_a_job_whose_worker_has_no_heartbeat_row_is_failed_after_the_timeout(settings, area_job):
    settings.JOB_WORKER_TIMEOUT_SECONDS = 60
    job = running_on(area_job, "never-seen", started_ago=59)
    assert liveness.job_fail_if_dead(job) is False and job.status == JobStatus.RUNNING
    job = running_on(area_job, "never-seen", started_ago=61)
    assert liveness.job_fail_if_dead(job) is True
    assert job.status == JobStatus.FAILED and job.error.startswith(LOST)


def test_the_job_page_and_its_poll_report_a_lost_job(client: Client, personas, area_job):
    job = running_on(area_job, "gone")
    heartbeat("gone", age_seconds=3600)
    client.force_login(personas.owner)
    block = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "Thất bại" in block and LOST in block and "hx-trigger" not in block
    assert reverse("jobs:restart", args=[job.pk]) in block and "Chạy lại" in block
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_a_worker_that_comes_back_does_not_revive_its_job(area_job):
    job = running_on(area_job, "slow")
    assert liveness.job_fail_if_dead(job)
    with pytest.raises(services.JobAbandoned):
        services.job_progress(job, done=4)
    with pytest.raises(services.JobAbandoned):
        services.job_done(job, message="xong", summary={})
    services.job_failed(job, reason="another reason")  # no second failure either
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error.startswith(LOST) and job.progress_done == 3


def test_a_workbook_job_lost_before_it_is_done_keeps_no_result(tmp_path, personas, monkeypatch, settings):
    source = write_csv(tmp_path / "ho.csv", survey_headers(), [household("H1")])
    job = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(source), standard_id="ND07-2021"
    )
    real = tasks.write_result

    def declared_lost_meanwhile(*args, **kwargs):
        real(*args, **kwargs)
        liveness.job_fail_if_dead(Job.objects.get(pk=job.pk))

    monkeypatch.setattr(tasks, "write_result", declared_lost_meanwhile)
    heartbeat("tests", age_seconds=3600)  # the worker of `run_worker`, long silent
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error.startswith(LOST) and not job.result_file
    stored = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert stored == ["ho.csv"]  # the input only: the result file saved meanwhile was removed


def test_a_workbook_job_is_done_with_its_result_in_one_step(tmp_path, personas, monkeypatch):
    source = write_csv(tmp_path / "ho.csv", survey_headers(), [household("H1")])
    job = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(source), standard_id="ND07-2021"
    )
    seen = []
    real = services.job_done

    def spy(job: Job, **values) -> None:
        before = Job.objects.get(pk=job.pk)
        seen.append((before.status, before.result_file.name))
        real(job, **values)

    monkeypatch.setattr(services, "job_done", spy)
    run_worker()
    job.refresh_from_db()
    assert seen == [(JobStatus.RUNNING, "")]  # no result recorded before the job is done
    assert job.status == JobStatus.DONE and job.result_file.name.endswith("ho-ket-qua.csv")


# Chạy lại ------------------------------------------------------------------------------------------------------


def test_restart_creates_a_new_area_job_with_the_same_input(client: Client, personas):
    failed = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"], year=2026,
                                          rederive=True)  # fmt: skip
    liveness.job_fail_if_dead(running_on(failed, "gone"))
    client.force_login(personas.owner)
    response = client.post(reverse("jobs:restart", args=[failed.pk]))
    new = Job.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[new.pk])
    assert (new.kind, new.area, new.year, new.rederive, new.status) == (
        JobKind.AREA, personas.units["new_commune"], 2026, True, JobStatus.QUEUED)  # fmt: skip
    assert new.retry_of == failed and new.started_by == personas.owner and task_status(new) == "READY"
    page = client.get(reverse("jobs:detail", args=[new.pk])).content.decode()
    assert "Chạy lại từ" in page and reverse("jobs:detail", args=[failed.pk]) in page
    run_worker()
    new.refresh_from_db()
    assert new.status == JobStatus.DONE
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED  # the old job stays as it ended


def test_restart_of_a_workbook_job_copies_its_file(tmp_path, client: Client, personas):
    source = write_csv(tmp_path / "ho.csv", ["ma_ho"], [["H1"]])  # missing columns: the job fails
    failed = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(source), standard_id="QD59-2015"
    )
    run_worker()
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED
    client.force_login(personas.owner)
    assert client.post(reverse("jobs:restart", args=[failed.pk])).status_code == 302
    new = Job.objects.exclude(pk=failed.pk).get()
    assert (new.input_name, new.standard_code, new.retry_of) == ("ho.csv", "QD59-2015", failed)
    assert new.input_file.name != failed.input_file.name
    with new.input_file.open("rb") as copy:
        assert copy.read() == source.read_bytes()


def test_restart_is_refused_as_starting_would_be(client: Client, personas, area_job):
    client.force_login(personas.owner)
    response = client.post(reverse("jobs:restart", args=[area_job.pk]))  # still queued
    assert response.status_code == 400
    assert "Chỉ chạy lại được công việc đã thất bại." in response.content.decode()
    liveness.job_fail_if_dead(running_on(area_job, "gone"))
    assert client.get(reverse("jobs:restart", args=[area_job.pk])).status_code == 405
    client.force_login(personas.peer)
    assert client.post(reverse("jobs:restart", args=[area_job.pk])).status_code == 404  # not theirs
    area_role_assign(user=personas.owner, role=Role.VIEWER, area=personas.units["new_commune"])
    client.force_login(personas.owner)
    assert client.post(reverse("jobs:restart", args=[area_job.pk])).status_code == 403  # no longer allowed
    assert Job.objects.count() == 1


def test_restart_of_a_workbook_whose_file_is_gone_says_so(tmp_path, client: Client, personas):
    source = write_csv(tmp_path / "ho.csv", ["ma_ho"], [["H1"]])
    failed = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(source), standard_id="ND07-2021"
    )
    run_worker()
    failed.refresh_from_db()
    failed.input_file.storage.delete(failed.input_file.name)
    client.force_login(personas.owner)
    response = client.post(reverse("jobs:restart", args=[failed.pk]))
    assert response.status_code == 400
    assert (
        "Tệp đã gửi của công việc này không còn trên máy chủ; hãy gửi lại tệp." in response.content.decode()
    )
    assert Job.objects.count() == 1


def test_a_worker_restarted_under_the_same_id_fails_what_its_predecessor_left(settings, area_job):
    """`--worker-id` fixed in a service file: the new process's fresh heartbeat must not cover for the job its
    killed predecessor left running."""
    job = running_on(area_job, "fixed-id")
    last = heartbeat("fixed-id", age_seconds=10).last_seen
    beating = liveness.Heartbeat("fixed-id", interval=3600)
    beating.start()
    try:
        job.refresh_from_db()
        local = timezone.localtime(last)
        assert job.status == JobStatus.FAILED and f"{LOST} {local:%H:%M:%S}" in job.error
        row = WorkerHeartbeat.objects.get()
        assert (row.pid, row.started_at) == (os.getpid(), beating.started_at) and row.last_seen > last
    finally:
        beating.stop()
    assert not WorkerHeartbeat.objects.exists()  # a clean stop removes the row
