"""The job pages for every persona: a job is its starter's (and the administrators'); anyone else gets the same
404 as for a missing job. The forms start jobs through the services; the status block polls until finished."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.jobs import services
from giamngheo.jobs.models import Job, JobKind, JobStatus
from tests.jobs.helpers import run_worker, upload_of
from tests.survey.conftest import household, survey_headers, write_csv

pytestmark = pytest.mark.django_db

PERSONAS = ("owner", "peer", "outsider", "province", "viewer", "admin", "unbound")
JOB_PAGES = ("jobs:detail", "jobs:progress", "jobs:download", "jobs:download-input")


@pytest.fixture
def owners_job(personas, tmp_path) -> Job:
    """A finished workbook job of the owner."""
    source = write_csv(
        tmp_path / "ho-kongchro.csv", survey_headers(), [household("H1"), household("H2", income="x")]
    )
    job = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(source), standard_id="ND07-2021"
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("page", JOB_PAGES)
def test_a_job_is_visible_only_to_its_starter_and_administrators(
    client: Client, personas, owners_job, name, page
):
    client.force_login(personas.users()[name])
    response = client.get(reverse(page, args=[owners_job.pk]))
    if name in {"owner", "admin"}:
        assert response.status_code == 200
    else:
        missing = client.get(reverse(page, args=[owners_job.pk + 1000]))
        assert response.status_code == missing.status_code == 404
        assert response.content == missing.content
        assert b"ho-kongchro" not in response.content


@pytest.mark.parametrize("name", PERSONAS)
def test_the_list_shows_the_accounts_own_jobs(client: Client, personas, owners_job, name):
    client.force_login(personas.users()[name])
    response = client.get(reverse("jobs:list"))
    assert response.status_code == 200
    shown = "ho-kongchro.csv" in response.content.decode()
    assert shown == (name in {"owner", "admin"})


def test_the_list_keeps_a_fixed_number_of_queries(
    client: Client, personas, tmp_path, django_assert_max_num_queries
):
    source = write_csv(tmp_path / "ho.csv", survey_headers(), [household("H1")])
    for _ in range(3):
        services.workbook_classify_start(
            actor=personas.owner, upload=upload_of(source), standard_id="ND07-2021"
        )
        services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])
    client.force_login(personas.admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("jobs:list"))
    assert response.content.decode().count("Xã Kông Chro (mã mới 23824)") == 3


def test_anonymous_visitors_are_sent_to_login(client: Client, personas, owners_job):
    urls = [reverse("jobs:list"), reverse("jobs:upload"), reverse("jobs:classify-area")]
    urls += [reverse(page, args=[owners_job.pk]) for page in JOB_PAGES]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("name", PERSONAS)
def test_upload_page_for_every_persona(client: Client, personas, tmp_path, name):
    client.force_login(personas.users()[name])
    allowed = name != "unbound"
    assert client.get(reverse("jobs:upload")).status_code == (200 if allowed else 403)
    source = write_csv(tmp_path / "ho.csv", survey_headers(), [household("H1")])
    with source.open("rb") as handle:
        response = client.post(reverse("jobs:upload"), {"workbook": handle, "standard": "ND07-2021"})
    if not allowed:
        assert response.status_code == 403 and not Job.objects.exists()
        return
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.started_by == personas.users()[name] and job.kind == JobKind.WORKBOOK
    assert job.input_name == "ho.csv" and job.standard_code == "ND07-2021"


def test_upload_form_shows_what_is_wrong(client: Client, personas, tmp_path):
    client.force_login(personas.owner)
    response = client.post(reverse("jobs:upload"), {"standard": ""})
    assert "Hãy chọn tệp khảo sát (.xlsx hoặc .csv)." in response.content.decode()
    bad = tmp_path / "ho.pdf"
    bad.write_bytes(b"%PDF")
    with bad.open("rb") as handle:
        response = client.post(reverse("jobs:upload"), {"workbook": handle, "standard": "ND07-2021"})
    assert response.status_code == 200
    assert "Tệp «ho.pdf» phải là tệp Excel (.xlsx) hoặc CSV (.csv)." in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("name", "status"),
    [("owner", 200), ("peer", 200), ("outsider", 200), ("admin", 200), ("province", 403), ("viewer", 403),
     ("unbound", 403)],
)  # fmt: skip
def test_area_form_is_for_those_who_edit_or_assess(client: Client, personas, name, status):
    client.force_login(personas.users()[name])
    response = client.get(reverse("jobs:classify-area"))
    assert response.status_code == status


def test_area_form_offers_only_the_accounts_area_and_refuses_another(client: Client, personas):
    client.force_login(personas.owner)
    page = client.get(reverse("jobs:classify-area")).content.decode()
    assert "Xã Kông Chro (mã mới 23824)" in page and "SRó" not in page
    response = client.post(reverse("jobs:classify-area"), {"area": personas.units["new_sro"].pk})
    assert response.status_code == 200 and "Không tìm thấy đơn vị hành chính." in response.content.decode()
    missing = client.post(reverse("jobs:classify-area"), {"area": 10_000_000})
    assert "Không tìm thấy đơn vị hành chính." in missing.content.decode()
    assert not Job.objects.exists()
    chosen = {"area": personas.units["new_commune"].pk, "year": ""}
    preview = client.post(reverse("jobs:classify-area"), chosen)  # says what will change, starts nothing
    assert preview.status_code == 200 and "Xác nhận phân loại lại" in preview.content.decode()
    assert not Job.objects.exists()
    response = client.post(reverse("jobs:classify-area"), {**chosen, "xac_nhan": "1"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.area, job.year, job.rederive) == (
        JobKind.AREA,
        personas.units["new_commune"],
        None,
        False,
    )


def test_status_block_polls_until_the_job_is_finished(client: Client, personas, tmp_path):
    source = write_csv(tmp_path / "ho.csv", survey_headers(), [household("H1"), household("H2", income="x")])
    job = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(source), standard_id="ND07-2021"
    )
    client.force_login(personas.owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    progress_url = reverse("jobs:progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 1s"' in page
    assert "Đang chờ" in page and "<progress" in page
    run_worker()
    block = client.get(progress_url).content.decode()
    assert "hx-trigger" not in block  # finished: the block replaces itself with one that no longer polls
    assert '<progress max="2" value="2">' in block and "Hoàn thành" in block
    assert reverse("jobs:download", args=[job.pk]) in block and "ho-ket-qua.csv" in block
    assert "1 dòng có lỗi" in block and "dòng 3 (mã hộ H2)" in block


def test_failed_job_page_shows_why(client: Client, personas, tmp_path):
    source = write_csv(tmp_path / "ho.csv", ["ma_ho"], [["H1"]])
    job = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(source), standard_id="ND07-2021"
    )
    run_worker()
    client.force_login(personas.owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Thất bại" in page and "thiếu cột bắt buộc khu_vuc, thu_nhap_binh_quan" in page
    assert (
        "Tệp đã gửi vẫn được lưu nguyên vẹn" in page and reverse("jobs:download-input", args=[job.pk]) in page
    )
    assert reverse("jobs:download", args=[job.pk]) not in page


def test_download_sends_the_stored_result_under_its_name(client: Client, personas, owners_job):
    client.force_login(personas.owner)
    response = client.get(reverse("jobs:download", args=[owners_job.pk]))
    assert response.status_code == 200
    assert 'filename="ho-kongchro-ket-qua.csv"' in response["Content-Disposition"]
    owners_job.result_file.open("rb")
    assert body(response) == owners_job.result_file.read()
