"""Job pages: the account's jobs, the two forms that start one, the job page with its self-refreshing progress
and the downloads, "Chạy lại" for a failed job, and the blank survey workbook to fill in. Jobs are read only
through `selectors.job_for_read` (someone else's job is a 404). Showing or polling a running job first checks that
its worker is alive (`liveness.job_fail_if_dead`), so a job lost with its worker is reported even when no worker
is left to notice."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from giamngheo.accounts.scope import scope_for
from giamngheo.engine.standard import load_standards
from giamngheo.jobs import liveness, services
from giamngheo.jobs.forms import AreaForm, WorkbookForm
from giamngheo.jobs.models import Job, JobKind, JobStatus
from giamngheo.jobs.selectors import (
    area_job_preview,
    job_for_read,
    jobs_for,
    may_classify_area,
    may_classify_workbook,
)
from giamngheo.lib.params import positive_int
from giamngheo.survey import SurveyFileError, resolve_standard
from giamngheo.survey.template import CONTENT_TYPE, template_bytes, template_filename

PAGE_SIZE = 30


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(jobs_for(request.user), PAGE_SIZE).get_page(positive_int(request.GET.get("trang")) or 1)
    return render(
        request,
        "jobs/list.html",
        {
            "page": page,
            "show_owner": scope_for(request.user).everything,
            "may_upload": may_classify_workbook(request.user),
            "may_classify_area": may_classify_area(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not may_classify_workbook(request.user):
        raise PermissionDenied(
            _("Tài khoản của bạn chưa được giao địa bàn nên chưa dùng được chức năng này.")
        )
    today = timezone.localdate()
    form = WorkbookForm(request.POST or None, request.FILES or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.workbook_classify_start(
                actor=request.user,
                upload=form.cleaned_data["workbook"],
                standard_id=form.cleaned_data["standard"] or None,
                today=today,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("jobs:detail", pk=job.pk)
    standards = sorted(load_standards(settings.GIAMNGHEO_STANDARDS_DIR).values(), key=lambda s: s.valid_from)
    return render(request, "jobs/upload.html", {"form": form, "template_standards": standards})


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The blank survey workbook of `giamngheo.survey.template` for `?chuan=ID` (default: the standard in force
    today). It holds no household data, so any signed-in account may have it."""
    standard_id = request.GET.get("chuan", "").strip() or None
    try:
        standard = resolve_standard(
            standard_id, today=timezone.localdate(), data_dir=settings.GIAMNGHEO_STANDARDS_DIR
        )
    except SurveyFileError:
        known = ", ".join(sorted(load_standards(settings.GIAMNGHEO_STANDARDS_DIR)))
        if standard_id:
            message = _("Không có chuẩn nghèo «%(id)s». Các chuẩn có: %(known)s.") % {
                "id": standard_id[:40],
                "known": known,
            }
        else:
            message = _("Hôm nay không có chuẩn nghèo nào có hiệu lực; hãy chọn một chuẩn: %(known)s.") % {
                "known": known
            }
        return HttpResponseNotFound(message, content_type="text/plain; charset=utf-8")
    response = HttpResponse(template_bytes(standard), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, template_filename(standard))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def classify_area(request: HttpRequest) -> HttpResponse:
    if not may_classify_area(request.user):
        raise PermissionDenied(_("Tài khoản của bạn không được phân loại lại hộ trong địa bàn."))
    today = timezone.localdate()
    form = AreaForm(request.POST or None, user=request.user, today=today)
    preview = None
    if request.method == "POST" and form.is_valid() and request.POST.get("xac_nhan") != "1":
        # Say what the job will change before it runs: which rounds are re-classified, which stay as decided.
        preview = area_job_preview(
            request.user, form.cleaned_data["area"], year=form.cleaned_data["year"], today=today
        )
    elif request.method == "POST" and form.is_valid():
        try:
            job = services.area_classify_start(
                actor=request.user,
                unit=form.cleaned_data["area"],
                year=form.cleaned_data["year"],
                rederive=form.cleaned_data["rederive"],
            )
        except Http404 as exc:
            form.add_error("area", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("jobs:detail", pk=job.pk)
    return render(request, "jobs/classify_area.html", {"form": form, "preview": preview})


def _status_context(job: Job) -> dict[str, object]:
    return {"job": job, "JobStatus": JobStatus, "JobKind": JobKind}


@login_required
@require_http_methods(["POST"])
def restart(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a failed job again ("Chạy lại"), with the same checks as starting it anew."""
    job = job_for_read(request.user, pk)
    if job.kind == JobKind.WORKBOOK and not may_classify_workbook(request.user):
        raise PermissionDenied(
            _("Tài khoản của bạn chưa được giao địa bàn nên chưa dùng được chức năng này.")
        )
    if job.kind == JobKind.AREA and not may_classify_area(request.user):
        raise PermissionDenied(_("Tài khoản của bạn không được phân loại lại hộ trong địa bàn."))
    try:
        new = services.job_restart(actor=request.user, job=job)
    except ValidationError as exc:
        context = {**_status_context(job), "restart_errors": exc.messages}
        return render(request, "jobs/detail.html", context, status=400)
    return redirect("jobs:detail", pk=new.pk)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for_read(request.user, pk)
    liveness.job_fail_if_dead(job)
    return render(request, "jobs/detail.html", _status_context(job))


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status block alone, polled by htmx while the job runs."""
    job = job_for_read(request.user, pk)
    liveness.job_fail_if_dead(job)
    return render(request, "jobs/_status.html", _status_context(job))


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    job = job_for_read(request.user, pk)
    if job.status != JobStatus.DONE or not job.result_file:
        raise Http404(_("Công việc này chưa có tệp kết quả."))
    return _file_response(job.result_file, job.result_name)


@login_required
@require_GET
def download_input(request: HttpRequest, pk: int) -> FileResponse:
    job = job_for_read(request.user, pk)
    if not job.input_file:
        raise Http404(_("Công việc này không có tệp gửi lên."))
    return _file_response(job.input_file, job.input_name)


def _file_response(stored: FieldFile, filename: str) -> FileResponse:
    if not stored.name:
        raise Http404(_("Tệp này không còn trên máy chủ; hãy báo cho quản trị hệ thống."))
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("Tệp này không còn trên máy chủ; hãy báo cho quản trị hệ thống.")) from exc
    return FileResponse(handle, as_attachment=True, filename=filename)
