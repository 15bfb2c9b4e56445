"""Start background jobs and record their progress.

`workbook_classify_start` and `area_classify_start` check the account's right, create the job and enqueue its
task in one transaction (the database task backend stores the queue entry in the same database, so a job never
exists without its queue entry, nor the reverse). The tasks (`giamngheo.jobs.tasks`) load the job by id and report
through `job_running`, `job_progress`, `job_done` and `job_failed`, each a single UPDATE that commits on its own
so the job page sees it at once. Each applies only to a job in the state it expects (queued to start it, running
otherwise): a job that was meanwhile declared lost (`giamngheo.jobs.liveness`) is not brought back by a worker
that turns out to be alive after all; the task is told so (`JobAbandoned`) and stops.

`job_restart` starts a failed job again ("Chạy lại"): a new job with the same input, checked like a new one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.access import unit_for_stats
from giamngheo.areas.models import AdminUnit
from giamngheo.jobs.models import Job, JobKind, JobStatus
from giamngheo.jobs.selectors import may_classify_area, may_classify_workbook
from giamngheo.survey import SurveyFileError, resolve_standard
from giamngheo.survey.table import WORKBOOK_SUFFIXES

UPLOAD_SUFFIXES = (*sorted(WORKBOOK_SUFFIXES), ".csv")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_NAME_LIMIT = 150
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def clean_upload_name(name: str) -> str:
    """The uploaded file's own name, safe as one path component: no folders, no control or reserved characters,
    at most 150 characters (the extension kept). Messages and the result file are named after it."""
    base = PurePath(unicodedata.normalize("NFC", name or "").replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip().lstrip(".")
    if not base:
        return "tep-khao-sat"
    suffix = PurePath(base).suffix[:10]
    stem = base[: len(base) - len(suffix)] if suffix else base
    return stem[: _NAME_LIMIT - len(suffix)] + suffix


def result_name_for(input_name: str, *, csv: bool) -> str:
    stem = PurePath(input_name).stem or "tep-khao-sat"
    return f"{stem}-ket-qua{'.csv' if csv else '.xlsx'}"


def _enqueue(job: Job) -> Job:
    from giamngheo.jobs import tasks

    task = tasks.classify_area if job.kind == JobKind.AREA else tasks.classify_workbook
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    job.task_result_id = str(result.id)
    return job


def workbook_classify_start(
    *, actor: Any, upload: File | None, standard_id: str | None = None, today: date | None = None
) -> Job:
    """Queue the classification of an uploaded survey workbook (.xlsx or .csv) under `standard_id` (default: the
    standard in force `today`). Raises `PermissionDenied` for an account without an area, `ValidationError` for a
    missing, empty, too large or wrongly named file or an unknown standard. Whether the file's content is usable is
    for the job to find out: it fails then with the message the command line prints."""
    if not may_classify_workbook(actor):
        raise PermissionDenied(
            _("Tài khoản của bạn chưa được giao địa bàn nên chưa dùng được chức năng này.")
        )
    problems: dict[str, str] = {}
    name = clean_upload_name(upload.name or "") if upload is not None else ""
    if upload is None or not upload.name:
        problems["workbook"] = _("Hãy chọn tệp khảo sát (.xlsx hoặc .csv).")
    elif PurePath(name).suffix.lower() not in UPLOAD_SUFFIXES:
        problems["workbook"] = _("Tệp «%(name)s» phải là tệp Excel (.xlsx) hoặc CSV (.csv).") % {"name": name}
    elif not upload.size:
        problems["workbook"] = _("Tệp «%(name)s» trống.") % {"name": name}
    elif upload.size > MAX_UPLOAD_BYTES:
        problems["workbook"] = _("Tệp «%(name)s» lớn hơn %(limit)d MB.") % {
            "name": name,
            "limit": MAX_UPLOAD_BYTES // (1024 * 1024),
        }
    try:
        standard = resolve_standard(
            standard_id or None,
            today=today or timezone.localdate(),
            data_dir=settings.GIAMNGHEO_STANDARDS_DIR,
        )
    except SurveyFileError as exc:
        problems["standard"] = _("Chuẩn nghèo: %(problem)s.") % {"problem": exc}
    if problems or upload is None:
        raise ValidationError(problems)
    with transaction.atomic():
        job = Job(
            started_by=actor,
            kind=JobKind.WORKBOOK,
            standard_code=standard.id,
            input_name=name,
        )
        job.input_file.save(name, upload, save=False)
        job.save()
        return _enqueue(job)


def area_classify_start(
    *, actor: Any, unit: AdminUnit, year: int | None = None, rederive: bool = False
) -> Job:
    """Queue the re-classification of the assessments made in `unit` (see `selectors.area_assessment_ids`).
    Raises `Http404` for an area outside the account's (as for a missing one) and `PermissionDenied` for an
    account that may not edit or assess."""
    unit_for_stats(actor, unit)
    if not may_classify_area(actor):
        raise PermissionDenied(_("Tài khoản của bạn không được phân loại lại hộ trong địa bàn."))
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm rà soát «%(value)s» không hợp lệ.") % {"value": year}})
    with transaction.atomic():
        job = Job.objects.create(
            started_by=actor,
            kind=JobKind.AREA,
            area=unit,
            year=year,
            rederive=rederive,
        )
        return _enqueue(job)


# Progress, reported by the tasks ------------------------------------------------------------------------------


class JobAbandoned(Exception):
    """The job is no longer running here (declared lost meanwhile): the task must stop without reporting."""


def _update(job: Job, *, expect: str = JobStatus.RUNNING, **values: Any) -> None:
    """Set `values` on the job if it is still in the state `expect`; else raise `JobAbandoned`."""
    if not Job.objects.filter(pk=job.pk, status=expect).update(**values):
        raise JobAbandoned(job.pk)
    for field, value in values.items():
        setattr(job, field, value)


def job_running(job: Job, *, message: str, worker: str = "", now: datetime | None = None) -> None:
    """Claim the queued job for `worker` (the django-tasks worker id running it)."""
    _update(job, expect=JobStatus.QUEUED, status=JobStatus.RUNNING, started_at=now or timezone.now(),
            message=message, worker=worker)  # fmt: skip


def job_progress(job: Job, *, done: int, total: int | None = None, message: str | None = None) -> None:
    values: dict[str, Any] = {"progress_done": done}
    if total is not None:
        values["progress_total"] = total
    if message is not None:
        values["message"] = message
    _update(job, **values)


def job_done(
    job: Job,
    *,
    message: str,
    summary: dict[str, Any],
    result_name: str | None = None,
    now: datetime | None = None,
) -> None:
    """Mark the job done; with `result_name`, record in the same UPDATE the result file already saved to storage
    through `job.result_file.save(..., save=False)` (a job is never done without its file, nor the reverse)."""
    values: dict[str, Any] = {}
    if result_name is not None:
        values = {"result_file": job.result_file.name, "result_name": result_name}
    _update(
        job,
        status=JobStatus.DONE,
        progress_done=job.progress_total,
        message=message,
        summary=summary,
        finished_at=now or timezone.now(),
        **values,
    )


def job_failed(job: Job, *, reason: str, message: str | None = None, now: datetime | None = None) -> None:
    """Mark the job failed with `reason` (unless it is no longer running). Its input and anything it had stored
    before stay as they are."""
    try:
        _update(
            job,
            status=JobStatus.FAILED,
            error=reason,
            message=message or _("Công việc không hoàn thành."),
            finished_at=now or timezone.now(),
        )
    except JobAbandoned:
        job.refresh_from_db()


# Starting a failed job again ------------------------------------------------------------------------------------


def job_restart(*, actor: Any, job: Job) -> Job:
    """Start a failed `job` again as a new job with the same input: the same area, year and option, or a copy of
    the same uploaded file under the same standard. The account must be allowed to start such a job now (the
    same checks as for a new one); the old job stays as it ended. Raises `ValidationError` for a job that has not
    failed or whose file is gone."""
    if job.status != JobStatus.FAILED:
        raise ValidationError(_("Chỉ chạy lại được công việc đã thất bại."))
    if job.kind == JobKind.WORKBOOK and not job.input_file:
        raise ValidationError(_("Tệp đã gửi của công việc này không còn trên máy chủ; hãy gửi lại tệp."))
    with transaction.atomic():
        if job.kind == JobKind.AREA:
            assert job.area is not None  # a database constraint
            new = area_classify_start(actor=actor, unit=job.area, year=job.year, rederive=job.rederive)
        else:
            try:
                with job.input_file.open("rb") as stored:
                    # A copy in a folder of its own: each job keeps its input whatever happens to the other.
                    new = workbook_classify_start(actor=actor, upload=File(stored, name=job.input_name),
                                                  standard_id=job.standard_code)  # fmt: skip
            except FileNotFoundError as exc:
                raise ValidationError(
                    _("Tệp đã gửi của công việc này không còn trên máy chủ; hãy gửi lại tệp.")
                ) from exc
        Job.objects.filter(pk=new.pk).update(retry_of=job)
    new.retry_of = job
    return new
