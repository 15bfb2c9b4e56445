"""Workbook jobs: the same result as `giamngheo classify`, progress per chunk, failures that keep the input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import python_calamine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from giamngheo.jobs import services, tasks
from giamngheo.jobs.models import Job, JobStatus
from tests.jobs.helpers import run_worker, task_status, upload_of
from tests.survey.conftest import household, survey_headers, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

POOR = ["viec_lam", "dinh_duong", "bao_hiem_y_te"]


def survey_rows() -> list[list]:
    return [
        household("H1", income="1.000.000", deprived=POOR),  # poor
        household("H2", income="1.000.000", deprived=["viec_lam"]),  # near-poor
        household("H3", income="9.000.000"),  # neither
        household("H4", income="2.000.000", agri="x", commune="01235"),  # middle living standard
        household("H5", income="nhiều"),  # error row: kept, with loi
    ]


def cli_output(tmp_path: Path, source: Path, suffix: str) -> Path:
    """What `giamngheo classify SOURCE -o OUT --standard ND07-2021` writes (exit code 1: one error row)."""
    output = tmp_path / f"cli{suffix}"
    with pytest.raises(CommandError) as raised:
        call_command("classify", str(source), "-o", str(output), "--standard", "ND07-2021", stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip
    assert raised.value.returncode == 1
    return output


def cli_failure(source: Path, standard: str = "ND07-2021") -> str:
    with pytest.raises(CommandError) as raised:
        call_command("classify", str(source), "-o", str(source.with_name("out.xlsx")), "--standard", standard)
    assert raised.value.returncode == 2
    return str(raised.value)


def sheets(data: bytes) -> dict[str, list[list]]:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def start(user, path: Path, standard_id: str | None = "ND07-2021") -> Job:
    return services.workbook_classify_start(actor=user, upload=upload_of(path), standard_id=standard_id)


def test_xlsx_job_gives_what_the_command_line_gives(tmp_path, personas):
    source = write_xlsx(tmp_path / "ho xa Kông Chro.xlsx", survey_headers(), survey_rows())
    job = start(personas.owner, source)
    assert job.status == JobStatus.QUEUED and job.task_result_id and task_status(job) == "READY"
    assert job.input_file.read() == source.read_bytes()

    assert run_worker() == 1
    job.refresh_from_db()
    assert task_status(job) == "SUCCESSFUL"
    assert job.status == JobStatus.DONE and job.error == ""
    assert (job.progress_done, job.progress_total) == (5, 5)
    assert job.result_name == "ho xa Kông Chro-ket-qua.xlsx"
    assert "Đã phân loại 4/5 dòng theo chuẩn ND07-2021" in job.message
    assert "1 dòng có lỗi, chưa được phân loại; xem cột loi trong tệp kết quả" in job.message
    assert job.summary["by_class"] == {"ngheo": 1, "can_ngheo": 1, "muc_song_trung_binh": 1, "khong_ngheo": 1}
    assert job.summary["error_rows"] == 1
    assert job.summary["errors"][0]["row"] == 6 and job.summary["errors"][0]["household"] == "H5"
    assert "thu_nhap_binh_quan" in job.summary["errors"][0]["message"]
    assert job.started_at is not None and job.finished_at is not None

    produced = sheets(job.result_file.read())
    expected = sheets(cli_output(tmp_path, source, ".xlsx").read_bytes())
    assert produced == expected
    assert list(produced) == ["ho", "tong_hop"]
    assert produced["ho"][1][-5:] == ["ngheo", 3.0, "viec_lam;dinh_duong;bao_hiem_y_te", "ND07-2021", ""]


def test_csv_job_gives_the_same_bytes_as_the_command_line(tmp_path, personas):
    source = write_csv(tmp_path / "ho.csv", survey_headers(), survey_rows(), delimiter=";")
    job = start(personas.owner, source)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result_name == "ho-ket-qua.csv"
    assert job.result_file.read() == cli_output(tmp_path, source, ".csv").read_bytes()


def test_default_standard_is_the_one_in_force_when_the_job_is_created(tmp_path, personas):
    from datetime import date

    source = write_csv(tmp_path / "ho.csv", survey_headers(), [household("H1")])
    job = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(source), today=date(2023, 6, 1)
    )
    assert job.standard_code == "ND07-2021"


def test_progress_is_reported_per_chunk(tmp_path, personas, monkeypatch):
    source = write_csv(tmp_path / "ho.csv", survey_headers(), survey_rows())
    job = start(personas.owner, source)
    monkeypatch.setattr(tasks, "CHUNK_ROWS", 2)
    seen: list[tuple[int, int, str]] = []
    report = services.job_progress

    def spy(job: Job, **values) -> None:
        report(job, **values)
        stored = Job.objects.get(pk=job.pk)  # what the job page reads
        seen.append((stored.progress_done, stored.progress_total, stored.status))

    monkeypatch.setattr(services, "job_progress", spy)
    run_worker()
    assert seen == [(0, 5, "running"), (2, 5, "running"), (4, 5, "running"), (5, 5, "running")]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress_done == 5


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("thieu cot.csv", "missing_column", "thiếu cột chỉ số thiếu hụt mà chuẩn ND07-2021 tính: nguon_nuoc_sinh_hoat"),
        ("hong.xlsx", b"not a workbook at all", "không phải tệp Excel hợp lệ"),
        ("chi tieu de.csv", "header_only", "không có dòng dữ liệu nào"),
    ],
)  # fmt: skip
def test_unusable_file_fails_with_the_command_line_message_and_keeps_the_input(
    tmp_path, personas, client, name, content, expected
):
    path = tmp_path / name
    if content == "missing_column":
        write_csv(path, [h for h in survey_headers() if h != "nguon_nuoc_sinh_hoat"], [["H1"]])
    elif content == "header_only":
        write_csv(path, survey_headers(), [])
    else:
        path.write_bytes(content)
    job = start(personas.owner, path)
    run_worker()
    job.refresh_from_db()
    assert task_status(job) == "SUCCESSFUL"  # an expected failure: the job says why, the worker is fine
    assert job.status == JobStatus.FAILED
    assert job.error == cli_failure(path) and expected in job.error
    assert not job.result_file and job.result_name == ""
    assert job.input_file.read() == path.read_bytes()  # nothing lost
    client.force_login(personas.owner)
    response = client.get(f"/cong-viec/{job.pk}/tai-tep-goc/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == path.read_bytes()
    assert client.get(f"/cong-viec/{job.pk}/tai-ket-qua/").status_code == 404


def test_unexpected_error_fails_the_job_and_keeps_the_traceback_for_the_worker(
    tmp_path, personas, monkeypatch
):
    source = write_csv(tmp_path / "ho.csv", survey_headers(), survey_rows())
    job = start(personas.owner, source)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tasks, "write_result", broken)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Lỗi hệ thống khi chạy công việc (RuntimeError)" in job.error
    assert task_status(job) == "FAILED"
    assert job.input_file.read() == source.read_bytes()


def test_a_task_run_again_leaves_a_finished_job_alone(tmp_path, personas):
    source = write_csv(tmp_path / "ho.csv", survey_headers(), survey_rows())
    job = start(personas.owner, source)
    run_worker()
    job.refresh_from_db()
    finished = (job.status, job.finished_at, job.result_file.name)
    assert tasks.classify_workbook.call(job.pk) == "skipped"
    job.refresh_from_db()
    assert (job.status, job.finished_at, job.result_file.name) == finished


@pytest.mark.parametrize(
    ("name", "content", "standard", "field", "message"),
    [
        ("ho.pdf", b"x", "ND07-2021", "workbook", "Tệp «ho.pdf» phải là tệp Excel (.xlsx) hoặc CSV (.csv)."),
        ("ho.csv", b"", "ND07-2021", "workbook", "Tệp «ho.csv» trống."),
        ("ho.csv", b"ma_ho\nH1\n", "ND99-2040", "standard", "không có chuẩn nghèo 'ND99-2040'"),
    ],
)
def test_bad_requests_are_refused_before_any_job_exists(personas, name, content, standard, field, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as raised:
        services.workbook_classify_start(
            actor=personas.owner, upload=SimpleUploadedFile(name, content), standard_id=standard
        )
    assert message in " ".join(raised.value.message_dict[field])
    assert not Job.objects.exists()


def test_an_account_without_an_area_cannot_start_a_job(tmp_path, personas):
    source = write_csv(tmp_path / "ho.csv", survey_headers(), [household("H1")])
    with pytest.raises(PermissionDenied):
        start(personas.unbound, source)
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [("../../etc/passwd.csv", "passwd.csv"), ("C:\\Users\\a\\hộ xã.xlsx", "hộ xã.xlsx"), ("..", "tep-khao-sat"),
     ("a\x00b?.csv", "a_b_.csv"), ("x" * 300 + ".xlsx", "x" * 145 + ".xlsx")],
)  # fmt: skip
def test_upload_names_are_one_safe_path_component(given, expected):
    assert services.clean_upload_name(given) == expected
