"""The review procedure of one commune in one round, from the survey to the certificates (QĐ 24/2021/QĐ-TTg Art.
4-5; domain.md §3.2-3.4, §3.8), as a state machine whose state is read from append-only records (`models`).

The steps, each guarded and recorded with who took it:

1. The list to review: in a periodic round the households on the poor and near-poor lists when it starts (but
   those closed by its cut-off date); in every round those that filed a request (Mẫu 01 to be reviewed, Mẫu 04
   to be recognised as out of poverty) placed in it, and every household surveyed in it.
2. Survey and scoring: an assessment in force in the round (`reviews.services`).
3. The village meeting: it may be held once every household of the village on the list is surveyed. Fewer than
   half of those present agreeing sends the whole village back to survey; a household whose result fewer than
   half agreed goes back on its own (`MeetingReturn`). A result recorded after the village's last meeting (a
   re-survey, a late request) needs another meeting, unless it was the re-survey of an upheld complaint.
4. Public posting, once every village has agreed its results, for the days the rule of the date sets
   (`ProcedureRule`), with a printable list that names only the head and the village.
5. Complaints, received during the posting; each needs a re-check (phúc tra) with its outcome; an upheld one
   needs the household surveyed again first.
6. Consultation with the authority the rule of the date names (the district chairman until 30/06/2025), after
   the posting ended and every complaint was re-checked; none where the rule names none.
7. The chairman's decision (`services.decision_record` asks `readiness`), then the certificates
   (`Số N/GCN-HN.HCN`, numbered per commune and year) for the households it recognised, and a written refusal
   with reasons for each request it did not grant.

A regular (monthly) round starts on the 15th; each case is decided within the rule's days (15) of the start, and
the progress flags the round late past that day.

Every step locks the round's row, re-reads the state under the lock and refuses with a Vietnamese message naming
what is missing: two officers cannot take a step from the same stale page.
"""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from giamngheo.accounts.models import Role
from giamngheo.areas.models import AdminUnit, UnitLevel, Village
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.decisions.approval import DECIDERS, approval_state, may_act
from giamngheo.decisions.models import (
    Certificate,
    Channel,
    Complaint,
    Consultation,
    ConsultationAuthority,
    Decision,
    HouseholdRequest,
    MeetingReturn,
    OfficialStatus,
    Posting,
    ProcedureRule,
    Recheck,
    RequestForm,
    RequestRefusal,
    VillageMeeting,
)
from giamngheo.decisions.status import LISTS, statuses_on
from giamngheo.registry.history import actor_display_name, actor_user
from giamngheo.registry.models import Household
from giamngheo.registry.validation import Problems, add, raise_if_any, vn_date
from giamngheo.reviews.models import Assessment, PovertyClass, Review, ReviewKind
from giamngheo.reviews.rounds import household_commune_on, regular_round_period
from giamngheo.reviews.stats import area_label

MEETING_TAKERS = {Role.COMMUNE.value, Role.ADMIN.value}  # and village reviewers, for their villages
CONSULTATION_TAKERS = {Role.COMMUNE.value, Role.PROVINCE.value, Role.ADMIN.value}
MINUTES_TYPES = {"application/pdf": b"%PDF", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}
MINUTES_MAX_BYTES = 10 * 1024 * 1024
RANK = {PovertyClass.POOR.value: 0, PovertyClass.NEAR_POOR.value: 1}  # lower is poorer; the rest rank 2


class Step(enum.StrEnum):
    SURVEY = "survey"
    MEETING = "meeting"
    POSTING = "posting"
    COMPLAINTS = "complaints"
    CONSULTATION = "consultation"
    DECISION = "decision"
    CERTIFICATES = "certificates"
    DONE = "done"


STEP_LABELS = {
    Step.SURVEY: gettext_noop("Rà soát, chấm điểm"),
    Step.MEETING: gettext_noop("Họp dân thống nhất kết quả"),
    Step.POSTING: gettext_noop("Niêm yết công khai"),
    Step.COMPLAINTS: gettext_noop("Phúc tra khiếu nại"),
    Step.CONSULTATION: gettext_noop("Xin ý kiến cấp trên"),
    Step.DECISION: gettext_noop("Chủ tịch UBND xã quyết định công nhận"),
    Step.CERTIFICATES: gettext_noop("Cấp giấy chứng nhận, trả lời đơn"),
    Step.DONE: gettext_noop("Hoàn thành"),
}


def step_label(step: Step) -> str:
    return _(STEP_LABELS[step])


# Rules and dates -----------------------------------------------------------------------------------------------


