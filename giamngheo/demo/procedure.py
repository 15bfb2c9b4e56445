"""Walk a commune's round through the review procedure up to the decision, as its officers did (`decisions.procedure`),
for the demo's past rounds and the tests: a meeting in every village, the posting for the rule's days, the
consultation of the authority of the day, each step through its service and dated backwards from the day the
chairman signs. The meetings' figures are generated from the village's size; the signed minutes of a past round
are on paper at the commune office, which the records say.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from giamngheo.areas.models import AdminUnit
from giamngheo.decisions import procedure
from giamngheo.decisions.approval import round_submit
from giamngheo.decisions.models import Channel, ConsultationAuthority
from giamngheo.decisions.services import decision_record
from giamngheo.registry.models import Household
from giamngheo.reviews.models import Review

PAPER_MINUTES = "Biên bản giấy lưu tại UBND xã"


def schedule(signed_on: date) -> tuple[date, date, date | None]:
    """(meeting day, first posting day, consultation day or None) for a decision signed on `signed_on`: the
    consultation the day before signing, the posting ending the day before that, the meetings two days before the
    posting starts."""
    consult_on: date | None = signed_on - timedelta(days=1)
    if procedure.rule_on(signed_on).authority == ConsultationAuthority.NONE:
        consult_on = None
    posting_ends = (consult_on or signed_on) - timedelta(days=1)
    days = procedure.rule_on(posting_ends).posting_days
    posting_starts = posting_ends - timedelta(days=days - 1)
    return posting_starts - timedelta(days=2), posting_starts, consult_on


def meet(
    review: Review, commune: AdminUnit, held_on: date, *, actor: Any = None, today: date | None = None
) -> int:
    """Hold the meeting of every village whose results wait for one; each agrees. Returns how many were held."""
    held = 0
    for line in procedure.progress(review, commune, today=today).villages:
        if line.state != procedure.Step.MEETING:
            continue
        attendees = 12 + line.to_review // 3
        procedure.meeting_record(
            review=review, commune=commune, village=line.village, held_on=held_on, attendees=attendees,
            agreeing=attendees - attendees // 6, chair=f"Trưởng {line.village.name}" if line.village else "Trưởng thôn",
            secretary="Thư ký cuộc họp", actor=actor, minutes_note=PAPER_MINUTES, today=today,
        )  # fmt: skip
        held += 1
    return held


def walk_to_decision(
    review: Review, commune: AdminUnit, signed_on: date, *, actor: Any = None, today: date | None = None
) -> None:
    """Meetings, posting and consultation of `commune` in `review`, so that its chairman may sign on `signed_on`."""
    meeting_on, posting_on, consult_on = schedule(signed_on)
    meet(review, commune, meeting_on, actor=actor, today=today)
    procedure.posting_start(
        review=review, commune=commune, starts_on=posting_on, actor=actor, today=today,
        places="Nhà văn hoá các thôn và trụ sở UBND xã",
    )  # fmt: skip
    if consult_on is not None:
        procedure.consultation_record(
            review=review, commune=commune, consulted_on=consult_on, actor=actor, today=today,
            reference=f"BC-{review.year}/{commune.code}", opinion="Thống nhất kết quả rà soát.",
        )  # fmt: skip


def advance(
    review: Review,
    commune: AdminUnit,
    *,
    today: date,
    actor: Any = None,
    complaint: bool = True,
    decide: bool = False,
    meetings_from: date | None = None,
) -> list[str]:
    """Take the open round of `commune` as far as `today` allows, at the pace of a commune office
    (`targets.STAGE_DAYS`): the requests received during the survey, the village meetings the day after the last
    survey (on `meetings_from` at the earliest: the day after the survey weeks end), the posting two days later, with `complaint` a complaint two days into the posting (re-checked two days
    after, once that day has come), the consultation the day after the posting ends; with `decide`, the chairman's
    decision the day after the consultation and the submission to the level above the day after. Returns what was
    done, for the build's log."""
    from giamngheo.decisions.status import statuses_on
    from giamngheo.reviews.models import Assessment, PovertyClass

    done: list[str] = []
    results = list(
        Assessment.objects.filter(review=review, commune=commune, superseded=False)
        .order_by("household__code")
        .values_list("household_id", "poverty_class", "assessed_on")
    )
    if not results:
        return done
    start = procedure.round_start(review)
    listed = {h: row.status for h, row in statuses_on([r[0] for r in results], start).items()}
    households = {h.pk: h for h in Household.objects.filter(pk__in=[r[0] for r in results[:400]])}
    # A Mẫu 01 from a household not on the lists that the survey found poor, a Mẫu 04 from a poor household the
    # survey found above the lines: both received early in the survey.
    asks = [
        next(((h, "01") for h, c, _d in results if c == PovertyClass.POOR and h not in listed and h in households),
             None),
        next(((h, "04") for h, c, _d in results if listed.get(h) == PovertyClass.POOR
              and c == PovertyClass.NOT_POOR and h in households), None),
    ]  # fmt: skip
    received_on = start + timedelta(days=30)
    for ask in asks:
        if ask is not None and received_on <= today:
            procedure.request_receive(
                household=households[ask[0]], form=ask[1], channel=Channel.OFFICE, received_on=received_on,
                applicant="Chủ hộ", actor=actor, review=review, today=today,
            )  # fmt: skip
            done.append(f"giấy đề nghị mẫu {ask[1]}")
    meeting_on = max(max(day for _h, _c, day in results) + timedelta(days=1), meetings_from or start)
    if meeting_on > today:
        return done
    done.append(f"{meet(review, commune, meeting_on, actor=actor, today=today)} cuộc họp dân")
    posting_on = meeting_on + timedelta(days=2)
    if posting_on > today:
        return done
    posting = procedure.posting_start(
        review=review, commune=commune, starts_on=posting_on, actor=actor, today=today,
        places="Nhà văn hoá các thôn và trụ sở UBND xã",
    )  # fmt: skip
    done.append(f"niêm yết {posting.starts_on:%d/%m}–{posting.ends_on:%d/%m}")
    complaint_on = posting_on + timedelta(days=2)
    near_poor = next((h for h, c, _d in results if c == PovertyClass.NEAR_POOR and h in households), None)
    if complaint and near_poor is not None and complaint_on <= min(today, posting.ends_on):
        _complaint(review, commune, households[near_poor], complaint_on, actor=actor, today=today, done=done)
    consult_on = posting.ends_on + timedelta(days=1)
    if consult_on > today:
        return done
    if procedure.rule_on(consult_on).authority != ConsultationAuthority.NONE:
        procedure.consultation_record(
            review=review, commune=commune, consulted_on=consult_on, actor=actor, today=today,
            reference=f"BC-{review.year}/{commune.code}", opinion="Thống nhất kết quả rà soát.",
        )  # fmt: skip
        done.append("xin ý kiến cấp trên")
    signed_on = consult_on + timedelta(days=1)
    if not decide or signed_on > today:
        return done
    decision_record(
        review=review, commune=commune, number="001/QĐ-UBND", signed_on=signed_on,
        signer=f"Chủ tịch UBND {commune.name}", actor=actor, today=today,
    )  # fmt: skip
    done.append(f"quyết định công nhận {signed_on:%d/%m}")
    if signed_on + timedelta(days=1) <= today:
        round_submit(review=review, commune=commune, actor=actor)
        done.append("trình tỉnh phê duyệt")
    return done


def _complaint(
    review: Review,
    commune: AdminUnit,
    household: Household,
    received_on: date,
    *,
    actor: Any,
    today: date,
    done: list[str],
) -> None:
    """A near-poor household complains that it should be poor; the re-check two days later keeps its class."""
    complaint = procedure.complaint_receive(
        review=review, commune=commune, household=household, complainant="Chủ hộ", actor=actor,
        received_on=received_on, content="Hộ đề nghị xem lại: gia đình cho rằng mình thuộc diện hộ nghèo.",
        today=today,
    )  # fmt: skip
    done.append("1 khiếu nại")
    checked_on = received_on + timedelta(days=2)
    if checked_on > today:
        return
    procedure.recheck_record(
        complaint=complaint, checked_on=checked_on, upheld=False, actor=actor, today=today,
        finding="Phúc tra: thu nhập và các chỉ số thiếu hụt đúng như kết quả rà soát; giữ nguyên hộ cận nghèo.",
    )  # fmt: skip
    done.append("phúc tra")
