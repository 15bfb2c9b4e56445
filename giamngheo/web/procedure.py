"""The review procedure of a commune in a round, for its officers (`decisions.procedure`), and its documents.

- `/quy-trinh/<round>/<commune>/`: where the commune stands (`procedure.progress`): the villages and their
  meetings, the posting, the complaints and their re-checks, the consultation, the decision, the certificates and
  the requests with their outcome, each with the form of its step for the roles that may take it. Every form
  posts back to the page with an `action`; a refused step shows the service's message next to the field.
- `/quy-trinh/<round>/<commune>/hop-dan/<village>/`: the village meeting (village 0: the households recorded
  without a village), with the scanned minutes and the households sent back to survey.
- `/quy-trinh/<round>/<commune>/niem-yet/`: the printable posting list (the head's name and the village only).
- `/quy-trinh/don-de-nghi/`: a household's request (Mẫu 01/04) received at the office.
- The minutes file, the certificates and the written refusals as downloads.

As on the decisions page: a round or a commune outside the account's area is the same 404 as a missing one, and
a step the account's role may not take is a 403 (the services check the role and the area again). Uploaded
minutes are never served from MEDIA_URL: only through the download view, after the same check.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from giamngheo.accounts.access import (
    households_for,
    procedure_record_for,
    procedure_records_for,
    round_for,
    unit_not_found,
)
from giamngheo.accounts.models import Role
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.decisions import documents, procedure
from giamngheo.decisions.approval import DECIDERS, DRAFT, state_label
from giamngheo.decisions.models import (
    Certificate,
    Channel,
    Complaint,
    ConsultationAuthority,
    HouseholdRequest,
    MeetingReturn,
    Posting,
    RequestForm,
    RequestRefusal,
    VillageMeeting,
)
from giamngheo.decisions.procedure import CONSULTATION_TAKERS, MEETING_TAKERS, MINUTES_TYPES, Step
from giamngheo.registry.models import Household
from giamngheo.reviews.models import PovertyClass, Review
from giamngheo.reviews.stats import area_label
from giamngheo.web.forms import apply_service_errors, date_field

RECENT_REQUESTS = 30
MINUTES_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
OUTCOME_LABELS = {
    "pending": gettext_lazy("Chờ quyết định công nhận"),
    "granted": gettext_lazy("Được công nhận theo quyết định"),
    "to_refuse": gettext_lazy("Không được công nhận: cần văn bản trả lời"),
    "refused": gettext_lazy("Đã có văn bản trả lời"),
}
SECTIONS = (
    ("ngheo", gettext_lazy("Danh sách hộ nghèo")),
    ("can_ngheo", gettext_lazy("Danh sách hộ cận nghèo")),
    ("thoat_ngheo", gettext_lazy("Danh sách hộ thoát nghèo")),
    ("thoat_can_ngheo", gettext_lazy("Danh sách hộ thoát cận nghèo")),
)


# Forms ---------------------------------------------------------------------------------------------------------


class PostingForm(forms.Form):
    starts_on = date_field(gettext_lazy("Ngày bắt đầu niêm yết"))
    places = forms.CharField(
        label=gettext_lazy("Nơi niêm yết"),
        max_length=300,
        initial=gettext_lazy("Nhà văn hoá các thôn và trụ sở UBND xã"),
    )


class ComplaintForm(forms.Form):
    household_code = forms.CharField(label=gettext_lazy("Mã hộ bị khiếu nại"), max_length=32)
    complainant = forms.CharField(label=gettext_lazy("Người khiếu nại"), max_length=150)
    received_on = date_field(gettext_lazy("Ngày nhận"))
    content = forms.CharField(
        label=gettext_lazy("Nội dung khiếu nại"), widget=forms.Textarea(attrs={"rows": 3})
    )


def _yes(value: str) -> bool:
    return value == "1"


class RecheckForm(forms.Form):
    checked_on = date_field(gettext_lazy("Ngày phúc tra"))
    upheld = forms.TypedChoiceField(
        label=gettext_lazy("Kết quả"),
        choices=[
            ("1", gettext_lazy("Khiếu nại đúng (hộ đã được rà soát lại)")),
            ("0", gettext_lazy("Khiếu nại không đúng")),
        ],
        coerce=_yes,
        widget=forms.RadioSelect,
    )
    finding = forms.CharField(
        label=gettext_lazy("Kết luận phúc tra"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsultationForm(forms.Form):
    consulted_on = date_field(gettext_lazy("Ngày có ý kiến"))
    reference = forms.CharField(label=gettext_lazy("Số văn bản báo cáo hoặc cho ý kiến"), max_length=100)
    opinion = forms.CharField(
        label=gettext_lazy("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CertificatesForm(forms.Form):
    issued_on = date_field(gettext_lazy("Ngày cấp giấy chứng nhận"))


class RefusalForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Số văn bản"), max_length=60)
    issued_on = date_field(gettext_lazy("Ngày ban hành"))
    signer = forms.CharField(label=gettext_lazy("Người ký"), max_length=150)
    reasons = forms.CharField(
        label=gettext_lazy("Lý do không công nhận"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingForm(forms.Form):
    held_on = date_field(gettext_lazy("Ngày họp"))
    attendees = forms.IntegerField(label=gettext_lazy("Số người dự họp"), min_value=1)
    agreeing = forms.IntegerField(label=gettext_lazy("Số người đồng ý với kết quả rà soát"), min_value=0)
    chair = forms.CharField(label=gettext_lazy("Chủ trì (trưởng thôn)"), max_length=150)
    secretary = forms.CharField(label=gettext_lazy("Thư ký"), max_length=150)
    minutes = forms.FileField(
        label=gettext_lazy("Biên bản họp có chữ ký (PDF, JPEG hoặc PNG, tối đa 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    returns = forms.CharField(
        label=gettext_lazy("Hộ phải rà soát lại (dưới một nửa số người dự họp đồng ý)"),
        required=False,
        help_text=gettext_lazy("Mỗi dòng một hộ: «mã hộ: số người đồng ý», ví dụ «H-0012: 5»."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_returns(self) -> str:
        text: str = self.cleaned_data.get("returns") or ""
        procedure.parse_returns(text)  # the form of each line; the households are looked up with the meeting
        return text


class RequestReceiveForm(forms.Form):
    household_code = forms.CharField(label=gettext_lazy("Mã hộ"), max_length=32)
    form = forms.ChoiceField(label=gettext_lazy("Loại giấy đề nghị"), choices=RequestForm.choices)
    channel = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp"), choices=Channel.choices, initial=Channel.OFFICE
    )
    received_on = date_field(gettext_lazy("Ngày nhận"))
    applicant = forms.CharField(label=gettext_lazy("Người nộp"), max_length=150, required=False)
    note = forms.CharField(
        label=gettext_lazy("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# Reading through the access functions -------------------------------------------------------------------------


def _round(request: HttpRequest, review_pk: int, commune_pk: int) -> tuple[Review, AdminUnit]:
    """The round and one of its communes, both in the account's area (the same 404 otherwise)."""
    review, commune = round_for(request.user, review_pk, commune_pk)
    if commune.level != UnitLevel.COMMUNE or commune.pk not in commune_ids_within(review.area):
        raise unit_not_found()
    return review, commune


