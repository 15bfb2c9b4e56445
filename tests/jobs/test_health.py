"""`/healthz`: 200 when the database answers, a worker is alive and the disk has room; 503 naming what is not."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from giamngheo.jobs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(settings) -> WorkerHeartbeat:
    settings.JOB_WORKER_TIMEOUT_SECONDS = 60
    seen = timezone.now() - timedelta(seconds=3)
    return WorkerHeartbeat.objects.create(worker_id="w1", host="h", pid=1, started_at=seen, last_seen=seen)


def health(client: Client, **headers: str) -> tuple[int, dict]:
    response = client.get("/healthz", headers=headers)
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


def test_all_well_is_200_without_signing_in(client: Client, worker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media" / "not-yet-created"  # the nearest existing folder is measured
    status, body = health(client)
    assert status == 200 and body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "worker", "disk"}
    assert checks["database"]["ok"] is True and checks["database"]["ms"] >= 0
    assert checks["worker"] == {"ok": True, "heartbeat_age_seconds": pytest.approx(3, abs=2), "workers": 1,
                                "required": True}  # fmt: skip
    assert checks["disk"]["ok"] is True and checks["disk"]["path"] == str(tmp_path)
    assert checks["disk"]["free_bytes"] == pytest.approx(shutil.disk_usage(tmp_path).free, rel=0.01)


def test_no_redirect_for_another_language_or_a_head_request(client: Client, worker):
    client.cookies["django_language"] = "en"
    status, body = health(client, accept_language="en")
    assert status == 200 and body["status"] == "ok"
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_no_live_worker_is_503(client: Client, worker):
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(seconds=61))
    status, body = health(client)
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["worker"] == {"ok": False, "heartbeat_age_seconds": None, "workers": 0,
                                        "required": True}  # fmt: skip
    assert body["checks"]["database"]["ok"] and body["checks"]["disk"]["ok"]
    WorkerHeartbeat.objects.all().delete()
    assert health(client)[0] == 503


def test_a_site_without_background_jobs_may_run_without_a_worker(client: Client, settings):
    settings.HEALTH_REQUIRE_WORKER = False
    status, body = health(client)
    assert status == 200 and body["checks"]["worker"] == {"ok": True, "heartbeat_age_seconds": None,
                                                          "workers": 0, "required": False}  # fmt: skip


def test_too_little_disk_is_503(client: Client, worker, settings):
    settings.HEALTH_MIN_FREE_MB = shutil.disk_usage(settings.MEDIA_ROOT.parent).free // (1024 * 1024) + 1024
    status, body = health(client)
    assert status == 503 and body["checks"]["disk"]["ok"] is False
    assert body["checks"]["database"]["ok"] and body["checks"]["worker"]["ok"]


def test_a_database_that_does_not_answer_is_503(client: Client, worker):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        status, body = health(client)
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["worker"]["ok"] is False  # its heartbeat cannot be read either
    assert body["checks"]["disk"]["ok"] is True
