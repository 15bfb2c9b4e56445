"""Background jobs: one row per piece of long work an account started, with its progress and outcome.

The job row is the user's view of the work and its audit record (who started what, on which area or file, when,
and how it ended); django-tasks' own result row (`task_result_id`) is the worker's bookkeeping.

Files (the uploaded workbook and the classified result) are `FileField`s in MEDIA_ROOT rather than `BinaryField`s:
workbooks reach tens of megabytes, and as files they are streamed to the browser (`FileResponse`) instead of being
loaded whole into memory with the row, they do not bloat the table that the job list and the progress poll read
every second, and they stay readable when the database is not. They are stored under generated paths (a random
folder per job), never served from MEDIA_URL: the only way to them is the download view, which checks that the
job belongs to the account. An input is kept whatever happens to the job, so a failed job loses no data.

A worker (`giamngheo worker`) keeps a `WorkerHeartbeat` row fresh while it lives, and a job records which worker
runs it (`worker`): a running job whose worker stopped beating was lost with it (killed, out of memory) and is
marked failed (`giamngheo.jobs.liveness`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit


class JobKind(models.TextChoices):
    AREA = "area", _("Phân loại lại hộ trong địa bàn")
    WORKBOOK = "workbook", _("Phân loại hộ từ tệp khảo sát")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Thất bại")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


def _job_folder() -> str:
    return f"cong-viec/{timezone.now():%Y/%m}/{secrets.token_hex(8)}"


def input_path(job: Job, filename: str) -> str:
    return f"{_job_folder()}/{filename}"


def result_path(job: Job, filename: str) -> str:
    return f"{_job_folder()}/{filename}"


class Job(models.Model):
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="jobs"
    )
    kind = models.CharField(_("loại công việc"), max_length=10, choices=JobKind.choices)
    # An area job: the area, optionally one review year, and whether facts are derived again from the registry.
    area = models.ForeignKey(
        AdminUnit,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("năm rà soát"), null=True, blank=True)
    rederive = models.BooleanField(_("tính lại từ sổ hộ"), default=False)
    # A workbook job: the standard (resolved when the job is created), the file sent and the result.
    standard_code = models.CharField(_("chuẩn nghèo"), max_length=20, blank=True)
    input_file = models.FileField(_("tệp gửi lên"), upload_to=input_path, max_length=300, blank=True)
    input_name = models.CharField(_("tên tệp gửi lên"), max_length=200, blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to=result_path, max_length=300, blank=True)
    result_name = models.CharField(_("tên tệp kết quả"), max_length=220, blank=True)

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("đã xong"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    error = models.TextField(_("lý do thất bại"), blank=True)
    summary = models.JSONField(_("kết quả tóm tắt"), default=dict, blank=True)

    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    task_result_id = models.CharField(_("mã công việc trong hàng đợi"), max_length=64, blank=True)
    # The django-tasks worker id of the worker that runs (ran) the job; blank while queued.
    worker = models.CharField(_("tiến trình xử lý"), max_length=64, blank=True)
    # A job started again from a failed one ("Chạy lại") names it.
    retry_of = models.ForeignKey(
        "self",
        verbose_name=_("chạy lại từ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
    )

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="job_by_user_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(progress_done__lte=models.F("progress_total")),
                                   name="job_progress_within_total"),
            models.CheckConstraint(condition=~Q(kind=JobKind.AREA) | Q(area__isnull=False),
                                   name="job_area_has_area"),
            models.CheckConstraint(condition=~Q(kind=JobKind.WORKBOOK) | (~Q(input_file="") & ~Q(standard_code="")),
                                   name="job_workbook_has_input_and_standard"),
            models.CheckConstraint(condition=~Q(status=JobStatus.FAILED) | ~Q(error=""),
                                   name="job_failed_has_reason"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def target(self) -> str:
        """What the job works on, for lists: the area, or the file and the standard."""
        if self.kind == JobKind.AREA and self.area is not None:
            from giamngheo.reviews.stats import area_label

            label = area_label(self.area)
            return f"{label}, {self.year}" if self.year else label
        return f"{self.input_name} ({self.standard_code})"


class WorkerHeartbeat(models.Model):
    """One row per running `giamngheo worker`, refreshed every JOB_HEARTBEAT_SECONDS (`last_seen`). A row whose
    `last_seen` is older than JOB_WORKER_TIMEOUT_SECONDS belongs to a worker that is gone."""

    worker_id = models.CharField(_("mã tiến trình xử lý"), max_length=64, unique=True)
    host = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField(_("số hiệu tiến trình"))
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    last_seen = models.DateTimeField(_("tín hiệu gần nhất"), db_index=True)

    class Meta:
        verbose_name = _("tín hiệu tiến trình xử lý")
        verbose_name_plural = _("tín hiệu tiến trình xử lý")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
