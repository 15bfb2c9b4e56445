"""The review procedure through the API (`decisions.procedure`): a commune's progress in a round, and every step —
requests (Mẫu 01/04), village meetings with their minutes, posting, complaints and their re-check, consultation,
certificates and written refusals. Rounds, communes and records outside the caller's area are the same 404 as
unknown ones; the services check the role (403) and the procedure's order (422, naming what is missing)."""

from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from giamngheo.accounts.access import household_for_read, households_for, procedure_record_for, round_for
from giamngheo.api.auth import current_user
from giamngheo.api.errors import Error
from giamngheo.api.households import READ_ERRORS
from giamngheo.api.schemas.common import Id
from giamngheo.areas.models import Village
from giamngheo.decisions import procedure
from giamngheo.decisions.models import Channel, Complaint, HouseholdRequest, RequestForm

router = Router(tags=["Quy trình rà soát"])
WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}
ROUND = "/rounds/{review_id}/communes/{commune_id}"


class VillageOut(Schema):
    village_id: int | None
    village_name: str
    to_review: int
    surveyed: int
    meetings: int
    state: str
    state_label: str


class RequestOut(Schema):
    id: int
    household_id: int
    household_code: str
    form: str
    channel: str
    received_on: date
    outcome: Literal["pending", "granted", "refused", "to_refuse"]
    due: date | None
    late: bool


class ComplaintOut(Schema):
    id: int
    household_id: int
    complainant: str
    received_on: date
    rechecked: bool
    upheld: bool | None


class ProgressOut(Schema):
    review_id: int
    commune_id: int
    step: str
    step_label: str
    start: date
    due: date | None
    late: bool
    approval: str
    villages: list[VillageOut]
    posting_starts_on: date | None
    posting_ends_on: date | None
    complaints: list[ComplaintOut]
    consultation_authority: str
    consulted_on: date | None
    decision_id: int | None
    certificates: int
    to_certify: int
    requests: list[RequestOut]


def _progress_out(state: procedure.Progress) -> dict[str, Any]:
    return {
        "review_id": state.review.pk, "commune_id": state.commune.pk, "step": state.step.value,
        "step_label": state.step_label, "start": state.start, "due": state.due, "late": state.late,
        "approval": state.approval,
        "villages": [
            {"village_id": v.village.pk if v.village else None,
             "village_name": v.village.name if v.village else _("(chưa ghi thôn)"), "to_review": v.to_review,
             "surveyed": v.surveyed, "meetings": v.meetings, "state": v.state.value, "state_label": v.state_label}
            for v in state.villages
        ],
        "posting_starts_on": state.posting.starts_on if state.posting else None,
        "posting_ends_on": state.posting.ends_on if state.posting else None,
        "complaints": [
            {"id": c.pk, "household_id": c.household_id, "complainant": c.complainant, "received_on": c.received_on,
             "rechecked": hasattr(c, "recheck"), "upheld": c.recheck.upheld if hasattr(c, "recheck") else None}
            for c in state.complaints
        ],
        "consultation_authority": state.authority,
        "consulted_on": state.consultation.consulted_on if state.consultation else None,
        "decision_id": state.decision.pk if state.decision else None,
        "certificates": state.certificates, "to_certify": state.to_certify,
        "requests": [
            {"id": r.request.pk, "household_id": r.request.household_id, "household_code": r.request.household.code,
             "form": r.request.form, "channel": r.request.channel, "received_on": r.request.received_on,
             "outcome": r.outcome, "due": r.due, "late": r.late}
            for r in state.requests
        ],
    }  # fmt: skip


class RequestCreate(Schema):
    household_id: Id
    form: RequestForm
    channel: Channel = Channel.OFFICE
    received_on: date
    applicant: Annotated[str, Field(max_length=150)] = ""
    note: Annotated[str, Field(max_length=4000)] = ""


class Created(Schema):
    id: int


class RequestCreated(Schema):
    id: int
    review_id: int
    commune_id: int


class MeetingCreate(Schema):
    village_id: Id | None = Field(None, description="Thôn; bỏ trống: các hộ chưa ghi thôn")
    held_on: date
    attendees: Annotated[int, Field(ge=1, le=100_000)]
    agreeing: Annotated[int, Field(ge=0, le=100_000)]
    chair: Annotated[str, Field(max_length=150)]
    secretary: Annotated[str, Field(max_length=150)]
    returns: Annotated[
        str, Field(max_length=20_000, description="Hộ phải rà soát lại: mỗi dòng «mã hộ: số người đồng ý»")
    ] = ""


class PostingCreate(Schema):
    starts_on: date
    places: Annotated[str, Field(max_length=300)]


class ComplaintCreate(Schema):
    household_id: Id
    complainant: Annotated[str, Field(max_length=150)]
    received_on: date
    content: Annotated[str, Field(max_length=4000)]


class RecheckCreate(Schema):
    checked_on: date
    upheld: bool
    finding: Annotated[str, Field(max_length=4000)]


class ConsultationCreate(Schema):
    consulted_on: date
    reference: Annotated[str, Field(max_length=100)]
    opinion: Annotated[str, Field(max_length=4000)] = ""


class CertificatesCreate(Schema):
    issued_on: date


class CertificateOut(Schema):
    id: int
    household_id: int
    number: str
    status: str


class RefusalCreate(Schema):
    number: Annotated[str, Field(max_length=60)]
    issued_on: date
    signer: Annotated[str, Field(max_length=150)]
    reasons: Annotated[str, Field(max_length=4000)]


@router.get(
    ROUND + "/procedure",
    response={200: ProgressOut, **READ_ERRORS},
    summary="Tiến độ quy trình rà soát của một xã trong một đợt, theo thôn",
)
def progress(request: HttpRequest, review_id: int, commune_id: int) -> Any:
    review, commune = round_for(current_user(request), review_id, commune_id)
    return _progress_out(procedure.progress(review, commune))


