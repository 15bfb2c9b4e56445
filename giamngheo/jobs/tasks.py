"""The background tasks (django-tasks, database backend; run by `giamngheo worker`).

Each task takes a job id, loads the job and reports through `giamngheo.jobs.services`. A task that is handed a job
which is no longer queued (run twice) does nothing. Expected failures (an unusable file, an account that lost its
right) fail the job with a Vietnamese reason; an unexpected error fails the job too and is raised again so that
the task backend keeps its traceback for the administrator.

- `classify_workbook` does what `giamngheo classify` does (`giamngheo.survey.process.classify_file`): read, classify
  every valid row, summarise, write the result in the survey-format.md layout (.xlsx with the `tong_hop` sheet, or
  .csv for a CSV input), but classifies in chunks of rows so that the progress bar moves. Rows with errors are kept
  in the output with `loi` filled (the command line's exit code 1) and counted in the job's message; a file that
  is unusable fails the job with the message the command line prints.
  The result file is saved to storage first (under a fresh folder, referenced by nothing yet), then one UPDATE
  records it and marks the job done: a job is never done without a complete file.
- `classify_area` re-classifies the stored assessments of an area in chunks (`reviews.reclassify
  .assessments_prepare`), outside any write transaction, reporting progress after each chunk; then one short
  transaction checks that the job still runs here, re-reads the assessments (rows locked on PostgreSQL) to make
  sure nothing changed underneath, writes every result (`assessments_store`) and marks the job done. A failure or
  a kill at any point leaves either all results or none; a change underneath fails the job, to be run again.

The worker that runs a job is recorded on it (`Job.worker`, from django-tasks' result row), so that a job whose
worker dies is found and failed (`giamngheo.jobs.liveness`).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from giamngheo.accounts.access import unit_for_stats
from giamngheo.engine.facts import CLASS_LABELS_VI, PovertyClass
from giamngheo.jobs import services
from giamngheo.jobs.models import Job, JobKind, JobStatus
from giamngheo.jobs.selectors import area_assessment_ids, may_classify_area
from giamngheo.lib.formatting import group_thousands
from giamngheo.reviews.reclassify import (
    PendingClassification,
    StaleAssessments,
    assessments_prepare,
    assessments_store,
    pending_report,
)
from giamngheo.reviews.stats import area_label
from giamngheo.survey import SurveyFileError, resolve_standard
from giamngheo.survey.classify import RowResult, classify_survey
from giamngheo.survey.reader import read_survey
from giamngheo.survey.summary import summarise
from giamngheo.survey.writer import check_output_path, write_result

# Rows classified between two progress updates. The vectorised engine classifies a few hundred thousand rows a
# second, so a chunk is a small fraction of a second and the bar still moves on a large file.
CHUNK_ROWS = 5_000
# How many error rows the job page lists (the command line lists 20 on stderr).
ERRORS_LISTED = 20


class JobRefused(Exception):
    """The job cannot run; the message (Vietnamese) says why and becomes the job's failure reason."""


def _worker_of(job: Job) -> str:
    """The id of the django-tasks worker that claimed the job's task (blank when called outside a worker)."""
    if not job.task_result_id:
        return ""
    ids = DBTaskResult.objects.filter(pk=job.task_result_id).values_list("worker_ids", flat=True).first()
    return str(ids[-1]) if ids else ""


def _claim(job_id: int, kind: str) -> Job | None:
    job = Job.objects.select_related("started_by", "area").filter(pk=job_id, kind=kind).first()
    if job is None or job.status != JobStatus.QUEUED:
        return None
    return job