def _households(request: HttpRequest, ids: Any) -> dict[int, Household]:
    """The households among `ids` the account may read, with their head."""
    return households_for(request.user).select_related("head", "village").in_bulk(sorted(set(ids)))


def _page_url(review: Review, commune: AdminUnit) -> str:
    return reverse("web:procedure", args=[review.pk, commune.pk])


# The commune's round -------------------------------------------------------------------------------------------


def _post_posting(request: HttpRequest, review: Review, commune: AdminUnit, target: str) -> Any:
    form = PostingForm(request.POST, prefix="posting")
    if form.is_valid():
        try:
            posting = procedure.posting_start(
                review=review, commune=commune, starts_on=form.cleaned_data["starts_on"],
                places=form.cleaned_data["places"], actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi niêm yết công khai từ ngày %(start)s đến hết ngày %(end)s.")
                % {"start": f"{posting.starts_on:%d/%m/%Y}", "end": f"{posting.ends_on:%d/%m/%Y}"},
            )
            return None
    return {"posting": form}


def _post_complaint(request: HttpRequest, review: Review, commune: AdminUnit, target: str) -> Any:
    form = ComplaintForm(request.POST, prefix="complaint")
    if form.is_valid():
        data = form.cleaned_data
        household = households_for(request.user).filter(code=data["household_code"].strip()).first()
        if household is None:
            form.add_error(
                "household_code",
                _("Không tìm thấy hộ %(code)s trên địa bàn của bạn.")
                % {"code": data["household_code"].strip()},
            )
            return {"complaint": form}
        try:
            procedure.complaint_receive(
                review=review, commune=commune, household=household, complainant=data["complainant"],
                received_on=data["received_on"], content=data["content"], actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            apply_service_errors(form, error, {"household": "household_code"})
        else:
            messages.success(request, _("Đã nhận khiếu nại về hộ %(code)s.") % {"code": household.code})
            return None
    return {"complaint": form}


def _post_recheck(request: HttpRequest, review: Review, commune: AdminUnit, target: str) -> Any:
    complaint = (
        procedure_records_for(request.user, Complaint)
        .filter(review=review, commune=commune, pk=_int(target))
        .select_related("household", "review", "commune")
        .first()
    )
    if complaint is None:
        raise Http404(_("Không tìm thấy khiếu nại."))
    form = RecheckForm(request.POST, prefix=f"recheck-{complaint.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            procedure.recheck_record(
                complaint=complaint, checked_on=data["checked_on"], upheld=data["upheld"],
                finding=data["finding"], actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi kết quả phúc tra khiếu nại về hộ %(code)s.") % {"code": complaint.household.code},
            )
            return None
    return {f"recheck-{complaint.pk}": form}


def _post_consultation(request: HttpRequest, review: Review, commune: AdminUnit, target: str) -> Any:
    form = ConsultationForm(request.POST, prefix="consultation")
    if form.is_valid():
        data = form.cleaned_data
        try:
            procedure.consultation_record(
                review=review, commune=commune, consulted_on=data["consulted_on"], reference=data["reference"],
                opinion=data["opinion"], actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi ý kiến của cấp trên."))
            return None
    return {"consultation": form}


def _post_certificates(request: HttpRequest, review: Review, commune: AdminUnit, target: str) -> Any:
    form = CertificatesForm(request.POST, prefix="certificates")
    if form.is_valid():
        try:
            issued = procedure.certificates_issue(
                review=review, commune=commune, issued_on=form.cleaned_data["issued_on"], actor=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Đã cấp %(n)s giấy chứng nhận.") % {"n": len(issued)})
            return None
    return {"certificates": form}


def _post_refusal(request: HttpRequest, review: Review, commune: AdminUnit, target: str) -> Any:
    item = (
        procedure_records_for(request.user, HouseholdRequest)
        .filter(review=review, commune=commune, pk=_int(target))
        .select_related("household", "review", "commune")
        .first()
    )
    if item is None or not households_for(request.user).filter(pk=item.household_id).exists():
        raise Http404(_("Không tìm thấy giấy đề nghị."))
    form = RefusalForm(request.POST, prefix=f"refusal-{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            procedure.refusal_issue(
                request=item, number=data["number"], issued_on=data["issued_on"], signer=data["signer"],
                reasons=data["reasons"], actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Đã ghi văn bản trả lời đề nghị của hộ %(code)s.") % {"code": item.household.code}
            )
            return None
    return {f"refusal-{item.pk}": form}


ACTIONS = {
    "posting": _post_posting,
    "complaint": _post_complaint,
    "recheck": _post_recheck,
    "consultation": _post_consultation,
    "certificates": _post_certificates,
    "refusal": _post_refusal,
}


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise Http404(_("Không tìm thấy đợt rà soát.")) from exc


@login_required
def procedure_page(request: HttpRequest, review_pk: int, commune_pk: int) -> HttpResponse:
    review, commune = _round(request, review_pk, commune_pk)
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        action, _sep, target = request.POST.get("action", "").partition(":")
        handler = ACTIONS.get(action)
        if handler is None:
            raise Http404(_("Không tìm thấy đợt rà soát."))
        result = handler(request, review, commune, target)
        if result is None:
            return redirect(_page_url(review, commune))
        bound = result
    return render(request, "web/procedure.html", _dashboard(request, review, commune, bound))


def _dashboard(
    request: HttpRequest, review: Review, commune: AdminUnit, bound: dict[str, forms.Form]
) -> dict[str, Any]:
    state = procedure.progress(review, commune)
    scope = scope_for(request.user)
    may_decide = scope.role in DECIDERS
    open_steps = state.decision is None  # the steps before the decision close with it
    meetings: dict[int | None, list[VillageMeeting]] = defaultdict(list)
    for meeting in VillageMeeting.objects.filter(review=review, commune=commune).order_by("held_on", "id"):
        meetings[meeting.village_id].append(meeting)
    returned = defaultdict(list)
    for row in MeetingReturn.objects.filter(meeting__review=review, meeting__commune=commune).select_related(
        "household"
    ):
        returned[row.meeting_id].append(row)
    villages = []
    for line in state.villages:
        village_pk = line.village.pk if line.village is not None else 0
        may_meet = open_steps and (
            scope.role in MEETING_TAKERS
            or (
                scope.role == Role.VILLAGE
                and line.village is not None
                and line.village.pk in scope.village_ids
            )
        )
        villages.append(
            {
                "line": line,
                "pk": village_pk,
                "name": line.village.name if line.village is not None else _("(chưa ghi thôn)"),
                "meeting_url": reverse("web:procedure-meeting", args=[review.pk, commune.pk, village_pk])
                if may_meet and line.state == Step.MEETING
                else "",
                "meetings": [
                    {"meeting": m, "returns": returned.get(m.pk, [])}
                    for m in meetings.get(line.village.pk if line.village else None, [])
                ],
            }
        )
    complaints = state.complaints
    requests = state.requests
    readable = _households(
        request,
        [c.household_id for c in complaints]
        + [r.request.household_id for r in requests]
        + list(
            Certificate.objects.filter(decision__review=review, commune=commune).values_list(
                "household_id", flat=True
            )
        ),
    )
    complaint_lines = [
        {
            "complaint": c,
            "household": readable[c.household_id],
            "recheck": getattr(c, "recheck", None),
            "form": bound.get(f"recheck-{c.pk}") or RecheckForm(prefix=f"recheck-{c.pk}"),
            "may_recheck": may_decide and open_steps and not hasattr(c, "recheck"),
        }
        for c in complaints
        if c.household_id in readable
    ]
    request_lines = [
        {
            "line": r,
            "household": readable[r.request.household_id],
            "outcome_label": OUTCOME_LABELS[r.outcome],
            "refusal": getattr(r.request, "refusal", None) if r.outcome == "refused" else None,
            "form": bound.get(f"refusal-{r.request.pk}") or RefusalForm(prefix=f"refusal-{r.request.pk}"),
            "may_refuse": may_decide and r.outcome == "to_refuse",
        }
        for r in requests
        if r.request.household_id in readable
    ]
    certificates = [
        {"certificate": c, "household": readable[c.household_id]}
        for c in Certificate.objects.filter(decision__review=review, commune=commune).order_by(
            "year", "number"
        )
        if c.household_id in readable
    ]
    authority_day = state.posting.ends_on + timedelta(days=1) if state.posting is not None else state.today
    try:
        rule = procedure.rule_on(authority_day)
    except ValidationError as error:
        authority_label, authority_none = " ".join(error.messages), False
    else:
        authority_label = rule.get_authority_display()
        authority_none = rule.authority == ConsultationAuthority.NONE
    return {
        "review": review,
        "commune": commune,
        "commune_label": area_label(commune),
        "state": state,
        "step": state.step,
        "steps": Step,
        "approval_label": state_label(state.approval),
        "villages": villages,
        "complaints": complaint_lines,
        "requests": request_lines,
        "certificates": certificates,
        "authority_day": authority_day,
        "authority_label": authority_label,
        "authority_none": authority_none,
        "may_decide": may_decide,
        "may_post": may_decide and open_steps and state.posting is None and state.villages_agreed,
        "may_complain": may_decide and open_steps and state.posting is not None,
        "may_consult": scope.role in CONSULTATION_TAKERS
        and open_steps
        and state.consultation is None
        and state.step == Step.CONSULTATION,
        "may_record_decision": may_decide and state.step == Step.DECISION and state.approval == DRAFT,
        "may_certify": may_decide and state.decision is not None and state.to_certify > 0,
        "posting_form": bound.get("posting") or PostingForm(prefix="posting"),
        "complaint_form": bound.get("complaint") or ComplaintForm(prefix="complaint"),
        "consultation_form": bound.get("consultation") or ConsultationForm(prefix="consultation"),
        "certificates_form": bound.get("certificates") or CertificatesForm(prefix="certificates"),
        "posting_list_url": reverse("web:procedure-posting-list", args=[review.pk, commune.pk]),
    }


# The village meeting -------------------------------------------------------------------------------------------


@login_required
def meeting_form(request: HttpRequest, review_pk: int, commune_pk: int, village_pk: int) -> HttpResponse:
    review, commune = _round(request, review_pk, commune_pk)
    state = procedure.progress(review, commune)
    line = next(
        (v for v in state.villages if (v.village.pk if v.village is not None else 0) == village_pk), None
    )
    if line is None:
        raise Http404(_("Không tìm thấy thôn trong đợt rà soát này."))
    village = line.village
    procedure.may_hold_meeting(request.user, commune, village)
    form = MeetingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            returns = procedure.returns_from_text(data["returns"], households_for(request.user))
        except ValidationError as error:
            form.add_error("returns", error.messages)
        else:
            try:
                procedure.meeting_record(
                    review=review, commune=commune, village=village, held_on=data["held_on"],
                    attendees=data["attendees"], agreeing=data["agreeing"], chair=data["chair"],
                    secretary=data["secretary"], actor=request.user, minutes=data["minutes"],
                    returns=returns,
                )  # fmt: skip
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Đã ghi cuộc họp dân của %(village)s.")
                    % {"village": village.name if village is not None else _("các hộ chưa ghi thôn")},
                )
                return redirect(_page_url(review, commune))
    waiting = _households(request, line.undiscussed)
    return render(
        request,
        "web/procedure_meeting.html",
        {
            "form": form,
            "review": review,
            "commune": commune,
            "commune_label": area_label(commune),
            "line": line,
            "village_name": village.name if village is not None else _("Các hộ chưa ghi thôn"),
            "waiting": [
                {"household": waiting[h], "proposed": PovertyClass(state.assessed[h][1]).label}
                for h in line.undiscussed
                if h in waiting
            ],
            "show_form": line.state == Step.MEETING or request.method == "POST",
            "page_url": _page_url(review, commune),
        },
    )


@login_required
@require_GET
def minutes_download(request: HttpRequest, meeting_pk: int) -> FileResponse:
    meeting = procedure_record_for(request.user, VillageMeeting, meeting_pk)
    name = meeting.minutes.name
    if not name:
        raise Http404(
            _("Cuộc họp này không có tệp biên bản: %(note)s") % {"note": meeting.minutes_note or "—"}
        )
    try:
        handle = meeting.minutes.storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("Tệp này không còn trên máy chủ; hãy báo cho quản trị hệ thống.")) from exc
    head = handle.read(8)
    handle.seek(0)
    content_type = next(
        (kind for kind, magic in MINUTES_TYPES.items() if head.startswith(magic)), "application/octet-stream"
    )
    filename = (
        f"bien-ban-hop-dan-{meeting.held_on:%Y%m%d}-{meeting.pk}{MINUTES_EXTENSIONS.get(content_type, '')}"
    )
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


# The posting list ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def posting_list(request: HttpRequest, review_pk: int, commune_pk: int) -> HttpResponse:
    review, commune = _round(request, review_pk, commune_pk)
    lists = procedure.posting_list(review, commune)
    posting = Posting.objects.filter(review=review, commune=commune).first()
    return render(
        request,
        "web/procedure_posting.html",
        {
            "review": review,
            "commune": commune,
            "issuer": documents.unit_name(commune),
            "posting": posting,
            "sections": [{"key": key, "title": title, "rows": lists.get(key, [])} for key, title in SECTIONS],
            "page_url": _page_url(review, commune),
        },
    )


# Requests received at the office -------------------------------------------------------------------------------


@login_required
def requests_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    may_receive = scope.role in DECIDERS and not scope.is_empty
    form = RequestReceiveForm(request.POST or None)
    if request.method == "POST":
        if not may_receive:
            raise PermissionDenied(_("Tài khoản của bạn không được nhận giấy đề nghị của hộ."))
        if form.is_valid():
            data = form.cleaned_data
            code = data["household_code"].strip()
            household = households_for(request.user).filter(code=code).first()
            if household is None:
                form.add_error(
                    "household_code", _("Không tìm thấy hộ %(code)s trên địa bàn của bạn.") % {"code": code}
                )
            else:
                try:
                    item = procedure.request_receive(
                        household=household, form=data["form"], channel=data["channel"],
                        received_on=data["received_on"], applicant=data["applicant"], note=data["note"],
                        actor=request.user,
                    )  # fmt: skip
                except ValidationError as error:
                    apply_service_errors(form, error, {"household": "household_code"})
                else:
                    messages.success(
                        request,
                        _("Đã nhận giấy đề nghị của hộ %(code)s, xử lý trong đợt «%(review)s».")
                        % {"code": household.code, "review": item.review.name},
                    )
                    return redirect("web:procedure-requests")
    recent = (
        procedure_records_for(request.user, HouseholdRequest)
        .filter(household__in=households_for(request.user))
        .select_related("household__head", "review", "commune")
        .order_by("-received_on", "-id")[:RECENT_REQUESTS]
    )
    return render(
        request,
        "web/procedure_requests.html",
        {"form": form, "may_receive": may_receive, "recent": recent},
    )


# Documents -----------------------------------------------------------------------------------------------------


def _pdf_response(content: bytes, filename: str) -> FileResponse:
    """Opened in the browser's PDF viewer, to print (saved under `filename`)."""
    return FileResponse(io.BytesIO(content), filename=filename, content_type="application/pdf")


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int) -> FileResponse:
    certificate = procedure_record_for(request.user, Certificate, pk)
    if not households_for(request.user).filter(pk=certificate.household_id).exists():
        raise Http404(_("Không tìm thấy hồ sơ."))  # the household's data: only for those who may read it
    filename = f"giay-chung-nhan-{certificate.year}-{certificate.number:02d}-{certificate.household.code}.pdf"
    return _pdf_response(documents.certificate_pdf(certificate), filename)


@login_required
@require_GET
def refusal_download(request: HttpRequest, pk: int) -> FileResponse:
    # A refusal is read through its request (the procedure record naming the commune) and its household.
    refusal = (
        RequestRefusal.objects.filter(
            pk=pk,
            request__in=procedure_records_for(request.user, HouseholdRequest),
            request__household__in=households_for(request.user),
        )
        .select_related("request__household")
        .first()
    )
    if refusal is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    filename = f"tra-loi-de-nghi-{refusal.request.household.code}-{refusal.issued_on:%Y%m%d}.pdf"
    return _pdf_response(documents.refusal_pdf(refusal), filename)
