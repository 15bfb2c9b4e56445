"""Area jobs: re-classify the stored assessments of an area the account may act on, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.jobs import services, tasks
from giamngheo.jobs.models import Job, JobStatus
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Assessment
from tests.conftest import OPEN_PERIODIC_CUTOFF
from tests.jobs.helpers import run_worker, task_status
from tests.registry.factories import make_household
from tests.reviews.helpers import import_past, open_review

pytestmark = pytest.mark.django_db

POOR = {
    "chat_luong_nha_o": True,
    "nguon_nuoc_sinh_hoat": True,
    "nha_tieu_hop_ve_sinh": True,
    "dich_vu_vien_thong": True,
}
STALE = {"poverty_class": "khong_ngheo", "deprivation_count": 0, "deprivation_mask": 0}


def assess(review, household, year: int = 2026) -> Assessment:
    return reviews.assessment_record(review=review, household=household, assessed_on=date(year, 10, 1),
                                     income_per_capita=1_000_000, actor=None, entered=POOR)  # fmt: skip


@pytest.fixture
def district_review(personas):
    """The end-2026 periodic review of province 52 (open on the tests' calendar), with an assessment of the Kông
    Chro (owner's) household and one of the SRó (peer's) household, both stored with a stale result."""
    review = open_review(personas.units["new_province"], year=2026, reference_date=OPEN_PERIODIC_CUTOFF)
    kongchro = assess(review, personas.kongchro_household)
    sro = assess(review, personas.sro_household)
    assert kongchro.poverty_class == sro.poverty_class == "ngheo"
    Assessment.objects.filter(review=review).update(**STALE)
    return review


def classes() -> dict[str, str]:
    return dict(Assessment.objects.values_list("household__code", "poverty_class"))


def test_area_job_restores_the_classes_of_the_area_only(personas, district_review):
    job = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])
    assert job.status == JobStatus.QUEUED and task_status(job) == "READY"
    assert run_worker() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and task_status(job) == "SUCCESSFUL"
    assert classes() == {"H-KONGCHRO": "ngheo", "H-SRO": "khong_ngheo"}  # the peer's household is not touched
    assert (job.progress_done, job.progress_total) == (1, 1)
    assert job.summary["assessments"] == 1 and job.summary["changed"] == 1
    assert job.summary["by_class"]["ngheo"] == 1
    assert (
        "Đã phân loại lại 1 phiếu rà soát trong Xã Kông Chro (mã mới 23824); 1 phiếu thay đổi kết quả"
        in job.message
    )


def test_administrator_job_on_a_province_covers_its_legacy_communes(personas, district_review):
    job = services.area_classify_start(actor=personas.admin, unit=personas.units["new_province"])
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.summary["assessments"] == 2
    assert classes() == {"H-KONGCHRO": "ngheo", "H-SRO": "ngheo"}


def test_year_limits_the_job_and_a_closed_round_stays_as_decided(personas, district_review):
    earlier = open_review(personas.units["district"], year=2022)
    import_past(earlier, personas.kongchro_household, date(2022, 10, 1), 1_000_000, entered=POOR)
    Assessment.objects.filter(review=earlier).update(**STALE)  # as if a rule had changed since the decision

    def by_year() -> dict[int, str]:
        return dict(
            Assessment.objects.filter(household=personas.kongchro_household).values_list(
                "review__year", "poverty_class"
            )
        )

    closed = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"], year=2022)
    run_worker()
    closed.refresh_from_db()
    assert closed.status == JobStatus.DONE and closed.summary["assessments"] == 0
    assert by_year() == {2022: "khong_ngheo", 2026: "khong_ngheo"}  # the 2022 decision is not rewritten
    current = services.area_classify_start(
        actor=personas.owner, unit=personas.units["new_commune"], year=2026
    )
    run_worker()
    current.refresh_from_db()
    assert current.summary["assessments"] == 1
    assert by_year() == {2022: "khong_ngheo", 2026: "ngheo"}


def test_no_assessments_is_a_finished_job_that_says_so(personas):
    job = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress_total == 0 and job.percent == 100
    assert job.message == "Không có phiếu rà soát nào trong Xã Kông Chro (mã mới 23824) để phân loại lại."


@pytest.mark.parametrize(
    ("name", "unit", "refusal"),
    [("peer", "new_commune", Http404), ("outsider", "new_commune", Http404), ("owner", "new_sro", Http404),
     ("owner", "far_province", Http404), ("province", "new_commune", PermissionDenied),
     ("viewer", "new_commune", PermissionDenied), ("unbound", "new_commune", Http404)],
)  # fmt: skip
def test_area_job_is_refused_outside_what_the_account_may_do(personas, district_review, name, unit, refusal):
    with pytest.raises(refusal):
        services.area_classify_start(actor=personas.users()[name], unit=personas.units[unit])
    assert not Job.objects.exists()


def test_outside_the_area_is_the_same_404_as_a_missing_unit(personas):
    with pytest.raises(Http404) as outside:
        services.area_classify_start(actor=personas.peer, unit=personas.units["new_commune"])
    assert str(outside.value) == "Không tìm thấy đơn vị hành chính."


def test_a_failure_leaves_every_assessment_as_it_was(personas, district_review, settings, monkeypatch):
    second = make_household(commune=personas.units["yang_trung"])
    assess(district_review, second)
    Assessment.objects.filter(review=district_review).update(**STALE)
    settings.JOB_AREA_CHUNK_ASSESSMENTS = 1
    stored = []
    real = tasks.assessments_store

    def second_store_fails(pending, **kwargs):
        stored.append(pending.ids)
        if len(stored) == 2:
            raise RuntimeError("database went away")
        return real(pending, **kwargs)

    monkeypatch.setattr(tasks, "assessments_store", second_store_fails)
    job = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])
    run_worker()
    job.refresh_from_db()
    assert len(stored) == 2  # the first chunk's results were written, then rolled back with the second
    assert set(classes().values()) == {"khong_ngheo"}
    assert job.status == JobStatus.FAILED and task_status(job) == "FAILED"
    assert "Lỗi hệ thống khi chạy công việc (RuntimeError); dữ liệu không bị thay đổi" in job.error
    assert (job.progress_done, job.progress_total) == (2, 2)  # both chunks classified, none stored


def test_progress_is_visible_while_the_area_is_classified(personas, district_review, settings, monkeypatch):
    """Each chunk's progress is committed before the next chunk is classified, and no result is written before
    the last one."""
    second = make_household(commune=personas.units["yang_trung"])
    assess(district_review, second)
    Assessment.objects.filter(review=district_review).update(**STALE)
    settings.JOB_AREA_CHUNK_ASSESSMENTS = 1
    seen: list[tuple[int, int, str, set[str]]] = []
    real = tasks.assessments_prepare

    def watch(**kwargs):
        stored = Job.objects.get()  # what the job page reads
        seen.append((stored.progress_done, stored.progress_total, stored.status, set(classes().values())))
        return real(**kwargs)

    monkeypatch.setattr(tasks, "assessments_prepare", watch)
    job = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])
    run_worker()
    assert seen == [(0, 2, "running", {"khong_ngheo"}), (1, 2, "running", {"khong_ngheo"})]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.progress_done, job.progress_total) == (2, 2)
    assert job.summary["changed"] == 2
    assert classes() == {"H-KONGCHRO": "ngheo", second.code: "ngheo", "H-SRO": "khong_ngheo"}


def test_a_change_underneath_fails_the_job_and_writes_nothing(
    personas, district_review, settings, monkeypatch
):
    """An assessment edited between its classification and the storing of the results: nothing is written, the
    job fails with a reason, and running it again classifies the assessments as they now are."""
    second = make_household(commune=personas.units["yang_trung"])
    other = assess(district_review, second)
    Assessment.objects.filter(review=district_review).update(**STALE)
    settings.JOB_AREA_CHUNK_ASSESSMENTS = 1
    real = tasks.assessments_prepare

    def edited_meanwhile(**kwargs):
        pending = real(**kwargs)
        if kwargs["assessment_ids"] == [other.pk]:
            Assessment.objects.filter(pk=other.pk).update(income_per_capita=9_000_000)
        return pending

    monkeypatch.setattr(tasks, "assessments_prepare", edited_meanwhile)
    job = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and task_status(job) == "SUCCESSFUL"  # an expected failure
    assert job.error.startswith("Các phiếu rà soát trong địa bàn đã thay đổi trong khi công việc chạy")
    assert set(classes().values()) == {"khong_ngheo"}
    monkeypatch.setattr(tasks, "assessments_prepare", real)
    again = services.job_restart(actor=personas.owner, job=job)
    run_worker()
    again.refresh_from_db()
    assert again.status == JobStatus.DONE and again.retry_of == job and again.summary["changed"] == 2
    # 9,000,000 đồng a person a month is above every income line: not poor, with its 4 deprivations now stored.
    assert classes() == {"H-KONGCHRO": "ngheo", second.code: "khong_ngheo", "H-SRO": "khong_ngheo"}
    assert Assessment.objects.get(pk=other.pk).deprivation_count == 4


def test_the_right_is_checked_again_when_the_job_runs(personas, district_review):
    job = services.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"])
    area_role_assign(user=personas.owner, role=Role.VIEWER, area=personas.units["new_commune"])
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Tài khoản của bạn không còn được phân loại lại hộ trong địa bàn này."
    assert classes()["H-KONGCHRO"] == "khong_ngheo"


def test_rederive_reads_the_registry_again(personas, district_review):
    job = services.area_classify_start(
        actor=personas.owner, unit=personas.units["new_commune"], rederive=True
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.summary["rederived"] is True
    assert classes()["H-KONGCHRO"] == "ngheo"
