"""In the browser: upload a workbook, watch the progress bar (htmx polling) reach done while a real django-tasks
database worker runs the job in a background thread, then download the result and find a classified row.

The worker is django_tasks_db's own `Worker` in batch mode: it runs what is queued and stops, so the thread is
bounded. It has its own database connection: on PostgreSQL an ordinary one; on SQLite one to the test database's
shared-cache in-memory database, which the live server (sharing the test's connection) also reads. There, tables
are locked per table, and the live server's reads are made uncommitted-reads so that a poll that happens while
the worker writes the job row neither blocks it nor fails.
"""

from __future__ import annotations

import threading
from pathlib import Path

import openpyxl
import pytest
from django.db import connection, connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from giamngheo.engine.standard import get_standard
from giamngheo.jobs.models import Job, JobStatus
from tests.browser.conftest import sign_in
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def build_workbook(path: Path) -> Path:
    indicators = list(get_standard("ND07-2021").indicator_codes)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "ho"
    sheet.append(["Mã hộ", "Mã xã", "Khu vực", "Thu nhập bình quân", *indicators])
    poor = {"viec_lam", "dinh_duong", "bao_hiem_y_te"}
    sheet.append(
        ["H-001", "23824", "nong_thon", 1_000_000, *("x" if code in poor else None for code in indicators)]
    )
    sheet.append(["H-002", "23824", "nong_thon", 9_000_000, *(None for _ in indicators)])
    workbook.save(path)
    return path


class WorkerThread(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="db-worker", daemon=True)
        self.worker = Worker(queue_names=["default"], interval=0.2, batch=True, backend_name="default",
                             startup_delay=False, max_tasks=None, worker_id="browser-test",
                             excluded_queue_names=[])  # fmt: skip
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            self.worker.run()
        except BaseException as exc:  # reported by the test
            self.errors.append(exc)
        finally:
            connections.close_all()  # this thread's connections only


def test_upload_a_workbook_watch_it_finish_and_download_the_result(
    page, personas, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")
    workbook = build_workbook(tmp_path / "ho-lang-to-mo.xlsx")

    sign_in(page, personas.owner.username, PASSWORD)
    page.goto("/cong-viec/")
    page.click("text=Phân loại hộ từ tệp khảo sát")
    page.set_input_files("input[name=workbook]", str(workbook))
    page.select_option("select[name=standard]", "ND07-2021")
    page.click("main button[type=submit]")
    page.wait_for_url("**/cong-viec/*/")

    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.input_name == "ho-lang-to-mo.xlsx"
    status = page.locator("#job-status")
    expect(status).to_have_attribute("data-status", "queued")
    expect(status.locator("progress")).to_be_visible()

    worker = WorkerThread()
    worker.start()
    expect(status).to_have_attribute("data-status", "done", timeout=30_000)  # swapped in by htmx polling
    worker.join(timeout=30)
    assert not worker.is_alive() and worker.errors == []

    bar = status.locator("progress")
    expect(bar).to_have_attribute("max", "2")
    expect(bar).to_have_attribute("value", "2")
    expect(status).to_contain_text("Đã phân loại 2/2 dòng theo chuẩn ND07-2021")

    with page.expect_download() as download_info:
        status.locator("a.job-download").click()
    download = download_info.value
    assert download.suggested_filename == "ho-lang-to-mo-ket-qua.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    result = openpyxl.load_workbook(saved)
    assert result.sheetnames == ["ho", "tong_hop"]
    rows = list(result["ho"].iter_rows(values_only=True))
    header = list(rows[0])
    first = dict(zip(header, rows[1], strict=True))
    assert first["Mã hộ"] == "H-001" and first["phan_loai"] == "ngheo" and first["so_thieu_hut"] == 3
    assert first["chuan_ngheo"] == "ND07-2021" and not first["loi"]
    assert dict(zip(header, rows[2], strict=True))["phan_loai"] == "khong_ngheo"