@router.post(
    "/procedure/requests",
    response={201: RequestCreated, **WRITE},
    summary="Nhận giấy đề nghị của hộ (Mẫu 01 rà soát, Mẫu 04 công nhận thoát nghèo); xếp vào đợt xử lý",
)
def request_create(request: HttpRequest, payload: RequestCreate) -> Any:
    user = current_user(request)
    household = household_for_read(user, payload.household_id)
    item = procedure.request_receive(
        household=household, form=payload.form, channel=payload.channel, received_on=payload.received_on,
        applicant=payload.applicant, note=payload.note, actor=user,
    )  # fmt: skip
    return Status(201, {"id": item.pk, "review_id": item.review_id, "commune_id": item.commune_id})


@router.post(
    ROUND + "/meetings",
    response={201: Created, **WRITE},
    summary="Ghi cuộc họp dân thống nhất kết quả rà soát của một thôn, kèm biên bản (PDF, JPEG, PNG)",
)
def meeting_create(
    request: HttpRequest,
    review_id: int,
    commune_id: int,
    payload: Form[MeetingCreate],
    minutes: File[UploadedFile],
) -> Any:
    user = current_user(request)
    review, commune = round_for(user, review_id, commune_id)
    village = None
    if payload.village_id is not None:
        village = Village.objects.filter(pk=payload.village_id).first()
        if village is None:
            raise ValidationError({"village_id": [_("Không có thôn này.")]})
    meeting = procedure.meeting_record(
        review=review, commune=commune, village=village, held_on=payload.held_on, attendees=payload.attendees,
        agreeing=payload.agreeing, chair=payload.chair, secretary=payload.secretary, minutes=minutes,
        returns=procedure.returns_from_text(payload.returns, households_for(user)), actor=user,
    )  # fmt: skip
    return Status(201, {"id": meeting.pk})


@router.post(ROUND + "/posting", response={201: Created, **WRITE}, summary="Niêm yết công khai kết quả")
def posting_create(request: HttpRequest, review_id: int, commune_id: int, payload: PostingCreate) -> Any:
    user = current_user(request)
    review, commune = round_for(user, review_id, commune_id)
    posting = procedure.posting_start(
        review=review, commune=commune, starts_on=payload.starts_on, places=payload.places, actor=user
    )
    return Status(201, {"id": posting.pk})


@router.post(
    ROUND + "/complaints", response={201: Created, **WRITE}, summary="Nhận khiếu nại trong thời gian niêm yết"
)
def complaint_create(request: HttpRequest, review_id: int, commune_id: int, payload: ComplaintCreate) -> Any:
    user = current_user(request)
    review, commune = round_for(user, review_id, commune_id)
    household = household_for_read(user, payload.household_id)
    complaint = procedure.complaint_receive(
        review=review, commune=commune, household=household, complainant=payload.complainant,
        received_on=payload.received_on, content=payload.content, actor=user,
    )  # fmt: skip
    return Status(201, {"id": complaint.pk})


@router.post(
    "/procedure/complaints/{complaint_id}/recheck",
    response={201: Created, **WRITE},
    summary="Ghi kết quả phúc tra một khiếu nại",
)
def recheck_create(request: HttpRequest, complaint_id: int, payload: RecheckCreate) -> Any:
    user = current_user(request)
    complaint = procedure_record_for(user, Complaint, complaint_id)
    recheck = procedure.recheck_record(
        complaint=complaint, checked_on=payload.checked_on, upheld=payload.upheld, finding=payload.finding,
        actor=user,
    )  # fmt: skip
    return Status(201, {"id": recheck.pk})


@router.post(
    ROUND + "/consultation",
    response={201: Created, **WRITE},
    summary="Ghi ý kiến của cấp trên (theo quy định của ngày) trước khi công nhận",
)
def consultation_create(
    request: HttpRequest, review_id: int, commune_id: int, payload: ConsultationCreate
) -> Any:
    user = current_user(request)
    review, commune = round_for(user, review_id, commune_id)
    consultation = procedure.consultation_record(
        review=review, commune=commune, consulted_on=payload.consulted_on, reference=payload.reference,
        opinion=payload.opinion, actor=user,
    )  # fmt: skip
    return Status(201, {"id": consultation.pk})


@router.post(
    ROUND + "/certificates",
    response={201: list[CertificateOut], **WRITE},
    summary="Cấp giấy chứng nhận (Số …/GCN-HN.HCN) cho các hộ được công nhận theo quyết định",
)
def certificates_create(
    request: HttpRequest, review_id: int, commune_id: int, payload: CertificatesCreate
) -> Any:
    user = current_user(request)
    review, commune = round_for(user, review_id, commune_id)
    issued = procedure.certificates_issue(
        review=review, commune=commune, issued_on=payload.issued_on, actor=user
    )
    return Status(
        201,
        [{"id": c.pk, "household_id": c.household_id, "number": c.label, "status": c.status} for c in issued],
    )


@router.post(
    "/procedure/requests/{request_id}/refusal",
    response={201: Created, **WRITE},
    summary="Văn bản trả lời, nêu lý do, cho đề nghị không được công nhận",
)
def refusal_create(request: HttpRequest, request_id: int, payload: RefusalCreate) -> Any:
    user = current_user(request)
    item = procedure_record_for(user, HouseholdRequest, request_id)
    refusal = procedure.refusal_issue(
        request=item, number=payload.number, issued_on=payload.issued_on, signer=payload.signer,
        reasons=payload.reasons, actor=user,
    )  # fmt: skip
    return Status(201, {"id": refusal.pk})