def rule_on(day: date) -> ProcedureRule:
    """The procedure rule in force on `day` (editable data; refused clearly when none covers the day)."""
    rule = (
        ProcedureRule.objects.filter(valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise ValidationError(
            {"rule": _("Chưa có quy định về quy trình rà soát áp dụng ngày %(date)s: quản trị hệ thống cần nhập quy "
                       "định (số ngày niêm yết, cơ quan xin ý kiến).") % {"date": vn_date(day)}}
        )  # fmt: skip
    return rule


def round_start(review: Review) -> date:
    """The periodic review starts on 1 September; a regular round on the 15th of its month."""
    if review.kind == ReviewKind.PERIODIC:
        return date(review.year, 9, 1)
    return regular_round_period(review.reference_date)[0]


def round_due(review: Review) -> date | None:
    """The day a regular round's cases must be decided by (the rule's days from the start); None for a periodic
    round, decided by its schedule."""
    if review.kind != ReviewKind.REGULAR:
        return None
    start = round_start(review)
    return start + timedelta(days=rule_on(start).regular_due_days)


# Reading the state -----------------------------------------------------------------------------------------------


@dataclass
class VillageProgress:
    village: Village | None
    to_review: int = 0
    surveyed: int = 0
    meeting: VillageMeeting | None = None
    meetings: int = 0
    unsurveyed: list[int] = field(default_factory=list)
    undiscussed: list[int] = field(default_factory=list)
    returned: list[int] = field(default_factory=list)  # sent back by the last meeting and not surveyed again

    @property
    def state(self) -> Step:
        if self.unsurveyed or self.returned:
            return Step.SURVEY
        if self.undiscussed:
            return Step.MEETING
        return Step.DONE

    @property
    def state_label(self) -> str:
        if self.state == Step.DONE:
            return _("Đã thống nhất")
        if self.returned:
            return _("Họp dân chưa thống nhất: rà soát lại")
        return step_label(self.state)


@dataclass
class RequestProgress:
    request: HouseholdRequest
    outcome: str  # "pending", "granted", "refused", "to_refuse"
    due: date | None
    late: bool


@dataclass
class Progress:
    review: Review
    commune: AdminUnit
    today: date
    start: date
    due: date | None
    villages: list[VillageProgress]
    posting: Posting | None
    posting_days: int
    complaints: list[Complaint]
    consultation: Consultation | None
    authority: str
    decision: Decision | None
    certificates: int
    to_certify: int
    requests: list[RequestProgress]
    approval: str
    assessed: dict[int, tuple[int, str, datetime]]  # household -> (assessment, class, classified at)

    @property
    def villages_agreed(self) -> bool:
        return bool(self.assessed) and all(v.state == Step.DONE for v in self.villages)

    @property
    def open_complaints(self) -> list[Complaint]:
        return [c for c in self.complaints if not hasattr(c, "recheck")]

    @property
    def posting_over(self) -> bool:
        return self.posting is not None and self.today > self.posting.ends_on

    @property
    def late(self) -> bool:
        if self.due is None:
            return False
        if self.decision is not None:
            return self.decision.signed_on > self.due
        return self.today > self.due

    @property
    def step(self) -> Step:
        if self.decision is not None:
            pending = self.to_certify or any(r.outcome == "to_refuse" for r in self.requests)
            return Step.CERTIFICATES if pending else Step.DONE
        if not self.villages_agreed:
            if any(v.state == Step.SURVEY for v in self.villages) or not self.assessed:
                return Step.SURVEY
            return Step.MEETING
        if self.posting is None or not self.posting_over:
            return Step.POSTING if not self.complaints else Step.COMPLAINTS
        if self.open_complaints:
            return Step.COMPLAINTS
        if self.consultation is None and self.authority != ConsultationAuthority.NONE:
            return Step.CONSULTATION
        return Step.DECISION

    @property
    def step_label(self) -> str:
        return step_label(self.step)


def _inside(commune: AdminUnit) -> set[int]:
    return commune_ids_within(commune)


def progress(review: Review, commune: AdminUnit, *, today: date | None = None) -> Progress:
    """Where `commune` stands in `review`: the list to review by village, each step's record, the requests with
    their outcome and due day. About a dozen queries, whatever the commune's size."""
    today = today or timezone.localdate()
    inside = _inside(commune)
    start = round_start(review)
    assessed: dict[int, tuple[int, str, datetime]] = {}
    village_of: dict[int, int | None] = {}
    for household_id, assessment_id, poverty_class, classified_at, village_id in Assessment.objects.filter(
        review=review, superseded=False, commune_id__in=sorted(inside)
    ).values_list("household_id", "id", "poverty_class", "classified_at", "village_id"):
        assessed[household_id] = (assessment_id, poverty_class, classified_at)
        village_of[household_id] = village_id
    if review.kind == ReviewKind.PERIODIC:
        # The periodic review takes every household on the lists when it starts, in this commune (not those
        # closed by the cut-off date: nobody is left to survey); a regular one only the requests and new cases.
        candidates = set(
            OfficialStatus.objects.filter(commune_id__in=sorted(inside), valid_from__lte=start)
            .exclude(household__closed_on__lte=review.reference_date)
            .values_list("household_id", flat=True)
        )
        for household_id, row in statuses_on(candidates, start).items():
            if row.status in LISTS and row.commune_id in inside:
                village_of.setdefault(household_id, row.village_id)
    requests = list(
        HouseholdRequest.objects.filter(review=review, commune=commune)
        .select_related("household", "village")
        .order_by("received_on", "id")
    )
    for item in requests:
        village_of.setdefault(item.household_id, item.village_id)

    meetings: dict[int | None, list[VillageMeeting]] = defaultdict(list)
    for meeting in VillageMeeting.objects.filter(review=review, commune=commune).order_by("held_on", "id"):
        meetings[meeting.village_id].append(meeting)
    last_meetings = [m[-1] for m in meetings.values()]
    returns: dict[int, set[int]] = defaultdict(set)
    for meeting_id, household_id in MeetingReturn.objects.filter(meeting__in=last_meetings).values_list(
        "meeting_id", "household_id"
    ):
        returns[meeting_id].add(household_id)
    complaints = list(
        Complaint.objects.filter(review=review, commune=commune)
        .select_related("household", "recheck")
        .order_by("received_on", "id")
    )
    rechecked_at = {
        c.household_id: c.recheck.recorded_at
        for c in complaints
        if hasattr(c, "recheck") and c.recheck.upheld
    }

    by_village: dict[int | None, list[int]] = defaultdict(list)
    for household_id, place in village_of.items():
        by_village[place].append(household_id)
    villages = Village.objects.in_bulk([v for v in by_village if v is not None])
    lines = []
    for place, households in by_village.items():
        line = VillageProgress(villages.get(place) if place is not None else None)
        line.to_review = len(households)
        held = meetings.get(place, [])
        line.meetings = len(held)
        line.meeting = held[-1] if held else None
        for household_id in sorted(households):
            result = assessed.get(household_id)
            if result is None:
                line.unsurveyed.append(household_id)
                continue
            line.surveyed += 1
            classified_at = result[2]
            if line.meeting is not None:
                sent_back = not line.meeting.agreed or household_id in returns.get(line.meeting.pk, set())
                if classified_at <= line.meeting.recorded_at:
                    if sent_back:
                        line.returned.append(household_id)
                    continue
            if household_id in rechecked_at and classified_at <= rechecked_at[household_id]:
                continue  # the re-survey of an upheld complaint, agreed by the re-check
            line.undiscussed.append(household_id)
        lines.append(line)
    lines.sort(key=lambda v: (v.village is None, v.village.name if v.village else ""))

    posting = Posting.objects.filter(review=review, commune=commune).first()
    consultation = Consultation.objects.filter(review=review, commune=commune).first()
    decision = Decision.objects.filter(review=review, commune=commune).order_by("-recorded_at", "-id").first()
    # The rule of the day each step was (or will be) taken: the posting's days from its first day, the authority
    # of the consultation's day, else of the decision's, else of today (a step still to come is taken today).
    pending_day = max(today, start)
    posting_rule = rule_on(posting.starts_on if posting else pending_day)
    authority_day = (
        consultation.consulted_on if consultation else decision.signed_on if decision else pending_day
    )
    authority = consultation.authority if consultation else rule_on(authority_day).authority
    to_certify, certificates = 0, 0
    after: dict[int, str] = {}
    if decision is not None:
        certified = set(Certificate.objects.filter(decision=decision).values_list("household_id", flat=True))
        certificates = len(certified)
        for household_id, status in OfficialStatus.objects.filter(decision=decision).values_list(
            "household_id", "status"
        ):
            if status in LISTS and household_id not in certified:
                to_certify += 1
        ids = [r.household_id for r in requests]
        after = {h: row.status for h, row in statuses_on(ids, decision.effective_from).items()}
    before = {h: row.status for h, row in statuses_on([r.household_id for r in requests], start).items()}
    refused = dict(RequestRefusal.objects.filter(request__in=requests).values_list("request_id", "issued_on"))
    due = round_due(review)
    request_lines = []
    for item in requests:
        if item.pk in refused:
            outcome = "refused"
        elif decision is None:
            outcome = "pending"
        else:
            outcome = "granted" if _granted(item, before.get(item.household_id), after.get(item.household_id)) else (
                "to_refuse")  # fmt: skip
        settled = decision.signed_on if decision is not None and outcome == "granted" else None
        if outcome == "refused":
            settled = refused[item.pk]
        late = due is not None and ((settled or today) > due)
        request_lines.append(RequestProgress(item, outcome, due, late))
    return Progress(
        review=review, commune=commune, today=today, start=start, due=due, villages=lines, posting=posting,
        posting_days=posting_rule.posting_days, complaints=complaints, consultation=consultation,
        authority=authority, decision=decision, certificates=certificates, to_certify=to_certify,
        requests=request_lines, approval=approval_state(review, commune), assessed=assessed,
    )  # fmt: skip


def _granted(item: HouseholdRequest, before: str | None, after: str | None) -> bool:
    """Mẫu 01 asks to be listed (or listed as poorer); Mẫu 04 to be recognised as out of (near-)poverty."""
    rank_before, rank_after = RANK.get(before or "", 2), RANK.get(after or "", 2)
    if item.form == RequestForm.REVIEW:
        return after in LISTS and rank_after <= rank_before
    return rank_after > rank_before


# The steps -----------------------------------------------------------------------------------------------------


def _lock(review: Review) -> Review:
    return Review.objects.select_for_update().get(pk=review.pk)


def _recorded(actor: Any) -> dict[str, Any]:
    return {
        "recorded_by": actor_user(actor),
        "recorded_by_name": actor_display_name(actor),
        "recorded_at": timezone.now(),
    }


def _not_future(problems: Problems, name: str, day: date, today: date) -> None:
    if day > today:
        add(problems, name, _("Ngày %(date)s chưa đến.") % {"date": vn_date(day)})


def _refuse_decided(review: Review, commune: AdminUnit) -> None:
    if Decision.objects.filter(review=review, commune=commune).exists():
        raise ValidationError(
            {"review": _("%(commune)s đã có quyết định công nhận của đợt «%(review)s»: các bước trước quyết định đã "
                         "khép lại.") % {"commune": area_label(commune), "review": review.name}}
        )  # fmt: skip


def _round_commune(review: Review, commune: AdminUnit) -> None:
    if commune.level != UnitLevel.COMMUNE or commune.pk not in commune_ids_within(review.area):
        raise ValidationError(
            {"commune": _("%(commune)s không phải một xã thuộc địa bàn của đợt «%(review)s».")
             % {"commune": area_label(commune), "review": review.name}}
        )  # fmt: skip


def _open_step(review: Review, commune: AdminUnit, actor: Any, roles: set[str]) -> Review:
    """The start of a step before the decision: the actor's role and area (`actor` None: checked by the caller or
    the program's own), the round locked and re-read, a commune of the round, not decided yet."""
    may_act(actor, commune, roles)
    review = _lock(review)
    _round_commune(review, commune)
    _refuse_decided(review, commune)
    return review


def round_for_request(commune: AdminUnit, day: date) -> Review:
    """The round that handles a request received on `day`: the periodic review of the commune's area open that day
    (1 September to its cut-off date), else the regular round of the month, opened if need be."""
    from giamngheo.reviews.services import regular_round

    if day >= date(day.year, 9, 1):
        for review in Review.objects.filter(
            kind=ReviewKind.PERIODIC, year=day.year, reference_date__gte=day
        ).select_related("area"):
            if commune.pk in commune_ids_within(review.area):
                return review
    found = regular_round(commune=commune, on=day, may_open=True)
    assert found is not None
    return found


@transaction.atomic
def request_receive(
    *,
    household: Household,
    form: str,
    channel: str,
    received_on: date,
    actor: Any,
    applicant: str = "",
    note: str = "",
    review: Review | None = None,
    today: date | None = None,
) -> HouseholdRequest:
    """Receive a household's written request (Mẫu 01 or 04) and place it in the round that handles it."""
    today = today or timezone.localdate()
    problems: Problems = {}
    if form not in RequestForm.values:
        add(problems, "form", _("Loại giấy đề nghị «%(value)s» không hợp lệ (01 hoặc 04).") % {"value": form})
    if channel not in Channel.values:
        add(problems, "channel", _("Hình thức nộp «%(value)s» không hợp lệ.") % {"value": channel})
    _not_future(problems, "received_on", received_on, today)
    if household.closed_on is not None and household.closed_on <= received_on:
        add(problems, "household", _("Hộ %(code)s đã giải thể ngày %(date)s.")
            % {"code": household.code, "date": vn_date(household.closed_on)})  # fmt: skip
    raise_if_any(problems)
    commune = household_commune_on(household, received_on)
    may_act(actor, commune, DECIDERS)
    if form == RequestForm.EXIT:
        current = statuses_on([household.pk], received_on).get(household.pk)
        if current is None or current.status not in LISTS:
            raise ValidationError({"form": _("Hộ %(code)s không có tên trong danh sách hộ nghèo, hộ cận nghèo: không "
                                             "có gì để công nhận thoát nghèo.") % {"code": household.code}})  # fmt: skip
    review = review or round_for_request(commune, received_on)
    _round_commune(review, commune)
    review = _lock(review)
    _refuse_decided(review, commune)
    return HouseholdRequest.objects.create(
        review=review, commune=commune, village=household.village, household=household, form=form,
        channel=channel, received_on=received_on, applicant=applicant.strip()[:150], note=note.strip(),
        **_recorded(actor),
    )  # fmt: skip


def check_minutes(upload: UploadedFile) -> None:
    """A scanned minutes file: PDF, JPEG or PNG by its first bytes (not its name), at most 10 MB."""
    if upload.size is not None and upload.size > MINUTES_MAX_BYTES:
        raise ValidationError(
            {"minutes": _("Tệp biên bản %(name)s quá lớn (tối đa 10 MB).") % {"name": upload.name}}
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in MINUTES_TYPES.values()):
        raise ValidationError(
            {"minutes": _("Tệp biên bản %(name)s không phải PDF, JPEG hay PNG.") % {"name": upload.name}}
        )


@transaction.atomic
def meeting_record(
    *,
    review: Review,
    commune: AdminUnit,
    village: Village | None,
    held_on: date,
    attendees: int,
    agreeing: int,
    chair: str,
    secretary: str,
    actor: Any,
    minutes: UploadedFile | None = None,
    minutes_note: str = "",
    returns: dict[Household, int] | None = None,
    today: date | None = None,
) -> VillageMeeting:
    """Record a village meeting on the survey results (`village` None: the meeting of the commune's households
    recorded without a village). `returns`: households whose result fewer than half of those present agreed (with
    how many agreed); they go back to survey. Without a minutes file a `minutes_note` must say where the signed
    paper minutes are kept (past rounds entered from paper)."""
    today = today or timezone.localdate()
    may_hold_meeting(actor, commune, village)
    review = _open_step(review, commune, None, set())
    problems: Problems = {}
    _not_future(problems, "held_on", held_on, today)
    if not isinstance(attendees, int) or attendees <= 0:
        add(problems, "attendees", _("Số người dự họp phải lớn hơn 0."))
    elif not isinstance(agreeing, int) or not 0 <= agreeing <= attendees:
        add(
            problems,
            "agreeing",
            _("Số người đồng ý phải từ 0 đến số người dự họp (%(n)s).") % {"n": attendees},
        )
    if not chair.strip():
        add(problems, "chair", _("Nhập họ tên người chủ trì (trưởng thôn)."))
    if not secretary.strip():
        add(problems, "secretary", _("Nhập họ tên thư ký cuộc họp."))
    if minutes is None and not minutes_note.strip():
        add(problems, "minutes", _("Tải lên biên bản họp dân (PDF hoặc ảnh chụp) có chữ ký."))
    state = progress(review, commune, today=today)
    place = village.name if village is not None else _("các hộ chưa ghi thôn")
    line = next(
        (
            v
            for v in state.villages
            if (v.village.pk if v.village else None) == (village.pk if village else None)
        ),
        None,
    )
    if line is None or not line.surveyed:
        add(
            problems,
            "village",
            _("%(village)s chưa có hộ nào được rà soát trong đợt này.") % {"village": place},
        )
    elif line.unsurveyed or line.returned:
        waiting = len(line.unsurveyed) + len(line.returned)
        add(problems, "village", _("%(village)s còn %(n)s hộ chưa được rà soát (hoặc rà soát lại): chưa họp dân được.")
            % {"village": place, "n": waiting})  # fmt: skip
    elif not line.undiscussed:
        add(
            problems,
            "village",
            _("Kết quả rà soát của %(village)s đã được họp dân thống nhất.") % {"village": place},
        )
    elif line.meeting is not None and held_on < line.meeting.held_on:
        add(
            problems,
            "held_on",
            _("Ngày họp trước cuộc họp trước đó (%(date)s).") % {"date": vn_date(line.meeting.held_on)},
        )
    back = returns or {}
    if line is not None:
        discussed = set(line.undiscussed)
        for household, count in back.items():
            if household.pk not in discussed:
                add(problems, "returns", _("Hộ %(code)s không có trong kết quả họp dân lần này của %(village)s.")
                    % {"code": household.code, "village": place})  # fmt: skip
            elif not isinstance(count, int) or not 0 <= count <= attendees or count * 2 >= attendees:
                add(problems, "returns", _("Hộ %(code)s: số người đồng ý phải dưới một nửa số người dự họp mới phải rà "
                                           "soát lại.") % {"code": household.code})  # fmt: skip
    if minutes is not None:
        try:
            check_minutes(minutes)
        except ValidationError as error:
            for message in error.messages:
                add(problems, "minutes", message)
    raise_if_any(problems)
    meeting = VillageMeeting.objects.create(
        review=review, commune=commune, village=village, held_on=held_on, attendees=attendees,
        agreeing=agreeing, chair=chair.strip(), secretary=secretary.strip(), minutes=minutes or "",
        minutes_note=minutes_note.strip(), **_recorded(actor),
    )  # fmt: skip
    MeetingReturn.objects.bulk_create(
        [MeetingReturn(meeting=meeting, household=h, agreeing=n) for h, n in back.items()]
    )
    return meeting


def may_hold_meeting(actor: Any, commune: AdminUnit, village: Village | None) -> None:
    """Commune officers (and administrators) record any village's meeting; a village reviewer only those of the
    villages of their role."""
    from django.core.exceptions import PermissionDenied

    from giamngheo.accounts.scope import scope_for

    if actor is not None and scope_for(actor).role == Role.VILLAGE:
        if village is None or village.pk not in scope_for(actor).village_ids:
            raise PermissionDenied(_("Tài khoản của bạn không được thực hiện bước này cho %(village)s.")
                                   % {"village": village.name if village else area_label(commune)})  # fmt: skip
        return
    may_act(actor, commune, MEETING_TAKERS)


@transaction.atomic
def posting_start(
    *, review: Review, commune: AdminUnit, starts_on: date, places: str, actor: Any, today: date | None = None
) -> Posting:
    """Post the agreed results publicly for the rule's days from `starts_on`."""
    today = today or timezone.localdate()
    review = _open_step(review, commune, actor, DECIDERS)
    problems: Problems = {}
    _not_future(problems, "starts_on", starts_on, today)
    if not places.strip():
        add(problems, "places", _("Nêu nơi niêm yết (nhà văn hoá thôn, trụ sở UBND xã)."))
    if Posting.objects.filter(review=review, commune=commune).exists():
        add(
            problems,
            "review",
            _("Kết quả của %(commune)s đã được niêm yết.") % {"commune": area_label(commune)},
        )
    state = progress(review, commune, today=today)
    if not state.villages_agreed:
        waiting = [v for v in state.villages if v.state != Step.DONE]
        names = ", ".join(v.village.name if v.village else _("(chưa ghi thôn)") for v in waiting[:5])
        add(problems, "review", _("Chưa niêm yết được: %(n)s thôn chưa họp dân thống nhất kết quả (%(names)s).")
            % {"n": len(waiting), "names": names or "—"})  # fmt: skip
    else:
        last_meeting = max(v.meeting.held_on for v in state.villages if v.meeting is not None)
        if starts_on < last_meeting:
            add(problems, "starts_on", _("Ngày niêm yết trước ngày họp dân cuối cùng (%(date)s).")
                % {"date": vn_date(last_meeting)})  # fmt: skip
    raise_if_any(problems)
    days = rule_on(starts_on).posting_days
    return Posting.objects.create(
        review=review, commune=commune, starts_on=starts_on, ends_on=starts_on + timedelta(days=days - 1),
        places=places.strip()[:300], **_recorded(actor),
    )  # fmt: skip


@transaction.atomic
def complaint_receive(
    *,
    review: Review,
    commune: AdminUnit,
    household: Household,
    complainant: str,
    received_on: date,
    content: str,
    actor: Any,
    today: date | None = None,
) -> Complaint:
    """A complaint about a posted result, received while the results are posted."""
    today = today or timezone.localdate()
    review = _open_step(review, commune, actor, DECIDERS)
    problems: Problems = {}
    _not_future(problems, "received_on", received_on, today)
    if not complainant.strip():
        add(problems, "complainant", _("Nhập họ tên người khiếu nại."))
    if not content.strip():
        add(problems, "content", _("Nhập nội dung khiếu nại."))
    posting = Posting.objects.filter(review=review, commune=commune).first()
    if posting is None:
        add(problems, "received_on", _("Kết quả của %(commune)s chưa được niêm yết: chưa nhận khiếu nại.")
            % {"commune": area_label(commune)})  # fmt: skip
    elif not posting.starts_on <= received_on <= posting.ends_on:
        add(problems, "received_on", _("Khiếu nại nhận ngày %(date)s, ngoài thời gian niêm yết (%(start)s–%(end)s).")
            % {"date": vn_date(received_on), "start": vn_date(posting.starts_on), "end": vn_date(posting.ends_on)})  # fmt: skip
    inside = _inside(commune)
    in_round = Assessment.objects.filter(
        review=review, household=household, commune_id__in=sorted(inside)
    ).exists()
    if not in_round and household.commune_id not in inside:
        add(problems, "household", _("Hộ %(code)s không thuộc %(commune)s.")
            % {"code": household.code, "commune": area_label(commune)})  # fmt: skip
    raise_if_any(problems)
    return Complaint.objects.create(
        review=review, commune=commune, household=household, complainant=complainant.strip()[:150],
        received_on=received_on, content=content.strip(), **_recorded(actor),
    )  # fmt: skip


@transaction.atomic
def recheck_record(
    *,
    complaint: Complaint,
    checked_on: date,
    upheld: bool,
    finding: str,
    actor: Any,
    today: date | None = None,
) -> Recheck:
    """The re-check (phúc tra) of a complaint. Upheld: the household must have been surveyed again after the
    complaint was received, so the decision reads the corrected result."""
    today = today or timezone.localdate()
    may_act(actor, complaint.commune, DECIDERS)
    _lock(complaint.review)
    _refuse_decided(complaint.review, complaint.commune)
    problems: Problems = {}
    _not_future(problems, "checked_on", checked_on, today)
    if checked_on < complaint.received_on:
        add(problems, "checked_on", _("Ngày phúc tra trước ngày nhận khiếu nại (%(date)s).")
            % {"date": vn_date(complaint.received_on)})  # fmt: skip
    if not finding.strip():
        add(problems, "finding", _("Ghi kết luận phúc tra."))
    if Recheck.objects.filter(complaint=complaint).exists():
        add(problems, "complaint", _("Khiếu nại này đã có kết quả phúc tra."))
    if upheld:
        resurveyed = Assessment.objects.filter(
            review=complaint.review, household=complaint.household, superseded=False,
            classified_at__gt=complaint.recorded_at,
        ).exists()  # fmt: skip
        if not resurveyed:
            add(problems, "upheld", _("Khiếu nại đúng: hãy rà soát lại hộ %(code)s (ghi phiếu mới hoặc đính chính) "
                                      "trước khi ghi kết quả phúc tra.") % {"code": complaint.household.code})  # fmt: skip
    raise_if_any(problems)
    return Recheck.objects.create(
        complaint=complaint, checked_on=checked_on, upheld=upheld, finding=finding.strip(), **_recorded(actor)
    )


@transaction.atomic
def consultation_record(
    *,
    review: Review,
    commune: AdminUnit,
    consulted_on: date,
    reference: str,
    opinion: str,
    actor: Any,
    today: date | None = None,
) -> Consultation:
    """The opinion of the authority the rule of the day names, after the posting ended and every complaint was
    re-checked."""
    today = today or timezone.localdate()
    review = _open_step(review, commune, actor, CONSULTATION_TAKERS)
    problems: Problems = {}
    _not_future(problems, "consulted_on", consulted_on, today)
    if not reference.strip():
        add(problems, "reference", _("Nhập số văn bản báo cáo hoặc văn bản cho ý kiến."))
    authority = rule_on(consulted_on).authority
    if authority == ConsultationAuthority.NONE:
        add(problems, "review", _("Ngày %(date)s quy định không yêu cầu xin ý kiến trước khi công nhận.")
            % {"date": vn_date(consulted_on)})  # fmt: skip
    if Consultation.objects.filter(review=review, commune=commune).exists():
        add(
            problems,
            "review",
            _("Đã ghi ý kiến cấp trên cho %(commune)s.") % {"commune": area_label(commune)},
        )
    _require_posted(problems, progress(review, commune, today=today), consulted_on, "consulted_on")
    raise_if_any(problems)
    return Consultation.objects.create(
        review=review, commune=commune, authority=authority, consulted_on=consulted_on,
        reference=reference.strip()[:100], opinion=opinion.strip(), **_recorded(actor),
    )  # fmt: skip


def _require_posted(problems: Problems, state: Progress, day: date, name: str) -> None:
    if not state.villages_agreed:
        add(problems, "review", _("Còn thôn chưa họp dân thống nhất kết quả."))
    if state.posting is None:
        add(problems, "review", _("Kết quả chưa được niêm yết công khai."))
    elif day <= state.posting.ends_on:
        add(problems, name, _("Thời gian niêm yết đến hết ngày %(date)s chưa kết thúc.")
            % {"date": vn_date(state.posting.ends_on)})  # fmt: skip
    if state.open_complaints:
        add(
            problems,
            "review",
            _("Còn %(n)s khiếu nại chưa có kết quả phúc tra.") % {"n": len(state.open_complaints)},
        )


def readiness(review: Review, commune: AdminUnit, signed_on: date) -> Problems:
    """What still stands between the round and its decision signed on `signed_on`: every village agreed, the
    posting ended before the signing day, every complaint re-checked, and the authority of that day consulted
    (where the rule names one). Empty when the decision may be recorded (`services.decision_record` asks, under
    the round's lock)."""
    state = progress(review, commune, today=max(signed_on, timezone.localdate()))
    problems: Problems = {}
    _require_posted(problems, state, signed_on, "signed_on")
    if rule_on(signed_on).authority != ConsultationAuthority.NONE:
        if state.consultation is None:
            add(problems, "review", _("Chưa có ý kiến của cấp trên (bước xin ý kiến trước khi công nhận)."))
        elif state.consultation.consulted_on > signed_on:
            add(problems, "signed_on", _("Ngày ký trước ngày có ý kiến cấp trên (%(date)s).")
                % {"date": vn_date(state.consultation.consulted_on)})  # fmt: skip
    return problems


@transaction.atomic
def certificates_issue(
    *, review: Review, commune: AdminUnit, issued_on: date, actor: Any, today: date | None = None
) -> list[Certificate]:
    """Number and issue the certificates of the households the decision in force recognised as poor or near-poor
    (those whose status it changed), continuing the commune's numbers of the year."""
    today = today or timezone.localdate()
    may_act(actor, commune, DECIDERS)
    review = _lock(review)
    decision = Decision.objects.filter(review=review, commune=commune).order_by("-recorded_at", "-id").first()
    problems: Problems = {}
    _not_future(problems, "issued_on", issued_on, today)
    if decision is None:
        add(problems, "review", _("Chưa có quyết định công nhận: chưa cấp giấy chứng nhận được."))
    elif issued_on < decision.signed_on:
        add(
            problems,
            "issued_on",
            _("Ngày cấp trước ngày ký quyết định (%(date)s).") % {"date": vn_date(decision.signed_on)},
        )
    raise_if_any(problems)
    assert decision is not None
    done = set(Certificate.objects.filter(decision=decision).values_list("household_id", flat=True))
    rows = [
        (household_id, status)
        for household_id, status in OfficialStatus.objects.filter(decision=decision, status__in=LISTS)
        .order_by("village_id", "household_id")
        .values_list("household_id", "status")
        if household_id not in done
    ]
    if not rows:
        raise ValidationError({"review": _("Mọi hộ được công nhận theo quyết định %(number)s đã có giấy chứng nhận.")
                               % {"number": decision.number}})  # fmt: skip
    # Commune-and-year numbering: lock the commune's certificates of the year by reading their maximum under
    # the round's lock (rounds of one commune in a year are few; a unique constraint backs it).
    number = (
        Certificate.objects.filter(commune=commune, year=issued_on.year).aggregate(n=Max("number"))["n"] or 0
    )
    recorded = _recorded(actor)
    issued = []
    for household_id, status in rows:
        number += 1
        issued.append(Certificate(
            decision=decision, commune=commune, household_id=household_id, status=status, year=issued_on.year,
            number=number, issued_on=issued_on, **recorded,
        ))  # fmt: skip
    return Certificate.objects.bulk_create(issued)


@transaction.atomic
def refusal_issue(
    *,
    request: HouseholdRequest,
    number: str,
    issued_on: date,
    signer: str,
    reasons: str,
    actor: Any,
    today: date | None = None,
) -> RequestRefusal:
    """The written reply, with reasons, to a request the decision did not grant."""
    today = today or timezone.localdate()
    may_act(actor, request.commune, DECIDERS)
    _lock(request.review)
    problems: Problems = {}
    _not_future(problems, "issued_on", issued_on, today)
    for name, value, message in (
        ("number", number, _("Nhập số văn bản.")),
        ("signer", signer, _("Nhập họ tên người ký.")),
        ("reasons", reasons, _("Nêu lý do không công nhận.")),
    ):
        if not value.strip():
            add(problems, name, message)
    state = progress(request.review, request.commune, today=today)
    line = next((r for r in state.requests if r.request.pk == request.pk), None)
    if line is None or line.outcome == "pending":
        add(problems, "request", _("Chưa có quyết định công nhận của đợt: chưa trả lời được."))
    elif line.outcome == "granted":
        add(problems, "request", _("Đề nghị của hộ %(code)s đã được công nhận theo quyết định.")
            % {"code": request.household.code})  # fmt: skip
    elif line.outcome == "refused":
        add(problems, "request", _("Đã có văn bản trả lời đề nghị này."))
    elif state.decision is not None and issued_on < state.decision.signed_on:
        add(problems, "issued_on", _("Ngày ban hành trước ngày ký quyết định (%(date)s).")
            % {"date": vn_date(state.decision.signed_on)})  # fmt: skip
    raise_if_any(problems)
    return RequestRefusal.objects.create(
        request=request, number=number.strip()[:60], issued_on=issued_on, signer=signer.strip()[:150],
        reasons=reasons.strip(), **_recorded(actor),
    )  # fmt: skip


def posting_list(review: Review, commune: AdminUnit) -> dict[str, list[tuple[str, str]]]:
    """The printable posting list: for each list the round's results propose, and the households leaving a list,
    the head's name and the village only (no ID numbers, no birth dates)."""
    state = progress(review, commune)
    current = {h: row.status for h, row in statuses_on(state.assessed, state.start).items()}
    sections: dict[str, list[int]] = {"ngheo": [], "can_ngheo": [], "thoat_ngheo": [], "thoat_can_ngheo": []}
    for household_id, (_assessment, proposed, _at) in state.assessed.items():
        before = current.get(household_id)
        if proposed in LISTS:
            sections[proposed].append(household_id)
        elif before == PovertyClass.POOR:
            sections["thoat_ngheo"].append(household_id)
        elif before == PovertyClass.NEAR_POOR:
            sections["thoat_can_ngheo"].append(household_id)
    names: dict[int, tuple[str, str]] = {}
    for household_id, head, village in Assessment.objects.filter(
        review=review, superseded=False, household_id__in=sorted(state.assessed)
    ).values_list("household_id", "household__head__full_name", "village__name"):
        names[household_id] = (village or "—", head or "—")
    return {
        key: [(head, village) for village, head in sorted(names[h] for h in items)]
        for key, items in sections.items()
    }


RETURN_LINE = re.compile(r"\s*([^:]*?)\s*:\s*(.*?)\s*")


def parse_returns(text: str) -> list[tuple[int, str, int]]:
    """The households a meeting sent back to survey, one a line as "household code: number agreeing": a list of
    (line number, code, number). Blank lines are skipped; every bad line is named in one error."""
    found: list[tuple[int, str, int]] = []
    first: dict[str, int] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        match = RETURN_LINE.fullmatch(raw)
        if match is None:
            errors.append(
                _("Dòng %(line)s: «%(text)s» không đúng dạng «mã hộ: số người đồng ý».")
                % {"line": number, "text": raw.strip()}
            )
            continue
        code, count = match.groups()
        if not code:
            errors.append(_("Dòng %(line)s: thiếu mã hộ trước dấu hai chấm.") % {"line": number})
            continue
        if not re.fullmatch(r"[0-9]+", count, flags=re.ASCII):
            errors.append(
                _("Dòng %(line)s: «%(value)s» không phải số người đồng ý (một số nguyên từ 0 trở lên).")
                % {"line": number, "value": count}
            )
            continue
        if code in first:
            errors.append(
                _("Dòng %(line)s: hộ %(code)s đã ghi ở dòng %(first)s.")
                % {"line": number, "code": code, "first": first[code]}
            )
            continue
        first[code] = number
        found.append((number, code, int(count)))
    if errors:
        raise ValidationError(errors)
    return found


def returns_from_text(text: str, households: QuerySet[Household]) -> dict[Household, int]:
    """The households a meeting sent back (`parse_returns`) looked up among `households` (the ones the account may
    see): every bad line and every code not found is named in one error."""
    parsed = parse_returns(text)
    found = {h.code: h for h in households.filter(code__in=sorted({code for _n, code, _c in parsed}))}
    missing = [
        _("Dòng %(line)s: không tìm thấy hộ %(code)s trên địa bàn của bạn.") % {"line": n, "code": code}
        for n, code, _count in parsed
        if code not in found
    ]
    if missing:
        raise ValidationError({"returns": missing})
    return {found[code]: count for _n, code, count in parsed}
