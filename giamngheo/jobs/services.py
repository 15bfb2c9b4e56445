"""Start background jobs and record their progress.

`workbook_classify_start` and `area_classify_start` check the account's right, create the job and enqueue its
task in one transaction (the database task backend stores the queue entry in the same database, so a job never
exists without its queue entry, nor the reverse). The tasks (`giamngheo.jobs.tasks`) load the job by id and report
through `job_running`, `job_progress`, `job_done` and `job_failed`, each a single UPDATE that commits on its own
so the job page sees it at once.
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


def _update(job: Job, **values: Any) -> None:
    for field, value in values.items():
        setattr(job, field, value)
    Job.objects.filter(pk=job.pk).update(**values)


def job_running(job: Job, *, message: str, now: datetime | None = None) -> None:
    _update(job, status=JobStatus.RUNNING, started_at=now or timezone.now(), message=message)


def job_progress(job: Job, *, done: int, total: int | None = None, message: str | None = None) -> None:
    values: dict[str, Any] = {"progress_done": done}
    if total is not None:
        values["progress_total"] = total
    if message is not None:
        values["message"] = message
    _update(job, **values)


def job_result(job: Job, *, name: str) -> None:
    """Record the result file, already saved to storage through `job.result_file.save(..., save=False)`."""
    _update(job, result_file=job.result_file.name, result_name=name)


def job_done(job: Job, *, message: str, summary: dict[str, Any], now: datetime | None = None) -> None:
    _update(
        job,
        status=JobStatus.DONE,
        progress_done=job.progress_total,
        message=message,
        summary=summary,
        finished_at=now or timezone.now(),
    )


def job_failed(job: Job, *, reason: str, message: str | None = None, now: datetime | None = None) -> None:
    """Mark the job failed with `reason`. Its input and anything it had stored before stay as they are."""
    _update(
        job,
        status=JobStatus.FAILED,
        error=reason,
        message=message or _("Công việc không hoàn thành."),
        finished_at=now or timezone.now(),
    )
