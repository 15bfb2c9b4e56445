"""Hostile workbooks through the background job (issue 8): the job fails with the reader's Vietnamese message and
keeps its input, and the worker — here the test process itself, which runs the real worker loop — neither dies
nor grows with the file."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from giamngheo.jobs import services
from giamngheo.jobs.models import Job, JobStatus
from tests.jobs.helpers import run_worker, task_status, upload_of
from tests.survey.hostile_files import expanding_workbook, far_cell_workbook

pytestmark = pytest.mark.django_db

# The test process holds Django, the engine and the test database; a hostile file read in-process would add
# gigabytes (issue 8 measured 9 GB), the isolated reader adds the pickled answer at most.
MAX_GROWTH_KB = 100 * 1024


def hostile_file(kind: str, folder: Path) -> tuple[Path, str]:
    """A hostile file and the message its job must fail with."""
    if kind == "far cell":
        path = far_cell_workbook(folder / "o cuoi.xlsx")
        return path, (
            "tệp 'o cuoi.xlsx': bảng tính khai báo vùng A1:XFD1048576 (1.048.576 dòng × 16.384 cột), "
            "vượt giới hạn 200.000 dòng × 200 cột"
        )
    if kind == "far cell, lying dimension":
        path = far_cell_workbook(folder / "kich thuoc sai.xlsx", dimension="A1:C2")
        return path, (
            "tệp 'kich thuoc sai.xlsx' quá lớn khi mở ra: vượt giới hạn bộ nhớ 512 MB dành cho việc đọc tệp"
        )
    if kind == "gigabyte sheet":
        path = expanding_workbook(folder / "no ra.xlsx", megabytes=1024)
        return path, (
            "tệp 'no ra.xlsx' quá lớn khi giải nén: 1.024 MB (riêng phần 'xl/worksheets/sheet1.xml' là 1.024 MB), "
            "vượt giới hạn 300 MB"
        )
    path = folder / "phan cach.csv"
    path.write_text("ma_ho,khu_vuc,thu_nhap_binh_quan\nH1" + "," * 5_000_000 + "\n", encoding="utf-8")
    return path, "tệp 'phan cach.csv' có dòng 2 chứa hơn 4.000 dấu phân cách ',', vượt giới hạn 200 cột"


@pytest.mark.parametrize("kind", ["far cell", "far cell, lying dimension", "gigabyte sheet", "delimiters"])
def test_a_hostile_file_fails_its_job_with_the_reason_and_keeps_the_input(tmp_path, personas, client, kind):
    path, message = hostile_file(kind, tmp_path)
    job = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(path), standard_id="ND07-2021"
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    assert run_worker() == 1

    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < MAX_GROWTH_KB, f"the worker grew by {grown // 1024} MB"
    job.refresh_from_db()
    assert task_status(job) == "SUCCESSFUL"  # an expected failure: the worker carries on
    assert job.status == JobStatus.FAILED
    assert job.error == message
    assert not job.result_file and job.result_name == ""
    assert job.input_file.read() == path.read_bytes()  # nothing lost
    client.force_login(personas.owner)
    response = client.get(f"/cong-viec/{job.pk}/tai-tep-goc/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == path.read_bytes()


def test_the_worker_goes_on_with_the_next_job_after_a_hostile_one(tmp_path, personas):
    from tests.survey.conftest import household, survey_headers, write_csv

    hostile, _ = hostile_file("far cell, lying dimension", tmp_path)
    normal = write_csv(tmp_path / "ho.csv", survey_headers(), [household("H1"), household("H2")])
    jobs: list[Job] = [
        services.workbook_classify_start(
            actor=personas.owner, upload=upload_of(path), standard_id="ND07-2021"
        )
        for path in (hostile, normal)
    ]
    assert run_worker() == 2
    for job in jobs:
        job.refresh_from_db()
    assert [job.status for job in jobs] == [JobStatus.FAILED, JobStatus.DONE]
    assert jobs[1].summary["rows"] == 2