@contextmanager
def _reporting(job: Job) -> Iterator[None]:
    """Turn whatever stops the work into a failed job with a reason."""
    try:
        yield
    except services.JobAbandoned:
        pass  # declared lost meanwhile: it already says why
    except (JobRefused, SurveyFileError) as exc:
        services.job_failed(job, reason=str(exc))
    except BaseException as exc:
        # Also a worker stopped mid-task (SystemExit, KeyboardInterrupt): the job must not stay "running".
        services.job_failed(
            job,
            reason=_(
                "Lỗi hệ thống khi chạy công việc (%(error)s); dữ liệu không bị thay đổi. "
                "Hãy báo cho quản trị hệ thống."
            )
            % {"error": type(exc).__name__},
        )
        raise


def _run(job_id: int, kind: str, work: Callable[[Job], None]) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # stored messages are in the site's language
        job = _claim(job_id, kind)
        if job is None:
            return "skipped"
        with _reporting(job):
            work(job)
        return str(job.status)


# Workbook -----------------------------------------------------------------------------------------------------


@task()
def classify_workbook(job_id: int) -> str:
    return _run(job_id, JobKind.WORKBOOK, _classify_workbook)


def _classify_workbook(job: Job) -> None:
    services.job_running(
        job, message=_("Đang đọc tệp «%(name)s».") % {"name": job.input_name}, worker=_worker_of(job)
    )
    standard = resolve_standard(
        job.standard_code, today=timezone.localdate(), data_dir=settings.GIAMNGHEO_STANDARDS_DIR
    )
    with tempfile.TemporaryDirectory(prefix="giamngheo-job-") as folder:
        # Under its own name, so that messages name the file exactly as `giamngheo classify` would.
        source = Path(folder) / job.input_name
        with job.input_file.open("rb") as stored, source.open("wb") as copy:
            shutil.copyfileobj(stored, copy)
        survey = read_survey(source, standard)
        output = Path(folder) / services.result_name_for(job.input_name, csv=survey.delimiter is not None)
        check_output_path(output)
        total = len(survey.rows)
        services.job_progress(
            job,
            done=0,
            total=total,
            message=_("Đang phân loại %(rows)s dòng.") % {"rows": group_thousands(total)},
        )
        results: list[RowResult] = []
        for start in range(0, total, CHUNK_ROWS):
            results.extend(
                classify_survey(replace(survey, rows=survey.rows[start : start + CHUNK_ROWS]), standard)
            )
            services.job_progress(
                job,
                done=len(results),
                message=_("Đã phân loại %(done)s/%(total)s dòng.")
                % {"done": group_thousands(len(results)), "total": group_thousands(total)},
            )
        classified = tuple(results)
        summary = summarise(survey, classified)
        write_result(output, survey=survey, results=classified, summary=summary, standard=standard)
        with output.open("rb") as handle:
            job.result_file.save(output.name, File(handle), save=False)
    errors = [
        {"row": row.number, "household": row.household_code or "", "message": result.error}
        for row, result in zip(survey.rows, classified, strict=True)
        if not result.classified
    ]
    overall = summary.overall
    counts = {str(c): overall.counts[c] for c in PovertyClass}
    try:
        services.job_done(
            job,
            message=_workbook_message(overall.rows, overall.classified, len(errors), counts, standard.id),
            summary={
                "rows": overall.rows,
                "classified": overall.classified,
                "error_rows": len(errors),
                "by_class": counts,
                "errors": errors[:ERRORS_LISTED],
            },
            result_name=output.name,
        )
    except services.JobAbandoned:
        job.result_file.delete(save=False)  # referenced by nothing
        raise


def _class_counts(counts: dict[str, int]) -> str:
    return ", ".join(
        f"{label} {group_thousands(counts.get(str(c), 0))}" for c, label in CLASS_LABELS_VI.items()
    )


def _workbook_message(
    rows: int, classified: int, error_rows: int, counts: dict[str, int], standard: str
) -> str:
    text = _("Đã phân loại %(classified)s/%(rows)s dòng theo chuẩn %(standard)s: %(counts)s.") % {
        "classified": group_thousands(classified),
        "rows": group_thousands(rows),
        "standard": standard,
        "counts": _class_counts(counts),
    }
    if error_rows:
        text += " " + _("%(count)s dòng có lỗi, chưa được phân loại; xem cột loi trong tệp kết quả.") % {
            "count": group_thousands(error_rows)
        }
    return text


