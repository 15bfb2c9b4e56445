"""The review procedure's state machine through its services (`decisions.procedure`), with personas: each step's
guard, the order of the steps, the rules of the date, the requests' outcomes and the certificates' numbers.

The scenario is the end-2026 periodic review of new Xã Kông Chro, open on the tests' calendar (20/11/2026): two
villages, households listed in the 2025 decision, one closed, one without a village."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.decisions import procedure
from giamngheo.decisions.models import Certificate, ConsultationAuthority, ProcedureRule
from giamngheo.decisions.procedure import Step
from giamngheo.decisions.services import decision_record
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Review
from tests.decisions.helpers import CLASS_INPUT, decide, minutes, record
from tests.reviews.helpers import open_review

pytestmark = pytest.mark.django_db


def test_the_list_to_review_and_the_village_meetings(commune_2026: Any) -> None:
    personas, commune, (to_mo, hra), h, _first, second = commune_2026
    state = procedure.progress(second, commune)
    # The periodic round reviews the listed households (not P-6, closed), nothing surveyed yet.
    assert {v.village.name if v.village else None: v.to_review for v in state.villages} == {
        "Làng Hra": 1, "Làng Tơ Mơ": 2
    }  # fmt: skip
    assert state.step == Step.SURVEY
    record(second, {h["P-1"]: "ngheo", h["P-3"]: "can_ngheo", h["P-5"]: "khong_ngheo"})
    with pytest.raises(ValidationError) as refused:  # P-2 of Làng Tơ Mơ is not surveyed yet
        procedure.meeting_record(
            review=second, commune=commune, village=to_mo, held_on=date(2026, 11, 10), attendees=30,
            agreeing=20, chair="A", secretary="B", minutes=minutes(), actor=personas.owner,
        )  # fmt: skip
    assert "Làng Tơ Mơ còn 1 hộ chưa được rà soát" in str(refused.value)
    record(second, {h["P-2"]: "ngheo"})
    with pytest.raises(ValidationError) as refused:
        procedure.meeting_record(
            review=second, commune=commune, village=to_mo, held_on=date(2026, 11, 10), attendees=30,
            agreeing=20, chair="A", secretary="B", actor=personas.owner,
            minutes=minutes(b"just text", "bien-ban.pdf"),
        )  # fmt: skip
    assert "không phải PDF, JPEG hay PNG" in str(refused.value)
    with pytest.raises(PermissionDenied):
        procedure.meeting_record(
            review=second, commune=commune, village=to_mo, held_on=date(2026, 11, 10), attendees=30,
            agreeing=20, chair="A", secretary="B", minutes=minutes(), actor=personas.viewer,
        )  # fmt: skip

    # Under half agreeing: the whole village goes back to survey.
    procedure.meeting_record(
        review=second, commune=commune, village=to_mo, held_on=date(2026, 11, 10), attendees=30, agreeing=14,
        chair="Trưởng làng", secretary="Thư ký", minutes=minutes(), actor=personas.owner,
    )  # fmt: skip
    line = next(v for v in procedure.progress(second, commune).villages if v.village == to_mo)
    assert (line.state, sorted(line.returned)) == (Step.SURVEY, sorted([h["P-1"].pk, h["P-2"].pk]))
    record(second, {h["P-1"]: "ngheo", h["P-2"]: "ngheo"})  # surveyed again
    # A second meeting agrees, but sends P-2 back on its own.
    procedure.meeting_record(
        review=second, commune=commune, village=to_mo, held_on=date(2026, 11, 12), attendees=30, agreeing=25,
        chair="Trưởng làng", secretary="Thư ký", minutes=minutes(), returns={h["P-2"]: 10}, actor=personas.owner,
    )  # fmt: skip
    line = next(v for v in procedure.progress(second, commune).villages if v.village == to_mo)
    assert (line.state, line.returned, line.meetings) == (Step.SURVEY, [h["P-2"].pk], 2)
    with pytest.raises(ValidationError) as refused:
        procedure.posting_start(
            review=second,
            commune=commune,
            starts_on=date(2026, 11, 13),
            places="Nhà văn hoá",
            actor=personas.owner,
        )
    assert "chưa họp dân thống nhất" in str(refused.value)
    record(second, {h["P-2"]: "can_ngheo"})
    for village in (to_mo, hra, None):
        procedure.meeting_record(
            review=second, commune=commune, village=village, held_on=date(2026, 11, 13), attendees=20,
            agreeing=18, chair="Trưởng thôn", secretary="Thư ký", minutes=minutes(), actor=personas.owner,
        )  # fmt: skip
    state = procedure.progress(second, commune)
    assert state.villages_agreed and state.step == Step.POSTING


def agree_all(review: Review, commune: Any, held_on: date) -> None:
    from giamngheo.demo.procedure import meet

    meet(review, commune, held_on)


def test_posting_complaints_consultation_and_the_decision(commune_2026: Any) -> None:
    personas, commune, _villages, h, _first, second = commune_2026
    record(second, {h["P-1"]: "ngheo", h["P-2"]: "khong_ngheo", h["P-3"]: "can_ngheo", h["P-5"]: "ngheo"})
    agree_all(second, commune, date(2026, 11, 5))
    with pytest.raises(ValidationError) as refused:  # posting before the meetings
        procedure.posting_start(
            review=second,
            commune=commune,
            starts_on=date(2026, 11, 4),
            places="Nhà văn hoá",
            actor=personas.owner,
        )
    assert "trước ngày họp dân cuối cùng" in str(refused.value)
    posting = procedure.posting_start(
        review=second, commune=commune, starts_on=date(2026, 11, 6), places="Nhà văn hoá thôn, UBND xã",
        actor=personas.owner,
    )  # fmt: skip
    rule = ProcedureRule.objects.get(valid_to__isnull=True)
    assert (posting.ends_on - posting.starts_on).days + 1 == rule.posting_days
    with pytest.raises(ValidationError) as refused:  # outside the posting window
        procedure.complaint_receive(
            review=second, commune=commune, household=h["P-2"], complainant="Đinh Thị B",
            received_on=date(2026, 11, 19), content="Hộ P-2 còn khó khăn", actor=personas.owner,
        )  # fmt: skip
    assert "ngoài thời gian niêm yết" in str(refused.value)
    complaint = procedure.complaint_receive(
        review=second, commune=commune, household=h["P-2"], complainant="Đinh Thị B",
        received_on=date(2026, 11, 8), content="Hộ P-2 còn khó khăn", actor=personas.owner,
    )  # fmt: skip
    assert procedure.progress(second, commune).step == Step.COMPLAINTS
    with pytest.raises(ValidationError) as refused:
        decision_record(review=second, commune=commune, number="1/QĐ", signed_on=date(2026, 11, 18),
                        signer="Chủ tịch", actor=personas.owner)  # fmt: skip
    message = str(refused.value)
    assert "1 khiếu nại chưa có kết quả phúc tra" in message and "Chưa có ý kiến của cấp trên" in message
    with pytest.raises(ValidationError) as refused:  # upheld before the household is surveyed again
        procedure.recheck_record(complaint=complaint, checked_on=date(2026, 11, 10), upheld=True,
                                 finding="Hộ thiếu 3 chỉ số", actor=personas.owner)  # fmt: skip
    assert "hãy rà soát lại hộ P-2" in str(refused.value)
    record(second, {h["P-2"]: "can_ngheo"})
    procedure.recheck_record(complaint=complaint, checked_on=date(2026, 11, 10), upheld=True,
                             finding="Hộ thiếu 3 chỉ số, là hộ cận nghèo", actor=personas.owner)  # fmt: skip
    state = procedure.progress(second, commune)
    assert state.villages_agreed  # the re-check agreed the re-survey: no second village meeting
    assert state.authority == ConsultationAuthority.PROVINCE and state.step == Step.CONSULTATION
    with pytest.raises(ValidationError) as refused:  # the posting has not ended on 12/11
        procedure.consultation_record(review=second, commune=commune, consulted_on=date(2026, 11, 12),
                                      reference="BC-01", opinion="", actor=personas.province)  # fmt: skip
    assert "chưa kết thúc" in str(refused.value)
    with pytest.raises(PermissionDenied):
        procedure.consultation_record(review=second, commune=commune, consulted_on=date(2026, 11, 14),
                                      reference="BC-01", opinion="", actor=personas.viewer)  # fmt: skip
    procedure.consultation_record(review=second, commune=commune, consulted_on=date(2026, 11, 14),
                                  reference="BC-01", opinion="Thống nhất", actor=personas.province)  # fmt: skip
    assert procedure.progress(second, commune).step == Step.DECISION
    decision = decision_record(review=second, commune=commune, number="1/QĐ-UBND", signed_on=date(2026, 11, 18),
                               signer="Chủ tịch", actor=personas.owner)  # fmt: skip
    state = procedure.progress(second, commune)
    # The statuses that changed: P-3 now near-poor, P-5 newly poor (P-1 stays poor, P-2 near-poor).
    assert (state.step, state.to_certify) == (Step.CERTIFICATES, 2)
    with pytest.raises(ValidationError):  # nothing before the decision is recorded any more
        procedure.posting_start(review=second, commune=commune, starts_on=date(2026, 11, 19), places="x",
                                actor=personas.owner)  # fmt: skip

    issued = procedure.certificates_issue(review=second, commune=commune, issued_on=date(2026, 11, 19),
                                          actor=personas.owner)  # fmt: skip
    labels = [c.label for c in issued]
    assert labels == ["Số 01/GCN-HN.HCN", "Số 02/GCN-HN.HCN"]
    assert {c.household.code: c.status for c in issued} == {"P-3": "can_ngheo", "P-5": "ngheo"}
    assert all(c.decision == decision for c in issued)
    with pytest.raises(ValidationError) as refused:
        procedure.certificates_issue(review=second, commune=commune, issued_on=date(2026, 11, 19),
                                     actor=personas.owner)  # fmt: skip
    assert "đã có giấy chứng nhận" in str(refused.value)
    assert procedure.progress(second, commune).step == Step.DONE


def test_certificates_continue_the_commune_numbers_of_the_year(commune_2026: Any) -> None:
    personas, commune, _villages, h, first, _second = commune_2026
    # The 2025 decision (signed 20/12/2025) recognised P-1, P-3 and P-6 as poor and P-2 as near-poor.
    procedure.certificates_issue(review=first, commune=commune, issued_on=date(2025, 12, 22), actor=None)
    june = open_review(commune, year=2026, kind="regular", reference_date=date(2026, 7, 14))
    procedure.request_receive(household=h["P-5"], form="01", channel="office", received_on=date(2026, 6, 16),
                              actor=personas.owner, review=june)  # fmt: skip
    record_regular = [
        reviews.AssessmentInput(
            h["P-5"],
            date(2026, 6, 18),
            1_000_000,
            entered={"viec_lam": True, "dinh_duong": True, "bao_hiem_y_te": True},
        )
    ]
    reviews.assessments_bulk_record(record_regular, review=june, actor=None, historical=True)
    decide(june, commune, date(2026, 6, 29))
    [later] = procedure.certificates_issue(
        review=june, commune=commune, issued_on=date(2026, 7, 1), actor=None
    )
    assert later.label == "Số 01/GCN-HN.HCN"  # a new year
    assert sorted(Certificate.objects.filter(year=2025).values_list("number", flat=True)) == [1, 2, 3, 4]


def test_a_regular_round_its_requests_and_the_fifteen_days(commune_2026: Any) -> None:
    personas, commune, _villages, h, _first, _second = commune_2026
    # Received in March: the regular round of 15/03–14/04, opened for it; a request to escape poverty by a
    # household not on the lists is refused at once.
    with pytest.raises(ValidationError) as refused:
        procedure.request_receive(household=h["P-5"], form="04", channel="office", received_on=date(2026, 3, 20),
                                  actor=personas.owner)  # fmt: skip
    assert "không có tên trong danh sách" in str(refused.value)
    escape = procedure.request_receive(household=h["P-1"], form="04", channel="post",
                                       received_on=date(2026, 3, 20), actor=personas.owner)  # fmt: skip
    join = procedure.request_receive(household=h["P-5"], form="01", channel="online",
                                     received_on=date(2026, 3, 21), actor=personas.owner)  # fmt: skip
    march = escape.review
    assert (march.kind, march.reference_date, join.review) == ("regular", date(2026, 4, 14), march)
    with pytest.raises(PermissionDenied):
        procedure.request_receive(household=h["P-5"], form="01", channel="office", received_on=date(2026, 3, 21),
                                  actor=personas.peer)  # fmt: skip
    state = procedure.progress(march, commune)
    # A regular round reviews only its requests: two households, not the whole list.
    assert sum(v.to_review for v in state.villages) == 2
    assert state.due == date(2026, 3, 30) and state.late  # nothing decided by 30/03; today is 20/11
    assert all(r.outcome == "pending" and r.late for r in state.requests)
    # P-1 escapes; P-5 is found not poor: its request is refused in writing, with reasons.
    reviews.assessments_bulk_record(
        [reviews.AssessmentInput(h["P-1"], date(2026, 3, 22), 5_000_000),
         reviews.AssessmentInput(h["P-5"], date(2026, 3, 22), 5_000_000)],
        review=march, actor=None, historical=True,
    )  # fmt: skip
    decide(march, commune, date(2026, 3, 29))
    state = procedure.progress(march, commune)
    assert not state.late
    outcomes = {r.request.household.code: (r.outcome, r.late) for r in state.requests}
    assert outcomes == {"P-1": ("granted", False), "P-5": ("to_refuse", True)}
    [line] = [r for r in state.requests if r.outcome == "to_refuse"]
    with pytest.raises(ValidationError) as refused:
        procedure.refusal_issue(request=escape, number="5/UBND", issued_on=date(2026, 3, 30), signer="Chủ tịch",
                                reasons="x", actor=personas.owner)  # fmt: skip
    assert "đã được công nhận" in str(refused.value)
    refusal = procedure.refusal_issue(
        request=line.request, number="6/UBND-LĐTBXH", issued_on=date(2026, 3, 30), signer="Chủ tịch UBND xã",
        reasons="Thu nhập bình quân 5.000.000 đồng/người/tháng, trên chuẩn cận nghèo.", actor=personas.owner,
    )  # fmt: skip
    assert refusal.request == join
    state = procedure.progress(march, commune)
    assert {r.request.household.code: r.outcome for r in state.requests} == {
        "P-1": "granted",
        "P-5": "refused",
    }
    assert (state.step, state.to_certify) == (Step.DONE, 0)  # nothing to certify for an escape


def test_the_consultation_authority_follows_the_rule_of_the_date(commune_2026: Any) -> None:
    personas, commune, _villages, h, _first, second = commune_2026
    assert procedure.rule_on(date(2023, 12, 20)).authority == ConsultationAuthority.DISTRICT
    assert procedure.rule_on(date(2026, 12, 20)).authority == ConsultationAuthority.PROVINCE
    # A province that consults no one after the reform edits the rule: the decision then needs no consultation.
    ProcedureRule.objects.filter(valid_to__isnull=True).update(authority=ConsultationAuthority.NONE)
    record(second, {h["P-1"]: "ngheo", h["P-2"]: "ngheo", h["P-3"]: "ngheo"})
    agree_all(second, commune, date(2026, 11, 1))
    procedure.posting_start(review=second, commune=commune, starts_on=date(2026, 11, 2), places="UBND xã",
                            actor=personas.owner)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        procedure.consultation_record(review=second, commune=commune, consulted_on=date(2026, 11, 12),
                                      reference="BC", opinion="", actor=personas.owner)  # fmt: skip
    assert "không yêu cầu xin ý kiến" in str(refused.value)
    assert procedure.progress(second, commune).step == Step.DECISION
    decision_record(review=second, commune=commune, number="2/QĐ", signed_on=date(2026, 11, 12), signer="Chủ tịch",
                    actor=personas.owner)  # fmt: skip


def test_a_village_reviewer_holds_only_the_meetings_of_their_villages(commune_2026: Any) -> None:
    from giamngheo.accounts.models import Role
    from giamngheo.accounts.services import area_role_assign
    from tests.registry.factories import make_user

    _personas, commune, (to_mo, hra), h, _first, second = commune_2026
    reviewer = make_user("rsv.tomo")
    area_role_assign(user=reviewer, role=Role.VILLAGE, area=commune, villages=[to_mo])
    record(second, {h["P-1"]: "ngheo", h["P-2"]: "ngheo", h["P-3"]: "ngheo"})
    with pytest.raises(PermissionDenied):
        procedure.meeting_record(review=second, commune=commune, village=hra, held_on=date(2026, 11, 10),
                                 attendees=10, agreeing=9, chair="A", secretary="B", minutes=minutes(),
                                 actor=reviewer)  # fmt: skip
    procedure.meeting_record(review=second, commune=commune, village=to_mo, held_on=date(2026, 11, 10),
                             attendees=10, agreeing=9, chair="A", secretary="B", minutes=minutes(),
                             actor=reviewer)  # fmt: skip
    with pytest.raises(PermissionDenied):  # the commune's steps are the commune officer's
        procedure.posting_start(review=second, commune=commune, starts_on=date(2026, 11, 11), places="x",
                                actor=reviewer)  # fmt: skip


@pytest.mark.calendar(date(2026, 12, 3))
def test_the_demo_takes_an_open_round_as_far_as_the_day_allows(commune_2026: Any) -> None:
    from giamngheo.demo.procedure import advance

    _personas, commune, _villages, h, _first, second = commune_2026
    items = [
        reviews.AssessmentInput(
            h[code], date(2026, 11, 27), *CLASS_INPUT[cls][:1], entered=CLASS_INPUT[cls][1]
        )
        for code, cls in (("P-1", "ngheo"), ("P-2", "can_ngheo"), ("P-3", "khong_ngheo"), ("P-5", "ngheo"))
    ]
    reviews.assessments_bulk_record(items, review=second, actor=None)
    done = advance(second, commune, today=date(2026, 12, 3))
    # Requests received on 01/10 (P-5 asks to be listed; P-3 to be recognised out of poverty), meetings on 28/11,
    # the posting from 30/11 to 06/12, a complaint on 02/12 still waiting for its re-check on 03/12.
    assert done == ["giấy đề nghị mẫu 01", "giấy đề nghị mẫu 04", "3 cuộc họp dân", "niêm yết 30/11–06/12",
                    "1 khiếu nại"]  # fmt: skip
    state = procedure.progress(second, commune, today=date(2026, 12, 3))
    assert state.step == Step.COMPLAINTS and len(state.open_complaints) == 1