# Area ---------------------------------------------------------------------------------------------------------


@task()
def classify_area(job_id: int) -> str:
    return _run(job_id, JobKind.AREA, _classify_area)


def _classify_area(job: Job) -> None:
    assert job.area is not None  # a database constraint
    actor, unit = job.started_by, job.area
    services.job_running(
        job,
        message=_("Đang tìm các phiếu rà soát trong %(area)s.") % {"area": area_label(unit)},
        worker=_worker_of(job),
    )
    # The account's right is checked again: it may have changed since the job was queued.
    try:
        if not actor.is_active:
            raise PermissionDenied
        unit_for_stats(actor, unit)
        if not may_classify_area(actor):
            raise PermissionDenied
    except (Http404, PermissionDenied):
        raise JobRefused(_("Tài khoản của bạn không còn được phân loại lại hộ trong địa bàn này.")) from None
    ids = area_assessment_ids(actor, unit, year=job.year, today=timezone.localdate())
    total = len(ids)
    services.job_progress(
        job,
        done=0,
        total=total,
        message=_("Đang phân loại lại %(count)s phiếu rà soát.") % {"count": group_thousands(total)},
    )
    pending: list[PendingClassification] = []
    chunk_size = max(1, settings.JOB_AREA_CHUNK_ASSESSMENTS)
    for start in range(0, total, chunk_size):
        pending.append(
            assessments_prepare(assessment_ids=ids[start : start + chunk_size], rederive=job.rederive)
        )
        if settings.JOB_TEST_SLEEP_PER_CHUNK_SECONDS:  # test hook only (see settings)
            time.sleep(settings.JOB_TEST_SLEEP_PER_CHUNK_SECONDS)
        done = min(total, start + chunk_size)
        services.job_progress(
            job,
            done=done,
            message=_("Đã phân loại %(done)s/%(total)s phiếu; kết quả được lưu khi xong tất cả.")
            % {"done": group_thousands(done), "total": group_thousands(total)},
        )
    reports = [pending_report(p) for p in pending]
    changed = sum(r.changed for r in reports)
    by_class: Counter[str] = Counter()
    by_standard: Counter[str] = Counter()
    for report in reports:
        by_class.update(report.by_class)
        by_standard.update(report.by_standard)
    counts = {str(c): by_class.get(str(c), 0) for c in PovertyClass}
    if total:
        message = _(
            "Đã phân loại lại %(total)s phiếu rà soát trong %(area)s%(year)s; %(changed)s phiếu thay đổi kết quả. "
            "Sau phân loại: %(counts)s."
        ) % {
            "total": group_thousands(total),
            "area": area_label(unit),
            "year": _(", năm %(year)s") % {"year": job.year} if job.year else "",
            "changed": group_thousands(changed),
            "counts": _class_counts(counts),
        }
    else:
        message = _("Không có phiếu rà soát nào trong %(area)s để phân loại lại.") % {
            "area": area_label(unit)
        }
    summary = {
        "assessments": total,
        "changed": changed,
        "by_class": counts,
        "by_standard": dict(by_standard),
        "rederived": job.rederive,
    }
    try:
        with transaction.atomic():  # short: every result, and the job done, or nothing
            if not Job.objects.select_for_update().filter(pk=job.pk, status=JobStatus.RUNNING).exists():
                raise services.JobAbandoned(job.pk)
            for part in pending:
                assessments_store(part, verify=True)
            services.job_done(job, message=message, summary=summary)
    except StaleAssessments:
        raise JobRefused(
            _(
                "Các phiếu rà soát trong địa bàn đã thay đổi trong khi công việc chạy nên không phiếu nào được "
                "ghi kết quả. Hãy chạy lại công việc."
            )
        ) from None
